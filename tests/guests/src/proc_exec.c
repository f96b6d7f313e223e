/* execve of static programs: re-exec of /proc/self/exe with arguments and environment (from the
 * initial process and from fork and vfork children), what survives exec (pid, mask, pending
 * signals, ignored dispositions, fds without close-on-exec) and what does not (handlers, SUD armed
 * with a NULL selector and a region around the execve stub: the new image runs normally), and the
 * errors ENOENT, ENOEXEC, EACCES and EFAULT. */
#include "sudc_common.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define NR_execve 59
static char *const envp[] = {"PROC_EXEC_VAR=hello world", "OTHER=", 0};

static void on_usr1(int sig) { (void)sig; }

static void show_status(const char *what, int st) {
  if (WIFEXITED(st)) printf("%s: exited %d\n", what, WEXITSTATUS(st));
  else if (WIFSIGNALED(st)) printf("%s: killed by %d\n", what, WTERMSIG(st));
  else printf("%s: status 0x%x\n", what, st);
}

static const char *disp(int sig) {
  struct sigaction sa;
  sigaction(sig, 0, &sa);
  if (sa.sa_handler == SIG_DFL) return "default";
  if (sa.sa_handler == SIG_IGN) return "ignored";
  return "handler";
}

/* The exec'd image: reports what it inherited. */
static int child_mode(int argc, char **argv) {
  extern char **environ;
  int nenv = 0;
  while (environ[nenv]) nenv++;
  printf("child: argc %d", argc);
  for (int i = 1; i < argc; i++) printf(" [%s]", argv[i]);
  printf("\nchild: %d env, PROC_EXEC_VAR=[%s] OTHER=[%s]\n", nenv, getenv("PROC_EXEC_VAR"),
         getenv("OTHER"));
  printf("child: SIGUSR1 %s, SIGUSR2 %s, SIGTERM %s\n", disp(SIGUSR1), disp(SIGUSR2), disp(SIGTERM));
  sigset_t cur, pend;
  sigprocmask(SIG_BLOCK, 0, &cur);
  sigpending(&pend);
  printf("child: SIGHUP blocked %d pending %d\n", sigismember(&cur, SIGHUP), sigismember(&pend, SIGHUP));
  printf("child: fd 10 %s, fd 11 %s\n", fcntl(10, F_GETFD) >= 0 ? "open" : "closed",
         fcntl(11, F_GETFD) >= 0 ? "open" : "closed");
  stack_t ss;
  sigaltstack(0, &ss);
  printf("child: altstack disabled %d\n", (ss.ss_flags & SS_DISABLE) != 0);
  return 42;
}

static void exec_self(char *mode, char *extra) {
  char *argv[] = {"proc_exec", mode, extra, 0};
  execve("/proc/self/exe", argv, envp);
  printf("exec_self failed: errno %d\n", errno);
  _exit(127);
}

static void errors(void) {
  char *argv[] = {"x", 0};
  int r;
  errno = 0;
  r = execve("/nonexistent/proc_exec", argv, envp);
  printf("missing: %d ENOENT %d\n", r, errno == ENOENT);
  char name[] = "/tmp/proc_exec_XXXXXX";
  int fd = mkstemp(name);
  if (fd < 0) {
    printf("mkstemp failed\n");
    return;
  }
  if (write(fd, "just text\n", 10) != 10) printf("write failed\n");
  fchmod(fd, 0755);
  close(fd);
  errno = 0;
  r = execve(name, argv, envp);
  printf("not elf: %d ENOEXEC %d\n", r, errno == ENOEXEC);
  chmod(name, 0644);
  errno = 0;
  r = execve(name, argv, envp);
  printf("not executable: %d EACCES %d\n", r, errno == EACCES);
  unlink(name);
  errno = 0;
  r = execve("/tmp", argv, envp);
  printf("directory: %d EACCES %d\n", r, errno == EACCES);
  static void *volatile bad = (void *)8; /* volatile: the compiler cannot see the address */
  errno = 0;
  r = execve(bad, argv, envp);
  printf("bad path: %d EFAULT %d\n", r, errno == EFAULT);
  errno = 0;
  r = execve("/proc/self/exe", bad, envp);
  printf("bad argv: %d EFAULT %d\n", r, errno == EFAULT);
}

/* A fork child sets up state and execs itself; the parent sees the new image's exit status. */
static void fork_exec(void) {
  pid_t pid = fork();
  if (pid == 0) {
    signal(SIGUSR1, on_usr1);
    signal(SIGUSR2, SIG_IGN);
    sigset_t hup;
    sigemptyset(&hup);
    sigaddset(&hup, SIGHUP);
    sigprocmask(SIG_BLOCK, &hup, 0);
    raise(SIGHUP);
    stack_t ss = {.ss_sp = malloc(65536), .ss_size = 65536, .ss_flags = 0};
    sigaltstack(&ss, 0);
    dup2(open("/dev/null", O_RDONLY), 10);
    int c = open("/dev/null", O_RDONLY | O_CLOEXEC);
    dup3(c, 11, O_CLOEXEC);
    exec_self("child", "two words");
  }
  int st;
  waitpid(pid, &st, 0);
  show_status("fork+exec", st);
}

/* SUD armed (NULL selector: every syscall outside the region dispatches) around the execve stub. */
static void sud_exec(void) {
  pid_t pid = fork();
  if (pid == 0) {
    char *argv[] = {"proc_exec", "sud", 0};
    sud_prctl(SUD_EXCLUSIVE_ON, (unsigned long)stub_start, (unsigned long)(stub_end - stub_start), 0);
    long r = stub_call(NR_execve, (long)"/proc/self/exe", (long)argv, (long)envp);
    _exit((int)-r);
  }
  int st;
  waitpid(pid, &st, 0);
  show_status("SUD+exec", st);
}

static void vfork_exec(void) {
  pid_t pid = vfork();
  if (pid == 0) {
    char *argv[] = {"proc_exec", "vfork", 0};
    execve("/proc/self/exe", argv, envp);
    _exit(127);
  }
  int st;
  waitpid(pid, &st, 0);
  show_status("vfork+exec", st);
}

int main(int argc, char **argv) {
  sudc_init();
  if (argc >= 2 && strcmp(argv[1], "child") == 0) return child_mode(argc, argv);
  if (argc >= 2 && strcmp(argv[1], "sud") == 0) {
    printf("sud: the new image runs normally (getpid ok %d)\n",
           raw_syscall6(NR_getpid, 0, 0, 0, 0, 0, 0) == getpid());
    return 43;
  }
  if (argc >= 2 && strcmp(argv[1], "vfork") == 0) {
    printf("vfork: exec'd child runs\n");
    return 44;
  }
  if (argc >= 3 && strcmp(argv[1], "final") == 0) {
    printf("final: same pid %d\n", atoi(argv[2]) == getpid());
    return 0;
  }
  errors();
  fork_exec();
  sud_exec();
  vfork_exec();
  char pid[32];
  snprintf(pid, sizeof pid, "%d", getpid());
  exec_self("final", pid);
  return 1;
}
