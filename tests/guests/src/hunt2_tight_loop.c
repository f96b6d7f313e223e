/* hunt2_tight_loop: 3000 dispatches in a tight loop with a counter: the handler answers each
 * call with a value derived from the arguments and a running counter; the selector never
 * changes (the handler returns through a restorer inside the allowed region). */
#include "hunt2.h"

static volatile char sel = H2_ALLOW;
static volatile unsigned long count;
static void on_sys(int s, siginfo_t *si, void *c) {
  (void)s, (void)si;
  count++;
  REG(c, REG_RAX) = REG(c, REG_RDI) * 3 + REG(c, REG_RSI) + (long)count;
}

int main(void) {
  hunt_init();
  h2_handle_raw(SIGSYS, on_sys, 0);
  printf("armed: %s\n", h2_sud(H2_EXCL, (unsigned long)h2_tramp_start, h2_tramp_end - h2_tramp_start, &sel));
  sel = H2_BLOCK;
  unsigned long acc = 0;
  for (long i = 0; i < 3000; i++) acc = acc * 31 + (unsigned long)h2_raw(1000 + (i & 7), i, (long)acc & 0xff, 0);
  sel = H2_ALLOW;
  printf("count %lu, checksum %#lx\n", count, acc);
  return 0;
}
