/* Shared bits of the hunt_* corpus: programs written the way an outside tester would, with plain
 * libc calls. Output is unbuffered so that what a killed program printed is not lost. */
#ifndef HUNT_H
#define HUNT_H
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#endif
#ifndef PR_SYS_DISPATCH_ON
#define PR_SYS_DISPATCH_ON 1
#endif
#ifndef SYSCALL_DISPATCH_FILTER_ALLOW
#define SYSCALL_DISPATCH_FILTER_ALLOW 0
#define SYSCALL_DISPATCH_FILTER_BLOCK 1
#endif

#ifndef SA_RESTORER
#define SA_RESTORER 0x04000000
#endif

/* Pointers the compiler cannot see through, for deliberate faults. */
static volatile int *volatile bad_ptr = (int *)8;
static volatile char *volatile null_ptr = 0;

static inline void hunt_init(void) { setvbuf(stdout, 0, _IONBF, 0); }

/* Turns SUD on for the whole address space with `sel` as the selector byte. */
static inline int sud_on(volatile char *sel) {
  return prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, 0, 0, sel);
}

static inline void handle(int sig, void (*h)(int, siginfo_t *, void *), int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = h;
  sa.sa_flags = SA_SIGINFO | flags;
  sigemptyset(&sa.sa_mask);
  sigaction(sig, &sa, 0);
}

#define REG(ctx, r) (((ucontext_t *)(ctx))->uc_mcontext.gregs[r])
#endif
