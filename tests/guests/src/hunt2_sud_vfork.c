/* hunt2_sud_vfork: SUD across fork and inside vfork children. Fork and vfork children start with
 * SUD off even though the selector byte they share or copy says BLOCK; a vfork child writes the
 * parent's selector (same memory), arms SUD for itself and gets its own dispatch; the parent
 * stays armed with its own settings afterwards. */
#include "hunt2.h"

static volatile char sel = H2_ALLOW;
static volatile int hits;
static volatile int child_hits;
static void on_sys(int s, siginfo_t *si, void *c) {
  (void)s;
  hits++;
  sel = H2_ALLOW;
  REG(c, REG_RAX) = 5000 + si->si_syscall;
}

int main(void) {
  hunt_init();
  handle(SIGSYS, on_sys, 0);
  printf("armed: %s\n", h2_sud(H2_EXCL, 0, 0, &sel));
  sel = H2_BLOCK;
  long r = h2_raw(SYS_getppid, 0, 0, 0);
  printf("parent dispatch -> %ld\n", r);

  pid_t p = fork(); /* sel is ALLOW again here (the handler reset it) */
  if (p == 0) {
    sel = H2_BLOCK;
    long c = h2_raw(SYS_getppid, 0, 0, 0);
    _exit(c == 5000 + SYS_getppid ? 1 : hits == 1 ? 0 : 2);
  }
  int st;
  waitpid(p, &st, 0);
  h2_report("fork child with BLOCK byte, no SUD", st);
  printf("parent selector after fork child: %d\n", sel);

  p = vfork();
  if (p == 0) {
    sel = H2_BLOCK; /* shared with the parent while it waits */
    long c = h2_raw(SYS_getppid, 0, 0, 0);
    if (c == 5000 + SYS_getppid) _exit(1);
    if (prctl(H2_PR_SUD, H2_EXCL, 0, 0, &sel)) _exit(3);
    c = h2_raw(SYS_getuid, 0, 0, 0); /* dispatched in the child; handler resets sel */
    child_hits = hits;
    h2_raw(SYS_exit, c == 5000 + SYS_getuid ? 0 : 4, 0, 0);
  }
  waitpid(p, &st, 0);
  h2_report("vfork child", st);
  printf("after vfork: selector %d, hits seen by child %d, hits now %d\n", sel, child_hits, hits);
  sel = H2_BLOCK;
  r = h2_raw(SYS_getppid, 0, 0, 0);
  printf("parent still armed: %s\n", r == 5000 + SYS_getppid ? "yes" : "no");
  /* the parent disarms; a vfork child arming SUD does not arm the parent */
  prctl(H2_PR_SUD, H2_OFF, 0, 0, 0);
  p = vfork();
  if (p == 0) {
    if (prctl(H2_PR_SUD, H2_EXCL, 0, 0, &sel)) _exit(3);
    sel = H2_ALLOW;
    _exit(0);
  }
  waitpid(p, &st, 0);
  h2_report("vfork child arming SUD", st);
  sel = H2_BLOCK;
  r = h2_raw(SYS_getppid, 0, 0, 0);
  sel = H2_ALLOW;
  printf("parent after child armed: %s\n", r == 5000 + SYS_getppid ? "dispatched" : "native");
  return 0;
}
