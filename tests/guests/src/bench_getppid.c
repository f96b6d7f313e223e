/* Syscall-heavy benchmark guest: N raw getppid syscalls (argv[1], default 100000). */
#include <stdio.h>
#include <stdlib.h>
#include "sud.h"

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 100000;
  long ok = 0;
  for (long i = 0; i < n; i++) ok += raw_syscall6(110 /* getppid */, 0, 0, 0, 0, 0, 0) > 0;
  printf("%ld getppid calls, %ld positive\n", n, ok);
  return 0;
}
