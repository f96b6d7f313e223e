/* sig_default: what SIG_DFL does when a signal is raised: terminate, terminate with core, or
 * ignore (SIGCHLD, SIGURG, SIGWINCH, SIGCONT); SIG_IGN discards. The exit status a shell sees is
 * 128 + the signal. Stop signals are left out: natively they stop the process.
 * Usage: sig_default <signal number> [ign] */
#include "sig_common.h"

int main(int argc, char **argv) {
  sig_init();
  int sig = argc > 1 ? atoi(argv[1]) : SIGTERM;
  if (argc > 2) signal(sig, SIG_IGN);
  printf("raising %d (%s)%s\n", sig, strsignal(sig), argc > 2 ? " with SIG_IGN" : "");
  raise(sig);
  printf("still running after %d\n", sig);
  return 3;
}
