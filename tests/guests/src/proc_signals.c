/* Processes and signals: children killed by SIGSEGV, SIGABRT, SIGKILL and by the uncatchable
 * SIGSYS of an invalid SUD selector; SIGCHLD handlers and their siginfo; SIGCHLD ignored (children
 * reaped at once); whether a fork child keeps SUD armed; fork inside a SUD SIGSYS handler. */
#include "sudc_common.h"
#include <errno.h>
#include <sys/wait.h>

static volatile char selector = SELECTOR_ALLOW;

static void show_status(const char *what, int st) {
  if (WIFEXITED(st)) printf("%s: exited %d\n", what, WEXITSTATUS(st));
  else if (WIFSIGNALED(st)) printf("%s: killed by %d core=%d\n", what, WTERMSIG(st), WCOREDUMP(st) ? 1 : 0);
  else printf("%s: status 0x%x\n", what, st);
}

static void run_child(const char *what, void (*body)(void)) {
  pid_t pid = fork();
  if (pid == 0) {
    body();
    _exit(100);
  }
  int st;
  pid_t r = waitpid(pid, &st, 0);
  if (r != pid) printf("%s: waitpid failed\n", what);
  show_status(what, st);
}

static void segv(void) { *(volatile int *)0 = 1; }
static void do_abort(void) { abort(); }
static void self_kill(void) { kill(getpid(), SIGKILL); }
static void bad_selector(void) {
  selector = 2; /* neither ALLOW nor BLOCK: the next syscall is killed with SIGSYS */
  sud_prctl(SUD_EXCLUSIVE_ON, 0, 0, &selector);
  raw_syscall6(NR_getpid, 0, 0, 0, 0, 0, 0);
}
static void segv_handled_then_exit(void) {
  signal(SIGSEGV, SIG_IGN); /* a fault ignores SIG_IGN: still killed */
  segv();
}

static volatile int chld_count, chld_code, chld_status, chld_pid_ok;
static volatile pid_t expected;
static void on_chld(int sig, siginfo_t *si, void *ctx) {
  (void)sig;
  (void)ctx;
  chld_count++;
  chld_code = si->si_code;
  chld_status = si->si_status;
  chld_pid_ok = si->si_pid == expected;
}

static void sigchld_handler(void) {
  sudc_handle(SIGCHLD, on_chld, 0);
  sigset_t chld, prev;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  for (int round = 0; round < 2; round++) {
    chld_count = 0;
    sigprocmask(SIG_BLOCK, &chld, &prev); /* the handler may only run once `expected` is set */
    pid_t pid = fork();
    if (pid == 0) {
      if (round == 0) _exit(12);
      segv();
    }
    expected = pid;
    sigprocmask(SIG_SETMASK, &prev, 0);
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    show_status("SIGCHLD round", st);
    printf("handler ran %d time(s): si_code=%d si_status=%d si_pid ok=%d\n", chld_count, chld_code,
           chld_status, chld_pid_ok);
  }
  /* sigsuspend until SIGCHLD while SIGCHLD is blocked: delivered once the child is gone. */
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGCHLD);
  sigprocmask(SIG_BLOCK, &block, &old);
  chld_count = 0;
  int p[2];
  pipe(p);
  pid_t pid = fork();
  if (pid == 0) {
    char c;
    close(p[1]);
    read(p[0], &c, 1);
    _exit(21);
  }
  expected = pid;
  close(p[0]);
  write(p[1], "x", 1);
  close(p[1]);
  sigset_t wait_mask = old;
  sigdelset(&wait_mask, SIGCHLD);
  while (chld_count == 0) sigsuspend(&wait_mask);
  sigprocmask(SIG_SETMASK, &old, 0);
  printf("sigsuspend woke with SIGCHLD: si_code=%d si_status=%d si_pid ok=%d\n", chld_code, chld_status,
         chld_pid_ok);
  int st;
  waitpid(pid, &st, 0);
  show_status("sigsuspend child", st);
  signal(SIGCHLD, SIG_DFL);
}

static void sigchld_ignored(void) {
  signal(SIGCHLD, SIG_IGN);
  pid_t pid = fork();
  if (pid == 0) _exit(3);
  int st;
  errno = 0;
  pid_t r = waitpid(pid, &st, 0);
  printf("SIGCHLD ignored: waitpid %d %s\n", r, strerror(errno));
  signal(SIGCHLD, SIG_DFL);
}

static volatile int child_dispatches;
static void count_sigsys(int sig, siginfo_t *si, void *ctx) {
  (void)sig;
  (void)si;
  child_dispatches++;
  selector = SELECTOR_ALLOW;
  GREG(ctx, REG_RAX) = 0;
}

/* The parent arms SUD (selector ALLOW); the child blocks the selector and makes a syscall. */
static void sud_inherited(void) {
  sudc_handle(SIGSYS, count_sigsys, 0);
  selector = SELECTOR_ALLOW;
  if (sud_prctl(SUD_EXCLUSIVE_ON, 0, 0, &selector)) printf("prctl failed\n");
  pid_t pid = fork();
  if (pid == 0) {
    selector = SELECTOR_BLOCK;
    long r = raw_syscall6(NR_getpid, 0, 0, 0, 0, 0, 0);
    selector = SELECTOR_ALLOW;
    printf("child: getpid under BLOCK %s, dispatches %d\n", r > 0 ? "ran natively" : "was dispatched",
           child_dispatches);
    _exit(0);
  }
  int st;
  waitpid(pid, &st, 0);
  sud_prctl(SUD_OFF, 0, 0, 0);
  show_status("SUD child", st);
}

/* A dispatched syscall whose handler forks: both processes return from the same SIGSYS frame. */
static volatile pid_t fork_in_handler;
static void forking_handler(int sig, siginfo_t *si, void *ctx) {
  (void)sig;
  selector = SELECTOR_ALLOW;
  pid_t pid = fork();
  fork_in_handler = pid;
  GREG(ctx, REG_RAX) = pid == 0 ? 1000 + si->si_syscall : 2000 + si->si_syscall;
}

static void fork_in_sud_handler(void) {
  sudc_handle(SIGSYS, forking_handler, 0);
  selector = SELECTOR_BLOCK;
  sud_prctl(SUD_EXCLUSIVE_ON, 0, 0, &selector);
  long r = raw_syscall6(0x42, 0, 0, 0, 0, 0, 0);
  selector = SELECTOR_ALLOW;
  if (fork_in_handler == 0) {
    printf("child after the handler: rax=%ld\n", r);
    _exit(33);
  }
  sud_prctl(SUD_OFF, 0, 0, 0);
  int st;
  waitpid(fork_in_handler, &st, 0);
  printf("parent after the handler: rax=%ld\n", r);
  show_status("child forked in the handler", st);
}

int main(void) {
  sudc_init();
  run_child("SIGSEGV", segv);
  run_child("SIGSEGV with SIG_IGN", segv_handled_then_exit);
  run_child("abort", do_abort);
  run_child("SIGKILL self", self_kill);
  run_child("invalid SUD selector", bad_selector);
  sigchld_handler();
  sigchld_ignored();
  sud_inherited();
  fork_in_sud_handler();
  printf("done\n");
  return 0;
}
