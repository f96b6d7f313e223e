/* epoll over pipes, socketpairs, eventfd and signalfd: ctl errors, level-triggered readiness,
   EPOLLONESHOT, EPOLLET, HUP/ERR, close removing a registration, nested epoll, epoll_pwait. */
#include "fd_common.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

static int cmp(const void *a, const void *b) {
  const struct epoll_event *x = a, *y = b;
  return (int)(x->data.u64 - y->data.u64);
}

/* Waits with timeout 0 and prints the events sorted by their data (order is not specified). */
static void wait0(int ep, const char *what) {
  struct epoll_event ev[16];
  int n = epoll_wait(ep, ev, 16, 0);
  if (n < 0) {
    printf("%s: -%s\n", what, errname(errno));
    return;
  }
  qsort(ev, n, sizeof ev[0], cmp);
  printf("%s: %d", what, n);
  for (int i = 0; i < n; i++) printf(" [%llu %#x]", (unsigned long long)ev[i].data.u64, ev[i].events);
  printf("\n");
}

static int add(int ep, int fd, uint32_t events, uint64_t data) {
  struct epoll_event e = {.events = events, .data.u64 = data};
  return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
}

int main(void) {
  F(epoll_create(0));
  F(epoll_create1(1));
  int ep = F(epoll_create1(EPOLL_CLOEXEC));
  T(fcntl(ep, F_GETFD));
  int p[2], sv[2];
  T(pipe(p));
  T(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
  int efd = F(eventfd(0, EFD_NONBLOCK));
  sigset_t m;
  sigemptyset(&m);
  sigaddset(&m, SIGUSR1);
  sigprocmask(SIG_BLOCK, &m, NULL);
  int sfd = F(signalfd(-1, &m, SFD_NONBLOCK));
  int file = F(open("/proc/self/exe", O_RDONLY));

  T(add(ep, p[0], EPOLLIN, 1));
  T(add(ep, p[0], EPOLLIN, 1));
  T(add(ep, p[1], EPOLLOUT, 2));
  T(add(ep, sv[0], EPOLLIN | EPOLLOUT | EPOLLRDHUP, 3));
  T(add(ep, efd, EPOLLIN, 4));
  T(add(ep, sfd, EPOLLIN, 5));
  T(add(ep, file, EPOLLIN, 6));
  T(add(ep, 99, EPOLLIN, 7));
  T(add(99, p[0], EPOLLIN, 7));
  T(add(p[0], sv[1], EPOLLIN, 7));
  T(add(ep, ep, EPOLLIN, 7));
  struct epoll_event e = {.events = EPOLLIN, .data.u64 = 8};
  T(epoll_ctl(ep, EPOLL_CTL_MOD, sv[1], &e));
  T(epoll_ctl(ep, EPOLL_CTL_DEL, sv[1], NULL));
  T(epoll_ctl(ep, 9, p[0], &e));
  wait0(ep, "idle");
  T(write(p[1], "x", 1));
  T(write(sv[1], "yy", 2));
  T(eventfd_write(efd, 3));
  T(kill(getpid(), SIGUSR1));
  wait0(ep, "all ready");
  wait0(ep, "level-triggered again");
  char buf[8];
  T(read(p[0], buf, 8));
  T(read(sv[0], buf, 8));
  eventfd_t v;
  T(eventfd_read(efd, &v));
  struct signalfd_siginfo si;
  T(read(sfd, &si, sizeof si));
  wait0(ep, "drained");
  /* ONESHOT fires once until re-armed with MOD. */
  e.events = EPOLLIN | EPOLLONESHOT;
  e.data.u64 = 4;
  T(epoll_ctl(ep, EPOLL_CTL_MOD, efd, &e));
  T(eventfd_write(efd, 1));
  wait0(ep, "oneshot");
  wait0(ep, "oneshot disabled");
  T(epoll_ctl(ep, EPOLL_CTL_MOD, efd, &e));
  wait0(ep, "oneshot re-armed");
  T(eventfd_read(efd, &v));
  /* EPOLLET: reported once per edge. */
  e.events = EPOLLIN | EPOLLET;
  e.data.u64 = 1;
  T(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &e));
  T(write(p[1], "ab", 2));
  wait0(ep, "edge");
  wait0(ep, "no new edge");
  T(read(p[0], buf, 2));
  T(write(p[1], "c", 1));
  wait0(ep, "second edge");
  T(read(p[0], buf, 1));
  /* Hang-ups: the pipe's writer and the socket's peer close. */
  T(close(p[1]));
  T(close(sv[1]));
  wait0(ep, "hangups");
  /* Closing the last descriptor removes the registration. */
  T(close(p[0]));
  T(close(sv[0]));
  wait0(ep, "after close");
  /* A pipe writer whose reader is gone: EPOLLERR. */
  int q[2];
  T(pipe(q));
  T(add(ep, q[1], EPOLLOUT, 9));
  T(close(q[0]));
  wait0(ep, "broken pipe");
  T(epoll_ctl(ep, EPOLL_CTL_DEL, q[1], NULL));
  /* Nested: an epoll descriptor is readable when its set has events. */
  int inner = F(epoll_create1(0));
  int e2 = F(eventfd(0, 0));
  T(add(inner, e2, EPOLLIN, 11));
  T(add(ep, inner, EPOLLIN, 10));
  T(add(inner, ep, EPOLLIN, 12));
  wait0(ep, "inner idle");
  T(eventfd_write(e2, 1));
  wait0(ep, "inner ready");
  struct pollfd pf = {inner, POLLIN, 0};
  T(poll(&pf, 1, 0));
  printf("poll revents %#x\n", pf.revents);
  /* Errors of epoll_wait, and pwait with a mask that lets a pending signal in. */
  struct epoll_event out[2];
  T(epoll_wait(ep, out, 0, 0));
  T(epoll_wait(p[1] + 100, out, 1, 0));
  T(epoll_wait(efd, out, 1, 0));
  T(eventfd_read(e2, &v));
  T(epoll_ctl(ep, EPOLL_CTL_DEL, sfd, NULL));
  T(kill(getpid(), SIGUSR1));
  sigset_t none;
  sigemptyset(&none);
  signal(SIGUSR1, SIG_IGN);
  T(epoll_pwait(ep, out, 2, 10, &m));
  T(epoll_wait(ep, out, 2, 1));
  return 0;
}
