/* hunt2_abort_paths: abort() in children with a SIGABRT handler that returns (the process still
 * dies of SIGABRT), with one that siglongjmps out (abort does not kill), with SIGABRT blocked
 * and ignored (still dies), with SA_RESETHAND, and a handler that calls abort() again; the parent
 * reports each end and what the child printed through unbuffered stdout. */
#include "hunt2.h"

static sigjmp_buf env;
static volatile int count;
static void returns(int s) { (void)s; count++; printf("  handler %d returns\n", count); }
static void jumps(int s) { (void)s; printf("  handler jumps\n"); siglongjmp(env, 1); }
static void again(int s) {
  (void)s;
  if (count++ < 1) {
    printf("  handler calls abort again\n");
    abort();
  }
  printf("  nested handler returns\n");
}

static void c_returns(void) { signal(SIGABRT, returns); abort(); }
static void c_jumps(void) {
  signal(SIGABRT, jumps);
  if (sigsetjmp(env, 1) == 0) abort();
  sigset_t s;
  sigprocmask(SIG_BLOCK, 0, &s);
  printf("  survived abort, SIGABRT blocked %d\n", sigismember(&s, SIGABRT));
  _exit(3);
}
static void c_blocked(void) {
  signal(SIGABRT, returns);
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGABRT);
  sigprocmask(SIG_BLOCK, &s, 0);
  abort();
}
static void c_ignored(void) { signal(SIGABRT, SIG_IGN); abort(); }
static void c_reset(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = returns;
  sa.sa_flags = SA_RESETHAND;
  sigaction(SIGABRT, &sa, 0);
  abort();
}
static void c_again(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = again;
  sa.sa_flags = SA_NODEFER;
  sigaction(SIGABRT, &sa, 0);
  abort();
}
static void c_raise(void) { signal(SIGABRT, returns); raise(SIGABRT); printf("  raise returned\n"); }

int main(void) {
  hunt_init();
  h2_child("handler returns", c_returns);
  h2_child("handler siglongjmps", c_jumps);
  h2_child("SIGABRT blocked", c_blocked);
  h2_child("SIGABRT ignored", c_ignored);
  h2_child("SA_RESETHAND", c_reset);
  h2_child("SA_NODEFER abort in handler", c_again);
  h2_child("raise(SIGABRT) handled", c_raise);
  return 0;
}
