/* hunt2_group_kill: signals to a process group: kill(0, sig) reaches the caller and its children
 * in the same group, killpg(getpgrp(), sig) too; a child that moved to its own group with setpgid
 * is spared and is then reached by killpg(its pgid); kill(-pgid) of a group with no members
 * fails with ESRCH. The program first makes itself a group leader so nothing outside is hit. Children report what they received through their exit code. */
#include "hunt2.h"

static volatile int got;
static void on_sig(int s) { got |= s == SIGUSR1 ? 1 : s == SIGUSR2 ? 2 : 4; }

static pid_t child(int own_group, int pfd) {
  pid_t p = fork();
  if (p == 0) {
    /* SIGTERM stays blocked except inside sigsuspend: a SIGTERM between the test and the wait
     * would otherwise be missed and the child would wait forever */
    sigset_t term, wait_mask;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    sigprocmask(SIG_BLOCK, &term, &wait_mask);
    sigdelset(&wait_mask, SIGTERM);
    if (own_group) setpgid(0, 0);
    if (write(pfd, "r", 1) != 1) _exit(99);
    /* wait for the parent's verdict: SIGTERM (handled) ends the wait */
    while (!(got & 4)) sigsuspend(&wait_mask);
    _exit(got);
  }
  return p;
}

int main(void) {
  hunt_init();
  /* our own group first: kill(0) must not reach whoever started us */
  if (setpgid(0, 0)) return 3;
  signal(SIGUSR1, on_sig);
  signal(SIGUSR2, on_sig);
  signal(SIGTERM, on_sig);
  int pfd[2];
  if (pipe(pfd)) return 1;
  pid_t a = child(0, pfd[1]), b = child(1, pfd[1]);
  char c;
  if (read(pfd[0], &c, 1) != 1 || read(pfd[0], &c, 1) != 1) return 2;
  setpgid(b, b); /* both sides set it, as shells do, so it holds whoever runs first */
  printf("same group: a %d, b %d\n", getpgid(a) == getpgrp(), getpgid(b) == getpgrp());
  kill(0, SIGUSR1);
  printf("parent after kill(0, SIGUSR1): got %d\n", got);
  killpg(getpgrp(), SIGUSR2);
  printf("parent after killpg(own): got %d\n", got);
  killpg(getpgid(b), SIGUSR2);
  signal(SIGTERM, SIG_IGN);
  kill(0, SIGTERM);
  kill(b, SIGTERM);
  int st;
  waitpid(a, &st, 0);
  h2_report("child a (same group)", st);
  waitpid(b, &st, 0);
  h2_report("child b (own group)", st);
  errno = 0;
  int r = kill(-b, SIGUSR1);
  printf("kill(-emptied group): %d %s\n", r, strerror(errno));
  errno = 0;
  r = killpg(0x7ffffff0, SIGUSR1);
  printf("killpg(no such group): %d %s\n", r, strerror(errno));
  return 0;
}
