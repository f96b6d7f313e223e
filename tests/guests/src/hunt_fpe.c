/* hunt_fpe: SIGFPE from integer division: x/0 and INT_MIN/-1 at 32 and 64 bits, x%0, with
 * si_code (FPE_INTDIV), the handler's mask (SIGFPE blocked inside) and recovery by siglongjmp;
 * floating-point division by zero does not trap by default. */
#include "hunt.h"
#include <limits.h>

static sigjmp_buf env;
static siginfo_t last;
static int blocked_inside;

static void on_fpe(int sig, siginfo_t *si, void *ctx) {
  (void)sig;
  (void)ctx;
  last = *si;
  sigset_t cur;
  sigprocmask(SIG_BLOCK, 0, &cur);
  blocked_inside = sigismember(&cur, SIGFPE);
  siglongjmp(env, 1);
}

static volatile int zero32 = 0, m1_32 = -1, min32 = INT_MIN, seven32 = 7;
static volatile long zero64 = 0, m1_64 = -1, min64 = LONG_MIN, seven64 = 7;
static volatile unsigned uzero = 0;

static void try(const char *what, int kind) {
  volatile long r = 0;
  if (sigsetjmp(env, 1) == 0) {
    switch (kind) {
    case 0: r = seven32 / zero32; break;
    case 1: r = seven64 / zero64; break;
    case 2: r = min32 / m1_32; break;
    case 3: r = min64 / m1_64; break;
    case 4: r = seven32 % zero32; break;
    case 5: r = 7u / uzero; break;
    case 6: r = min64 % m1_64; break;
    }
    printf("%-14s = %ld (no trap)\n", what, (long)r);
  } else {
    printf("%-14s SIGFPE code=%d errno=%d blocked_inside=%d\n", what, last.si_code, last.si_errno,
           blocked_inside);
  }
}

int main(void) {
  hunt_init();
  handle(SIGFPE, on_fpe, 0);
  try("7/0 (32)", 0);
  try("7/0 (64)", 1);
  try("INT_MIN/-1", 2);
  try("LONG_MIN/-1", 3);
  try("7%0", 4);
  try("7u/0u", 5);
  try("LONG_MIN%-1", 6);
  volatile double dz = 0.0;
  printf("1.0/0.0 = %f (no trap)\n", 1.0 / dz);
  sigset_t cur;
  sigprocmask(SIG_BLOCK, 0, &cur);
  printf("SIGFPE blocked after: %d\n", sigismember(&cur, SIGFPE));
  return 0;
}
