/* hunt_die: death by a signal's default action, reached in different ways: kill/raise of
 * SIGTERM, SIGKILL, SIGQUIT, SIGUSR1, SIGHUP, SIGINT, SIGXCPU; SIGPIPE from writing to a pipe
 * whose read end is closed; SIGSEGV/SIGILL/SIGTRAP/SIGFPE from the CPU; SIGSYS from a selector;
 * a handled signal reset by SA_RESETHAND then raised again. argv[1] names the case. */
#include "hunt.h"

static void once(int sig, siginfo_t *si, void *ctx) {
  (void)si;
  (void)ctx;
  printf("handler once for %d\n", sig);
}

int main(int argc, char **argv) {
  hunt_init();
  const char *c = argc > 1 ? argv[1] : "term";
  printf("case %s\n", c);
  if (!strcmp(c, "term")) kill(getpid(), SIGTERM);
  if (!strcmp(c, "kill")) kill(getpid(), SIGKILL);
  if (!strcmp(c, "quit")) raise(SIGQUIT);
  if (!strcmp(c, "usr1")) syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR1);
  if (!strcmp(c, "hup")) kill(getpid(), SIGHUP);
  if (!strcmp(c, "int")) raise(SIGINT);
  if (!strcmp(c, "xcpu")) raise(SIGXCPU);
  if (!strcmp(c, "rt")) raise(SIGRTMIN + 2);
  if (!strcmp(c, "pipe")) {
    int fds[2];
    if (pipe(fds) != 0) return 1;
    close(fds[0]);
    ssize_t n = write(fds[1], "x", 1);
    printf("write returned %zd\n", n);
  }
  if (!strcmp(c, "pipe_ign")) {
    int fds[2];
    if (pipe(fds) != 0) return 1;
    signal(SIGPIPE, SIG_IGN);
    close(fds[0]);
    errno = 0;
    ssize_t n = write(fds[1], "x", 1);
    printf("write returned %zd %s\n", n, strerror(errno));
    return 0;
  }
  if (!strcmp(c, "segv")) *bad_ptr = 1;
  if (!strcmp(c, "ill")) __asm__ volatile("ud2");
  if (!strcmp(c, "trap")) __asm__ volatile("int3");
  if (!strcmp(c, "fpe")) {
    volatile int z = 0;
    printf("%d\n", 7 / z);
  }
  if (!strcmp(c, "sys")) {
    static volatile char sel = SYSCALL_DISPATCH_FILTER_BLOCK;
    sud_on(&sel);
    syscall(SYS_getpid);
  }
  if (!strcmp(c, "resethand")) {
    handle(SIGUSR2, once, SA_RESETHAND);
    raise(SIGUSR2);
    raise(SIGUSR2);
  }
  if (!strcmp(c, "segv_blocked")) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGSEGV);
    sigprocmask(SIG_BLOCK, &s, 0);
    handle(SIGSEGV, once, 0);
    *bad_ptr = 1;
  }
  if (!strcmp(c, "segv_ign")) {
    signal(SIGSEGV, SIG_IGN);
    *bad_ptr = 1;
  }
  printf("still alive\n");
  return 0;
}
