/* hunt_procmask: sigprocmask edge cases: SIGKILL/SIGSTOP silently not blockable, bad `how`
 * (EINVAL even with a NULL set? no: ignored when set is NULL), wrong sigsetsize, SIG_SETMASK
 * round trips, unblocking delivers pending signals before the call returns, signal() flags. */
#include "hunt.h"

static int got;
static void on_usr(int sig, siginfo_t *si, void *ctx) {
  (void)si;
  (void)ctx;
  got = sig;
}

static unsigned long cur(void) {
  unsigned long m = 0;
  syscall(SYS_rt_sigprocmask, SIG_BLOCK, 0, &m, 8);
  return m;
}

int main(void) {
  hunt_init();
  sigset_t all;
  sigfillset(&all);
  sigprocmask(SIG_SETMASK, &all, 0);
  printf("after fill: %#lx\n", cur());
  unsigned long m = ~0UL;
  syscall(SYS_rt_sigprocmask, SIG_SETMASK, &m, 0, 8);
  printf("raw all ones: %#lx\n", cur());
  m = 0;
  syscall(SYS_rt_sigprocmask, SIG_SETMASK, &m, 0, 8);
  printf("cleared: %#lx\n", cur());
  errno = 0;
  long rc = syscall(SYS_rt_sigprocmask, 7, &m, 0, 8);
  printf("how=7 with set -> %ld %s\n", rc, strerror(errno));
  errno = 0;
  unsigned long old = 1;
  rc = syscall(SYS_rt_sigprocmask, 7, 0, &old, 8);
  printf("how=7 NULL set -> %ld %s old=%#lx\n", rc, strerror(errno), old);
  errno = 0;
  rc = syscall(SYS_rt_sigprocmask, SIG_BLOCK, &m, 0, 4);
  printf("sigsetsize 4 -> %ld %s\n", rc, strerror(errno));
  errno = 0;
  rc = syscall(SYS_rt_sigprocmask, SIG_BLOCK, &m, 0, 16);
  printf("sigsetsize 16 -> %ld %s\n", rc, strerror(errno));
  errno = 0;
  rc = syscall(SYS_rt_sigprocmask, SIG_BLOCK, (void *)8, 0, 8);
  printf("bad set pointer -> %ld %s\n", rc, strerror(errno));
  errno = 0;
  rc = syscall(SYS_rt_sigprocmask, SIG_BLOCK, 0, (void *)8, 8);
  printf("bad oldset pointer -> %ld %s\n", rc, strerror(errno));
  errno = 0;
  m = 1UL << (SIGUSR1 - 1);
  rc = syscall(SYS_rt_sigprocmask, SIG_BLOCK, &m, (void *)8, 8);
  printf("bad oldset with set -> %ld %s mask now %#lx\n", rc, strerror(errno), cur());
  m = 0;
  syscall(SYS_rt_sigprocmask, SIG_SETMASK, &m, 0, 8);

  handle(SIGUSR1, on_usr, 0);
  sigset_t one;
  sigemptyset(&one);
  sigaddset(&one, SIGUSR1);
  sigprocmask(SIG_BLOCK, &one, 0);
  raise(SIGUSR1);
  printf("blocked raise: got=%d\n", got);
  sigprocmask(SIG_UNBLOCK, &one, 0);
  printf("after unblock: got=%d\n", got);
  got = 0;
  sigprocmask(SIG_BLOCK, &one, 0);
  raise(SIGUSR1);
  signal(SIGUSR1, SIG_IGN);
  sigset_t p;
  sigpending(&p);
  printf("pending after SIG_IGN: %d\n", sigismember(&p, SIGUSR1));
  sigprocmask(SIG_UNBLOCK, &one, 0);
  printf("got=%d\n", got);
  struct sigaction sa;
  signal(SIGUSR2, SIG_DFL);
  void (*prev)(int) = signal(SIGUSR2, SIG_IGN);
  sigaction(SIGUSR2, 0, &sa);
  printf("signal(): prev is SIG_DFL %d, now SIG_IGN %d\n", prev == SIG_DFL,
         sa.sa_handler == SIG_IGN);
  errno = 0;
  {
    int rc_ = sigaction(SIGKILL, &sa, 0);
    printf("sigaction(SIGKILL) -> %d %s\n", rc_, strerror(errno));
  }
  errno = 0;
  {
    int rc_ = sigaction(0, &sa, 0);
    printf("sigaction(0) -> %d %s\n", rc_, strerror(errno));
  }
  errno = 0;
  printf("sigaction(SIGSTOP, query) -> %d\n", sigaction(SIGSTOP, 0, &sa));
  return 0;
}
