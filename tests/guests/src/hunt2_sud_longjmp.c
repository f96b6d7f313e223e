/* hunt2_sud_longjmp: leaving the SIGSYS handler by siglongjmp 500 times in a row (each jump
 * restores the mask, so SIGSYS is deliverable again), the mask and selector as found after each
 * escape, then in a child _longjmp (no mask restore): SIGSYS stays blocked and the next dispatch
 * is forced fatal. */
#include "hunt2.h"

static volatile char sel = H2_ALLOW;
static sigjmp_buf env;
static jmp_buf raw_env;
static volatile int hits, use_raw;
static void on_sys(int s, siginfo_t *si, void *c) {
  (void)s, (void)c;
  hits++;
  sel = H2_ALLOW;
  if (use_raw) _longjmp(raw_env, si->si_syscall);
  siglongjmp(env, si->si_syscall);
}

static int sigsys_blocked(void) {
  sigset_t s;
  sigprocmask(SIG_BLOCK, 0, &s);
  return sigismember(&s, SIGSYS);
}

static void raw_child(void) {
  use_raw = 1;
  if (strcmp(h2_sud(H2_EXCL, 0, 0, &sel), "ok")) _exit(9); /* fork disarmed SUD */
  int v = _setjmp(raw_env);
  if (v == 0) {
    sel = H2_BLOCK;
    h2_raw(SYS_getpid, 0, 0, 0);
  }
  printf("  after _longjmp: nr %d, SIGSYS blocked %d\n", v, sigsys_blocked());
  sel = H2_BLOCK;
  h2_raw(SYS_getppid, 0, 0, 0);
  printf("  not reached\n");
}

int main(void) {
  hunt_init();
  handle(SIGSYS, on_sys, 0);
  printf("armed: %s\n", h2_sud(H2_EXCL, 0, 0, &sel));
  long sum = 0;
  int blocked_after = 0;
  for (int i = 0; i < 500; i++) {
    int v = sigsetjmp(env, 1);
    if (v == 0) {
      sel = H2_BLOCK;
      h2_raw(i % 2 ? SYS_getpid : SYS_getuid, 0, 0, 0);
      printf("  call returned?\n");
    }
    sum += v;
    blocked_after += sigsys_blocked();
  }
  printf("500 escapes: nr sum %ld, SIGSYS blocked afterwards %d times, hits %d\n", sum, blocked_after, hits);
  /* sigsetjmp without the mask: SIGSYS stays blocked after the jump */
  int v = sigsetjmp(env, 0);
  if (v == 0) {
    sel = H2_BLOCK;
    h2_raw(SYS_getpid, 0, 0, 0);
  }
  printf("sigsetjmp(env, 0): nr %d, SIGSYS blocked %d\n", v, sigsys_blocked());
  sigset_t s;
  sigemptyset(&s);
  sigprocmask(SIG_SETMASK, &s, 0);
  h2_child("_longjmp child", raw_child);
  return 0;
}
