/* sig_pending_order: blocked signals stay pending (rt_sigpending shows them, standard signals once,
 * real-time signals queued per instance); unblocking delivers them all before sigprocmask returns:
 * synchronous signals (SEGV, BUS, ILL, TRAP, FPE, SYS) are dequeued first, then the lowest number,
 * each frame nested on the previous one, so handlers run in the reverse order. */
#include "sig_common.h"

static char order[256];
static int n;

static void rec(int s, siginfo_t *si, void *ctx) {
  (void)ctx;
  n += snprintf(order + n, sizeof order - n, "%d%s ", s, si->si_code == SI_QUEUE ? "q" : "");
}

int main(void) {
  sig_init();
  int sigs[] = {SIGUSR2, SIGUSR1, SIGTERM, SIGSEGV, SIGHUP, SIGSYS, SIGRTMIN + 2, SIGRTMIN};
  unsigned long all = 0;
  for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
    on(sigs[i], rec, 0, 0);
    all |= bit(sigs[i]);
  }
  set_mask(SIG_BLOCK, all);
  for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++) raise(sigs[i]);
  raise(SIGUSR1);
  raise(SIGRTMIN + 2);
  union sigval v = {.sival_int = 3};
  sigqueue(getpid(), SIGRTMIN + 2, v);
  printf("pending 0x%lx (all blocked = 0x%lx)\n", pending_now(), all);
  set_mask(SIG_UNBLOCK, bit(SIGUSR1) | bit(SIGUSR2));
  printf("unblock USR1|USR2: ran %s\n", order);
  n = 0;
  order[0] = 0;
  set_mask(SIG_UNBLOCK, all);
  printf("unblock the rest: ran %s\n", order);
  printf("pending now 0x%lx\n", pending_now());
  /* A signal ignored while blocked stays pending until unblocked, then is discarded; setting
   * SIG_IGN discards a pending one at once. */
  signal(SIGUSR1, SIG_IGN);
  set_mask(SIG_BLOCK, bit(SIGUSR1) | bit(SIGUSR2));
  raise(SIGUSR1);
  raise(SIGUSR2);
  printf("ignored+blocked USR1 pending: %s\n", pending_now() & bit(SIGUSR1) ? "yes" : "no");
  signal(SIGUSR2, SIG_IGN);
  printf("USR2 pending after SIG_IGN: %s\n", pending_now() & bit(SIGUSR2) ? "yes" : "no");
  signal(SIGCHLD, SIG_DFL);
  set_mask(SIG_BLOCK, bit(SIGCHLD));
  raise(SIGCHLD);
  printf("blocked default-ignored CHLD pending: %s\n", pending_now() & bit(SIGCHLD) ? "yes" : "no");
  set_mask(SIG_SETMASK, 0);
  printf("all unblocked, pending 0x%lx\n", pending_now());
  return 0;
}
