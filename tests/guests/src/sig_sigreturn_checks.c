/* sig_sigreturn_checks: what rt_sigreturn takes from the frame: all GPRs, only the FIX_EFLAGS bits
 * of eflags, the mask minus SIGKILL/SIGSTOP, the FPU state (fpstate NULL = reset); a frame it
 * cannot use (unreadable fpstate, unmapped frame) ends in SIGSEGV.
 * Usage: sig_sigreturn_checks flags|badfp|badframe */
#include "sig_common.h"

static const char *how;
static unsigned long flags_after;

static void h(int s, siginfo_t *si, void *ctx) {
  (void)s, (void)si;
  ucontext_t *uc = ctx;
  if (!strcmp(how, "flags")) {
    /* Everything but AC (alignment checks) and TF (single step). */
    uc->uc_mcontext.gregs[REG_EFL] = (greg_t)(0xfffffffffffbfaffUL & ~0x40100UL);
    memset(&uc->uc_sigmask, 0xff, 8);
    uc->uc_mcontext.fpregs = 0;
  } else if (!strcmp(how, "badfp")) {
    uc->uc_mcontext.fpregs = (void *)0x1000;
  }
}

int main(int argc, char **argv) {
  sig_init();
  how = argc > 1 ? argv[1] : "flags";
  on(SIGUSR1, h, 0, 0);
  if (!strcmp(how, "badframe")) {
    printf("raw rt_sigreturn with rsp on an unmapped page\n");
    __asm__ volatile("mov $0x2000, %%rsp\n mov $15, %%eax\n syscall\n" ::: "memory");
    return 1;
  }
  unsigned int mxcsr = 0x1fa0;
  __asm__ volatile("ldmxcsr %0" ::"m"(mxcsr));
  printf("%s: raising SIGUSR1\n", how);
  raise(SIGUSR1);
  __asm__ volatile("pushf\n pop %0" : "=r"(flags_after));
  __asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
  unsigned long m = mask_now();
  set_mask(SIG_SETMASK, 0);
  /* Arithmetic flags are recomputed by libc before pushf; only "no DF/TF, still alive" is stable. */
  printf("after return: mask 0x%lx, mxcsr 0x%x, DF|TF 0x%lx\n", m, mxcsr, flags_after & 0x500);
  return 0;
}
