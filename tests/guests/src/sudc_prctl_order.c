/* sudc_prctl_order: prctl validation order and errnos (spec §2): the mode is compared as a full
 * 64-bit value, range EINVAL comes before selector EFAULT, access_ok accepts up to 0x7ffffffff000,
 * and a failing prctl leaves the previous configuration armed and unchanged. */
#include "sudc_common.h"

static volatile char sel = SELECTOR_ALLOW;
static int dispatched;

static void on_sigsys(int s, siginfo_t *si, void *ctx) {
  (void)s, (void)si;
  sel = SELECTOR_ALLOW;
  dispatched++;
  GREG(ctx, REG_RAX) = 4242;
}

static void try(const char *what, unsigned long mode, unsigned long off, unsigned long len,
                unsigned long selector) {
  long rc = raw_syscall6(NR_prctl, PR_SET_SYSCALL_USER_DISPATCH_, (long)mode, (long)off, (long)len,
                         (long)selector, 0);
  /* Disarm before printing: an accepted but unmapped selector would kill the next call. */
  long unarm = rc == 0 ? sud_prctl(SUD_OFF, 0, 0, 0) : 0;
  printf("%-42s -> %ld%s\n", what, rc, unarm ? " (OFF failed)" : "");
}

int main(void) {
  sudc_init();
  unsigned long s = (unsigned long)&sel;
  try("mode (1<<32)|1", (1UL << 32) | 1, 0, 0, s);
  try("mode 1<<32 (OFF in low bits)", 1UL << 32, 0, 0, 0);
  try("mode -1", ~0UL, 0, 0, s);
  try("mode 3", 3, 0, 0, s);
  try("OFF with selector", SUD_OFF, 0, 0, s);
  try("OFF with len", SUD_OFF, 0, 1, 0);
  try("EXCL off=1 len=-1 sel=-1 (EINVAL first)", SUD_EXCLUSIVE_ON, 1, ~0UL, ~0UL);
  try("EXCL off=0 len=1 sel=-1", SUD_EXCLUSIVE_ON, 0, 1, ~0UL);
  try("EXCL [0,-1) sel=0x7ffffffff000", SUD_EXCLUSIVE_ON, 0, ~0UL, 0x7ffffffff000UL);
  try("EXCL [0,-1) sel=0x7ffffffff001", SUD_EXCLUSIVE_ON, 0, ~0UL, 0x7ffffffff001UL);
  try("EXCL [0,-1) sel=0x7fffffffffff", SUD_EXCLUSIVE_ON, 0, ~0UL, 0x7fffffffffffUL);
  try("EXCL [0,-1) sel=0x800000000000", SUD_EXCLUSIVE_ON, 0, ~0UL, 0x800000000000UL);
  try("EXCL [0,-1) sel=1", SUD_EXCLUSIVE_ON, 0, ~0UL, 1);
  try("EXCL off=-2 len=1", SUD_EXCLUSIVE_ON, ~1UL, 1, s);
  try("EXCL off=-1 len=1 (wraps)", SUD_EXCLUSIVE_ON, ~0UL, 1, s);
  try("EXCL off=0 len=-1", SUD_EXCLUSIVE_ON, 0, ~0UL, s);
  try("EXCL kernel range", SUD_EXCLUSIVE_ON, 0xffffffff80000000UL, 0x1000, s);
  try("INCL off=5 len=0", SUD_INCLUSIVE_ON, 5, 0, 0);
  try("INCL off=-1 len=2 (wraps)", SUD_INCLUSIVE_ON, ~0UL, 2, 0);
  try("INCL off=2 len=3 sel=-1", SUD_INCLUSIVE_ON, 2, 3, ~0UL);
  try("INCL off=0 len=-1 sel", SUD_INCLUSIVE_ON, 0, ~0UL, s);
  try("mode 2 in high bits", (2UL << 32) | 2, 2, 3, 0);

  sudc_handle(SIGSYS, on_sigsys, 0);
  long rc = sud_prctl(SUD_INCLUSIVE_ON, (unsigned long)stub_start,
                      (unsigned long)(stub_end - stub_start), &sel);
  printf("arm INCL on the stub -> %ld\n", rc);
  rc = raw_syscall6(NR_prctl, PR_SET_SYSCALL_USER_DISPATCH_, 0, 1, 0, 0, 0);
  printf("failing OFF,1,0,0 -> %ld\n", rc);
  rc = raw_syscall6(NR_prctl, PR_SET_SYSCALL_USER_DISPATCH_, 1, 1, 0, (long)&sel, 0);
  printf("failing EXCL,1,0 -> %ld\n", rc);
  sel = SELECTOR_BLOCK;
  rc = stub_call(NR_getpid, 0, 0, 0);
  sel = SELECTOR_ALLOW;
  printf("stub getpid after failures -> %ld (dispatched %d): still armed\n", rc, dispatched);
  rc = sud_prctl(SUD_OFF, 0, 0, 0);
  sel = SELECTOR_BLOCK;
  long pid = stub_call(NR_getpid, 0, 0, 0);
  sel = SELECTOR_ALLOW;
  printf("OFF -> %ld; stub getpid is native: %s (dispatched %d)\n", rc,
         pid == getpid() ? "yes" : "no", dispatched);
  return 0;
}
