/* socketpair in one process: stream/dgram/seqpacket boundaries, send/recv flags, iovecs,
   shutdown, EPIPE/SIGPIPE, getsockopt, fstat, poll readiness. */
#include "fd_common.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

static volatile int pipes;
static void on_pipe(int s) { (void)s; pipes++; }

static int rev(int fd) {
  struct pollfd p = {fd, POLLIN | POLLOUT | POLLRDHUP, 0};
  poll(&p, 1, 0);
  return p.revents;
}

static void kind(const char *label, int type) {
  int sv[2];
  char buf[64];
  printf("-- %s\n", label);
  if (T(socketpair(AF_UNIX, type | SOCK_NONBLOCK, 0, sv)) < 0) return;
  T(write(sv[0], "abc", 3));
  T(write(sv[0], "defgh", 5));
  T(send(sv[0], "", 0, 0));
  printf("revents %#x %#x\n", rev(sv[0]), rev(sv[1]));
  memset(buf, 0, sizeof buf);
  T(recv(sv[1], buf, 2, MSG_PEEK));
  printf("peek '%s'\n", buf);
  memset(buf, 0, sizeof buf);
  T(read(sv[1], buf, 2));
  printf("got '%s'\n", buf);
  memset(buf, 0, sizeof buf);
  T(recv(sv[1], buf, sizeof buf, MSG_TRUNC));
  printf("got '%s'\n", buf);
  memset(buf, 0, sizeof buf);
  T(recv(sv[1], buf, sizeof buf, 0));
  T(recv(sv[1], buf, sizeof buf, 0));
  T(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
  /* gather/scatter */
  struct iovec out[3] = {{"12", 2}, {"345", 3}, {"6789", 4}};
  T(writev(sv[1], out, 3));
  char a[4] = {0}, b[8] = {0};
  struct iovec in[2] = {{a, 3}, {b, 7}};
  T(readv(sv[0], in, 2));
  printf("a '%s' b '%s'\n", a, b);
  struct msghdr mh;
  memset(&mh, 0, sizeof mh);
  mh.msg_iov = out;
  mh.msg_iovlen = 2;
  T(sendmsg(sv[0], &mh, 0));
  memset(a, 0, sizeof a);
  memset(b, 0, sizeof b);
  char name[16];
  memset(&mh, 0, sizeof mh);
  mh.msg_name = name;
  mh.msg_namelen = sizeof name;
  mh.msg_iov = in;
  mh.msg_iovlen = 1;
  mh.msg_controllen = 0;
  T(recvmsg(sv[1], &mh, 0));
  printf("a '%s' namelen %u flags %#x\n", a, mh.msg_namelen, mh.msg_flags);
  T(recv(sv[1], b, sizeof b, MSG_DONTWAIT));
  socklen_t sl = sizeof name;
  T(sendto(sv[1], "xy", 2, 0, NULL, 0));
  memset(buf, 0, sizeof buf);
  T(recvfrom(sv[0], buf, sizeof buf, 0, (struct sockaddr *)name, &sl));
  printf("got '%s' addrlen %u\n", buf, sl);
  int v = -1;
  socklen_t vl = sizeof v;
  T(getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &v, &vl));
  printf("SO_TYPE %d len %u\n", v, vl);
  T(getsockopt(sv[0], SOL_SOCKET, SO_ERROR, &v, &vl));
  printf("SO_ERROR %d\n", v);
  T(getsockopt(sv[0], SOL_SOCKET, SO_DOMAIN, &v, &vl));
  printf("SO_DOMAIN %d\n", v);
  T(getsockopt(sv[0], SOL_SOCKET, 12345, &v, &vl));
  struct stat st;
  T(fstat(sv[0], &st));
  printf("sock %d mode %o\n", S_ISSOCK(st.st_mode), st.st_mode & 0777);
  /* shutdown both ways */
  T(shutdown(sv[0], SHUT_WR));
  printf("revents %#x %#x\n", rev(sv[0]), rev(sv[1]));
  T(recv(sv[1], buf, sizeof buf, 0));
  T(send(sv[0], "z", 1, MSG_NOSIGNAL));
  T(shutdown(sv[0], 7));
  T(shutdown(sv[1], SHUT_RD));
  printf("revents %#x %#x\n", rev(sv[0]), rev(sv[1]));
  T(send(sv[0], "z", 1, MSG_NOSIGNAL));
  T(close(sv[0]));
  /* a fresh pair: close one end */
  T(socketpair(AF_UNIX, type | SOCK_NONBLOCK, 0, sv));
  T(write(sv[0], "tail", 4));
  T(close(sv[0]));
  printf("revents %#x\n", rev(sv[1]));
  T(read(sv[1], buf, sizeof buf));
  T(read(sv[1], buf, sizeof buf));
  pipes = 0;
  T(write(sv[1], "q", 1));
  T(send(sv[1], "q", 1, MSG_NOSIGNAL));
  T(write(sv[1], "q", 1));
  printf("SIGPIPEs %d\n", pipes);
  T(close(sv[1]));
}

int main(void) {
  signal(SIGPIPE, on_pipe);
  int sv[2];
  T(socketpair(AF_INET, SOCK_STREAM, 0, sv));
  T(socketpair(AF_UNIX, SOCK_RAW, 0, sv));
  T(socketpair(AF_UNIX, SOCK_STREAM, 7, sv));
  T(socketpair(AF_UNIX, SOCK_STREAM | 0x1000, 0, sv));
  T(shutdown(0, SHUT_RD));
  T(shutdown(99, SHUT_RD));
  T(recv(0, sv, 1, MSG_DONTWAIT));
  kind("stream", SOCK_STREAM);
  kind("dgram", SOCK_DGRAM);
  kind("seqpacket", SOCK_SEQPACKET);
  T(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
  T(fcntl(sv[0], F_GETFD));
  T(fcntl(sv[1], F_GETFL) & O_NONBLOCK);
  return 0;
}
