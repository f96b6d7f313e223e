/* Exit status propagation: prints a line, then exits with 42 through exit() (so stdio is flushed). */
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  puts("exiting with status 42");
  exit(42);
}
