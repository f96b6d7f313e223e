/* sudc_stale_fault: err, trapno and cr2 in a SIGSYS frame are the thread's stale values from the
 * last fault-generated signal (thread.{error_code,trap_nr,cr2}); a fresh thread shows zeros. */
#include <setjmp.h>

#include "sudc_common.h"

static volatile char sel = SELECTOR_BLOCK;
static sigjmp_buf back;
static volatile int *volatile at10 = (int *)0x10, *volatile at28 = (int *)0x28;

static void on_sigsys(int s, siginfo_t *si, void *ctx) {
  (void)s, (void)si;
  mcontext_t *mc = &((ucontext_t *)ctx)->uc_mcontext;
  printf("  SIGSYS frame: err=%lld trapno=%lld cr2=0x%llx\n", mc->gregs[REG_ERR],
         mc->gregs[REG_TRAPNO], (unsigned long long)mc->gregs[REG_CR2]);
}

static void on_fault(int s, siginfo_t *si, void *ctx) {
  mcontext_t *mc = &((ucontext_t *)ctx)->uc_mcontext;
  printf("  sig %d code %d: err=%lld trapno=%lld cr2=0x%llx\n", s, si->si_code,
         mc->gregs[REG_ERR], mc->gregs[REG_TRAPNO], (unsigned long long)mc->gregs[REG_CR2]);
  siglongjmp(back, 1);
}

static void dispatch(const char *after) {
  printf("dispatch after %s\n", after);
  stub_call(NR_getpid, 0, 0, 0);
}

int main(void) {
  sudc_init();
  sudc_handle(SIGSYS, on_sigsys, 0);
  sudc_handle(SIGSEGV, on_fault, SA_NODEFER);
  sudc_handle(SIGFPE, on_fault, SA_NODEFER);
  sudc_handle(SIGTRAP, on_fault, SA_NODEFER);
  sudc_handle(SIGILL, on_fault, SA_NODEFER);
  sud_prctl(SUD_INCLUSIVE_ON, (unsigned long)stub_start, (unsigned long)(stub_end - stub_start),
            &sel);
  dispatch("nothing");
  if (!sigsetjmp(back, 1)) *at10 = 1;
  dispatch("a write to 0x10");
  if (!sigsetjmp(back, 1)) (void)*at28;
  dispatch("a read of 0x28");
  if (!sigsetjmp(back, 1)) {
    volatile int zero = 0;
    printf("%d\n", 100 / zero);
  }
  dispatch("a divide error");
  if (!sigsetjmp(back, 1)) __asm__ volatile("int3");
  dispatch("int3");
  if (!sigsetjmp(back, 1)) __asm__ volatile("ud2");
  dispatch("ud2");
  static const char ro[8] = "ro";
  if (!sigsetjmp(back, 1)) *(volatile char *)ro = 1;
  dispatch("a write to .rodata");
  raise(SIGCHLD);
  dispatch("raise (no fault)");
  return 0;
}
