/* sudc_restart_quirk: a dispatched syscall whose number is an ERESTART code goes through the x86
 * restart logic before the frame is built (spec §3.1): -512 becomes EINTR, or with SA_RESTART
 * rip moves back 2 so the `syscall` re-executes (and is dispatched again); -513 always restarts;
 * -514 and -516 become EINTR; -1 and other numbers are left alone. si_call_addr stays N.
 * INCLUSIVE on the stub keeps the selector at BLOCK without touching libc or the restorer. */
#include "sudc_common.h"

static volatile char sel = SELECTOR_BLOCK;
static int visits;

static void on_sigsys(int s, siginfo_t *si, void *ctx) {
  (void)s;
  long rax = GREG(ctx, REG_RAX);
  long delta = GREG(ctx, REG_RIP) - (long)stub_next;
  long call = (long)si->si_call_addr - (long)stub_next;
  visits++;
  printf("  visit %d: si_syscall=%d uc.rax=%ld uc.rip-N=%ld call_addr-N=%ld\n", visits,
         si->si_syscall, rax, delta, call);
  if (delta == -2) GREG(ctx, REG_RAX) = -4095; /* re-executed: make the retry distinguishable */
  else GREG(ctx, REG_RAX) = rax == -4095 ? 7000 + visits : rax;
}

static void run(long nr, int restart) {
  sudc_handle(SIGSYS, on_sigsys, restart ? SA_RESTART : 0);
  visits = 0;
  printf("rax=%ld%s\n", nr, restart ? " SA_RESTART" : "");
  long r = stub_call(nr, 0, 0, 0);
  printf("  -> returned %ld after %d dispatch(es)\n", r, visits);
}

int main(void) {
  sudc_init();
  sud_prctl(SUD_INCLUSIVE_ON, (unsigned long)stub_start, (unsigned long)(stub_end - stub_start),
            &sel);
  long nrs[] = {-512, -513, -514, -516, -1, -4, -4095, -4096, 0xff00, 0xfffffe00L};
  for (unsigned i = 0; i < sizeof nrs / sizeof nrs[0]; i++) run(nrs[i], 0);
  run(-512, 1);
  run(-513, 1);
  run(-514, 1);
  return 0;
}
