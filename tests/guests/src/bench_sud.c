#define _GNU_SOURCE
/* SUD-heavy benchmark guest: N dispatched syscalls (argv[1], default 10000), each a SIGSYS round
 * trip whose handler emulates the call in place (rax := 42) and re-arms nothing: the handler sets the
 * selector to ALLOW for its own rt_sigreturn and the caller sets BLOCK again before the next call. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include "sud.h"

static volatile char selector = SELECTOR_ALLOW;
static volatile long handled;

static void on_sigsys(int sig, siginfo_t *info, void *ctx) {
  (void)sig, (void)info;
  selector = SELECTOR_ALLOW;
  ((ucontext_t *)ctx)->uc_mcontext.gregs[REG_RAX] = 42;
  handled++;
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 10000;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sigsys;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSYS, &sa, 0);
  if (sud_prctl(SUD_EXCLUSIVE_ON, 0, 0, &selector) != 0) return 1;
  long sum = 0;
  for (long i = 0; i < n; i++) {
    selector = SELECTOR_BLOCK;
    sum += raw_syscall6(0x1234, 0, 0, 0, 0, 0, 0);
  }
  selector = SELECTOR_ALLOW;
  printf("%ld dispatched calls, %ld handled, sum %ld\n", n, handled, sum);
  return sum == 42 * n ? 0 : 1;
}
