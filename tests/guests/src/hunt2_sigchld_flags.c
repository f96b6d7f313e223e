/* hunt2_sigchld_flags: SIGCHLD dispositions: a plain handler counts exits and reports si_code and
 * si_status; SA_NOCLDSTOP does not hide exits; SA_NOCLDWAIT: children are reaped at exit (wait
 * fails with ECHILD) yet SIGCHLD is still delivered; SIG_IGN does the same without a signal. */
#include "hunt2.h"

static volatile int chld, last_code, last_status;
static void on_chld(int s, siginfo_t *si, void *c) {
  (void)s, (void)c;
  chld++;
  last_code = si->si_code;
  last_status = si->si_status;
}

static void setup(int flags) {
  handle(SIGCHLD, on_chld, flags);
  chld = 0;
}

int main(void) {
  hunt_init();
  setup(0);
  pid_t p = fork();
  if (p == 0) _exit(42);
  int st;
  waitpid(p, &st, 0);
  h2_report("plain child", st);
  printf("  SIGCHLD %d, si_code %d, si_status %d\n", chld, last_code, last_status);

  /* SA_NOCLDSTOP with a child that just exits: SIGCHLD still comes (stops are not emulated:
   * a job-control stop is left out of this corpus) */
  setup(SA_NOCLDSTOP);
  p = fork();
  if (p == 0) _exit(7);
  waitpid(p, &st, 0);
  h2_report("SA_NOCLDSTOP child", st);
  printf("  SIGCHLD %d, si_code %d, si_status %d\n", chld, last_code, last_status);
  int r;

  setup(SA_NOCLDWAIT);
  sigset_t chmask, old;
  sigemptyset(&chmask);
  sigaddset(&chmask, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chmask, &old);
  p = fork();
  if (p == 0) _exit(9);
  while (chld == 0) sigsuspend(&old); /* one child at a time: the count is exact */
  sigprocmask(SIG_SETMASK, &old, 0);
  errno = 0;
  r = wait(&st);
  printf("SA_NOCLDWAIT: wait -> %d (%s), SIGCHLD %d, si_code %d, si_status %d\n", r, strerror(errno), chld,
         last_code, last_status);

  signal(SIGCHLD, SIG_IGN);
  p = fork();
  if (p == 0) _exit(3);
  errno = 0;
  r = waitpid(p, &st, 0);
  printf("SIG_IGN: waitpid -> %d (%s)\n", r, strerror(errno));
  return 0;
}
