/* sudc_resethand: with SA_RESETHAND the first dispatch runs the handler and resets SIGSYS to
 * SIG_DFL (flags kept); the second dispatch kills the process with SIGSYS. */
#include "sudc_common.h"

static volatile char sel = SELECTOR_BLOCK;
static int handled;

static void on_sigsys(int s, siginfo_t *si, void *ctx) {
  (void)s, (void)si;
  handled++;
  GREG(ctx, REG_RAX) = 77;
}

int main(void) {
  sudc_init();
  sudc_handle(SIGSYS, on_sigsys, SA_RESETHAND);
  sud_prctl(SUD_INCLUSIVE_ON, (unsigned long)stub_start, (unsigned long)(stub_end - stub_start),
            &sel);
  long r = stub_call(NR_getpid, 0, 0, 0);
  struct sigaction old;
  sigaction(SIGSYS, 0, &old);
  printf("first dispatch -> %ld (handled %d); SIGSYS now %s, SA_RESETHAND %s, SA_SIGINFO %s\n", r,
         handled, old.sa_handler == SIG_DFL ? "SIG_DFL" : "handler",
         (old.sa_flags & SA_RESETHAND) ? "kept" : "cleared",
         (old.sa_flags & SA_SIGINFO) ? "kept" : "cleared");
  r = stub_call(NR_getpid, 0, 0, 0);
  printf("second dispatch survived: %ld\n", r);
  return 0;
}
