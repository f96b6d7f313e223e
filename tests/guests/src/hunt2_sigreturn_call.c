/* hunt2_sigreturn_call: rt_sigreturn under SUD. Called directly from main with the selector on
 * BLOCK it is dispatched like any call (si_syscall 15, no frame is consumed); handlers that return
 * through a restorer in the allowed region keep working with BLOCK left on; the libc restorer
 * outside the region gets its rt_sigreturn dispatched while SIGSYS is blocked: fatal (child). */
#include "hunt2.h"

static volatile char sel = H2_ALLOW;
static volatile int hits, last_nr;
static void on_sys(int s, siginfo_t *si, void *c) {
  (void)s;
  hits++;
  last_nr = si->si_syscall;
  REG(c, REG_RAX) = 1000 + si->si_syscall; /* leave sel at BLOCK: our restorer is exempt */
}
static void on_usr1(int s, siginfo_t *si, void *c) {
  (void)s, (void)si, (void)c;
  hits += 100;
}

static void libc_restorer(void) {
  handle(SIGSYS, on_sys, 0); /* glibc/musl restorer: outside the region */
  /* fork left this child without SUD: arm it again */
  if (strcmp(h2_sud(H2_EXCL, (unsigned long)h2_tramp_start, h2_tramp_end - h2_tramp_start, &sel), "ok")) _exit(9);
  sel = H2_BLOCK;
  h2_raw(SYS_getpid, 0, 0, 0);
  printf("  not reached\n");
}

int main(void) {
  hunt_init();
  h2_handle_raw(SIGSYS, on_sys, 0);
  h2_handle_raw(SIGUSR1, on_usr1, 0);
  printf("armed: %s\n", h2_sud(H2_EXCL, (unsigned long)h2_tramp_start, h2_tramp_end - h2_tramp_start, &sel));
  sel = H2_BLOCK;
  long r1 = h2_raw(SYS_rt_sigreturn, 0, 0, 0);
  long r2 = h2_raw(SYS_getppid, 0, 0, 0);
  long r3 = h2_sys(SYS_kill, h2_sys(SYS_getpid, 0, 0, 0), SIGUSR1, 0); /* stub: native, USR1 handled */
  long r4 = h2_raw(SYS_rt_sigreturn, 0, 0, 0);
  sel = H2_ALLOW;
  printf("rt_sigreturn -> %ld, getppid -> %ld, kill via stub -> %ld, rt_sigreturn -> %ld\n", r1, r2, r3, r4);
  printf("hits %d, last si_syscall %d\n", hits, last_nr);
  h2_child("libc restorer with BLOCK left on", libc_restorer);
  return 0;
}
