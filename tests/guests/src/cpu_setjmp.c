/* setjmp/longjmp and sigsetjmp/siglongjmp: values, nested jumps from deep recursion, preserved
 * callee-saved registers and volatile locals, and the signal mask a sigsetjmp restores. */
#include <setjmp.h>
#include <signal.h>

static jmp_buf sj_env, sj_inner;
static sigjmp_buf sj_sig;
static int sj_depth_max;

static void __attribute__((noinline)) sj_dive(int depth, int target) {
  volatile char pad[64];
  pad[depth % 64] = (char)depth;
  if (depth > sj_depth_max) sj_depth_max = depth;
  if (depth > 1000) return;
  if (depth == target) longjmp(sj_env, depth * 3 + pad[depth % 64] - depth);
  sj_dive(depth + 1, target);
  pad[0]++;
}

static int __attribute__((noinline)) sj_nested(int k) {
  if (setjmp(sj_inner) == 0) {
    if (k & 1) longjmp(sj_inner, 0); /* longjmp with 0 delivers 1 */
    return 100 + k;
  }
  return 200 + k;
}

int prog_setjmp(void) {
  for (volatile int t = 1; t <= 6; t++) {
    volatile int before = t * 11;
    register long kept = t * 1000003L;
    int v = setjmp(sj_env);
    if (v == 0) {
      before++;
      sj_dive(0, t * 17);
    }
    printf("target %d: setjmp returned %d, volatile %d, kept %ld, depth %d\n", t * 17, v, before,
           kept, sj_depth_max);
  }
  for (int k = 0; k < 4; k++) printf("nested %d -> %d\n", k, sj_nested(k));
  /* sigsetjmp with savemask restores the mask; without it leaves the blocked set alone. */
  for (volatile int save = 0; save < 2; save++) {
    sigset_t set, now;
    sigemptyset(&set);
    sigprocmask(SIG_SETMASK, &set, 0);
    if (sigsetjmp(sj_sig, save) == 0) {
      sigaddset(&set, SIGUSR1);
      sigprocmask(SIG_BLOCK, &set, 0);
      siglongjmp(sj_sig, 5);
    }
    sigprocmask(SIG_BLOCK, 0, &now);
    printf("sigsetjmp(savemask=%d): SIGUSR1 blocked after jump = %d\n", save,
           sigismember(&now, SIGUSR1));
  }
  /* Many jumps in a loop (cheap: checks nothing leaks). */
  volatile long total = 0;
  for (int i = 0; i < 2000; i++) {
    int v = setjmp(sj_env);
    if (v == 0) longjmp(sj_env, i + 1);
    total += v;
  }
  printf("2000 jumps total %ld\n", (long)total);
  return 0;
}
