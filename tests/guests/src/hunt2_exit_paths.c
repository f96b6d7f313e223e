/* hunt2_exit_paths: how a process ends, seen by its parent: exit() with values above 255 and
 * negative, _exit, return from main, exit from an atexit handler's sibling; atexit handlers run
 * in reverse order on exit() and return, not on _exit and not on death by a signal; output left
 * in a stdio buffer (stdout a pipe or a file: fully buffered) is flushed by exit() and lost by
 * _exit, abort() and a fatal signal. The program itself ends with exit(300). */
#include "hunt2.h"
#include <fcntl.h>

static void h1(void) { printf("[h1]"); }
static void h2(void) { printf("[h2]"); }

static int sink_is_file;
static volatile int *volatile bad = (int *)8;
/* Runs `how` in a child whose stdout goes into a pipe or a file; prints what came out. */
static void run(const char *what, int how) {
  int pfd[2];
  if (pipe(pfd)) exit(2);
  char path[64];
  snprintf(path, sizeof path, "hunt2_exit_%d.out", (int)getpid()); /* never printed */
  pid_t p = fork();
  if (p == 0) {
    close(pfd[0]);
    int fd = pfd[1];
    if (sink_is_file) fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
    dup2(fd, 1);
    setvbuf(stdout, 0, _IOFBF, 4096);
    atexit(h1);
    atexit(h2);
    printf("buffered-");
    switch (how) {
    case 0: exit(256 + 7);
    case 1: _exit(1000);
    case 2: exit(-1);
    case 3: raise(SIGTERM); break;
    case 4: abort();
    case 5: *bad = 1; break;
    case 6: fflush(stdout); _exit(5);
    case 7: kill(getpid(), SIGKILL); break;
    }
    exit(0);
  }
  close(pfd[1]);
  int st;
  waitpid(p, &st, 0);
  char buf[256] = {0};
  long n = 0;
  if (sink_is_file) {
    int fd = open(path, O_RDONLY);
    n = read(fd, buf, sizeof buf - 1);
    close(fd);
    unlink(path);
  } else {
    n = read(pfd[0], buf, sizeof buf - 1);
  }
  close(pfd[0]);
  printf("%-6s %-22s out \"%s\" (%ld) ", sink_is_file ? "file" : "pipe", what, n > 0 ? buf : "", n);
  h2_report("->", st);
}

int main(void) {
  hunt_init();
  const char *names[] = {"exit(263)", "_exit(1000)", "exit(-1)", "raise(SIGTERM)", "abort()", "SIGSEGV",
                         "fflush + _exit(5)", "SIGKILL"};
  for (sink_is_file = 0; sink_is_file < 2; sink_is_file++)
    for (int i = 0; i < 8; i++) run(names[i], i);
  atexit(h1);
  printf("main exits with 300\n");
  exit(300);
}
