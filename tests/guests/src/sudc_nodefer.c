/* sudc_nodefer: SA_NODEFER leaves SIGSYS unblocked inside its handler, so a dispatch from the
 * handler nests a second delivery; the masks seen at each depth show it. */
#include "sudc_common.h"

static volatile char sel = SELECTOR_BLOCK;
static int depth, max_depth;

static unsigned long cur_mask(void) {
  sigset_t now;
  sigprocmask(SIG_BLOCK, 0, &now);
  unsigned long m;
  memcpy(&m, &now, sizeof m);
  return m;
}

static void on_sigsys(int s, siginfo_t *si, void *ctx) {
  (void)s;
  depth++;
  if (depth > max_depth) max_depth = depth;
  unsigned long saved;
  memcpy(&saved, &((ucontext_t *)ctx)->uc_sigmask, sizeof saved);
  printf("depth %d: si_syscall=%d uc_sigmask=0x%lx mask now=0x%lx\n", depth, si->si_syscall, saved,
         cur_mask());
  long inner = 0;
  if (depth < 3) inner = stub_call(NR_getpid + depth, 0, 0, 0);
  GREG(ctx, REG_RAX) = 1000 * depth + inner;
  depth--;
}

int main(void) {
  sudc_init();
  sigset_t m;
  sigemptyset(&m);
  sigaddset(&m, SIGUSR2);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sigsys;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sa.sa_mask = m;
  sigaction(SIGSYS, &sa, 0);
  sigemptyset(&m);
  sigaddset(&m, SIGUSR1);
  sigprocmask(SIG_BLOCK, &m, 0);
  sud_prctl(SUD_INCLUSIVE_ON, (unsigned long)stub_start, (unsigned long)(stub_end - stub_start),
            &sel);
  long r = stub_call(NR_getpid, 0, 0, 0);
  printf("result %ld, max depth %d, mask after 0x%lx\n", r, max_depth, cur_mask());
  return 0;
}
