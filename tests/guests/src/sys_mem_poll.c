/* Memory calls (brk, anonymous and file-backed private mmap, mprotect, mremap, madvise, munmap)
 * and readiness calls (poll, ppoll, select, pselect6) on pipes, with their errors. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/select.h>
#include <setjmp.h>
#include <string.h>
#include <sys/stat.h>
#include "sys_util.h"

static sigjmp_buf bus_jump;
static volatile long bus_code, bus_offset;
static char *volatile bus_base;
static void on_bus(int sig, siginfo_t *si, void *ctx) {
  (void)sig, (void)ctx;
  bus_code = si->si_code;
  bus_offset = (char *)si->si_addr - bus_base;
  siglongjmp(bus_jump, 1);
}

int main(int argc, char **argv) {
  if (argc > 2 && strcmp(argv[1], "exit-dirty") == 0) {
    /* exits with a dirty MAP_SHARED mapping: the file must still get the bytes */
    int fd = (int)rsys(2, argv[2], O_RDWR, 0);
    char *m = (char *)rsys(9, 0, 4096, 3, 1, fd, 0);
    rsys(3, fd);
    memcpy(m, "DIRTY", 5);
    return 0;
  }
  /* brk */
  char *b0 = (char *)rsys(12, 0);
  char *b1 = (char *)rsys(12, b0 + 100000);
  show("brk grows", b1 == b0 + 100000);
  b0[99999] = 7;
  show("brk shrink", (char *)rsys(12, b0 + 10) == b0 + 10);
  show("brk below start keeps", (char *)rsys(12, 4096) == b0 + 10);

  /* anonymous mmap, mprotect, mremap, madvise, munmap */
  char *m = (char *)rsys(9, 0, 3 * 4096, 3, 0x22, -1, 0);
  show("mmap anon ok", (long)m > 0 && ((long)m & 4095) == 0);
  m[0] = 1;
  m[3 * 4096 - 1] = 2;
  show("mprotect read-only", rsys(10, m, 4096, 1));
  show("write to read-only via syscall", rsys(0, rsys(2, "/dev/zero", O_RDONLY, 0), m, 1));
  show("mprotect bad prot", rsys(10, m, 4096, 0x100));
  show("mprotect unmapped", rsys(10, 0x10000, 4096, 1));
  show("madvise dontneed", rsys(28, m + 8192, 4096, 4));
  show("zero after dontneed", m[3 * 4096 - 1]);
  char *g = (char *)rsys(25, m + 4096, 2 * 4096, 8 * 4096, 1, 0);
  show("mremap grow ok", (long)g > 0);
  show("mremap shrink in place", (char *)rsys(25, g, 8 * 4096, 4096, 0, 0) == g);
  show("mremap bad flags", rsys(25, g, 4096, 8192, 0x80, 0));
  show("munmap", rsys(11, g, 4096));
  show("fixed noreplace over mapping", rsys(9, m, 4096, 3, 0x22 | 0x100000, -1, 0));
  /* x86 pages cannot be write-only or exec-only: both are readable. */
  volatile char *wo = (char *)rsys(9, 0, 4096, 2, 0x22, -1, 0);
  wo[5] = 9;
  show("read of a PROT_WRITE page", wo[5]);
  volatile char *xo = (char *)rsys(9, 0, 4096, 4, 0x22, -1, 0);
  show("read of a PROT_EXEC page", xo[7]);

  /* file-backed private mmap */
  enter_scratch("sudtrace-sys_mem_poll");
  int fd = (int)rsys(2, "m.bin", O_CREAT | O_RDWR, 0644);
  rsys(1, fd, "mapped file contents", 20);
  char *f = (char *)rsys(9, 0, 20, 3, 2, fd, 0);
  show("mmap file ok", (long)f > 0);
  printf("mapped: %.20s tail zero %d\n", f, f[4095] == 0);
  f[0] = 'M'; /* private: the file is unchanged */
  char back[8] = {0};
  rsys(17, fd, back, 6, 0);
  printf("file after private write: %s\n", back);
  /* a mapping longer than the file: the page past its end raises SIGBUS (BUS_ADRERR) */
  {
    struct sigaction sa = {0};
    sa.sa_sigaction = on_bus;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGBUS, &sa, 0);
    bus_base = (char *)rsys(9, 0, 3 * 4096, 1, 2, fd, 0);
    printf("last file page readable: %d\n", bus_base[4095] == 0);
    if (!sigsetjmp(bus_jump, 1)) printf("read past the end: %d (no signal)\n", bus_base[4096 + 8]);
    else printf("read past the end: SIGBUS code %ld at offset %ld\n", bus_code, bus_offset);
    show("read(2) into it", rsys(0, rsys(2, "/dev/zero", O_RDONLY, 0), bus_base + 8192, 4));
  }
  /* MAP_SHARED: stores reach the file at msync and munmap; errors as natively */
  {
    int sf = (int)rsys(2, "s.bin", O_CREAT | O_RDWR | O_TRUNC, 0644);
    rsys(1, sf, "0123456789abcdef", 16);
    char *sm = (char *)rsys(9, 0, 4096, 3, 1, sf, 0);
    memcpy(sm, "HELLO", 5);
    show("msync", rsys(26, sm, 4096, 4));
    char sb[17] = {0};
    rsys(17, sf, sb, 16, 0);
    printf("file after msync: %s\n", sb);
    memcpy(sm + 10, "XY", 2);
    show("munmap shared", rsys(11, sm, 4096));
    rsys(17, sf, sb, 16, 0);
    printf("file after munmap: %s\n", sb);
    show("msync bad flags", rsys(26, f, 4096, 5));
    show("msync unaligned", rsys(26, f + 1, 10, 4));
    show("msync unmapped", rsys(26, 0x10000, 4096, 4));
    int sro = (int)rsys(2, "s.bin", O_RDONLY, 0);
    show("shared writable on O_RDONLY", rsys(9, 0, 4096, 3, 1, sro, 0));
    show("shared read-only on O_RDONLY ok", rsys(9, 0, 4096, 1, 1, sro, 0) > 0);
    rsys(3, sro), rsys(3, sf);
    rsys(87, "s.bin");
  }
  show("mmap O_WRONLY file", (rsys(3, fd), fd = (int)rsys(2, "m.bin", O_WRONLY, 0), rsys(9, 0, 20, 1, 2, fd, 0)));
  rsys(3, fd);
  show("mmap dir", (fd = (int)rsys(2, ".", O_RDONLY, 0), rsys(9, 0, 20, 1, 2, fd, 0)));
  rsys(3, fd);
  rsys(87, "m.bin");
  rsys(80, "/");
  show("rmdir scratch", rsys(84, scratch_dir));

  /* pipes and readiness */
  signal(SIGPIPE, SIG_IGN);
  int p[2];
  show("pipe2", rsys(293, p, O_CLOEXEC));
  struct pollfd pf[3] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}, {99, POLLIN, 0}};
  show("poll empty pipe", rsys(7, pf, 3, 0));
  printf("revents: %x %x %x\n", pf[0].revents, pf[1].revents, pf[2].revents);
  show("write pipe", rsys(1, p[1], "xyz", 3));
  int avail = -1;
  show("FIONREAD", (rsys(16, p[0], 0x541b, &avail), avail));
  show("F_GETPIPE_SZ", rsys(72, p[0], 1032));
  show("poll with data", rsys(7, pf, 2, -1));
  printf("revents: %x %x\n", pf[0].revents, pf[1].revents);
  struct timespec zero = {0, 0};
  show("ppoll", rsys(271, pf, 2, &zero, 0, 8));
  show("ppoll bad sigsetsize", rsys(271, pf, 2, &zero, &zero, 4));
  fd_set r, w;
  FD_ZERO(&r);
  FD_ZERO(&w);
  FD_SET(p[0], &r);
  FD_SET(p[1], &w);
  struct timeval tv = {0, 0};
  show("select", rsys(23, p[1] + 1, &r, &w, 0, &tv));
  printf("select sets: %d %d\n", FD_ISSET(p[0], &r), FD_ISSET(p[1], &w));
  FD_ZERO(&r);
  FD_SET(50, &r);
  show("select closed fd", rsys(23, 51, &r, 0, 0, &tv));
  show("select negative nfds", rsys(23, -1, 0, 0, 0, &tv));
  tv.tv_usec = 2000000;
  show("select bad timeout", rsys(23, 1, 0, 0, 0, &tv));
  FD_ZERO(&r);
  FD_SET(p[0], &r);
  show("pselect6", rsys(270, p[0] + 1, &r, 0, 0, &zero, 0));
  char buf[8] = {0};
  show("read pipe", rsys(0, p[0], buf, 8));
  printf("pipe data: %s\n", buf);
  FD_ZERO(&r);
  FD_SET(p[0], &r);
  show("select drained pipe", rsys(23, p[0] + 1, &r, 0, 0, &tv));
  show("close write end", rsys(3, p[1]));
  show("poll hup", rsys(7, pf, 1, 0));
  printf("revents after close: %x\n", pf[0].revents);
  show("read eof", rsys(0, p[0], buf, 8));
  int q[2];
  rsys(22, q);
  rsys(3, q[0]);
  show("write no reader", rsys(1, q[1], "a", 1));
  struct stat st;
  show("fstat pipe is fifo", (rsys(5, q[1], &st), S_ISFIFO(st.st_mode)));
  show("F_GETFL pipe", rsys(72, q[1], 3));
  return 0;
}
