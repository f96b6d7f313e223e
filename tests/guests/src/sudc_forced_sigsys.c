/* sudc_forced_sigsys: SUD raises SIGSYS with force_sig_info: a blocked or ignored SIGSYS is reset
 * to SIG_DFL (and unblocked) and the process dies with SIGSYS; SIG_DFL itself kills too.
 * Usage: sudc_forced_sigsys default|ignored|blocked|blocked_ignored */
#include "sudc_common.h"

static volatile char sel = SELECTOR_ALLOW;

static void on_sigsys(int s, siginfo_t *si, void *ctx) {
  (void)s, (void)si, (void)ctx;
  sel = SELECTOR_ALLOW;
}

int main(int argc, char **argv) {
  sudc_init();
  const char *how = argc > 1 ? argv[1] : "default";
  if (!strcmp(how, "ignored") || !strcmp(how, "blocked_ignored")) signal(SIGSYS, SIG_IGN);
  if (!strcmp(how, "blocked")) sudc_handle(SIGSYS, on_sigsys, 0);
  if (!strncmp(how, "blocked", 7)) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGSYS);
    sigprocmask(SIG_BLOCK, &set, 0);
  }
  long rc = sud_prctl(SUD_INCLUSIVE_ON, (unsigned long)stub_start,
                      (unsigned long)(stub_end - stub_start), &sel);
  printf("%s: armed INCL on the stub -> %ld; dispatching getpid\n", how, rc);
  sel = SELECTOR_BLOCK;
  long r = stub_call(NR_getpid, 0, 0, 0);
  printf("survived: %ld\n", r);
  return 0;
}
