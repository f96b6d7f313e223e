/* hunt_fork_sigchld (in guests.d/processes.json): a child killed by SIGTERM, one
 * exiting 7, one dying of SIGSEGV; SIGCHLD handler with si_code/si_status; wait statuses. */
#include "hunt.h"
#include <sys/wait.h>

static volatile int chld;
static void on_chld(int sig, siginfo_t *si, void *ctx) {
  (void)sig;
  (void)ctx;
  chld++;
  printf("  SIGCHLD code=%d status=%d\n", si->si_code, si->si_status);
}

int main(void) {
  hunt_init();
  handle(SIGCHLD, on_chld, SA_RESTART);
  sigset_t b, old;
  sigemptyset(&b);
  sigaddset(&b, SIGCHLD);
  for (int i = 0; i < 3; i++) {
    sigprocmask(SIG_BLOCK, &b, &old);
    pid_t p = fork();
    if (p == 0) {
      if (i == 0) raise(SIGTERM);
      if (i == 1) _exit(7);
      *bad_ptr = 1;
      _exit(0);
    }
    int st;
    waitpid(p, &st, 0);
    printf("child %d: exited=%d code=%d signaled=%d sig=%d\n", i, WIFEXITED(st), WEXITSTATUS(st),
           WIFSIGNALED(st), WTERMSIG(st));
    sigprocmask(SIG_SETMASK, &old, 0);
  }
  printf("SIGCHLD handled %d times\n", chld);
  return 0;
}
