/* sudc_altstack: a SIGSYS handler with SA_ONSTACK runs on the alternate stack; uc_stack records the
 * raw stored altstack; with SS_AUTODISARM the altstack is disabled inside the handler and restored
 * by rt_sigreturn; a nested SA_NODEFER dispatch on the altstack stays on it. */
#include "sudc_common.h"

static volatile char sel = SELECTOR_BLOCK;
static char alt[65536];
static int depth;

static int on_alt(void *p) { return (char *)p > alt && (char *)p <= alt + sizeof alt; }

static void on_sigsys(int s, siginfo_t *si, void *ctx) {
  (void)s, (void)si;
  ucontext_t *uc = ctx;
  int local;
  stack_t now;
  sigaltstack(0, &now);
  depth++;
  printf("depth %d: on altstack %s; uc_stack sp=%s flags=0x%x size=%zu; sigaltstack() now flags=0x%x "
         "size=%zu\n",
         depth, on_alt(&local) ? "yes" : "no", uc->uc_stack.ss_sp == alt ? "alt" : "other",
         uc->uc_stack.ss_flags, uc->uc_stack.ss_size, now.ss_flags, now.ss_size);
  if (depth == 1) {
    stack_t other = {.ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0};
    int rc = sigaltstack(&other, 0);
    printf("  changing the altstack while on it -> %d\n", rc);
    stub_call(NR_getpid, 0, 0, 0);
  }
  depth--;
}

static void one_round(const char *what, int ss_flags) {
  stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt, .ss_flags = ss_flags};
  int rc = sigaltstack(&ss, 0);
  printf("%s: sigaltstack -> %d\n", what, rc);
  stub_call(NR_getpid, 0, 0, 0);
  stack_t after;
  sigaltstack(0, &after);
  printf("  after return: flags=0x%x size=%zu\n", after.ss_flags, after.ss_size);
}

int main(void) {
  sudc_init();
  sudc_handle(SIGSYS, on_sigsys, SA_ONSTACK | SA_NODEFER);
  sud_prctl(SUD_INCLUSIVE_ON, (unsigned long)stub_start, (unsigned long)(stub_end - stub_start),
            &sel);
  stub_call(NR_getpid, 0, 0, 0);
  one_round("plain", 0);
  one_round("SS_AUTODISARM", SS_AUTODISARM);
  return 0;
}
