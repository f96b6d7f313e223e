/* hunt_sud_nested: other signals around a SUD dispatch: the SIGSYS handler raises SIGUSR1 (runs
 * nested inside it, SIGSYS still blocked), a SIGUSR2 blocked in main and pending when the
 * dispatch happens is delivered after the handler returns, and a SIGUSR1 handler that itself
 * makes a dispatched call while SIGSYS is not blocked. */
#include "hunt.h"

static volatile char sel;
static int depth;

static void mask_line(const char *who) {
  sigset_t m;
  sigprocmask(SIG_BLOCK, 0, &m);
  printf("%*s%s: SIGSYS blocked=%d USR1=%d USR2=%d\n", depth * 2, "", who, sigismember(&m, SIGSYS),
         sigismember(&m, SIGUSR1), sigismember(&m, SIGUSR2));
}

static void on_sigsys(int sig, siginfo_t *si, void *ctx) {
  (void)sig;
  (void)si;
  sel = SYSCALL_DISPATCH_FILTER_ALLOW;
  depth++;
  long nr = REG(ctx, REG_RAX);
  printf("%*sSIGSYS nr=%ld\n", depth * 2, "", nr);
  mask_line("in SIGSYS");
  if (nr == SYS_getppid) raise(SIGUSR1);
  REG(ctx, REG_RAX) = nr * 10;
  depth--;
}

static void on_usr(int sig, siginfo_t *si, void *ctx) {
  (void)si;
  (void)ctx;
  depth++;
  printf("%*s%s\n", depth * 2, "", sig == SIGUSR1 ? "SIGUSR1" : "SIGUSR2");
  mask_line("in handler");
  if (sig == SIGUSR2) {
    sel = SYSCALL_DISPATCH_FILTER_BLOCK;
    long r = syscall(SYS_getuid);
    printf("%*sdispatched from SIGUSR2 handler -> %ld\n", depth * 2, "", r);
  }
  depth--;
}

int main(void) {
  hunt_init();
  handle(SIGSYS, on_sigsys, 0);
  handle(SIGUSR1, on_usr, 0);
  handle(SIGUSR2, on_usr, 0);
  sud_on(&sel);
  sel = SYSCALL_DISPATCH_FILTER_BLOCK;
  printf("main: getppid -> %ld\n", syscall(SYS_getppid));
  sigset_t u2;
  sigemptyset(&u2);
  sigaddset(&u2, SIGUSR2);
  sigprocmask(SIG_BLOCK, &u2, 0);
  raise(SIGUSR2);
  printf("main: SIGUSR2 pending, unblocking\n");
  sigprocmask(SIG_UNBLOCK, &u2, 0);
  printf("main: done, selector=%d\n", sel);
  return 0;
}
