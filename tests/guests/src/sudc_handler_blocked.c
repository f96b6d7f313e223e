/* sudc_handler_blocked: without SA_NODEFER SIGSYS is blocked inside its own handler; a syscall
 * dispatched there is forced: SIGSYS is unblocked, reset to SIG_DFL, and kills the process. */
#include "sudc_common.h"

static volatile char sel = SELECTOR_BLOCK;

static void on_sigsys(int s, siginfo_t *si, void *ctx) {
  (void)s, (void)ctx;
  printf("handler: si_syscall=%d; dispatching again from inside\n", si->si_syscall);
  long r = stub_call(NR_getpid, 0, 0, 0);
  printf("inner dispatch survived: %ld\n", r);
}

int main(void) {
  sudc_init();
  sudc_handle(SIGSYS, on_sigsys, 0);
  sud_prctl(SUD_INCLUSIVE_ON, (unsigned long)stub_start, (unsigned long)(stub_end - stub_start),
            &sel);
  stub_call(NR_close, -1, 0, 0);
  printf("survived\n");
  return 0;
}
