/* sudc_sigreturn_sud: rt_sigreturn is an ordinary syscall for SUD (no 64-bit vDSO exemption). A
 * handler that keeps the selector at BLOCK survives only because its restorer's `syscall` is in
 * the EXCLUSIVE region; the same handler returning through libc's restorer would be killed. */
#include "sudc_common.h"

static volatile char sel = SELECTOR_ALLOW;
static int handled;

static void on_sigsys(int s, siginfo_t *si, void *ctx) {
  (void)s;
  handled++;
  GREG(ctx, REG_RAX) = 100 + si->si_syscall; /* the selector stays BLOCK */
}

int main(void) {
  sudc_init();
  long rc = sudc_sigaction(SIGSYS, on_sigsys, SA_SIGINFO | SA_RESTORER_, sudc_restorer, 0);
  printf("rt_sigaction with our restorer -> %ld\n", rc);
  /* The region covers the restorer's syscall: its post-instruction address is sudc_restorer_end. */
  rc = sud_prctl(SUD_EXCLUSIVE_ON, (unsigned long)sudc_restorer_insn, 2 + 1, &sel);
  printf("arm EXCL [restorer syscall, +3) -> %ld\n", rc);
  long sum = 0;
  sel = SELECTOR_BLOCK;
  for (int i = 0; i < 5; i++) sum += raw_syscall6(i, 0, 0, 0, 0, 0, 0);
  sel = SELECTOR_ALLOW;
  printf("5 round trips with the selector at BLOCK: sum=%ld handled=%d\n", sum, handled);
  /* Region [restorer syscall, +2) ends at the instruction: rt_sigreturn is dispatched, and
   * SIGSYS is blocked inside the handler -> the process dies with SIGSYS. */
  rc = sud_prctl(SUD_EXCLUSIVE_ON, (unsigned long)sudc_restorer_insn, 2, &sel);
  printf("arm EXCL [restorer syscall, +2) -> %ld; one more dispatch\n", rc);
  sel = SELECTOR_BLOCK;
  raw_syscall6(NR_getpid, 0, 0, 0, 0, 0, 0);
  sel = SELECTOR_ALLOW;
  printf("survived (handled %d)\n", handled);
  return 0;
}
