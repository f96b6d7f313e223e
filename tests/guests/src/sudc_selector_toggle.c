/* sudc_selector_toggle: the selector byte is re-read on every non-exempt call, so flipping it
 * between calls decides each one; re-arming with another selector address switches bytes. */
#include "sudc_common.h"

static volatile char sel_a = SELECTOR_ALLOW, sel_b = SELECTOR_BLOCK;
static int handled;

static void on_sigsys(int s, siginfo_t *si, void *ctx) {
  (void)s, (void)si;
  handled++;
  GREG(ctx, REG_RAX) = -7;
}

int main(void) {
  sudc_init();
  sudc_handle(SIGSYS, on_sigsys, 0);
  sud_prctl(SUD_INCLUSIVE_ON, (unsigned long)stub_start, (unsigned long)(stub_end - stub_start),
            &sel_a);
  char pattern[17];
  for (int i = 0; i < 16; i++) {
    sel_a = (i * 7 % 3 == 0) ? SELECTOR_BLOCK : SELECTOR_ALLOW;
    long r = stub_call(NR_getpid, 0, 0, 0);
    pattern[i] = r == -7 ? 'D' : 'n';
  }
  pattern[16] = 0;
  printf("selector A flipped per call: %s (handled %d)\n", pattern, handled);
  sel_a = SELECTOR_ALLOW;
  sud_prctl(SUD_INCLUSIVE_ON, (unsigned long)stub_start, (unsigned long)(stub_end - stub_start),
            &sel_b);
  long r = stub_call(NR_getpid, 0, 0, 0);
  printf("re-armed on selector B (BLOCK) while A is ALLOW: %s\n", r == -7 ? "dispatched" : "native");
  sel_b = SELECTOR_ALLOW;
  sel_a = SELECTOR_BLOCK;
  r = stub_call(NR_getpid, 0, 0, 0);
  printf("B ALLOW, A BLOCK: %s; handled %d\n", r == -7 ? "dispatched" : "native", handled);
  return 0;
}
