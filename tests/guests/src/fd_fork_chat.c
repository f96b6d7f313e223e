/* A parent and fork children talking over socketpairs: a stream ping-pong, a seqpacket
   exchange keeping record boundaries, end of file when the child exits, and an epoll event loop
   serving two children (a socket and a pipe) until both hang up. */
#include "fd_common.h"
#include <poll.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static void reap(pid_t pid) {
  int status;
  if (waitpid(pid, &status, 0) == pid) printf("child exit %d\n", WEXITSTATUS(status));
}

static void pingpong(void) {
  int sv[2];
  T(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
  pid_t pid = fork();
  if (pid == 0) {
    close(sv[0]);
    char buf[32];
    long n;
    int rounds = 0;
    while ((n = read(sv[1], buf, sizeof buf)) > 0) {
      for (long i = 0; i < n; i++) buf[i] = buf[i] >= 'a' && buf[i] <= 'z' ? buf[i] - 32 : buf[i];
      write(sv[1], buf, n);
      rounds++;
    }
    _exit(rounds);
  }
  close(sv[1]);
  const char *words[] = {"ping", "hello", "socketpair", "bye"};
  for (int i = 0; i < 4; i++) {
    char buf[32] = {0};
    write(sv[0], words[i], strlen(words[i]));
    long n = read(sv[0], buf, sizeof buf - 1);
    printf("sent %s got %s (%ld)\n", words[i], buf, n);
  }
  T(shutdown(sv[0], SHUT_WR));
  char b;
  T(read(sv[0], &b, 1));
  close(sv[0]);
  reap(pid);
}

static void records(void) {
  int sv[2];
  T(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));
  pid_t pid = fork();
  if (pid == 0) {
    close(sv[0]);
    send(sv[1], "one", 3, 0);
    send(sv[1], "two two", 7, 0);
    send(sv[1], "three!", 6, 0);
    _exit(0);
  }
  close(sv[1]);
  char buf[16];
  long n;
  while ((n = recv(sv[0], buf, sizeof buf, 0)) > 0) printf("record %ld '%.*s'\n", n, (int)n, buf);
  printf("end %ld\n", n);
  struct pollfd p = {sv[0], POLLIN | POLLOUT, 0};
  T(poll(&p, 1, -1));
  printf("revents %#x\n", p.revents);
  close(sv[0]);
  reap(pid);
}

static void eventloop(void) {
  int sv[2], p[2];
  T(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
  T(pipe(p));
  pid_t a = fork();
  if (a == 0) {
    close(sv[0]);
    close(p[0]);
    close(p[1]);
    for (int i = 0; i < 3; i++) {
      char msg[16];
      int n = snprintf(msg, sizeof msg, "sock%d;", i);
      write(sv[1], msg, n);
      char ack[4];
      read(sv[1], ack, 4); /* wait for the parent's ack */
    }
    _exit(3);
  }
  pid_t b = fork();
  if (b == 0) {
    close(sv[0]);
    close(sv[1]);
    close(p[0]);
    write(p[1], "pipe-data;", 10);
    _exit(4);
  }
  close(sv[1]);
  close(p[1]);
  int ep = epoll_create1(0);
  struct epoll_event e = {.events = EPOLLIN, .data.fd = sv[0]};
  epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &e);
  e.data.fd = p[0];
  epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e);
  int open_ends = 2, sock_msgs = 0, pipe_bytes = 0;
  while (open_ends > 0) {
    struct epoll_event out[4];
    int n = epoll_wait(ep, out, 4, -1);
    if (n <= 0) {
      printf("epoll_wait = %d\n", n);
      break;
    }
    for (int i = 0; i < n; i++) {
      char buf[64];
      long r = read(out[i].data.fd, buf, sizeof buf);
      if (r > 0 && out[i].data.fd == sv[0]) {
        sock_msgs++;
        write(sv[0], "ack", 4);
      } else if (r > 0) {
        pipe_bytes += r;
      } else {
        epoll_ctl(ep, EPOLL_CTL_DEL, out[i].data.fd, NULL);
        open_ends--;
      }
    }
  }
  printf("socket messages %d, pipe bytes %d\n", sock_msgs, pipe_bytes);
  int status;
  waitpid(a, &status, 0);
  printf("a exit %d\n", WEXITSTATUS(status));
  waitpid(b, &status, 0);
  printf("b exit %d\n", WEXITSTATUS(status));
}

int main(void) {
  pingpong();
  records();
  eventloop();
  return 0;
}
