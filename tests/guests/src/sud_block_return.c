/* sud_block_return: the classic SUD mistake. The SIGSYS handler returns with the selector still at
 * BLOCK, so libc's signal restorer (outside any allowed region) issues rt_sigreturn, which is itself
 * dispatched while SIGSYS is blocked inside the handler: the kernel kills the process with SIGSYS
 * (shell status 159). The handler briefly sets ALLOW to report that it ran, then restores BLOCK. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "sud.h"

static volatile char selector = SELECTOR_ALLOW;

static void on_sigsys(int signo) {
  (void)signo;
  selector = SELECTOR_ALLOW;
  static const char msg[] = "handler: ran; returning with the selector at BLOCK\n";
  raw_syscall6(NR_write, 1, (long)msg, sizeof msg - 1, 0, 0, 0);
  selector = SELECTOR_BLOCK; /* the bug being demonstrated */
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigsys;
  sigaction(SIGSYS, &sa, 0);

  long rc = sud_prctl(SUD_EXCLUSIVE_ON, 0, 0, &selector);
  printf("armed (empty region, selector ALLOW) = %ld\n", rc);
  puts("selector := BLOCK, raw getpid -> SIGSYS handler");
  fflush(stdout);
  selector = SELECTOR_BLOCK;
  raw_syscall6(NR_getpid, 0, 0, 0, 0, 0, 0);
  selector = SELECTOR_ALLOW;
  puts("returned from the handler (wrong: rt_sigreturn should have been fatal)");
  return 0;
}
