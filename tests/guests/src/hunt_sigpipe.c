/* hunt_sigpipe: writing to a pipe without readers with a SIGPIPE handler (runs, then EPIPE),
 * blocked (EPIPE, signal left pending); unblocking delivers it. */
#include "hunt.h"

static int got;
static void on_pipe(int sig, siginfo_t *si, void *ctx) {
  (void)ctx;
  got++;
  printf("  SIGPIPE handler sig=%d code=%d me=%d\n", sig, si->si_code, si->si_pid == getpid());
}

int main(void) {
  hunt_init();
  int fds[2];
  if (pipe(fds) != 0) return 1;
  close(fds[0]);
  handle(SIGPIPE, on_pipe, 0);
  errno = 0;
  ssize_t n = write(fds[1], "abc", 3);
  printf("handled: write -> %zd %s got=%d\n", n, strerror(errno), got);
  sigset_t b;
  sigemptyset(&b);
  sigaddset(&b, SIGPIPE);
  sigprocmask(SIG_BLOCK, &b, 0);
  errno = 0;
  n = write(fds[1], "abc", 3);
  sigset_t p;
  sigpending(&p);
  printf("blocked: write -> %zd %s pending=%d\n", n, strerror(errno), sigismember(&p, SIGPIPE));
  sigprocmask(SIG_UNBLOCK, &b, 0);
  printf("after unblock got=%d\n", got);
  return 0;
}
