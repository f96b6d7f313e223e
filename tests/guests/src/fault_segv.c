/* An uncaught NULL write: the process is killed by SIGSEGV (shell status 139). */
#include <stdio.h>

int main(void) {
  puts("writing through a NULL pointer");
  fflush(stdout); /* the kill discards buffered output */
  /* Both volatiles matter: a known-NULL store becomes a trap insn, a dead store disappears. */
  volatile int *volatile target = 0;
  *target = 1;
  puts("not reached");
  return 0;
}
