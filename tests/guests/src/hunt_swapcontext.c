/* hunt_swapcontext (glibc): user-level context switching with getcontext/makecontext/
 * swapcontext and uc_link, mixed with signals: a SIGUSR1 handler that swaps to a coroutine and
 * back, and signal masks saved and restored per context. */
#include "hunt.h"

static ucontext_t main_ctx, co_ctx, end_ctx;
static char co_stack[65536], end_stack[16384];
static int steps;

static void coroutine(int a, int b) {
  for (int i = 0; i < 3; i++) {
    steps++;
    printf("  coroutine step %d (a+b=%d)\n", i, a + b + i);
    swapcontext(&co_ctx, &main_ctx);
  }
  printf("  coroutine returns\n");
}

static void finished(void) { printf("  uc_link context runs\n"); }

static void on_usr1(int sig, siginfo_t *si, void *ctx) {
  (void)si;
  (void)ctx;
  printf(" handler %d swaps to coroutine\n", sig);
  swapcontext(&main_ctx, &co_ctx);
  printf(" handler resumes\n");
}

int main(void) {
  hunt_init();
  getcontext(&end_ctx);
  end_ctx.uc_stack.ss_sp = end_stack;
  end_ctx.uc_stack.ss_size = sizeof end_stack;
  end_ctx.uc_link = &main_ctx;
  makecontext(&end_ctx, finished, 0);
  getcontext(&co_ctx);
  co_ctx.uc_stack.ss_sp = co_stack;
  co_ctx.uc_stack.ss_size = sizeof co_stack;
  co_ctx.uc_link = &end_ctx;
  sigemptyset(&co_ctx.uc_sigmask);
  sigaddset(&co_ctx.uc_sigmask, SIGUSR2);
  makecontext(&co_ctx, (void (*)(void))coroutine, 2, 10, 20);
  handle(SIGUSR1, on_usr1, 0);
  swapcontext(&main_ctx, &co_ctx);
  sigset_t m;
  sigprocmask(SIG_BLOCK, 0, &m);
  printf("main after step 1: USR2 blocked=%d\n", sigismember(&m, SIGUSR2));
  raise(SIGUSR1);
  sigprocmask(SIG_BLOCK, 0, &m);
  printf("main after handler: USR1 blocked=%d USR2 blocked=%d\n", sigismember(&m, SIGUSR1),
         sigismember(&m, SIGUSR2));
  swapcontext(&main_ctx, &co_ctx);
  swapcontext(&main_ctx, &co_ctx);
  printf("main done, steps=%d\n", steps);
  return 0;
}
