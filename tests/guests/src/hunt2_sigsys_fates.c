/* hunt2_sigsys_fates: how a SUD dispatch ends a process, seen by its parent through fork and
 * waitpid (WIFSIGNALED, WTERMSIG, WCOREDUMP under `ulimit -c 0`): SIGSYS at SIG_DFL, ignored,
 * blocked with sigprocmask, blocked via the handler's own mask (dispatch inside the handler),
 * SA_RESETHAND on the second dispatch, selector byte 2 and 0xff, unreadable selector, a
 * handler on a too-small sigaltstack, and a handler that returns normally (exit 0). */
#include "hunt2.h"

static volatile char sel = H2_ALLOW;
static volatile int depth;
static void quiet(int s, siginfo_t *si, void *c) {
  (void)s, (void)si, (void)c;
  sel = H2_ALLOW;
}
static void redispatch(int s, siginfo_t *si, void *c) {
  (void)s, (void)si, (void)c;
  if (depth++ == 0) h2_raw(SYS_getpid, 0, 0, 0); /* sel is still BLOCK: dispatched while blocked */
  sel = H2_ALLOW;
}
static void arm(void) {
  if (strcmp(h2_sud(H2_EXCL, 0, 0, &sel), "ok")) _exit(99);
}
static void blocked_call(void) {
  sel = H2_BLOCK;
  h2_raw(SYS_getpid, 0, 0, 0);
  sel = H2_ALLOW;
}

static void c_default(void) { arm(); blocked_call(); }
static void c_ignored(void) { signal(SIGSYS, SIG_IGN); arm(); blocked_call(); }
static void c_masked(void) {
  handle(SIGSYS, quiet, 0);
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGSYS);
  sigprocmask(SIG_BLOCK, &s, 0);
  arm();
  blocked_call();
}
static void c_inside(void) { handle(SIGSYS, redispatch, 0); arm(); blocked_call(); }
static void c_nodefer(void) {
  handle(SIGSYS, redispatch, SA_NODEFER);
  arm();
  blocked_call();
  printf("  nodefer survived, depth %d\n", depth);
}
static void c_resethand(void) {
  handle(SIGSYS, quiet, SA_RESETHAND);
  arm();
  blocked_call();
  printf("  first dispatch handled\n");
  blocked_call();
}
static void c_byte(int v) {
  handle(SIGSYS, quiet, 0);
  arm();
  sel = (char)v;
  h2_raw(SYS_getpid, 0, 0, 0);
}
static void c_byte2(void) { c_byte(2); }
static void c_byteff(void) { c_byte(0xff); }
static void c_unreadable(void) {
  handle(SIGSYS, quiet, 0);
  char *p = mmap(0, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (strcmp(h2_sud(H2_EXCL, 0, 0, p), "ok")) _exit(98);
  h2_raw(SYS_getpid, 0, 0, 0);
}
static char small_stack[1024];
static void c_small_altstack(void) {
  stack_t ss = {.ss_sp = small_stack, .ss_size = sizeof small_stack, .ss_flags = 0};
  /* below MINSIGSTKSZ: the kernel refuses it, so the handler runs on the normal stack */
  printf("  sigaltstack(1 KiB) = %d\n", sigaltstack(&ss, 0));
  handle(SIGSYS, quiet, SA_ONSTACK);
  arm();
  blocked_call();
}
static void c_handled(void) { handle(SIGSYS, quiet, 0); arm(); blocked_call(); }
static void c_kill_self(void) { arm(); sel = H2_BLOCK; raise(SIGSYS); }

int main(void) {
  hunt_init();
  h2_child("SIG_DFL", c_default);
  h2_child("SIG_IGN", c_ignored);
  h2_child("blocked by sigprocmask", c_masked);
  h2_child("dispatch inside handler", c_inside);
  h2_child("dispatch inside SA_NODEFER handler", c_nodefer);
  h2_child("SA_RESETHAND", c_resethand);
  h2_child("selector 2", c_byte2);
  h2_child("selector 0xff", c_byteff);
  h2_child("selector PROT_NONE", c_unreadable);
  h2_child("tiny altstack", c_small_altstack);
  h2_child("handled", c_handled);
  h2_child("raise(SIGSYS) while BLOCK", c_kill_self);
  return 0;
}
