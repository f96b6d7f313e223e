/* hunt_sud_ucontext: the SIGSYS handler reads the call through glibc's ucontext names
 * (REG_RAX/REG_RIP/REG_RSP/REG_RDI...), checks them against siginfo and the caller's stack, and
 * returns a computed result by writing REG_RAX. */
#include "hunt.h"

static volatile char sel;
static volatile unsigned long caller_rsp;

static void on_sigsys(int sig, siginfo_t *si, void *ctx) {
  (void)sig;
  sel = SYSCALL_DISPATCH_FILTER_ALLOW;
  ucontext_t *uc = ctx;
  unsigned long rip = uc->uc_mcontext.gregs[REG_RIP];
  unsigned long rsp = uc->uc_mcontext.gregs[REG_RSP];
  printf("  rip == si_call_addr: %d\n", rip == (unsigned long)si->si_call_addr);
  printf("  bytes before rip: %02x %02x\n", ((unsigned char *)rip)[-2], ((unsigned char *)rip)[-1]);
  printf("  rcx == rip: %d  r11 has IF: %d\n", (unsigned long)uc->uc_mcontext.gregs[REG_RCX] == rip,
         (int)((uc->uc_mcontext.gregs[REG_R11] >> 9) & 1));
  printf("  rsp below caller frame by <4096: %d\n", rsp <= caller_rsp && caller_rsp - rsp < 4096);
  printf("  handler stack below rsp: %d\n", (unsigned long)&rip < rsp);
  printf("  rax=%lld rdi=%lld rsi=%lld rdx=%lld r10=%lld r8=%lld r9=%lld\n",
         uc->uc_mcontext.gregs[REG_RAX], uc->uc_mcontext.gregs[REG_RDI],
         uc->uc_mcontext.gregs[REG_RSI], uc->uc_mcontext.gregs[REG_RDX],
         uc->uc_mcontext.gregs[REG_R10], uc->uc_mcontext.gregs[REG_R8],
         uc->uc_mcontext.gregs[REG_R9]);
  printf("  si_arch=%#x si_errno=%d si_signo=%d\n", si->si_arch, si->si_errno, si->si_signo);
  unsigned long mask;
  memcpy(&mask, &uc->uc_sigmask, sizeof mask);
  printf("  saved mask=%#lx, uc_flags&~4=%#lx, ss_flags=%d\n", mask, uc->uc_flags & ~4UL,
         uc->uc_stack.ss_flags);
  uc->uc_mcontext.gregs[REG_RAX] = uc->uc_mcontext.gregs[REG_RDI] + uc->uc_mcontext.gregs[REG_RSI] +
                                   uc->uc_mcontext.gregs[REG_RDX] + uc->uc_mcontext.gregs[REG_R10] +
                                   uc->uc_mcontext.gregs[REG_R8] + uc->uc_mcontext.gregs[REG_R9];
}

int main(void) {
  hunt_init();
  handle(SIGSYS, on_sigsys, 0);
  sud_on(&sel);
  for (int i = 0; i < 3; i++) {
    volatile int here;
    caller_rsp = (unsigned long)&here;
    sel = SYSCALL_DISPATCH_FILTER_BLOCK;
    long r = syscall(900 + i, 1, 2 * i, 3, 4, 5, 6);
    printf("call %d: result %ld\n", i, r);
  }
  sel = SYSCALL_DISPATCH_FILTER_BLOCK;
  long r = syscall(0x40000001L, 10, 20, 30, 0, 0, 0);
  printf("x32-bit call: result %ld\n", r);
  return 0;
}
