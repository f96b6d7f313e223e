/* sig_suspend: rt_sigsuspend installs a temporary mask, runs the handler for a pending signal
 * (uc_sigmask is the mask from before the call), returns -1 EINTR and restores the old mask. */
#include "sig_common.h"

static unsigned long seen_uc, seen_now;
static int got;

static void h(int s, siginfo_t *si, void *ctx) {
  (void)si;
  got = s;
  seen_uc = uc_mask(ctx);
  seen_now = mask_now();
}

int main(void) {
  sig_init();
  on(SIGUSR1, h, 0, bit(SIGHUP));
  set_mask(SIG_BLOCK, bit(SIGUSR1) | bit(SIGUSR2));
  raise(SIGUSR1);
  unsigned long tmp = bit(SIGUSR2) | bit(SIGINT);
  errno = 0;
  long rc = syscall(SYS_rt_sigsuspend, &tmp, 8);
  printf("rt_sigsuspend -> %ld errno %s; handler got %d; uc_sigmask 0x%lx; mask in handler 0x%lx\n",
         rc, strerror(errno), got, seen_uc, seen_now);
  printf("mask after 0x%lx\n", mask_now());
  errno = 0;
  rc = syscall(SYS_rt_sigsuspend, &tmp, 4);
  printf("rt_sigsuspend size 4 -> %ld errno %s\n", rc, strerror(errno));
  got = 0;
  raise(SIGUSR1);
  sigset_t empty;
  sigemptyset(&empty);
  rc = sigsuspend(&empty);
  printf("libc sigsuspend -> %ld; handler got %d; mask after 0x%lx\n", rc, got, mask_now());
  return 0;
}
