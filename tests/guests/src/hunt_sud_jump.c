/* hunt_sud_jump: leaving a SIGSYS handler without rt_sigreturn: siglongjmp back to main (the
 * saved mask comes back, so SIGSYS is unblocked and the next dispatch works), and a longjmp
 * without mask restore (SIGSYS stays blocked, so the next dispatch kills the process). */
#include "hunt.h"

static volatile char sel;
static sigjmp_buf env;
static int restore_mask = 1;

static void on_sigsys(int sig, siginfo_t *si, void *ctx) {
  (void)sig;
  (void)ctx;
  sel = SYSCALL_DISPATCH_FILTER_ALLOW;
  printf("  SIGSYS for nr %d, jumping out\n", si->si_syscall);
  if (restore_mask) siglongjmp(env, si->si_syscall);
  longjmp(env, si->si_syscall);
}

int main(void) {
  hunt_init();
  handle(SIGSYS, on_sigsys, 0);
  sud_on(&sel);
  for (volatile int i = 0; i < 3; i++) {
    int v = sigsetjmp(env, 1);
    if (v == 0) {
      sel = SYSCALL_DISPATCH_FILTER_BLOCK;
      syscall(SYS_getppid);
      printf("not reached\n");
    } else {
      sigset_t m;
      sigprocmask(SIG_BLOCK, 0, &m);
      printf("round %d: jumped with %d, SIGSYS blocked=%d\n", i, v, sigismember(&m, SIGSYS));
    }
  }
  restore_mask = 0;
  int v = setjmp(*(jmp_buf *)&env);
  if (v == 0) {
    sel = SYSCALL_DISPATCH_FILTER_BLOCK;
    syscall(SYS_getuid);
  } else {
    sigset_t m;
    sigprocmask(SIG_BLOCK, 0, &m);
    printf("plain longjmp: SIGSYS blocked=%d\n", sigismember(&m, SIGSYS));
    sel = SYSCALL_DISPATCH_FILTER_BLOCK;
    syscall(SYS_getgid);
    printf("not reached either\n");
  }
  return 0;
}
