/* hunt2_selector_shared: the selector byte lives in a MAP_SHARED page; a forked child (which has
 * no SUD of its own) flips it, and the parent's next calls follow the child's writes. A SIGALRM
 * handler flipping it asynchronously from outside the SIGSYS handler works the same way. */
#include "hunt2.h"

static volatile char *sel;
static volatile int hits;
static void on_sys(int s, siginfo_t *si, void *c) {
  (void)s;
  hits++;
  REG(c, REG_RAX) = 100 + si->si_syscall;
}
static void on_usr1(int s) {
  (void)s;
  *sel = H2_BLOCK;
}

int main(void) {
  hunt_init();
  sel = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  volatile int *turn = (volatile int *)(sel + 64);
  handle(SIGSYS, on_sys, 0);
  signal(SIGUSR1, on_usr1);
  int pfd[2], qfd[2];
  if (pipe(pfd) || pipe(qfd)) return 1;
  pid_t p = fork();
  if (p == 0) {
    char b;
    for (int i = 0; i < 3; i++) {
      if (read(pfd[0], &b, 1) != 1) _exit(3);
      /* the child's own calls are never dispatched even with the byte at BLOCK */
      *sel = (i % 2 == 0) ? H2_BLOCK : H2_ALLOW;
      *turn = i;
      long r = h2_raw(SYS_getppid, 0, 0, 0);
      if (r < 0 || r == 100 + SYS_getppid) _exit(4);
      if (write(qfd[1], "k", 1) != 1) _exit(5);
    }
    _exit(0);
  }
  printf("armed: %s\n", h2_sud(H2_INCL, (unsigned long)h2_tramp_start, (unsigned long)(h2_tramp_end - h2_tramp_start), sel));
  for (int i = 0; i < 3; i++) {
    char b;
    if (write(pfd[1], "g", 1) != 1 || read(qfd[0], &b, 1) != 1) return 2;
    long r = h2_sys(SYS_getppid, 0, 0, 0);
    printf("round %d: child wrote %d, parent getppid %s\n", *turn, *sel, r == 100 + SYS_getppid ? "dispatched" : "native");
  }
  int st;
  waitpid(p, &st, 0);
  h2_report("child", st);
  *sel = H2_ALLOW;
  raise(SIGUSR1);
  long r = h2_sys(SYS_getpid, 0, 0, 0);
  printf("after SIGUSR1 handler set BLOCK: getpid %s, hits %d\n", r == 100 + SYS_getpid ? "dispatched" : "native", hits);
  return 0;
}
