/* hunt_sud_emulate: a SIGSYS handler that emulates write, getpid and openat for code running with
 * the selector on BLOCK, printing each request with printf from inside the handler. */
#include "hunt.h"
#include <fcntl.h>

static volatile char sel = SYSCALL_DISPATCH_FILTER_ALLOW;
static int seen;

static void on_sigsys(int sig, siginfo_t *si, void *ctx) {
  sel = SYSCALL_DISPATCH_FILTER_ALLOW;
  seen++;
  long nr = REG(ctx, REG_RAX);
  printf("  [handler] sig=%d code=%d nr=%ld si_syscall=%d\n", sig, si->si_code, nr, si->si_syscall);
  if (nr == SYS_write) {
    const char *buf = (const char *)REG(ctx, REG_RSI);
    long len = REG(ctx, REG_RDX);
    printf("  [handler] write(%lld, \"%.*s\", %ld)\n", REG(ctx, REG_RDI), (int)len - 1, buf, len);
    REG(ctx, REG_RAX) = len;
  } else if (nr == SYS_getpid) {
    REG(ctx, REG_RAX) = 4242;
  } else if (nr == SYS_openat) {
    const char *path = (const char *)REG(ctx, REG_RSI);
    printf("  [handler] openat(\"%s\")\n", path);
    REG(ctx, REG_RAX) = strcmp(path, "/virtual/file") == 0 ? 77 : -ENOENT;
  } else {
    REG(ctx, REG_RAX) = -ENOSYS;
  }
}

int main(void) {
  hunt_init();
  handle(SIGSYS, on_sigsys, 0);
  printf("prctl -> %d\n", sud_on(&sel));
  sel = SYSCALL_DISPATCH_FILTER_BLOCK;
  long w = syscall(SYS_write, 1, "emulated text\n", 14);
  printf("write returned %ld\n", w);
  sel = SYSCALL_DISPATCH_FILTER_BLOCK;
  long p = syscall(SYS_getpid);
  printf("getpid returned %ld\n", p);
  sel = SYSCALL_DISPATCH_FILTER_BLOCK;
  long fd = syscall(SYS_openat, AT_FDCWD, "/virtual/file", O_RDONLY);
  printf("openat(/virtual/file) returned %ld\n", fd);
  sel = SYSCALL_DISPATCH_FILTER_BLOCK;
  errno = 0;
  long bad = syscall(SYS_openat, AT_FDCWD, "/virtual/none", O_RDONLY);
  int e = errno;
  printf("openat(/virtual/none) returned %ld errno=%s\n", bad, strerror(e));
  sel = SYSCALL_DISPATCH_FILTER_BLOCK;
  errno = 0;
  long un = syscall(SYS_getppid);
  e = errno;
  printf("getppid returned %ld errno=%s\n", un, strerror(e));
  printf("real write with ALLOW: ");
  syscall(SYS_write, 1, "native\n", 7);
  printf("handler ran %d times\n", seen);
  return 0;
}
