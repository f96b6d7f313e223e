/* Time passes: nanosleep, clock_nanosleep (relative and TIMER_ABSTIME), poll, ppoll, select and
 * pselect6 with a finite timeout and nothing ready each wait the time they were given. Every line
 * says whether the CLOCK_MONOTONIC delta was at least the request and less than request + 2 s
 * (never the time itself), plus the call's result and the timeout the kernel wrote back.
 * With the argument "long" it prints one line and sleeps 30 s (for the Ctrl-C test). */
#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
#include <sys/select.h>
#include <time.h>
#include "sys_util.h"

static volatile int usr1_seen;
static void on_usr1(int sig) {
  (void)sig;
  usr1_seen++;
}

static long now_ns(void) {
  struct timespec t;
  rsys(228, CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000000000L + t.tv_nsec;
}

static void report(const char *label, long ret, long start, long want_ns) {
  long d = now_ns() - start;
  printf("%s: ret %ld, waited >= request %d, < request + 2 s %d\n", label, ret, d >= want_ns,
         d < want_ns + 2000000000L);
  fflush(stdout);
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "long") == 0) {
    struct timespec t = {30, 0};
    printf("sleeping 30 s\n");
    fflush(stdout);
    show("nanosleep 30 s", rsys(35, &t, 0));
    return 0;
  }
  struct timespec rem = {7, 7};
  struct timespec t = {0, 100000000};
  long s = now_ns();
  report("nanosleep 100 ms", rsys(35, &t, &rem), s, 100000000L);
  printf("rem untouched: %d\n", rem.tv_sec == 7 && rem.tv_nsec == 7);

  t = (struct timespec){0, 50000000};
  s = now_ns();
  report("clock_nanosleep monotonic 50 ms", rsys(230, CLOCK_MONOTONIC, 0, &t, 0), s, 50000000L);

  s = now_ns();
  t = (struct timespec){0, 20000000};
  report("clock_nanosleep realtime 20 ms", rsys(230, CLOCK_REALTIME, 0, &t, 0), s, 20000000L);

  /* TIMER_ABSTIME: until 30 ms from now; then a deadline already past returns at once */
  s = now_ns();
  long target = s + 30000000L;
  t = (struct timespec){target / 1000000000L, target % 1000000000L};
  report("clock_nanosleep abstime +30 ms", rsys(230, CLOCK_MONOTONIC, TIMER_ABSTIME, &t, 0), s,
         30000000L);
  printf("abstime reached target: %d\n", now_ns() >= target);
  s = now_ns();
  t = (struct timespec){0, 1};
  long r = rsys(230, CLOCK_MONOTONIC, TIMER_ABSTIME, &t, 0);
  printf("abstime in the past: ret %ld, quick %d\n", r, now_ns() - s < 1000000000L);

  /* poll on an empty pipe, and on no descriptors at all */
  int p[2];
  if (rsys(293, p, 0) != 0) return 1; /* pipe2 */
  struct pollfd pf = {p[0], POLLIN, 0};
  s = now_ns();
  report("poll empty pipe 60 ms", rsys(7, &pf, 1, 60), s, 60000000L);
  printf("revents: %d\n", pf.revents);
  s = now_ns();
  report("poll nothing 10 ms", rsys(7, 0, 0, 10), s, 10000000L);

  t = (struct timespec){0, 20000000};
  s = now_ns();
  report("ppoll nothing 20 ms", rsys(271, 0, 0, &t, 0, 8), s, 20000000L);
  printf("ppoll timeout left: %ld %ld\n", (long)t.tv_sec, t.tv_nsec);

  /* select as a sleep (no sets), and on the empty pipe */
  struct timeval tv = {0, 40000};
  s = now_ns();
  report("select nothing 40 ms", rsys(23, 0, 0, 0, 0, &tv), s, 40000000L);
  printf("select timeout left: %ld %ld\n", (long)tv.tv_sec, (long)tv.tv_usec);
  fd_set rd;
  FD_ZERO(&rd);
  FD_SET(p[0], &rd);
  tv = (struct timeval){0, 15000};
  s = now_ns();
  report("select empty pipe 15 ms", rsys(23, p[0] + 1, &rd, 0, 0, &tv), s, 15000000L);
  printf("read set cleared: %d\n", FD_ISSET(p[0], &rd) == 0);

  t = (struct timespec){0, 25000000};
  s = now_ns();
  report("pselect6 nothing 25 ms", rsys(270, 0, 0, 0, 0, &t, 0), s, 25000000L);
  printf("pselect6 timeout left: %ld %ld\n", (long)t.tv_sec, t.tv_nsec);

  /* ready at once: a pipe with data does not wait out a long timeout */
  if (rsys(1, p[1], "x", 1) != 1) return 2;
  s = now_ns();
  r = rsys(7, &pf, 1, 5000);
  printf("poll ready: ret %ld, quick %d\n", r, now_ns() - s < 1000000000L);

  /* futex with a timeout and nobody to wake it: waits, then ETIMEDOUT */
  static int word = 5;
  t = (struct timespec){0, 30000000};
  s = now_ns();
  report("futex wait 30 ms", rsys(202, &word, 128 /* FUTEX_WAIT_PRIVATE */, 5, &t, 0, 0), s,
         30000000L);
  printf("futex value mismatch: %ld\n", rsys(202, &word, 128, 4, &t, 0, 0));
  s = now_ns();
  target = s + 20000000L;
  t = (struct timespec){target / 1000000000L, target % 1000000000L};
  report("futex wait_bitset abs +20 ms", rsys(202, &word, 9 | 128, 5, &t, 0, -1), s, 20000000L);
  printf("futex empty bitset: %ld\n", rsys(202, &word, 9 | 128, 5, &t, 0, 0));
  t = (struct timespec){0, -1};
  printf("futex bad timeout: %ld\n", rsys(202, &word, 128, 5, &t, 0, 0));

  /* ppoll/pselect6 with a mask that unblocks a pending signal: interrupted at once (EINTR),
   * the handler runs, and the old mask (SIGUSR1 blocked) is back afterwards */
  signal(SIGUSR1, on_usr1);
  sigset_t block, none, now;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  sigemptyset(&none);
  sigprocmask(SIG_BLOCK, &block, 0);
  raise(SIGUSR1);
  t = (struct timespec){5, 0};
  s = now_ns();
  r = rsys(271, 0, 0, &t, &none, 8);
  sigprocmask(SIG_BLOCK, 0, &now);
  printf("ppoll unblocking a pending signal: ret %ld, handler ran %d, quick %d, still blocked %d\n",
         r, usr1_seen, now_ns() - s < 1000000000L, sigismember(&now, SIGUSR1));
  raise(SIGUSR1);
  struct { const sigset_t *ss; size_t len; } ssarg = {&none, 8};
  t = (struct timespec){5, 0};
  s = now_ns();
  r = rsys(270, 0, 0, 0, 0, &t, &ssarg);
  printf("pselect6 unblocking a pending signal: ret %ld, handler ran %d, quick %d\n", r, usr1_seen,
         now_ns() - s < 1000000000L);
  /* a mask that keeps it blocked: the timeout passes, the signal stays pending */
  raise(SIGUSR1);
  t = (struct timespec){0, 10000000};
  s = now_ns();
  report("ppoll keeping it blocked 10 ms", rsys(271, 0, 0, &t, &block, 8), s, 10000000L);
  sigpending(&now);
  printf("still pending: %d, handler ran %d\n", sigismember(&now, SIGUSR1), usr1_seen);

  /* zero timeouts never wait */
  t = (struct timespec){0, 0};
  s = now_ns();
  rsys(35, &t, 0);
  rsys(7, 0, 0, 0);
  printf("zero timeouts quick: %d\n", now_ns() - s < 1000000000L);
  return 0;
}
