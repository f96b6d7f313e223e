/* hunt2_buffer_death: the program's own stdout (a pipe in the test harness) is fully buffered;
 * what printf left in the buffer is lost when a signal kills the process, while what went out
 * with write(2) or an explicit fflush stays. argv-free: ends killed by SIGTERM. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  static char buf[8192];
  setvbuf(stdout, buf, _IOFBF, sizeof buf);
  const char *w = "written with write(2)\n";
  if (write(1, w, strlen(w)) < 0) return 1;
  printf("flushed explicitly\n");
  fflush(stdout);
  printf("still in the buffer: lost\n");
  signal(SIGTERM, SIG_DFL);
  kill(getpid(), SIGTERM);
  printf("not reached\n");
  return 0;
}
