/* hunt2_sigjmp_masks: sigsetjmp/siglongjmp and masks: savemask=1 restores the mask from the
 * sigsetjmp call (dropping the handler's blocked signal and sa_mask, and a mask changed after
 * sigsetjmp), savemask=0 keeps whatever is blocked at the jump; setjmp/longjmp follow the libc
 * (glibc: no mask, musl: no mask); a pending signal unblocked by the jump runs at once. */
#include "hunt2.h"

static sigjmp_buf env;
static volatile int order;
static char log_[256];
static void addlog(const char *s) { strncat(log_, s, sizeof log_ - strlen(log_) - 1); }

static void show(const char *what) {
  sigset_t s;
  sigprocmask(SIG_BLOCK, 0, &s);
  printf("%-38s USR1 %d USR2 %d TERM %d HUP %d\n", what, sigismember(&s, SIGUSR1), sigismember(&s, SIGUSR2),
         sigismember(&s, SIGTERM), sigismember(&s, SIGHUP));
}
static void on_usr1(int s) {
  (void)s;
  addlog("usr1 ");
  raise(SIGHUP); /* blocked by sa_mask: stays pending until the jump unblocks it */
  siglongjmp(env, 1);
}
static void on_hup(int s) {
  (void)s;
  addlog("hup ");
}

int main(void) {
  hunt_init();
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigemptyset(&sa.sa_mask);
  sigaddset(&sa.sa_mask, SIGUSR2);
  sigaddset(&sa.sa_mask, SIGHUP);
  sigaction(SIGUSR1, &sa, 0);
  signal(SIGHUP, on_hup);
  sigset_t term;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);

  if (sigsetjmp(env, 1) == 0) {
    sigprocmask(SIG_BLOCK, &term, 0); /* changed after sigsetjmp: undone by the jump */
    raise(SIGUSR1);
  }
  printf("savemask=1: log [%s]\n", log_);
  show("  after jump");
  log_[0] = 0;

  sigprocmask(SIG_BLOCK, &term, 0);
  if (sigsetjmp(env, 0) == 0) {
    sigprocmask(SIG_UNBLOCK, &term, 0);
    raise(SIGUSR1);
  }
  printf("savemask=0: log [%s]\n", log_);
  show("  after jump");
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, 0);
  printf("  unblocking all: log [%s]\n", log_);
  show("  after unblock");

  /* nested: a jump from a handler into an outer sigsetjmp made inside another handler */
  log_[0] = 0;
  sigprocmask(SIG_BLOCK, &term, 0);
  int v = sigsetjmp(env, 1);
  if (v == 0) {
    sigprocmask(SIG_SETMASK, &none, 0);
    raise(SIGUSR1);
  }
  printf("third jump v=%d: log [%s]\n", v, log_);
  show("  mask restored to TERM only");
  return 0;
}
