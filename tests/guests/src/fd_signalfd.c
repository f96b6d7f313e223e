/* signalfd: records of blocked pending signals (kill, sigqueue value, several in one read),
   EAGAIN when empty, mask updates, poll readiness, EINVAL edges, and SIGCHLD from a fork child
   read by a parent blocked in read. */
#include "fd_common.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

static void dump(int fd, size_t len) {
  struct signalfd_siginfo si[4];
  memset(si, 0, sizeof si);
  long r = read(fd, si, len);
  if (r < 0) {
    printf("read = -%s\n", errname(errno));
    return;
  }
  printf("read = %ld\n", r);
  for (long i = 0; i < r / (long)sizeof si[0]; i++)
    printf("  signo %u code %d self %d uid-ok %d int %d status %d\n", si[i].ssi_signo,
           si[i].ssi_code, si[i].ssi_pid == (uint32_t)getpid(), si[i].ssi_uid == getuid(),
           si[i].ssi_int, si[i].ssi_status);
}

static int rev(int fd) {
  struct pollfd p = {fd, POLLIN | POLLOUT, 0};
  poll(&p, 1, 0);
  return p.revents;
}

int main(void) {
  sigset_t m;
  sigemptyset(&m);
  sigaddset(&m, SIGUSR1);
  sigaddset(&m, SIGUSR2);
  sigaddset(&m, SIGRTMIN + 1);
  sigprocmask(SIG_BLOCK, &m, NULL);
  F(signalfd(-1, &m, SFD_NONBLOCK | 0x10));
  T(syscall(289, -1, &m, 4, 0));
  T(signalfd(0, &m, 0));
  T(signalfd(77, &m, 0));
  int fd = F(signalfd(-1, &m, SFD_NONBLOCK | SFD_CLOEXEC));
  T(fcntl(fd, F_GETFD));
  dump(fd, sizeof(struct signalfd_siginfo));
  printf("revents %#x\n", rev(fd));
  T(kill(getpid(), SIGUSR2));
  T(kill(getpid(), SIGUSR1));
  printf("revents %#x\n", rev(fd));
  dump(fd, 100);
  dump(fd, sizeof(struct signalfd_siginfo));
  dump(fd, 4 * sizeof(struct signalfd_siginfo));
  union sigval sv = {.sival_int = 1234};
  T(sigqueue(getpid(), SIGRTMIN + 1, sv));
  sv.sival_int = 5678;
  T(sigqueue(getpid(), SIGRTMIN + 1, sv));
  dump(fd, 4 * sizeof(struct signalfd_siginfo));
  /* Narrow the mask: SIGUSR2 stays pending, not readable. */
  sigset_t only1;
  sigemptyset(&only1);
  sigaddset(&only1, SIGUSR1);
  T(signalfd(fd, &only1, 0) == fd);
  T(raise(SIGUSR2));
  dump(fd, sizeof(struct signalfd_siginfo));
  sigset_t pend;
  sigpending(&pend);
  printf("USR2 pending %d\n", sigismember(&pend, SIGUSR2));
  T(signalfd(fd, &m, 0) == fd);
  dump(fd, sizeof(struct signalfd_siginfo));
  T(write(fd, &m, 8));
  T(close(fd));

  /* SIGCHLD through a blocking signalfd. */
  sigset_t c;
  sigemptyset(&c);
  sigaddset(&c, SIGCHLD);
  sigprocmask(SIG_BLOCK, &c, NULL);
  int cfd = F(signalfd(-1, &c, 0));
  pid_t pid = fork();
  if (pid == 0) _exit(7);
  struct signalfd_siginfo si;
  T(read(cfd, &si, sizeof si));
  printf("signo %u code %d child %d status %d\n", si.ssi_signo, si.ssi_code,
         si.ssi_pid == (uint32_t)pid, si.ssi_status);
  int status;
  T(waitpid(pid, &status, 0) == pid);
  printf("exit %d\n", WEXITSTATUS(status));
  /* A child killed by a signal. */
  pid = fork();
  if (pid == 0) {
    raise(SIGKILL);
    _exit(1);
  }
  T(read(cfd, &si, sizeof si));
  printf("signo %u code %d child %d status %d\n", si.ssi_signo, si.ssi_code,
         si.ssi_pid == (uint32_t)pid, si.ssi_status);
  T(waitpid(pid, &status, 0) == pid);
  printf("killed by %d\n", WTERMSIG(status));
  return 0;
}
