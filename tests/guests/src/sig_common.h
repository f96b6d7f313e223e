/* Shared helpers of the signal corpus (sig_*.c): unbuffered output, handler installation, masks as
 * one 64-bit word, and raw syscalls for calls libc wraps differently. */
#ifndef SIG_COMMON_H
#define SIG_COMMON_H
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

static inline void sig_init(void) { setvbuf(stdout, 0, _IONBF, 0); }

static inline void on(int sig, void (*h)(int, siginfo_t *, void *), int flags, unsigned long mask) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = h;
  sa.sa_flags = SA_SIGINFO | flags;
  memcpy(&sa.sa_mask, &mask, sizeof mask);
  sigaction(sig, &sa, 0);
}

static inline unsigned long bit(int sig) { return 1UL << (sig - 1); }

static inline unsigned long mask_now(void) {
  unsigned long m = 0;
  syscall(SYS_rt_sigprocmask, SIG_BLOCK, 0, &m, 8);
  return m;
}

static inline unsigned long set_mask(int how, unsigned long m) {
  unsigned long old = 0;
  syscall(SYS_rt_sigprocmask, how, &m, &old, 8);
  return old;
}

static inline unsigned long pending_now(void) {
  unsigned long m = 0;
  syscall(SYS_rt_sigpending, &m, 8);
  return m;
}

static inline unsigned long uc_mask(void *ctx) {
  unsigned long m;
  memcpy(&m, &((ucontext_t *)ctx)->uc_sigmask, sizeof m);
  return m;
}
#endif
