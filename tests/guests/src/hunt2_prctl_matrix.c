/* hunt2_prctl_matrix: PR_SET_SYSCALL_USER_DISPATCH through the libc prctl() wrapper, errno style:
 * every invalid mode/offset/len/selector combination a tester would try, in the kernel's check
 * order (mode, then range, then selector address), and that a failed call leaves the previous
 * state alone (still armed afterwards: the next blocked call is dispatched). */
#include "hunt2.h"

static volatile char sel = H2_ALLOW;
static volatile int hits;
static void on_sys(int s, siginfo_t *si, void *c) {
  (void)s;
  hits++;
  sel = H2_ALLOW;
  REG(c, REG_RAX) = si->si_syscall == SYS_getppid ? 4242 : -ENOSYS;
}

int main(void) {
  hunt_init();
  const unsigned long M = ~0UL;
  void *k = (void *)0xffff888000000000UL, *top = (void *)0x7ffffffff000UL, *over = (void *)0x7fffffffffffUL;
  struct { unsigned long mode, off, len; const volatile void *sel; const char *what; } t[] = {
    {3, 0, 0, &sel, "mode 3"},
    {M, 0, 0, &sel, "mode -1"},
    {(1UL << 32) | 1, 0, 0, &sel, "mode 2^32+1"},
    {(1UL << 32), 0, 0, 0, "mode 2^32 (not OFF)"},
    {H2_OFF, 0, 0, &sel, "OFF with selector"},
    {H2_OFF, 4096, 0, 0, "OFF with offset"},
    {H2_OFF, 0, 1, 0, "OFF with len"},
    {H2_OFF, 0, 0, k, "OFF with kernel selector"},
    {H2_OFF, 0, 0, 0, "OFF all zero"},
    {H2_EXCL, 4096, 0, &sel, "EXCL off!=0 len 0"},
    {H2_EXCL, 1, M, &sel, "EXCL wraps to 0"},
    {H2_EXCL, M, 1, &sel, "EXCL off -1 len 1"},
    {H2_EXCL, 2, M - 1, &sel, "EXCL wraps exactly"},
    {H2_EXCL, 4096, 0, k, "EXCL bad range + kernel selector"},
    {H2_EXCL, 0, 0, k, "EXCL kernel selector"},
    {H2_EXCL, 0, 0, over, "EXCL selector 0x7fffffffffff"},
    {H2_EXCL, 0, 0, (void *)M, "EXCL selector -1"},
    {H2_INCL, 0, 0, &sel, "INCL len 0"},
    {H2_INCL, 4096, 0, &sel, "INCL off len 0"},
    {H2_INCL, M, 1, &sel, "INCL wraps"},
    {H2_INCL, 1, M, &sel, "INCL wraps to 0"},
    {H2_INCL, 0, 4096, k, "INCL kernel selector"},
    {H2_INCL, 0, 0, k, "INCL len 0 + kernel selector"},
    {H2_EXCL, 0, M, top, "EXCL selector 0x7ffffffff000 (accepted)"},
    {H2_OFF, 0, 0, 0, "OFF again"},
    {H2_INCL, M - 1, 1, 0, "INCL at the top (accepted)"},
    {H2_OFF, 0, 0, 0, "OFF again"},
    {H2_EXCL, M - 1, 1, &sel, "EXCL at the top (accepted)"},
  };
  for (unsigned i = 0; i < sizeof t / sizeof t[0]; i++)
    printf("%-42s -> %s\n", t[i].what, h2_sud(t[i].mode, t[i].off, t[i].len, t[i].sel));
  /* Armed now (EXCL, top region, selector ALLOW). A failing call must change nothing. */
  handle(SIGSYS, on_sys, 0);
  printf("invalid while armed: %s\n", h2_sud(H2_OFF, 1, 0, 0));
  printf("invalid while armed: %s\n", h2_sud(H2_INCL, 0, 0, &sel));
  printf("invalid while armed: %s\n", h2_sud(H2_EXCL, 0, 0, k));
  sel = H2_BLOCK;
  long r = h2_raw(SYS_getppid, 0, 0, 0);
  printf("after failures: getppid -> %ld, hits %d\n", r, hits);
  printf("OFF: %s\n", h2_sud(H2_OFF, 0, 0, 0));
  sel = H2_BLOCK;
  r = h2_raw(SYS_getppid, 0, 0, 0);
  printf("after OFF with selector BLOCK: getppid native %s, hits %d\n", r != 4242 && r > 0 ? "yes" : "no", hits);
  return 0;
}
