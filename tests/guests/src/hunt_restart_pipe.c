/* hunt_restart_pipe: a blocking read from an empty pipe interrupted by an ITIMER_REAL tick:
 * without SA_RESTART it fails with EINTR; with SA_RESTART it keeps waiting and returns the data
 * a later tick's handler writes into the pipe. Also write to a full pipe, and readv. */
#include "hunt.h"
#include <fcntl.h>
#include <sys/time.h>
#include <sys/uio.h>

static int fds[2];
static volatile int ticks, feed_at;

static void on_tick(int sig, siginfo_t *si, void *ctx) {
  (void)sig;
  (void)si;
  (void)ctx;
  ticks++;
  if (feed_at && ticks == feed_at) {
    if (write(fds[1], "fed", 3) != 3) _exit(9);
  }
}

static void arm(void) {
  struct itimerval it = {{0, 20000}, {0, 20000}};
  setitimer(ITIMER_REAL, &it, 0);
}
static void disarm(void) {
  struct itimerval it = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &it, 0);
}

int main(void) {
  hunt_init();
  if (pipe(fds) != 0) return 1;
  char buf[16];
  handle(SIGALRM, on_tick, 0);
  ticks = 0;
  feed_at = 0;
  arm();
  errno = 0;
  ssize_t n = read(fds[0], buf, sizeof buf);
  disarm();
  printf("no SA_RESTART: read -> %zd %s ticks>=1:%d\n", n, strerror(errno), ticks >= 1);

  handle(SIGALRM, on_tick, SA_RESTART);
  ticks = 0;
  feed_at = 3;
  arm();
  errno = 0;
  n = read(fds[0], buf, sizeof buf);
  disarm();
  printf("SA_RESTART: read -> %zd \"%.*s\" ticks>=3:%d\n", n, (int)(n > 0 ? n : 0), buf, ticks >= 3);

  ticks = 0;
  feed_at = 2;
  arm();
  struct iovec iov[2] = {{buf, 1}, {buf + 1, 8}};
  n = readv(fds[0], iov, 2);
  disarm();
  printf("SA_RESTART readv -> %zd \"%.*s\" ticks>=2:%d\n", n, (int)(n > 0 ? n : 0), buf, ticks >= 2);

  /* fill the pipe, then a blocking write is interrupted */
  fcntl(fds[1], F_SETFL, O_NONBLOCK);
  long total = 0;
  char chunk[4096];
  memset(chunk, 'x', sizeof chunk);
  for (;;) {
    ssize_t w = write(fds[1], chunk, sizeof chunk);
    if (w <= 0) break;
    total += w;
  }
  printf("pipe filled: %ld bytes errno=%s\n", total, strerror(errno));
  fcntl(fds[1], F_SETFL, 0);
  handle(SIGALRM, on_tick, 0);
  ticks = 0;
  feed_at = 0;
  arm();
  errno = 0;
  n = write(fds[1], chunk, sizeof chunk);
  disarm();
  printf("blocking write on full pipe, no SA_RESTART -> %zd %s\n", n, strerror(errno));
  return 0;
}
