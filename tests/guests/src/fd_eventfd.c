/* eventfd: counter and semaphore reads, EINVAL/EAGAIN edges, poll readiness, fstat, and a
   fork child waking its parent blocked in read. */
#include "fd_common.h"
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int rev(int fd) {
  struct pollfd p = {fd, POLLIN | POLLOUT, 0};
  poll(&p, 1, 0);
  return p.revents;
}

int main(void) {
  uint64_t v = 0;
  char small[4];
  F(eventfd(0, 0x1234));
  int fd = F(eventfd(3, EFD_NONBLOCK));
  printf("revents %#x\n", rev(fd));
  T(read(fd, small, 4));
  T(read(fd, &v, 8));
  printf("value %llu\n", (unsigned long long)v);
  T(read(fd, &v, 8));
  printf("revents %#x\n", rev(fd));
  v = 5;
  T(write(fd, &v, 8));
  T(write(fd, &v, 4));
  v = 7;
  T(write(fd, &v, 8));
  T(read(fd, &v, 16));
  printf("value %llu\n", (unsigned long long)v);
  v = UINT64_MAX;
  T(write(fd, &v, 8));
  v = UINT64_MAX - 1;
  T(write(fd, &v, 8));
  printf("revents %#x\n", rev(fd));
  v = 1;
  T(write(fd, &v, 8));
  T(read(fd, &v, 8));
  printf("value %llu\n", (unsigned long long)v);
  T(lseek(fd, 0, SEEK_SET));
  struct stat st;
  T(fstat(fd, &st));
  printf("mode %o\n", st.st_mode);
  T(fcntl(fd, F_GETFL) & (O_NONBLOCK | O_ACCMODE));
  T(close(fd));

  int sem = F(eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC));
  T(fcntl(sem, F_GETFD));
  for (int i = 0; i < 3; i++) {
    v = 0;
    T(read(sem, &v, 8));
    printf("value %llu\n", (unsigned long long)v);
  }
  T(eventfd_write(sem, 4));
  eventfd_t ev = 0;
  T(eventfd_read(sem, &ev));
  printf("value %llu\n", (unsigned long long)ev);
  T(close(sem));

  /* A child wakes the parent blocked in read (twice). */
  int efd = F(eventfd(0, 0));
  pid_t pid = fork();
  if (pid == 0) {
    v = 40;
    write(efd, &v, 8);
    v = 2;
    write(efd, &v, 8);
    _exit(0);
  }
  uint64_t total = 0;
  while (total < 42) {
    if (read(efd, &v, 8) != 8) break;
    total += v;
  }
  printf("parent got %llu\n", (unsigned long long)total);
  int status;
  waitpid(pid, &status, 0);
  printf("child exit %d\n", WEXITSTATUS(status));
  return 0;
}
