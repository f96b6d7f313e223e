/* sudc_si_syscall: si_syscall is the low 32 bits of rax as an int, the saved rax keeps all 64
 * bits, si_code is SYS_USER_DISPATCH, si_errno 0, si_arch AUDIT_ARCH_X86_64, si_call_addr = N, and
 * bytes 0x20..0x80 of the siginfo are zero. A handler that leaves rax alone "returns" the number. */
#include "sudc_common.h"

static volatile char sel = SELECTOR_BLOCK;

static void on_sigsys(int s, siginfo_t *si, void *ctx) {
  (void)s;
  const unsigned char *raw = (const unsigned char *)si;
  int tail_zero = 1;
  for (int i = 0x20; i < 128; i++) tail_zero &= raw[i] == 0;
  printf("  signo=%d errno=%d code=%d syscall=%d arch=0x%x call_addr-N=%ld uc.rax=0x%lx "
         "tail_zero=%d\n",
         si->si_signo, si->si_errno, si->si_code, si->si_syscall, si->si_arch,
         (long)si->si_call_addr - (long)stub_next, (unsigned long)GREG(ctx, REG_RAX), tail_zero);
}

int main(void) {
  sudc_init();
  sudc_handle(SIGSYS, on_sigsys, 0);
  sud_prctl(SUD_INCLUSIVE_ON, (unsigned long)stub_start, (unsigned long)(stub_end - stub_start),
            &sel);
  unsigned long nrs[] = {39,          0x100000027UL, 0xffffffff00000001UL, 0x7fffffffUL,
                         0x80000000UL, ~0UL,         0x1234567890abcdefUL, 0xdead00000000UL};
  for (unsigned i = 0; i < sizeof nrs / sizeof nrs[0]; i++) {
    printf("rax=0x%lx\n", nrs[i]);
    unsigned long r = (unsigned long)stub_call((long)nrs[i], 1, 2, 3);
    printf("  returned 0x%lx (%s)\n", r, r == nrs[i] ? "the number" : "changed");
  }
  return 0;
}
