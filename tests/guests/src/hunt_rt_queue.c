/* hunt_rt_queue: real-time signals queued several times with sigqueue values while blocked,
 * then unblocked: delivery order (lowest number first, FIFO per signal) and count; standard
 * signals sent several times collapse into one. */
#include "hunt.h"

static int order[64], values[64], n;

static void on_sig(int sig, siginfo_t *si, void *ctx) {
  (void)ctx;
  order[n] = sig;
  values[n] = si->si_code == SI_QUEUE ? si->si_value.sival_int : -1;
  n++;
}

int main(void) {
  hunt_init();
  int rt[3] = {SIGRTMIN + 5, SIGRTMIN + 1, SIGRTMAX};
  sigset_t block;
  sigemptyset(&block);
  for (int i = 0; i < 3; i++) {
    handle(rt[i], on_sig, 0);
    sigaddset(&block, rt[i]);
  }
  handle(SIGUSR1, on_sig, 0);
  handle(SIGHUP, on_sig, 0);
  sigaddset(&block, SIGUSR1);
  sigaddset(&block, SIGHUP);
  sigprocmask(SIG_BLOCK, &block, 0);
  for (int round = 0; round < 3; round++) {
    for (int i = 0; i < 3; i++) {
      union sigval v = {.sival_int = round * 10 + i};
      sigqueue(getpid(), rt[i], v);
    }
    kill(getpid(), SIGUSR1);
    union sigval v = {.sival_int = 500 + round};
    sigqueue(getpid(), SIGHUP, v);
  }
  sigset_t pend;
  sigpending(&pend);
  printf("pending: rtmin+1=%d rtmin+5=%d rtmax=%d usr1=%d hup=%d delivered=%d\n",
         sigismember(&pend, SIGRTMIN + 1), sigismember(&pend, SIGRTMIN + 5),
         sigismember(&pend, SIGRTMAX), sigismember(&pend, SIGUSR1), sigismember(&pend, SIGHUP), n);
  sigprocmask(SIG_UNBLOCK, &block, 0);
  printf("delivered %d:\n", n);
  for (int i = 0; i < n; i++) {
    int s = order[i];
    if (s >= SIGRTMIN)
      printf("  SIGRTMIN+%d value=%d\n", s - SIGRTMIN, values[i]);
    else
      printf("  %d value=%d\n", s, values[i]);
  }
  return 0;
}
