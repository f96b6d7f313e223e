/* hunt_sud_libc: with the selector on BLOCK, ordinary libc calls (printf -> write, getpid,
 * fopen -> openat, time-free calls) are dispatched; the handler logs each call number, then
 * performs it for real (selector ALLOW) with syscall() and hands back the result; it refuses
 * openat with -EACCES so fopen fails with errno EACCES. */
#include "hunt.h"

static volatile char sel;
static int log_nr[64], nlog;

static void on_sigsys(int sig, siginfo_t *si, void *ctx) {
  (void)sig;
  (void)si;
  sel = SYSCALL_DISPATCH_FILTER_ALLOW;
  greg_t *g = ((ucontext_t *)ctx)->uc_mcontext.gregs;
  long nr = g[REG_RAX];
  if (nlog < 64) log_nr[nlog++] = (int)nr;
  if (nr == SYS_openat || nr == SYS_open) {
    g[REG_RAX] = -EACCES;
    return;
  }
  g[REG_RAX] = syscall(nr, g[REG_RDI], g[REG_RSI], g[REG_RDX], g[REG_R10], g[REG_R8], g[REG_R9]);
  if (g[REG_RAX] == -1) g[REG_RAX] = -errno;
}

int main(void) {
  hunt_init();
  handle(SIGSYS, on_sigsys, 0);
  sud_on(&sel);
  sel = SYSCALL_DISPATCH_FILTER_BLOCK;
  printf("hello through the handler\n");
  sel = SYSCALL_DISPATCH_FILTER_BLOCK;
  int me = getpid() == (int)syscall(SYS_getpid);
  sel = SYSCALL_DISPATCH_FILTER_BLOCK;
  errno = 0;
  FILE *f = fopen("/etc/hostname", "r");
  int e = errno;
  sel = SYSCALL_DISPATCH_FILTER_BLOCK;
  char buf[8];
  errno = 0;
  ssize_t n = read(-5, buf, sizeof buf);
  int e2 = errno;
  printf("getpid consistent=%d fopen=%p errno=%s read(-5)=%zd errno=%s\n", me, (void *)f,
         strerror(e), n, strerror(e2));
  printf("dispatched call numbers:");
  for (int i = 0; i < nlog; i++) printf(" %d", log_nr[i]);
  printf("\n");
  return 0;
}
