/* hunt_raise_kill: raise, kill(getpid()), tgkill, and sigqueue to oneself, with
 * si_code and sender checks; kill with signal 0 as a probe; sending to a bad pid. */
#include "hunt.h"

static int count;

static void on_sig(int sig, siginfo_t *si, void *ctx) {
  (void)ctx;
  count++;
  printf("  got %d code=%d from_me=%d value=%d\n", sig, si->si_code, si->si_pid == getpid(),
         si->si_code == SI_QUEUE ? si->si_value.sival_int : -1);
}

int main(void) {
  hunt_init();
  handle(SIGUSR1, on_sig, 0);
  handle(SIGUSR2, on_sig, 0);
  handle(SIGRTMIN + 3, on_sig, 0);
  printf("raise(SIGUSR1) -> %d\n", raise(SIGUSR1));
  printf("kill(getpid(), SIGUSR2) -> %d\n", kill(getpid(), SIGUSR2));
  printf("tgkill -> %ld\n", syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR1));
  union sigval v = {.sival_int = 99};
  printf("sigqueue -> %d\n", sigqueue(getpid(), SIGRTMIN + 3, v));
  printf("kill(getpid(), 0) -> %d\n", kill(getpid(), 0));
  errno = 0;
  int rc = kill(getpid(), 65);
  printf("kill(getpid(), 65) -> %d %s\n", rc, strerror(errno));
  errno = 0;
  rc = kill(0x3fffffff, SIGUSR1);
  printf("kill(bad pid) -> %d %s\n", rc, strerror(errno));
  errno = 0;
  rc = (int)syscall(SYS_tgkill, getpid(), 0x3fffffff, SIGUSR1);
  printf("tgkill(bad tid) -> %d %s\n", rc, strerror(errno));
  errno = 0;
  rc = (int)syscall(SYS_tgkill, getpid(), -1, SIGUSR1);
  printf("tgkill(tid -1) -> %d %s\n", rc, strerror(errno));
  printf("handled %d\n", count);
  return 0;
}
