/* sudc_reexec_allow: a handler may rewrite the arguments, set the selector to ALLOW and move rip
 * back to si_call_addr - 2: the same `syscall` then runs natively with the new registers. A second
 * handler disarms SUD entirely (Wine) and re-executes; re-arming later dispatches again. */
#include "sudc_common.h"

static volatile char sel = SELECTOR_ALLOW;
static int handled, mode;

static void on_sigsys(int s, siginfo_t *si, void *ctx) {
  (void)s;
  handled++;
  sel = SELECTOR_ALLOW;
  if (mode == 0) {
    GREG(ctx, REG_RDI) = 1; /* fd -1 -> stdout */
  } else if (mode == 1) {
    sud_prctl(SUD_OFF, 0, 0, 0);
  } else {
    GREG(ctx, REG_RAX) = -38;
    return;
  }
  GREG(ctx, REG_RIP) = (greg_t)((char *)si->si_call_addr - 2);
}

int main(void) {
  sudc_init();
  sudc_handle(SIGSYS, on_sigsys, 0);
  sud_prctl(SUD_EXCLUSIVE_ON, 0, 0, &sel);
  static const char m1[] = "written to fd 1 after the handler changed rdi from -1\n";
  sel = SELECTOR_BLOCK;
  long r = raw_syscall6(NR_write, -1, (long)m1, sizeof m1 - 1, 0, 0, 0);
  sel = SELECTOR_ALLOW;
  printf("write returned %ld, handled %d\n", r, handled);
  mode = 1;
  static const char m2[] = "written natively after the handler disarmed SUD\n";
  sel = SELECTOR_BLOCK;
  r = raw_syscall6(NR_write, 1, (long)m2, sizeof m2 - 1, 0, 0, 0);
  printf("write returned %ld, handled %d; selector BLOCK, SUD off:\n", r, handled);
  r = raw_syscall6(NR_write, 1, (long)"  native\n", 9, 0, 0, 0);
  sel = SELECTOR_ALLOW;
  mode = 2;
  long rc = sud_prctl(SUD_EXCLUSIVE_ON, 0, 0, &sel);
  sel = SELECTOR_BLOCK;
  r = raw_syscall6(NR_getpid, 0, 0, 0, 0, 0, 0);
  sel = SELECTOR_ALLOW;
  printf("re-armed (%ld): getpid dispatched -> %ld, handled %d\n", rc, r, handled);
  return 0;
}
