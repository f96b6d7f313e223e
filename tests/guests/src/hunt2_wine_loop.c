/* hunt2_wine_loop: Wine-style re-execution. The handler turns the selector to ALLOW, may rewrite
 * the number and arguments, and moves rip back to si_call_addr - 2; the very same `syscall`
 * then runs natively. The caller turns BLOCK back on before the next call. 200 rounds of write
 * redirected from fd 99 to fd 1, getppid turned into getpid, and a rewritten length. */
#include "hunt2.h"

static volatile char sel = H2_ALLOW;
static volatile int hits;
static void on_sys(int s, siginfo_t *si, void *c) {
  (void)s;
  hits++;
  if (si->si_syscall == SYS_write && REG(c, REG_RDI) == 99) {
    REG(c, REG_RDI) = 1;
    REG(c, REG_RDX) -= 1; /* drop the marker byte */
  } else if (si->si_syscall == SYS_getppid) {
    REG(c, REG_RAX) = SYS_getpid;
  }
  if (si->si_syscall != SYS_getppid) REG(c, REG_RAX) = si->si_syscall;
  sel = H2_ALLOW;
  REG(c, REG_RIP) = (long)si->si_call_addr - 2;
}

int main(void) {
  hunt_init();
  handle(SIGSYS, on_sys, 0);
  printf("armed: %s\n", h2_sud(H2_EXCL, 0, 0, &sel));
  long total = 0, same = 0, pid = getpid();
  for (int i = 0; i < 200; i++) {
    char line[32];
    int n = snprintf(line, sizeof line, "round %03d#", i);
    sel = H2_BLOCK;
    long w = i % 50 == 0 ? h2_raw(SYS_write, 99, (long)line, n) : n - 1;
    sel = H2_BLOCK;
    if (i % 50 == 0) h2_raw(SYS_write, 99, (long)"\n#", 2);
    sel = H2_BLOCK;
    long p = h2_raw(SYS_getppid, 0, 0, 0);
    sel = H2_ALLOW;
    total += w;
    same += p == pid;
  }
  printf("written %ld bytes, getppid->getpid %ld times, dispatches %d\n", total, same, hits);
  return 0;
}
