/* hunt_ill_trap: SIGILL from ud2 and SIGTRAP from int3, each handled by moving REG_RIP in the
 * ucontext (past ud2; int3 already reports the next instruction); si_code, si_addr and trapno. */
#include "hunt.h"

extern char at_ud2[], after_ud2[], at_int3[], after_int3[], at_int3b[];
long run_ud2(long x);
long run_int3(long x);
__asm__(".text\n.globl run_ud2, at_ud2, after_ud2, run_int3, at_int3, after_int3, at_int3b\n"
        "run_ud2:\n mov %rdi, %rax\nat_ud2:\n ud2\nafter_ud2:\n add $1, %rax\n ret\n"
        "run_int3:\n mov %rdi, %rax\nat_int3:\n int3\nafter_int3:\n add $2, %rax\n"
        "at_int3b:\n .byte 0xcd, 0x03\n add $3, %rax\n ret\n");

static void on_ill(int sig, siginfo_t *si, void *ctx) {
  ucontext_t *uc = ctx;
  char *rip = (char *)uc->uc_mcontext.gregs[REG_RIP];
  printf("  SIGILL %d code=%d addr==ud2:%d rip==ud2:%d trapno=%lld err=%lld\n", sig, si->si_code,
         (char *)si->si_addr == at_ud2, rip == at_ud2, uc->uc_mcontext.gregs[REG_TRAPNO],
         uc->uc_mcontext.gregs[REG_ERR]);
  uc->uc_mcontext.gregs[REG_RIP] += 2;
  uc->uc_mcontext.gregs[REG_RAX] += 100;
}

static void on_trap(int sig, siginfo_t *si, void *ctx) {
  ucontext_t *uc = ctx;
  char *rip = (char *)uc->uc_mcontext.gregs[REG_RIP];
  printf("  SIGTRAP %d code=%d addr=%p rip_off_int3=%ld trapno=%lld err=%lld\n", sig, si->si_code,
         si->si_addr, (long)(rip - at_int3), uc->uc_mcontext.gregs[REG_TRAPNO],
         uc->uc_mcontext.gregs[REG_ERR]);
  uc->uc_mcontext.gregs[REG_RAX] += 1000;
}

int main(void) {
  hunt_init();
  handle(SIGILL, on_ill, 0);
  handle(SIGTRAP, on_trap, 0);
  printf("run_ud2(5) = %ld\n", run_ud2(5));
  printf("run_int3(5) = %ld\n", run_int3(5));
  printf("run_ud2(7) = %ld\n", run_ud2(7));
  return 0;
}
