/* sudc_region_incl: INCLUSIVE mode (Linux >= 6.17) inverts the range: only calls whose
 * post-instruction address N lies inside [off, off+len) obey the selector (spec §2, §3). */
#include "sudc_common.h"

static volatile char sel = SELECTOR_ALLOW;
static int dispatched;

static void on_sigsys(int s, siginfo_t *si, void *ctx) {
  (void)s, (void)si;
  sel = SELECTOR_ALLOW; /* [N,2^64-1) also covers libc's restorer */
  dispatched++;
  GREG(ctx, REG_RAX) = -12345;
}

static void probe(const char *what, unsigned long off, unsigned long len) {
  long rc = sud_prctl(SUD_INCLUSIVE_ON, off, len, &sel);
  int before = dispatched;
  sel = SELECTOR_BLOCK;
  long r = stub_call(NR_getpid, 0, 0, 0);
  int after = dispatched;
  sel = SELECTOR_ALLOW;
  long off_rc = sud_prctl(SUD_OFF, 0, 0, 0);
  printf("INCL %-16s prctl=%ld -> %s (off=%ld)\n", what, rc,
         after > before ? (r == -12345 ? "dispatched" : "dispatched?") : "native", off_rc);
}

int main(void) {
  sudc_init();
  sudc_handle(SIGSYS, on_sigsys, 0);
  unsigned long I = (unsigned long)stub_insn, N = (unsigned long)stub_next;
  probe("[N,+1)", N, 1);
  probe("[I,+2)", I, 2);
  probe("[I,+3)", I, 3);
  probe("[N-1,+1)", N - 1, 1);
  probe("[N+1,+1)", N + 1, 1);
  probe("[1,+N)", 1, N);
  probe("[N,2^64-1)", N, ~0UL - N);
  probe("[0,+N)", 0, N);
  probe("[start,end)", (unsigned long)stub_start, (unsigned long)(stub_end - stub_start));
  /* With a selector of ALLOW, calls from the range run natively too. */
  sud_prctl(SUD_INCLUSIVE_ON, N, 1, &sel);
  long pid = stub_call(NR_getpid, 0, 0, 0);
  sud_prctl(SUD_OFF, 0, 0, 0);
  printf("in range, selector ALLOW -> %s\n", pid == getpid() ? "native" : "dispatched");
  printf("dispatched %d\n", dispatched);
  return 0;
}
