/* hunt2_si_syscall_wide: rax wider than 32 bits: si_syscall is the low 32 bits as an int, the
 * saved rax keeps all 64; the handler then re-executes the same instruction natively (selector
 * ALLOW, rip = si_call_addr - 2) so the kernel itself runs the number it gets from rax
 * (0x100000027 is getpid for the kernel's 32-bit number; 0xffffffff00000027 too). */
#include "hunt2.h"

static volatile char sel = H2_ALLOW;
static volatile int si_nr;
static volatile unsigned long saved;
static void on_sys(int s, siginfo_t *si, void *c) {
  (void)s;
  si_nr = si->si_syscall;
  saved = REG(c, REG_RAX);
  sel = H2_ALLOW;
  REG(c, REG_RIP) = (long)si->si_call_addr - 2;
}

int main(void) {
  hunt_init();
  handle(SIGSYS, on_sys, 0);
  printf("armed: %s\n", h2_sud(H2_EXCL, 0, 0, &sel));
  long pid = getpid();
  unsigned long nrs[] = {39, 0x100000027UL, 0xffffffff00000027UL, 0x8000000000000027UL,
                         0x00000001ffffffffUL, 0xffffffffUL, 0x80000000UL, 0x12345678000001f4UL};
  for (unsigned i = 0; i < sizeof nrs / sizeof nrs[0]; i++) {
    sel = H2_BLOCK;
    long r = h2_raw((long)nrs[i], 0, 0, 0);
    sel = H2_ALLOW;
    printf("rax %#018lx: si_syscall %d, saved rax %s, native result %s\n", nrs[i], si_nr,
           saved == nrs[i] ? "same" : "DIFFERENT", r == pid ? "getpid" : r == -ENOSYS ? "ENOSYS" : r < 0 ? "error" : "other");
  }
  return 0;
}
