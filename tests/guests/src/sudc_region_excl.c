/* sudc_region_excl: the EXCLUSIVE region test uses the address AFTER the syscall instruction (N =
 * I + 2), with unsigned 64-bit wrapping arithmetic (spec §3 notes table). */
#include "sudc_common.h"

static volatile char sel = SELECTOR_ALLOW;
static int dispatched;

static void on_sigsys(int s, siginfo_t *si, void *ctx) {
  (void)s, (void)si;
  sel = SELECTOR_ALLOW;
  dispatched++;
  GREG(ctx, REG_RAX) = -12345;
}

static void probe(const char *what, unsigned long off, unsigned long len) {
  long rc = sud_prctl(SUD_EXCLUSIVE_ON, off, len, &sel);
  int before = dispatched;
  sel = SELECTOR_BLOCK;
  long r = stub_call(NR_getpid, 0, 0, 0);
  sel = SELECTOR_ALLOW;
  sud_prctl(SUD_OFF, 0, 0, 0);
  printf("EXCL %-16s prctl=%ld -> %s\n", what, rc,
         dispatched > before ? (r == -12345 ? "dispatched" : "dispatched?") : "native");
}

int main(void) {
  sudc_init();
  sudc_handle(SIGSYS, on_sigsys, 0);
  unsigned long I = (unsigned long)stub_insn, N = (unsigned long)stub_next;
  printf("N - I = %lu\n", N - I);
  probe("[I,+2)", I, 2);
  probe("[I,+3)", I, 3);
  probe("[I,+1)", I, 1);
  probe("[N,+1)", N, 1);
  probe("[N-1,+1)", N - 1, 1);
  probe("[N+1,+1)", N + 1, 1);
  probe("[0,+N)", 0, N);
  probe("[0,+N+1)", 0, N + 1);
  probe("[0,+0)", 0, 0);
  probe("[0,-1)", 0, ~0UL);
  probe("[N,2^64-1)", N, ~0UL - N);
  probe("[1,+N)", 1, N);
  probe("[start,end)", (unsigned long)stub_start, (unsigned long)(stub_end - stub_start));
  probe("[kernel,+4K)", 0xffffffff80000000UL, 0x1000);
  printf("dispatched %d\n", dispatched);
  return 0;
}
