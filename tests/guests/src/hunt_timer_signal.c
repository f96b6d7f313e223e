/* hunt_timer_signal: POSIX timers: timer_create with SIGEV_SIGNAL and a sival, a one-shot and
 * a periodic timer delivering SIGRTMIN with si_code SI_TIMER and the value; overruns while the
 * signal is blocked; timer_gettime after disarm; timer_delete; a bad timer id. */
#include "hunt.h"
#include <time.h>

static volatile int hits, last_value, last_code;

static void on_rt(int sig, siginfo_t *si, void *ctx) {
  (void)sig;
  (void)ctx;
  hits++;
  last_value = si->si_value.sival_int;
  last_code = si->si_code;
}

int main(void) {
  hunt_init();
  handle(SIGRTMIN, on_rt, 0);
  struct sigevent ev;
  memset(&ev, 0, sizeof ev);
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = SIGRTMIN;
  ev.sigev_value.sival_int = 4711;
  timer_t t;
  printf("timer_create -> %d\n", timer_create(CLOCK_MONOTONIC, &ev, &t));
  /* SIGRTMIN stays blocked except inside sigsuspend: no check-then-pause race */
  sigset_t rt, wait_mask;
  sigemptyset(&rt);
  sigaddset(&rt, SIGRTMIN);
  sigprocmask(SIG_BLOCK, &rt, &wait_mask);
  sigdelset(&wait_mask, SIGRTMIN);
  struct itimerspec its = {{0, 0}, {0, 30 * 1000 * 1000}};
  printf("timer_settime -> %d\n", timer_settime(t, 0, &its, 0));
  while (hits == 0) sigsuspend(&wait_mask);
  sigprocmask(SIG_UNBLOCK, &rt, 0);
  printf("one-shot: hits=%d value=%d code_is_timer=%d\n", hits, last_value, last_code == SI_TIMER);
  sigset_t b;
  sigemptyset(&b);
  sigaddset(&b, SIGRTMIN);
  sigprocmask(SIG_BLOCK, &b, 0);
  struct itimerspec per = {{0, 10 * 1000 * 1000}, {0, 10 * 1000 * 1000}};
  timer_settime(t, 0, &per, 0);
  struct timespec nap = {0, 100 * 1000 * 1000};
  nanosleep(&nap, 0);
  hits = 0;
  sigprocmask(SIG_UNBLOCK, &b, 0);
  int ov = timer_getoverrun(t);
  printf("after blocked 100ms: delivered=%d overrun>=5:%d\n", hits, ov >= 5);
  struct itimerspec zero = {{0, 0}, {0, 0}}, cur;
  timer_settime(t, 0, &zero, 0);
  timer_gettime(t, &cur);
  printf("disarmed: %ld %ld\n", (long)cur.it_value.tv_sec, cur.it_value.tv_nsec);
  printf("timer_delete -> %d\n", timer_delete(t));
  errno = 0;
  long rc = syscall(SYS_timer_gettime, 12345, &cur);
  printf("timer_gettime(bad id) -> %ld %s\n", rc, strerror(errno));
  return 0;
}
