/* sud_bad_selector: a selector byte that is neither ALLOW (0) nor BLOCK (1) is fatal. Even with a
 * SIGSYS handler installed, the next syscall outside the allowed region kills the whole process with
 * an uncatchable SIGSYS (shell status 159); the handler never runs. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "sud.h"

static volatile char selector = SELECTOR_ALLOW;

static void on_sigsys(int signo) {
  (void)signo;
  selector = SELECTOR_ALLOW;
  static const char msg[] = "handler ran (wrong: the kill cannot be caught)\n";
  raw_syscall6(NR_write, 1, (long)msg, sizeof msg - 1, 0, 0, 0);
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigsys;
  sigaction(SIGSYS, &sa, 0);

  long rc = sud_prctl(SUD_EXCLUSIVE_ON, 0, 0, &selector);
  printf("armed (empty region, selector ALLOW) = %ld\n", rc);
  puts("setting the selector byte to 2, then calling getpid");
  fflush(stdout); /* the kill discards buffered output */
  selector = 2;
  raw_syscall6(NR_getpid, 0, 0, 0, 0, 0, 0);
  selector = SELECTOR_ALLOW;
  puts("still alive (wrong)");
  return 0;
}
