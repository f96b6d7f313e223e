/* sig_alarm: alarm() and interval timers. One mode per run (argv[1]):
 *   pause     alarm/setitimer/getitimer values and errors, alarm(1) + pause -> EINTR, siginfo
 *   spin      alarm(1) + a busy loop, default action: killed by SIGALRM
 *   interval  periodic ITIMER_REAL ticks in a busy loop, blocked SIGALRM stops the timer until
 *             delivered, ITIMER_VIRTUAL and ITIMER_PROF ticks on CPU time
 *   sleep     waits cut by SIGALRM: nanosleep (rem), poll, select (timeout left), and a shorter
 *             sleep that is not cut
 *   restart   SA_RESTART: futex without timeout restarts; nanosleep, poll, timed futex do not
 * Times are printed only as booleans or whole seconds. */
#include "sig_common.h"
#define FUTEX_WAIT_PRIVATE 128 /* FUTEX_WAIT | FUTEX_PRIVATE_FLAG */
#include <poll.h>
#include <sys/select.h>
#include <sys/time.h>
#include <time.h>

static volatile sig_atomic_t ticks, vticks, pticks;
static volatile int code, pid_zero, futex_word;

static void on_alarm(int s, siginfo_t *si, void *ctx) {
  (void)s, (void)ctx;
  ticks++;
  code = si->si_code;
  pid_zero = si->si_pid == 0 && si->si_uid == 0;
  futex_word = 1;
}
static void on_vt(int s, siginfo_t *si, void *ctx) { (void)s, (void)si, (void)ctx, vticks++; }
static void on_prof(int s, siginfo_t *si, void *ctx) { (void)s, (void)si, (void)ctx, pticks++; }

static long set_timer(int which, long vs, long vus, long is, long ius, struct itimerval *old) {
  struct itimerval it = {{is, ius}, {vs, vus}};
  errno = 0;
  long r = syscall(SYS_setitimer, which, &it, old);
  return r < 0 ? -errno : r;
}

static const char *ename(int e) {
  switch (e) {
  case 0: return "0";
  case EINTR: return "EINTR";
  case EINVAL: return "EINVAL";
  case EFAULT: return "EFAULT";
  case EAGAIN: return "EAGAIN";
  case ETIMEDOUT: return "ETIMEDOUT";
  default: return "other";
  }
}

static const char *err(long r) { return r < 0 ? ename((int)-r) : "0"; }

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static void show(const char *what, struct itimerval *v) {
  printf("%s: value %ld.%06ld interval %ld.%06ld\n", what, (long)v->it_value.tv_sec,
         (long)v->it_value.tv_usec, (long)v->it_interval.tv_sec, (long)v->it_interval.tv_usec);
}

static void mode_pause(void) {
  struct itimerval v;
  memset(&v, 0xff, sizeof v);
  printf("getitimer idle -> %ld\n", syscall(SYS_getitimer, ITIMER_REAL, &v));
  show("idle", &v);
  printf("setitimer which 3 -> %s\n", err(set_timer(3, 1, 0, 0, 0, 0)));
  printf("setitimer which -1 -> %s\n", err(set_timer(-1, 1, 0, 0, 0, 0)));
  printf("setitimer usec 1000000 -> %s\n", err(set_timer(ITIMER_REAL, 0, 1000000, 0, 0, 0)));
  printf("setitimer interval usec -1 -> %s\n", err(set_timer(ITIMER_REAL, 1, 0, 0, -1, 0)));
  printf("setitimer sec -1 -> %s\n", err(set_timer(ITIMER_REAL, -1, 0, 0, 0, 0)));
  errno = 0;
  long r = syscall(SYS_setitimer, 3, (void *)8, 0);
  printf("setitimer which 3 bad value -> %s\n", err(r < 0 ? -errno : r));
  errno = 0;
  r = syscall(SYS_getitimer, 3, &v);
  printf("getitimer which 3 -> %s\n", err(r < 0 ? -errno : r));
  errno = 0;
  r = syscall(SYS_getitimer, ITIMER_REAL, (void *)8);
  printf("getitimer bad pointer -> %s\n", err(r < 0 ? -errno : r));

  printf("alarm(5) -> %ld\n", syscall(SYS_alarm, 5));
  printf("alarm(1) -> %ld\n", syscall(SYS_alarm, 1));
  syscall(SYS_getitimer, ITIMER_REAL, &v);
  printf("armed: value <= 1 s %d, > 0.5 s %d, interval 0 %d\n",
         v.it_value.tv_sec * 1000000 + v.it_value.tv_usec <= 1000000,
         v.it_value.tv_sec * 1000000 + v.it_value.tv_usec > 500000,
         v.it_interval.tv_sec == 0 && v.it_interval.tv_usec == 0);
  on(SIGALRM, on_alarm, 0, 0);
  double t0 = now_s();
  errno = 0;
  r = pause();
  double dt = now_s() - t0;
  printf("pause -> %ld %s; ticks %d; si_code SI_KERNEL %d; pid/uid 0 %d; waited ~1 s %d\n", r,
         ename(errno), ticks, code == SI_KERNEL, pid_zero, dt > 0.9 && dt < 1.5);
  syscall(SYS_getitimer, ITIMER_REAL, &v);
  show("after expiry", &v);
  printf("alarm(0) -> %ld\n", syscall(SYS_alarm, 0));
  /* alarm rounds the time left up when it is at least half a second (or below one second). */
  set_timer(ITIMER_REAL, 2, 600000, 0, 0, 0);
  printf("alarm after 2.6 s set -> %ld\n", syscall(SYS_alarm, 0));
  set_timer(ITIMER_REAL, 2, 200000, 0, 0, 0);
  printf("alarm after 2.2 s set -> %ld\n", syscall(SYS_alarm, 0));
  set_timer(ITIMER_REAL, 0, 1000, 0, 0, 0);
  struct itimerval old;
  printf("setitimer 1 ms, then 0 -> %s\n", err(set_timer(ITIMER_REAL, 0, 0, 3, 0, &old)));
  printf("old: value <= 1 ms %d, interval 0 %d\n",
         old.it_value.tv_sec == 0 && old.it_value.tv_usec <= 1000, old.it_interval.tv_sec == 0);
  /* A zero value disarms whatever interval comes with it. */
  syscall(SYS_getitimer, ITIMER_REAL, &v);
  show("zero value with interval", &v);
  printf("ticks %d\n", ticks);
}

static void mode_spin(void) {
  alarm(1);
  printf("spinning\n");
  for (volatile unsigned long i = 0;; i++) {
  }
}

static void mode_interval(void) {
  on(SIGALRM, on_alarm, 0, 0);
  struct itimerval v, old;
  set_timer(ITIMER_REAL, 0, 50000, 0, 50000, 0);
  syscall(SYS_getitimer, ITIMER_REAL, &v);
  printf("armed: value in (0, 50 ms] %d, interval 50 ms %d\n",
         v.it_value.tv_sec == 0 && v.it_value.tv_usec > 0 && v.it_value.tv_usec <= 50000,
         v.it_interval.tv_sec == 0 && v.it_interval.tv_usec == 50000);
  double t0 = now_s();
  while (ticks < 5) {
  }
  double dt = now_s() - t0;
  set_timer(ITIMER_REAL, 0, 0, 0, 0, &old);
  printf("5 ticks in 0.2..0.5 s %d; si_code SI_KERNEL %d; old interval 50 ms %d\n",
         dt > 0.2 && dt < 0.5, code == SI_KERNEL, old.it_interval.tv_usec == 50000);
  syscall(SYS_getitimer, ITIMER_REAL, &v);
  show("cancelled", &v);

  /* Blocked SIGALRM: the periodic timer fires once and waits for the signal's delivery. */
  ticks = 0;
  set_mask(SIG_BLOCK, bit(SIGALRM));
  set_timer(ITIMER_REAL, 0, 20000, 0, 20000, 0);
  t0 = now_s();
  while (now_s() - t0 < 0.1) {
  }
  syscall(SYS_getitimer, ITIMER_REAL, &v);
  printf("blocked: pending %d, ticks %d\n", (pending_now() & bit(SIGALRM)) != 0, ticks);
  show("while pending", &v);
  set_mask(SIG_UNBLOCK, bit(SIGALRM));
  syscall(SYS_getitimer, ITIMER_REAL, &v);
  printf("unblocked: ticks %d, re-armed %d, interval 20 ms %d\n", ticks,
         v.it_value.tv_sec == 0 && v.it_value.tv_usec > 0 && v.it_value.tv_usec <= 20000,
         v.it_interval.tv_usec == 20000);
  set_timer(ITIMER_REAL, 0, 0, 0, 0, 0);

  /* CPU-time timers: ITIMER_VIRTUAL -> SIGVTALRM, ITIMER_PROF -> SIGPROF. */
  on(SIGVTALRM, on_vt, 0, 0);
  on(SIGPROF, on_prof, 0, 0);
  set_timer(ITIMER_VIRTUAL, 0, 10000, 0, 10000, 0);
  set_timer(ITIMER_PROF, 0, 10000, 0, 10000, 0);
  syscall(SYS_getitimer, ITIMER_VIRTUAL, &v);
  printf("virtual armed: value in (0, 20 ms] %d, interval 10 ms %d\n",
         v.it_value.tv_sec == 0 && v.it_value.tv_usec > 0 && v.it_value.tv_usec <= 20000,
         v.it_interval.tv_usec == 10000);
  while (vticks < 3 || pticks < 3) {
  }
  set_timer(ITIMER_VIRTUAL, 0, 0, 0, 0, &old);
  printf("virtual old interval 10 ms %d\n", old.it_interval.tv_usec == 10000);
  set_timer(ITIMER_PROF, 0, 0, 0, 0, &old);
  printf("prof old interval 10 ms %d\n", old.it_interval.tv_usec == 10000);
  printf("vticks >= 3 %d, pticks >= 3 %d\n", vticks >= 3, pticks >= 3);
  syscall(SYS_getitimer, ITIMER_PROF, &v);
  show("prof cancelled", &v);
}

static void mode_sleep(void) {
  on(SIGALRM, on_alarm, 0, 0);
  alarm(1);
  struct timespec req = {5, 0}, rem = {-1, -1};
  errno = 0;
  long r = nanosleep(&req, &rem);
  printf("nanosleep 5 s -> %ld %s; ticks %d; rem ~%ld s\n", r, ename(errno), ticks,
         (long)(rem.tv_sec + (rem.tv_nsec >= 500000000)));

  set_timer(ITIMER_REAL, 0, 200000, 0, 0, 0);
  errno = 0;
  r = poll(0, 0, 5000);
  printf("poll 5 s -> %ld %s; ticks %d\n", r, ename(errno), ticks);

  set_timer(ITIMER_REAL, 0, 200000, 0, 0, 0);
  struct timeval tv = {5, 0};
  errno = 0;
  r = syscall(SYS_select, 0, 0, 0, 0, &tv); /* musl's select hides the update */
  printf("select 5 s -> %ld %s; ticks %d; timeout left 4.x s %d\n", r, ename(errno),
         ticks, tv.tv_sec == 4);

  set_timer(ITIMER_REAL, 0, 200000, 0, 0, 0);
  struct timespec ts = {5, 0};
  errno = 0;
  r = syscall(SYS_ppoll, 0, 0, &ts, 0, 8);
  printf("ppoll 5 s -> %ld %s; ticks %d; timeout left 4.x s %d\n", r, ename(errno),
         ticks, ts.tv_sec == 4);

  /* A sleep shorter than the timer completes; the timer stays armed. */
  set_timer(ITIMER_REAL, 0, 300000, 0, 0, 0);
  req = (struct timespec){0, 100000000};
  r = nanosleep(&req, 0);
  struct itimerval v;
  syscall(SYS_getitimer, ITIMER_REAL, &v);
  printf("nanosleep 0.1 s -> %ld; ticks %d; still armed %d\n", r, ticks,
         v.it_value.tv_sec == 0 && v.it_value.tv_usec > 0);
  errno = 0;
  r = pause();
  printf("pause -> %ld %s; ticks %d\n", r, ename(errno), ticks);
}

static long futex_wait(volatile int *addr, int val, struct timespec *ts) {
  errno = 0;
  long r = syscall(SYS_futex, addr, FUTEX_WAIT_PRIVATE, val, ts, 0, 0);
  return r < 0 ? -errno : r;
}

static void mode_restart(void) {
  on(SIGALRM, on_alarm, SA_RESTART, 0);
  futex_word = 0;
  set_timer(ITIMER_REAL, 0, 200000, 0, 0, 0);
  long r = futex_wait(&futex_word, 0, 0);
  printf("SA_RESTART futex wait -> %s; ticks %d\n", err(r), ticks);

  futex_word = 0;
  set_timer(ITIMER_REAL, 0, 200000, 0, 0, 0);
  struct timespec ts = {5, 0};
  r = futex_wait(&futex_word, 0, &ts);
  printf("SA_RESTART futex wait 5 s -> %s; ticks %d\n", err(r), ticks);

  set_timer(ITIMER_REAL, 0, 200000, 0, 0, 0);
  struct timespec req = {5, 0};
  errno = 0;
  r = nanosleep(&req, 0);
  printf("SA_RESTART nanosleep -> %ld %s; ticks %d\n", r, ename(errno), ticks);

  set_timer(ITIMER_REAL, 0, 200000, 0, 0, 0);
  errno = 0;
  r = poll(0, 0, 5000);
  printf("SA_RESTART poll -> %ld %s; ticks %d\n", r, ename(errno), ticks);

  on(SIGALRM, on_alarm, 0, 0);
  futex_word = 0;
  set_timer(ITIMER_REAL, 0, 200000, 0, 0, 0);
  r = futex_wait(&futex_word, 0, 0);
  printf("no SA_RESTART futex wait -> %s; ticks %d\n", err(r), ticks);
}

int main(int argc, char **argv) {
  sig_init();
  const char *m = argc > 1 ? argv[1] : "";
  if (!strcmp(m, "pause")) mode_pause();
  else if (!strcmp(m, "spin")) mode_spin();
  else if (!strcmp(m, "interval")) mode_interval();
  else if (!strcmp(m, "sleep")) mode_sleep();
  else if (!strcmp(m, "restart")) mode_restart();
  else {
    printf("usage: sig_alarm pause|spin|interval|sleep|restart\n");
    return 2;
  }
  return 0;
}
