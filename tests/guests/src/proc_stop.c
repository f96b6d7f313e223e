/* Job control: SIGSTOP/SIGTSTP/SIGTTIN/SIGTTOU stop a child until SIGCONT; wait4 with WUNTRACED
 * and WCONTINUED, waitid with WSTOPPED/WCONTINUED (and WNOWAIT); the parent's SIGCHLD with
 * CLD_STOPPED/CLD_CONTINUED, silenced by SA_NOCLDSTOP; SIGKILL of a stopped child; a SIGTSTP
 * handler vs the default; SIGCONT discards pending stop signals and a stop signal discards a
 * pending SIGCONT. Children get their own process group so the group is never orphaned. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void child_pause_loop(void) {
  setpgid(0, 0);
  for (;;) pause();
}

static pid_t spawn(void (*body)(void)) {
  pid_t pid = fork();
  if (pid == 0) {
    body();
    _exit(100);
  }
  setpgid(pid, pid); /* also in the parent: no race with the child's own call */
  return pid;
}

/* waitpid(c, &st, options), then what it reported (want: the pid it should return). */
static void show(const char *what, pid_t want, pid_t c, int options) {
  int st = 0;
  pid_t got = waitpid(c, &st, options);
  if (got != want) {
    printf("%s: returned %s (errno %d)\n", what, got == 0 ? "0" : got < 0 ? "-1" : "other pid",
           got < 0 ? errno : 0);
    return;
  }
  if (got == 0) printf("%s: nothing to report\n", what);
  else if (WIFSTOPPED(st)) printf("%s: stopped by %d (0x%x)\n", what, WSTOPSIG(st), st);
  else if (WIFCONTINUED(st)) printf("%s: continued (0x%x)\n", what, st);
  else if (WIFEXITED(st)) printf("%s: exited %d\n", what, WEXITSTATUS(st));
  else if (WIFSIGNALED(st)) printf("%s: killed by %d\n", what, WTERMSIG(st));
}

static void test_wait4(void) {
  pid_t c = spawn(child_pause_loop);
  kill(c, SIGSTOP);
  show("SIGSTOP WUNTRACED", c, c, WUNTRACED);
  show("again WNOHANG|WUNTRACED", 0, c, WNOHANG | WUNTRACED);
    kill(c, SIGCONT);
  show("SIGCONT WCONTINUED", c, c, WCONTINUED);
  show("continued reported once", 0, c, WNOHANG | WCONTINUED | WUNTRACED);
  const int stops[] = {SIGTSTP, SIGTTIN, SIGTTOU};
  for (int i = 0; i < 3; i++) {
    kill(c, stops[i]);
    show(strsignal(stops[i]), c, c, WUNTRACED);
    kill(c, SIGCONT);
    show("  then SIGCONT", c, c, WCONTINUED);
  }
  /* A stop not asked for (no WUNTRACED) is not reported; continue it and end it. */
  kill(c, SIGSTOP);
  show("stopped, plain WNOHANG", 0, c, WNOHANG);
  show("stopped, WUNTRACED", c, c, WUNTRACED);
  kill(c, SIGTERM); /* pending while stopped */
  show("SIGTERM while stopped WNOHANG", 0, c, WNOHANG);
  kill(c, SIGCONT);
  show("SIGCONT then SIGTERM", c, c, 0);
}

static void show_info(const char *what, int r, siginfo_t *si, pid_t c) {
  if (r != 0) {
    printf("%s: waitid %d errno %d\n", what, r, errno);
    return;
  }
  printf("%s: signo %d code %d status %d pid %s\n", what, si->si_signo, si->si_code,
         si->si_status, si->si_pid == c ? "child" : si->si_pid == 0 ? "0" : "other");
}

static void test_waitid(void) {
  pid_t c = spawn(child_pause_loop);
  siginfo_t si;
  kill(c, SIGSTOP);
  memset(&si, 0, sizeof si);
  show_info("WSTOPPED|WNOWAIT", waitid(P_PID, c, &si, WSTOPPED | WNOWAIT), &si, c);
  memset(&si, 0, sizeof si);
  show_info("WSTOPPED", waitid(P_PID, c, &si, WSTOPPED), &si, c);
  memset(&si, 0xff, sizeof si);
  show_info("WSTOPPED|WNOHANG", waitid(P_PID, c, &si, WSTOPPED | WNOHANG), &si, c);
  kill(c, SIGCONT);
  memset(&si, 0, sizeof si);
  show_info("WCONTINUED|WNOWAIT", waitid(P_ALL, 0, &si, WCONTINUED | WNOWAIT), &si, c);
  memset(&si, 0, sizeof si);
  show_info("WCONTINUED", waitid(P_PGID, c, &si, WCONTINUED | WEXITED), &si, c);
  kill(c, SIGSTOP);
  memset(&si, 0, sizeof si);
  show_info("stopped again", waitid(P_PID, c, &si, WSTOPPED), &si, c);
  kill(c, SIGKILL);
  memset(&si, 0, sizeof si);
  show_info("SIGKILL of a stopped child", waitid(P_PID, c, &si, WEXITED), &si, c);
  memset(&si, 0, sizeof si);
  show_info("none left", waitid(P_ALL, 0, &si, WEXITED | WSTOPPED | WCONTINUED), &si, c);
}

static volatile int chld_count, chld_code, chld_status, chld_from_child;
static volatile pid_t expected;
static void on_chld(int sig, siginfo_t *si, void *ctx) {
  (void)sig;
  (void)ctx;
  chld_count++;
  chld_code = si->si_code;
  chld_status = si->si_status;
  chld_from_child = si->si_pid == expected;
}

static void install(int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_chld;
  sa.sa_flags = SA_SIGINFO | flags;
  sigaction(SIGCHLD, &sa, 0);
}

static void await_chld(const char *what, sigset_t *unblocked) {
  int before = chld_count;
  while (chld_count == before) sigsuspend(unblocked);
  printf("%s: SIGCHLD code %d status %d from child %d\n", what, chld_code, chld_status,
         chld_from_child);
}

static void test_sigchld(void) {
  sigset_t chld, old;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, &old);
  install(0);
  pid_t c = spawn(child_pause_loop);
  expected = c;
  kill(c, SIGSTOP);
  await_chld("stop", &old);
  kill(c, SIGCONT);
  await_chld("continue", &old);
  kill(c, SIGTSTP);
  await_chld("SIGTSTP", &old);
  show("  wait", c, c, WUNTRACED);
  kill(c, SIGCONT);
  await_chld("continue", &old);

  install(SA_NOCLDSTOP);
  chld_count = 0;
  sigset_t pend;
  kill(c, SIGSTOP);
  show("SA_NOCLDSTOP stop", c, c, WUNTRACED);
  sigpending(&pend);
  printf("  SIGCHLD pending: %d\n", sigismember(&pend, SIGCHLD));
  kill(c, SIGCONT);
  show("SA_NOCLDSTOP continue", c, c, WCONTINUED);
  sigpending(&pend);
  printf("  SIGCHLD pending: %d\n", sigismember(&pend, SIGCHLD));
  kill(c, SIGSTOP);
  show("SA_NOCLDSTOP stop again", c, c, WUNTRACED);
  kill(c, SIGKILL);
  show("SIGKILL of a stopped child", c, c, 0);
  await_chld("death", &old);
  printf("handler calls under SA_NOCLDSTOP: %d\n", chld_count);
  signal(SIGCHLD, SIG_DFL);
  sigprocmask(SIG_SETMASK, &old, 0);
}

static int to_child[2], from_child[2];
static volatile sig_atomic_t tstp_seen;
static void on_tstp(int sig) {
  (void)sig;
  tstp_seen = 1;
}

static void tstp_handler_child(void) {
  setpgid(0, 0);
  signal(SIGTSTP, on_tstp);
  sigset_t tstp, none;
  sigemptyset(&tstp);
  sigemptyset(&none);
  sigaddset(&tstp, SIGTSTP);
  sigprocmask(SIG_BLOCK, &tstp, 0); /* taken only inside sigsuspend: no lost wake-up */
  char b = 'r';
  if (write(from_child[1], &b, 1) != 1) _exit(1); /* ready: the handler is installed */
  while (!tstp_seen) sigsuspend(&none);
  b = 'T';
  if (write(from_child[1], &b, 1) != 1) _exit(1);
  for (;;) pause();
}

/* Blocked SIGTSTP and SIGCONT: each new one discards the other's pending instance. */
static void pending_child(void) {
  setpgid(0, 0);
  char b;
  for (int round = 0; round < 2; round++) {
    if (read(to_child[0], &b, 1) != 1) _exit(1);
    sigset_t pend;
    sigpending(&pend);
    b = (char)('0' + sigismember(&pend, SIGTSTP) * 2 + sigismember(&pend, SIGCONT));
    if (write(from_child[1], &b, 1) != 1) _exit(1);
  }
  signal(SIGTSTP, SIG_IGN); /* drops the pending SIGTSTP */
  _exit(7);
}

static void test_tstp(void) {
  if (pipe(to_child) || pipe(from_child)) return;
  char b = 0;
  pid_t c = spawn(tstp_handler_child);
  if (read(from_child[0], &b, 1) != 1) printf("no ready byte\n");
  kill(c, SIGTSTP);
  if (read(from_child[0], &b, 1) == 1) printf("SIGTSTP handler ran: %c\n", b);
  show("  not stopped", 0, c, WNOHANG | WUNTRACED);
  kill(c, SIGKILL);
  show("  killed", c, c, 0);

  sigset_t both, old;
  sigemptyset(&both);
  sigaddset(&both, SIGTSTP);
  sigaddset(&both, SIGCONT);
  sigprocmask(SIG_BLOCK, &both, &old);
  c = spawn(pending_child);
  sigprocmask(SIG_SETMASK, &old, 0);
  kill(c, SIGCONT);
  kill(c, SIGTSTP);
  b = 'g';
  if (write(to_child[1], &b, 1) != 1) return;
  if (read(from_child[0], &b, 1) == 1) printf("SIGCONT then SIGTSTP: pending %c (2 = TSTP)\n", b);
  kill(c, SIGCONT);
  b = 'g';
  if (write(to_child[1], &b, 1) != 1) return;
  if (read(from_child[0], &b, 1) == 1) printf("then SIGCONT: pending %c (1 = CONT)\n", b);
  show("  blocked child", c, c, WUNTRACED);
}

int main(void) {
  setvbuf(stdout, 0, _IONBF, 0);
  test_wait4();
  test_waitid();
  test_sigchld();
  test_tstp();
  printf("done\n");
  return 0;
}
