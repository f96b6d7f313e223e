/* Shared bits of the hunt2_* corpus (second outside-tester hunt, issue 4): plain libc programs
 * on top of hunt.h, plus a labelled raw-syscall stub, a labelled rt_sigreturn restorer, and fork+wait reporting.
 * Output is unbuffered so that what a killed child printed is not lost. */
#ifndef HUNT2_H
#define HUNT2_H
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "hunt.h" /* hunt_init, handle, REG */

#define H2_PR_SUD 59
#define H2_OFF 0UL
#define H2_EXCL 1UL
#define H2_INCL 2UL
#define H2_ALLOW 0
#define H2_BLOCK 1
#define H2_SA_RESTORER 0x04000000UL

/* h2_sys(nr, a, b, c): one `syscall` at h2_insn, next instruction h2_next; h2_tramp_start..end
 * also holds the restorer, so one region [h2_tramp_start, h2_tramp_end) covers both. */
long h2_sys(long nr, long a, long b, long c);
extern char h2_tramp_start[], h2_insn[], h2_next[], h2_restorer[], h2_tramp_end[];
__asm__(".text\n.p2align 4\n.globl h2_sys, h2_tramp_start, h2_insn, h2_next, h2_restorer, h2_tramp_end\n"
        "h2_tramp_start:\nh2_sys:\n mov %rdi,%rax\n mov %rsi,%rdi\n mov %rdx,%rsi\n mov %rcx,%rdx\n"
        "h2_insn:\n syscall\nh2_next:\n ret\n"
        "h2_restorer:\n mov $15,%eax\n syscall\n hlt\nh2_tramp_end:\n nop\n");

/* One inline `syscall` wherever it is written (outside any region unless one says so). */
static inline long h2_raw(long nr, long a, long b, long c) {
  long ret;
  __asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
  return ret;
}


/* prctl through glibc/musl, errno style, all five arguments passed. */
static inline const char *h2_sud(unsigned long mode, unsigned long off, unsigned long len, const volatile void *sel) {
  errno = 0;
  int r = prctl(H2_PR_SUD, mode, off, len, sel);
  return r == 0 ? "ok" : errno == EINVAL ? "EINVAL" : errno == EFAULT ? "EFAULT" : errno == EPERM ? "EPERM" : "other";
}

struct h2_kaction {
  void *handler;
  unsigned long flags;
  void *restorer;
  unsigned long mask;
};
/* rt_sigaction with our own restorer (in the trampoline region). */
static inline long h2_handle_raw(int sig, void (*h)(int, siginfo_t *, void *), unsigned long flags) {
  struct h2_kaction ka = {(void *)h, flags | SA_SIGINFO | H2_SA_RESTORER, (void *)h2_restorer, 0};
  long r;
  register long r10 __asm__("r10") = 8;
  __asm__ volatile("syscall" : "=a"(r) : "a"(SYS_rt_sigaction), "D"(sig), "S"(&ka), "d"(0), "r"(r10) : "rcx", "r11", "memory");
  return r;
}

/* Prints how a child ended, the way a tester's parent would. */
static inline void h2_report(const char *what, int st) {
  if (WIFEXITED(st))
    printf("%s: exited %d\n", what, WEXITSTATUS(st));
  else if (WIFSIGNALED(st))
    printf("%s: killed by %d (%s)%s\n", what, WTERMSIG(st), strsignal(WTERMSIG(st)), WCOREDUMP(st) ? " core" : "");
  else
    printf("%s: status 0x%x\n", what, st);
}

/* Runs fn in a forked child and reports its end. */
static inline void h2_child(const char *what, void (*fn)(void)) {
  pid_t p = fork();
  if (p == 0) {
    fn();
    _exit(0);
  }
  int st = 0;
  if (waitpid(p, &st, 0) != p) printf("%s: waitpid failed\n", what);
  h2_report(what, st);
}
#endif
