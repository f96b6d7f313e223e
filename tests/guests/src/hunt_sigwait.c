/* hunt_sigwait: synchronous waiting: sigwaitinfo on a pending signal, sigtimedwait timing out
 * (EAGAIN) and picking a queued RT signal with its value, sigwait, sigsuspend woken by alarm,
 * pause woken by alarm (EINTR), sigtimedwait with a zero timeout. */
#include "hunt.h"
#include <time.h>

static volatile int alarms;
static void on_alrm(int sig, siginfo_t *si, void *ctx) {
  (void)ctx;
  alarms++;
  printf("  SIGALRM handler sig=%d code=%d\n", sig, si->si_code);
}

int main(void) {
  hunt_init();
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigaddset(&set, SIGRTMIN);
  sigprocmask(SIG_BLOCK, &set, 0);
  kill(getpid(), SIGUSR1);
  siginfo_t si;
  int s = sigwaitinfo(&set, &si);
  printf("sigwaitinfo -> %d code=%d me=%d\n", s, si.si_code, si.si_pid == getpid());
  struct timespec ts = {0, 50 * 1000 * 1000};
  errno = 0;
  s = sigtimedwait(&set, &si, &ts);
  printf("sigtimedwait empty -> %d %s\n", s, strerror(errno));
  union sigval v = {.sival_int = 31};
  sigqueue(getpid(), SIGRTMIN, v);
  v.sival_int = 32;
  sigqueue(getpid(), SIGRTMIN, v);
  s = sigtimedwait(&set, &si, &ts);
  printf("sigtimedwait rt -> %s value=%d code=%d\n", s == SIGRTMIN ? "SIGRTMIN" : "?",
         si.si_value.sival_int, si.si_code);
  int got = 0;
  int rc = sigwait(&set, &got);
  printf("sigwait -> %d sig=%s\n", rc, got == SIGRTMIN ? "SIGRTMIN" : "?");
  struct timespec zero = {0, 0};
  errno = 0;
  s = sigtimedwait(&set, &si, &zero);
  printf("sigtimedwait zero -> %d %s\n", s, strerror(errno));
  ts.tv_nsec = 1000 * 1000 * 1000;
  errno = 0;
  s = sigtimedwait(&set, &si, &ts);
  printf("sigtimedwait bad nsec -> %d %s\n", s, strerror(errno));

  handle(SIGALRM, on_alrm, 0);
  sigset_t blk;
  sigemptyset(&blk);
  sigaddset(&blk, SIGALRM);
  sigprocmask(SIG_BLOCK, &blk, 0);
  alarm(1);
  sigset_t wait_mask;
  sigprocmask(SIG_BLOCK, 0, &wait_mask);
  sigdelset(&wait_mask, SIGALRM);
  errno = 0;
  rc = sigsuspend(&wait_mask);
  printf("sigsuspend -> %d %s alarms=%d\n", rc, strerror(errno), alarms);
  sigset_t now;
  sigprocmask(SIG_BLOCK, 0, &now);
  printf("SIGALRM blocked again: %d\n", sigismember(&now, SIGALRM));
  sigprocmask(SIG_UNBLOCK, &blk, 0);
  alarm(1);
  errno = 0;
  rc = pause();
  printf("pause -> %d %s alarms=%d\n", rc, strerror(errno), alarms);
  printf("alarm(0) left %u\n", alarm(0));
  return 0;
}
