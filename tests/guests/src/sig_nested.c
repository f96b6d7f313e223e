/* sig_nested: nested delivery. A handler raising another signal runs that handler inside its own;
 * its own signal (blocked while it runs) and signals in sa_mask wait until rt_sigreturn unblocks
 * them; SA_NODEFER recurses; SA_RESETHAND handles once and then the default action applies. */
#include "sig_common.h"

static char log_[512];
static int n, depth, usr1_runs;

static void note(const char *fmt, int a, unsigned long b) {
  n += snprintf(log_ + n, sizeof log_ - n, fmt, a, b);
}

static void usr1(int s, siginfo_t *si, void *ctx) {
  (void)si;
  depth++;
  note("[usr1 d%d mask 0x%lx] ", depth, mask_now());
  if (++usr1_runs == 1) {
    raise(SIGUSR2); /* runs now, nested */
    raise(SIGUSR1); /* blocked: after return */
    raise(SIGHUP);  /* in sa_mask: after return */
  }
  note("[usr1 end d%d uc 0x%lx] ", depth, uc_mask(ctx));
  depth--;
  (void)s;
}

static void usr2(int s, siginfo_t *si, void *ctx) {
  (void)s, (void)si;
  note("[usr2 uc 0x%x mask 0x%lx] ", 0, uc_mask(ctx));
  (void)ctx;
}

static void hup(int s, siginfo_t *si, void *ctx) {
  (void)s, (void)si, (void)ctx;
  note("[hup d%d mask 0x%lx] ", depth, mask_now());
}

static int rec;
static void recurse(int s, siginfo_t *si, void *ctx) {
  (void)si, (void)ctx;
  rec++;
  int me = rec;
  if (rec < 4) raise(s);
  note("[nodefer level %d, mask 0x%lx] ", me, mask_now());
}

static void once(int s, siginfo_t *si, void *ctx) {
  (void)si, (void)ctx;
  struct sigaction now;
  sigaction(s, 0, &now);
  printf("resethand handler: action now %s, mask 0x%lx; raising again inside\n",
         now.sa_handler == SIG_DFL ? "SIG_DFL" : "handler", mask_now());
  raise(s);
  printf("inside: survived the second raise\n");
}

int main(void) {
  sig_init();
  on(SIGUSR1, usr1, 0, bit(SIGHUP));
  on(SIGUSR2, usr2, 0, 0);
  on(SIGHUP, hup, 0, 0);
  raise(SIGUSR1);
  printf("%s\n", log_);
  n = 0;
  log_[0] = 0;
  on(SIGTERM, recurse, SA_NODEFER, 0);
  raise(SIGTERM);
  printf("%s\n", log_);
  on(SIGALRM, once, SA_RESETHAND, 0);
  raise(SIGALRM);
  printf("after the handler returned\n");
  return 0;
}
