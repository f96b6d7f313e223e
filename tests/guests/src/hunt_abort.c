/* hunt_abort: abort() with a SIGABRT handler that returns: the handler runs once, then abort
 * kills the process with SIGABRT anyway (core signal). argv[1] "block" blocks SIGABRT first;
 * "ignore" sets SIG_IGN first; both still die. */
#include "hunt.h"

static void on_abrt(int sig, siginfo_t *si, void *ctx) {
  (void)ctx;
  printf("handler: sig=%d code=%d\n", sig, si->si_code);
}

int main(int argc, char **argv) {
  hunt_init();
  const char *mode = argc > 1 ? argv[1] : "handler";
  if (strcmp(mode, "handler") == 0) handle(SIGABRT, on_abrt, 0);
  if (strcmp(mode, "ignore") == 0) signal(SIGABRT, SIG_IGN);
  if (strcmp(mode, "block") == 0) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGABRT);
    sigprocmask(SIG_BLOCK, &s, 0);
  }
  printf("calling abort (%s)\n", mode);
  abort();
}
