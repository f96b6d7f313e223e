/* Processes: fork/vfork/clone return values, exit statuses through waitpid/wait4/waitid, copied
 * memory and FPU state, pipes both ways between parent and child, WNOHANG polling, WNOWAIT, ECHILD,
 * a grandchild, and killing a blocked child. Output is unbuffered (a fork never duplicates it). */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int global = 1;

/* Prints a call's result and errno (evaluated in that order). */
static void result(const char *what, long r) {
  printf("%s: %ld %s\n", what, r, r < 0 ? strerror(errno) : "ok");
}

static void show_status(const char *what, int st) {
  if (WIFEXITED(st)) printf("%s: exited %d\n", what, WEXITSTATUS(st));
  else if (WIFSIGNALED(st)) printf("%s: killed by %d core=%d\n", what, WTERMSIG(st), WCOREDUMP(st) ? 1 : 0);
  else printf("%s: status 0x%x\n", what, st);
}

static void exit_codes(void) {
  int codes[] = {0, 1, 42, 255, 256 + 7};
  for (unsigned i = 0; i < sizeof codes / sizeof codes[0]; i++) {
    pid_t pid = fork();
    if (pid == 0) _exit(codes[i]);
    int st = -1;
    pid_t r = waitpid(pid, &st, 0);
    printf("exit(%d): waitpid returned the child: %d, raw status 0x%x\n", codes[i], r == pid, st);
  }
  /* exit() flushes stdio in the child; returning from a child's main works too. */
  pid_t pid = fork();
  if (pid == 0) exit(9);
  int st;
  struct rusage ru;
  memset(&ru, 0xff, sizeof ru);
  pid_t r = wait4(pid, &st, 0, &ru);
  show_status("exit(9) via wait4", st);
  printf("wait4 returned pid: %d, rusage utime zeroed: %d\n", r == pid, ru.ru_utime.tv_sec == 0);
}

static void identity(void) {
  pid_t parent = getpid();
  volatile long double ld = 1.0L / 3.0L;
  volatile double d = 2.0 / 7.0;
  pid_t pid = fork();
  if (pid == 0) {
    printf("child: fork returned 0, getppid is the parent: %d, own pid differs: %d\n",
           getppid() == parent, getpid() != parent);
    printf("child: global=%d ld=%.20Lg d=%.17g\n", global, (long double)ld, (double)d);
    global = 2;
    printf("child: set global=%d, gettid==getpid: %d\n", global, (pid_t)syscall(SYS_gettid) == getpid());
    _exit(0);
  }
  int st;
  waitpid(pid, &st, 0);
  printf("parent: fork returned a positive pid: %d, global still %d\n", pid > 0, global);
}

static void pipes(void) {
  int up[2], down[2];
  if (pipe(up) || pipe(down)) return;
  pid_t pid = fork();
  if (pid == 0) {
    close(up[0]);
    close(down[1]);
    char buf[64];
    ssize_t n = read(down[0], buf, sizeof buf); /* blocks until the parent writes */
    for (ssize_t i = 0; i < n; i++) buf[i] = buf[i] >= 'a' && buf[i] <= 'z' ? buf[i] - 32 : buf[i];
    write(up[1], "child got: ", 11);
    write(up[1], buf, n);
    n = read(down[0], buf, sizeof buf); /* EOF once the parent closes its end */
    dprintf(up[1], "; then read returned %zd\n", n);
    _exit(3);
  }
  close(up[1]);
  close(down[0]);
  int st;
  printf("WNOHANG while the child waits for input: %d\n", waitpid(pid, &st, WNOHANG));
  write(down[1], "ping pong", 9);
  close(down[1]);
  char out[128];
  size_t have = 0;
  ssize_t n;
  while ((n = read(up[0], out + have, sizeof out - 1 - have)) > 0) have += n;
  out[have] = 0;
  printf("parent read %zu bytes: %s", have, out);
  close(up[0]);
  int polls = 0;
  pid_t r;
  while ((r = waitpid(pid, &st, WNOHANG)) == 0) {
    polls++;
    usleep(1000);
  }
  printf("WNOHANG polling found the child: %d, polled: %d\n", r == pid, polls >= 0);
  show_status("pipe child", st);
}

static void waitids(void) {
  pid_t pid = fork();
  if (pid == 0) _exit(17);
  siginfo_t si;
  memset(&si, 0xee, sizeof si);
  int r = waitid(P_PID, pid, &si, WEXITED | WNOWAIT);
  printf("waitid WNOWAIT: %d signo=%d code=%d pid ok=%d status=%d\n", r, si.si_signo, si.si_code,
         si.si_pid == pid, si.si_status);
  memset(&si, 0xee, sizeof si);
  r = waitid(P_ALL, 0, &si, WEXITED);
  printf("waitid again: %d signo=%d code=%d pid ok=%d status=%d\n", r, si.si_signo, si.si_code,
         si.si_pid == pid, si.si_status);
  memset(&si, 0xee, sizeof si);
  errno = 0;
  r = waitid(P_ALL, 0, &si, WEXITED | WNOHANG);
  printf("waitid with no children: %d %s\n", r, strerror(errno));
  result("waitid without WEXITED", waitid(P_ALL, 0, &si, WNOHANG));
  result("waitpid(-1) with no children", waitpid(-1, 0, 0));
  result("waitpid(WNOHANG) with no children", waitpid(-1, 0, WNOHANG));
  result("wait4 bad options", syscall(SYS_wait4, -1, 0, 0x100, 0));
  result("waitid P_PID 0", waitid(P_PID, 0, &si, WEXITED));
  result("waitid bad idtype", waitid(7, 0, &si, WEXITED));
  /* WNOHANG with a live child that sleeps a little: 0 first. */
  int p[2];
  pipe(p);
  pid = fork();
  if (pid == 0) {
    char c;
    close(p[1]);
    read(p[0], &c, 1);
    _exit(c);
  }
  close(p[0]);
  memset(&si, 0xee, sizeof si);
  r = waitid(P_PID, pid, &si, WEXITED | WNOHANG);
  printf("waitid WNOHANG on a waiting child: %d signo=%d pid=%d\n", r, si.si_signo, si.si_pid);
  write(p[1], "\x05", 1);
  close(p[1]);
  int st;
  waitpid(pid, &st, 0);
  show_status("waitid child", st);
}

static void nested(void) {
  int p[2];
  pipe(p);
  pid_t pid = fork();
  if (pid == 0) {
    pid_t me = getpid();
    pid_t g = fork();
    if (g == 0) {
      printf("grandchild: parent is the child: %d\n", getppid() == me);
      _exit(5);
    }
    int st;
    waitpid(g, &st, 0);
    show_status("child saw grandchild", st);
    write(p[1], &g, sizeof g);
    _exit(6);
  }
  close(p[1]);
  int st;
  pid_t r = wait(&st);
  show_status("parent saw child", st);
  pid_t g = 0;
  read(p[0], &g, sizeof g);
  close(p[0]);
  printf("wait() got the child: %d; grandchild pid distinct: %d\n", r == pid, g != pid && g > 0);
  result("grandchild is not our child", waitpid(g, 0, 0));
}

static void killing(void) {
  int p[2];
  pipe(p);
  pid_t pid = fork();
  if (pid == 0) {
    char c;
    read(p[0], &c, 1); /* never gets anything: killed while waiting */
    _exit(1);
  }
  close(p[0]);
  kill(pid, SIGTERM);
  int st;
  waitpid(pid, &st, 0);
  show_status("killed while blocked", st);
  close(p[1]);
  result("kill of a reaped pid", kill(pid, 0));
}

static void vforks(void) {
  pid_t pid = vfork();
  if (pid == 0) _exit(4);
  int st;
  waitpid(pid, &st, 0);
  show_status("vfork child", st);
  pid = (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
  if (pid == 0) _exit(8);
  waitpid(pid, &st, 0);
  show_status("clone(SIGCHLD) child", st);
}

int main(void) {
  setvbuf(stdout, 0, _IONBF, 0);
  exit_codes();
  identity();
  pipes();
  waitids();
  nested();
  killing();
  vforks();
  printf("done\n");
  return 0;
}
