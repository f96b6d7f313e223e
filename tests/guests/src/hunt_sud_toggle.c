/* hunt_sud_toggle: the handler decides what happens to the NEXT calls by writing the selector:
 * it leaves it on ALLOW for a while, re-arms from main, and switches to a second selector
 * variable through a new prctl from inside the handler. */
#include "hunt.h"

static volatile char sel_a, sel_b;
static int dispatched, rearm_in_handler;

static void on_sigsys(int sig, siginfo_t *si, void *ctx) {
  (void)sig;
  (void)si;
  sel_a = SYSCALL_DISPATCH_FILTER_ALLOW;
  sel_b = SYSCALL_DISPATCH_FILTER_ALLOW;
  dispatched++;
  long nr = REG(ctx, REG_RAX);
  printf("  dispatched #%d nr=%ld\n", dispatched, nr);
  if (rearm_in_handler) {
    int rc = sud_on(&sel_b);
    printf("  prctl switching to sel_b -> %d\n", rc);
    rearm_in_handler = 0;
  }
  REG(ctx, REG_RAX) = 1000 + nr;
}

int main(void) {
  hunt_init();
  handle(SIGSYS, on_sigsys, 0);
  sud_on(&sel_a);
  for (int i = 0; i < 4; i++) {
    if (i % 2 == 0) sel_a = SYSCALL_DISPATCH_FILTER_BLOCK;
    long r = syscall(SYS_getppid);
    printf("iteration %d: getppid %s\n", i, r >= 1000 ? "emulated" : "native");
  }
  rearm_in_handler = 1;
  sel_a = SYSCALL_DISPATCH_FILTER_BLOCK;
  long r = syscall(SYS_getuid);
  printf("after rearm: getuid -> %ld\n", r);
  sel_a = SYSCALL_DISPATCH_FILTER_BLOCK;
  r = syscall(SYS_getuid);
  printf("sel_a BLOCK but selector is now sel_b: getuid %s\n", r >= 1000 ? "emulated" : "native");
  sel_b = SYSCALL_DISPATCH_FILTER_BLOCK;
  r = syscall(SYS_getgid);
  printf("sel_b BLOCK: getgid -> %ld\n", r);
  prctl(PR_SET_SYSCALL_USER_DISPATCH, 0, 0, 0, 0);
  sel_a = sel_b = SYSCALL_DISPATCH_FILTER_BLOCK;
  r = syscall(SYS_getgid);
  printf("SUD off: getgid %s\n", r >= 1000 ? "emulated" : "native");
  printf("total dispatched %d\n", dispatched);
  return 0;
}
