/* hunt2_nested_mix: nested handlers of different signals: SIGUSR1's handler raises SIGUSR2 (runs
 * nested), SIGTERM (in USR1's sa_mask: waits) and SIGALRM via kill (nested); SIGUSR2's handler
 * raises SIGUSR1 (its own handler is running: blocked, runs after it returns) and a SIGRTMIN+1 and
 * SIGRTMIN (queued, lowest first later). Logs the order and depth of every entry/exit. */
#include "hunt2.h"

static char log_[512];
static int depth;
static int usr1_count;
static void add(const char *tag, int in) {
  char b[32];
  snprintf(b, sizeof b, "%s%s%d ", in ? "+" : "-", tag, depth);
  strncat(log_, b, sizeof log_ - strlen(log_) - 1);
}
static void h(int s) {
  const char *tag = s == SIGUSR1 ? "U1" : s == SIGUSR2 ? "U2" : s == SIGTERM ? "T" : s == SIGALRM ? "A"
                  : s == SIGRTMIN ? "R0" : "R1";
  depth++;
  add(tag, 1);
  if (s == SIGUSR1 && usr1_count++ == 0) {
    raise(SIGUSR2);
    raise(SIGTERM);
    kill(getpid(), SIGALRM);
  }
  if (s == SIGUSR2) {
    raise(SIGUSR1);
    raise(SIGRTMIN + 1);
    raise(SIGRTMIN);
  }
  add(tag, 0);
  depth--;
}

int main(void) {
  hunt_init();
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = h;
  sigemptyset(&sa.sa_mask);
  sigaddset(&sa.sa_mask, SIGTERM);
  sigaction(SIGUSR1, &sa, 0);
  sigemptyset(&sa.sa_mask);
  sigaddset(&sa.sa_mask, SIGRTMIN);
  sigaddset(&sa.sa_mask, SIGRTMIN + 1);
  sigaction(SIGUSR2, &sa, 0);
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, 0);
  sigaction(SIGALRM, &sa, 0);
  sigaction(SIGRTMIN, &sa, 0);
  sigaction(SIGRTMIN + 1, &sa, 0);
  raise(SIGUSR1);
  printf("%s\n", log_);
  /* with everything blocked first, the same signals come out in the kernel's order */
  log_[0] = 0;
  usr1_count = 1;
  sigset_t all, old;
  sigfillset(&all);
  sigprocmask(SIG_BLOCK, &all, &old);
  raise(SIGRTMIN + 1);
  raise(SIGALRM);
  raise(SIGRTMIN);
  raise(SIGTERM);
  raise(SIGUSR1);
  raise(SIGRTMIN + 1);
  sigprocmask(SIG_SETMASK, &old, 0);
  printf("%s\n", log_);
  return 0;
}
