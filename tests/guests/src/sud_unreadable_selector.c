/* sud_unreadable_selector: prctl only range-checks the selector address, so a selector on a PROT_NONE
 * page is accepted. The next syscall outside the allowed region makes the kernel read it, the read
 * faults, and the process is killed by an uncatchable SIGSEGV (shell status 139). */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "sud.h"

static void on_signal(int signo) {
  (void)signo;
  static const char msg[] = "handler ran (wrong: the kill cannot be caught)\n";
  raw_syscall6(NR_write, 1, (long)msg, sizeof msg - 1, 0, 0, 0);
}

int main(void) {
  char *page = mmap(0, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED) return 2;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGSYS, &sa, 0);
  sigaction(SIGSEGV, &sa, 0);

  puts("arming SUD with the selector on a PROT_NONE page, then calling getpid");
  fflush(stdout); /* the kill discards buffered output */
  long rc = sud_prctl(SUD_EXCLUSIVE_ON, 0, 0, page);
  /* Returning from prctl does not read the selector; the next syscall does. */
  raw_syscall6(NR_getpid, 0, 0, 0, 0, 0, 0);
  printf("still alive (wrong), prctl = %ld\n", rc);
  return 0;
}
