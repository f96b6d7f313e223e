/* hunt_sigaction_flags: what sigaction reads back (flags including SA_RESTORER, mask bits with
 * SIGKILL/SIGSTOP dropped), SA_RESETHAND + SA_NODEFER behaviour, sa_mask applied during the
 * handler, signal()/sysv_signal-style semantics, and an out-of-range signal. */
#include "hunt.h"

static int depth, maxdepth, calls;

static void rec(int sig, siginfo_t *si, void *ctx) {
  (void)si;
  (void)ctx;
  depth++;
  calls++;
  if (depth > maxdepth) maxdepth = depth;
  sigset_t m;
  sigprocmask(SIG_BLOCK, 0, &m);
  printf("  depth %d: self blocked=%d USR2 blocked=%d TERM blocked=%d\n", depth,
         sigismember(&m, sig), sigismember(&m, SIGUSR2), sigismember(&m, SIGTERM));
  if (calls < 3) raise(sig);
  depth--;
}

static void plain(int sig) { printf("  plain %d\n", sig); }

int main(void) {
  hunt_init();
  struct sigaction sa, old;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = rec;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_RESETHAND;
  sigemptyset(&sa.sa_mask);
  sigaddset(&sa.sa_mask, SIGUSR2);
  sigaddset(&sa.sa_mask, SIGKILL);
  sigaddset(&sa.sa_mask, SIGSTOP);
  sigaction(SIGUSR1, &sa, 0);
  sigaction(SIGUSR1, 0, &old);
  printf("readback flags=%#x kill=%d stop=%d usr2=%d\n", (unsigned)old.sa_flags & ~SA_RESTORER,
         sigismember(&old.sa_mask, SIGKILL), sigismember(&old.sa_mask, SIGSTOP),
         sigismember(&old.sa_mask, SIGUSR2));
  handle(SIGUSR1, rec, SA_NODEFER);
  sa.sa_flags = SA_SIGINFO;
  sigaddset(&sa.sa_mask, SIGTERM);
  sigaction(SIGUSR1, &sa, 0);
  raise(SIGUSR1);
  printf("max depth without NODEFER: %d calls %d\n", maxdepth, calls);
  maxdepth = 0;
  calls = 0;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigaction(SIGUSR1, &sa, 0);
  raise(SIGUSR1);
  printf("max depth with NODEFER: %d calls %d\n", maxdepth, calls);
  maxdepth = 0;
  calls = 0;
  sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
  sigaction(SIGUSR1, &sa, 0);
  signal(SIGUSR2, plain);
  sigaction(SIGUSR2, 0, &old);
  printf("signal() flags=%#x\n", (unsigned)old.sa_flags & ~SA_RESTORER);
  raise(SIGUSR2);
  raise(SIGUSR2);
  sigaction(SIGUSR1, 0, &old);
  printf("SA_RESETHAND before: handler set=%d\n", old.sa_sigaction == rec);
  signal(SIGUSR1, SIG_IGN);
  sigaction(SIGUSR1, &sa, 0);
  maxdepth = 0;
  calls = 2;
  raise(SIGUSR1);
  sigaction(SIGUSR1, 0, &old);
  printf("after one delivery: SIG_DFL=%d flags=%#x max depth=%d\n", old.sa_handler == SIG_DFL,
         (unsigned)old.sa_flags & ~SA_RESTORER, maxdepth);
  errno = 0;
  {
    int rc_ = sigaction(65, &sa, 0);
    printf("sigaction(65) -> %d %s\n", rc_, strerror(errno));
  }
  errno = 0;
  long rc = syscall(SYS_rt_sigaction, SIGUSR1, 0, &old, 4);
  printf("rt_sigaction sigsetsize 4 -> %ld %s\n", rc, strerror(errno));
  return 0;
}
