/* hunt_fpu_restore: FPU/SSE state around a signal handler: the handler starts with the default
 * MXCSR and x87 control word even when main changed them, clobbers xmm0..xmm15, MXCSR and the x87
 * control word, and after rt_sigreturn main's values are back. The handler can also edit the
 * saved xmm registers through uc_mcontext.fpregs. */
#include "hunt.h"

static unsigned get_mxcsr(void) {
  unsigned m;
  __asm__ volatile("stmxcsr %0" : "=m"(m));
  return m;
}
static unsigned short get_fcw(void) {
  unsigned short w;
  __asm__ volatile("fnstcw %0" : "=m"(w));
  return w;
}

static void on_usr1(int sig, siginfo_t *si, void *ctx) {
  (void)sig;
  (void)si;
  (void)ctx;
  printf("  handler entry: mxcsr=%#x fcw=%#x\n", get_mxcsr(), get_fcw());
  unsigned m = 0x7f80 | 0x6000; /* round toward zero */
  unsigned short w = 0x0c7f;
  __asm__ volatile("ldmxcsr %0\n fldcw %1\n" ::"m"(m), "m"(w));
  __asm__ volatile("pcmpeqd %%xmm0, %%xmm0\n movdqa %%xmm0, %%xmm1\n movdqa %%xmm0, %%xmm2\n"
                   " movdqa %%xmm0, %%xmm3\n movdqa %%xmm0, %%xmm4\n movdqa %%xmm0, %%xmm5\n"
                   " movdqa %%xmm0, %%xmm6\n movdqa %%xmm0, %%xmm7\n movdqa %%xmm0, %%xmm8\n"
                   " movdqa %%xmm0, %%xmm9\n movdqa %%xmm0, %%xmm10\n movdqa %%xmm0, %%xmm11\n"
                   " movdqa %%xmm0, %%xmm12\n movdqa %%xmm0, %%xmm13\n movdqa %%xmm0, %%xmm14\n"
                   " movdqa %%xmm0, %%xmm15\n" ::
                       : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8",
                         "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
  printf("  handler clobbered: mxcsr=%#x fcw=%#x\n", get_mxcsr(), get_fcw());
}

static void on_usr2(int sig, siginfo_t *si, void *ctx) {
  (void)sig;
  (void)si;
  ucontext_t *uc = ctx;
  /* xmm7 lane 0 of the interrupted code := 0x1234, mxcsr saved := add flag bit PE */
  uc->uc_mcontext.fpregs->_xmm[7].element[0] = 0x1234;
  uc->uc_mcontext.fpregs->mxcsr |= 0x20;
  printf("  saved mxcsr=%#x fcw=%#x\n", uc->uc_mcontext.fpregs->mxcsr & ~0x3fu,
         uc->uc_mcontext.fpregs->cwd);
}

int main(void) {
  hunt_init();
  handle(SIGUSR1, on_usr1, 0);
  handle(SIGUSR2, on_usr2, 0);
  unsigned m = 0x1f80 | 0x2000; /* round down */
  unsigned short w = 0x077f;    /* round down */
  __asm__ volatile("ldmxcsr %0\n fldcw %1\n" ::"m"(m), "m"(w));
  unsigned out[16][4];
  __asm__ volatile(
      " mov $1, %%eax\n movd %%eax, %%xmm0\n pshufd $0, %%xmm0, %%xmm0\n"
      " movdqa %%xmm0, %%xmm1\n paddd %%xmm0, %%xmm1\n movdqa %%xmm1, %%xmm2\n paddd %%xmm0, %%xmm2\n"
      " movdqa %%xmm2, %%xmm3\n paddd %%xmm0, %%xmm3\n movdqa %%xmm3, %%xmm4\n paddd %%xmm0, %%xmm4\n"
      " movdqa %%xmm4, %%xmm5\n paddd %%xmm0, %%xmm5\n movdqa %%xmm5, %%xmm6\n paddd %%xmm0, %%xmm6\n"
      " movdqa %%xmm6, %%xmm7\n paddd %%xmm0, %%xmm7\n movdqa %%xmm7, %%xmm8\n paddd %%xmm0, %%xmm8\n"
      " movdqa %%xmm8, %%xmm9\n paddd %%xmm0, %%xmm9\n movdqa %%xmm9, %%xmm10\n paddd %%xmm0, %%xmm10\n"
      " movdqa %%xmm10, %%xmm11\n paddd %%xmm0, %%xmm11\n movdqa %%xmm11, %%xmm12\n"
      " paddd %%xmm0, %%xmm12\n movdqa %%xmm12, %%xmm13\n paddd %%xmm0, %%xmm13\n"
      " movdqa %%xmm13, %%xmm14\n paddd %%xmm0, %%xmm14\n movdqa %%xmm14, %%xmm15\n"
      " paddd %%xmm0, %%xmm15\n"
      " mov $62, %%eax\n mov $10, %%esi\n syscall\n" /* kill(self, SIGUSR1) */
      " mov $62, %%eax\n mov $12, %%esi\n syscall\n" /* kill(self, SIGUSR2) */
      " movdqu %%xmm0, 0(%[dst])\n movdqu %%xmm1, 16(%[dst])\n movdqu %%xmm2, 32(%[dst])\n"
      " movdqu %%xmm3, 48(%[dst])\n movdqu %%xmm4, 64(%[dst])\n movdqu %%xmm5, 80(%[dst])\n"
      " movdqu %%xmm6, 96(%[dst])\n movdqu %%xmm7, 112(%[dst])\n movdqu %%xmm8, 128(%[dst])\n"
      " movdqu %%xmm9, 144(%[dst])\n movdqu %%xmm10, 160(%[dst])\n movdqu %%xmm11, 176(%[dst])\n"
      " movdqu %%xmm12, 192(%[dst])\n movdqu %%xmm13, 208(%[dst])\n movdqu %%xmm14, 224(%[dst])\n"
      " movdqu %%xmm15, 240(%[dst])\n" ::"D"(getpid()),
      [dst] "r"(out)
      : "rax", "rsi", "rcx", "r11", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4",
        "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14",
        "xmm15");
  for (int i = 0; i < 16; i++)
    printf("xmm%-2d %u %u %u %u\n", i, out[i][0], out[i][1], out[i][2], out[i][3]);
  printf("after: mxcsr=%#x fcw=%#x\n", get_mxcsr(), get_fcw());
  volatile double a = 1.0, b = 3.0;
  printf("1/3 rounded down: %.20f\n", a / b);
  return 0;
}
