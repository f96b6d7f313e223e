/* The kernel's own files: /proc/self/{exe,cwd,fd/N,maps} and /dev/{null,zero,urandom}, plus the
 * identity and time calls, printing only what is the same on every run. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <time.h>
#include "sys_util.h"

static const char *base(const char *p) {
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}

int main(int argc, char **argv) {
  (void)argc;
  char buf[8192], cwd[512];
  memset(buf, 0, sizeof buf);
  long n = rsys(89, "/proc/self/exe", buf, sizeof buf);
  show("readlink exe ok", n > 0);
  printf("exe basename matches argv[0]: %d\n", strcmp(base(buf), base(argv[0])) == 0);
  enter_scratch("sudtrace-sys_procfs");
  memset(buf, 0, sizeof buf);
  rsys(89, "/proc/self/cwd", buf, sizeof buf);
  rsys(79, cwd, sizeof cwd);
  printf("cwd link equals getcwd: %d\n", strcmp(buf, cwd) == 0);
  int fd = (int)rsys(257, -100, "f.txt", O_CREAT | O_RDWR, 0644);
  char link[64];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  memset(buf, 0, sizeof buf);
  rsys(89, link, buf, sizeof buf);
  printf("fd link names the file: %d\n",
         strncmp(buf, cwd, strlen(cwd)) == 0 && strcmp(buf + strlen(cwd), "/f.txt") == 0);
  show("write via fd", rsys(1, fd, "data", 4));
  int fd2 = (int)rsys(257, -100, link, O_RDONLY, 0);
  show("reopen via /proc/self/fd", fd2 >= 0);
  memset(buf, 0, sizeof buf);
  show("read reopened", rsys(0, fd2, buf, 10));
  printf("reopened read: %s\n", buf);
  show("readlink closed fd", rsys(89, "/proc/self/fd/77", buf, sizeof buf));
  show("stat through /proc/self/cwd", (rsys(4, "/proc/self/cwd/f.txt", buf), ((struct stat *)buf)->st_size));
  show("readlinkat cwd-relative proc", rsys(267, -100, "/proc/self/fd/0", buf, 0));
  rsys(3, fd2);
  rsys(3, fd);
  rsys(87, "f.txt");
  rsys(80, "/");
  show("rmdir scratch", rsys(84, scratch_dir));

  /* /proc/self/maps: the program's text and data, the stack and (after sbrk) the heap. */
  char *p = (char *)rsys(12, 0);
  rsys(12, p + 8192);
  fd = (int)rsys(2, "/proc/self/maps", O_RDONLY, 0);
  show("open maps", fd >= 0);
  show("open maps for write", rsys(2, "/proc/self/maps", O_WRONLY, 0));
  long total = 0, got;
  while ((got = rsys(0, fd, buf + total, 256)) > 0 && total < 7000) total += got;
  buf[total] = 0;
  rsys(3, fd);
  int stack = 0, heap = 0, exe_x = 0, exe_lines = 0;
  for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
    unsigned long lo, hi;
    char perms[5];
    if (sscanf(line, "%lx-%lx %4s", &lo, &hi, perms) != 3) printf("bad line: %s\n", line);
    size_t len = strlen(line);
    if (len > 7 && strcmp(line + len - 7, "[stack]") == 0) stack = 1;
    if (len > 6 && strcmp(line + len - 6, "[heap]") == 0) heap = 1;
    if (strcmp(base(line), base(argv[0])) == 0) {
      exe_lines++;
      if (strcmp(perms, "r-xp") == 0 && lo <= (unsigned long)main && (unsigned long)main < hi) exe_x = 1;
      if (len < 74 || line[72] != ' ' || line[73] != '/') printf("name not at column 73: %s\n", line);
    }
  }
  printf("maps: stack %d heap %d exe lines>0 %d main in r-xp exe line %d\n", stack, heap,
         exe_lines > 0, exe_x);

  /* Devices. */
  struct stat st;
  show("stat /dev/null", rsys(4, "/dev/null", &st));
  printf("/dev/null: chr %d major %u minor %u mode %o\n", S_ISCHR(st.st_mode), major(st.st_rdev),
         minor(st.st_rdev), st.st_mode & 0777);
  fd = (int)rsys(2, "/dev/null", O_RDWR, 0);
  show("null write", rsys(1, fd, "abc", 3));
  show("null read", rsys(0, fd, buf, 3));
  show("null lseek", rsys(8, fd, 100, 0));
  rsys(3, fd);
  fd = (int)rsys(2, "/dev/zero", O_RDONLY, 0);
  memset(buf, 1, 16);
  show("zero read", rsys(0, fd, buf, 16));
  printf("zeros: %d\n", memcmp(buf, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16) == 0);
  char *z = (char *)rsys(9, 0, 4096, 3, 2, fd, 0);
  printf("mmap /dev/zero private: %d\n", (long)z > 0 && z[100] == 0);
  rsys(3, fd);
  fd = (int)rsys(2, "/dev/urandom", O_RDONLY, 0);
  show("urandom read", rsys(0, fd, buf, 32));
  rsys(3, fd);
  fd = (int)rsys(2, "/dev/full", O_WRONLY, 0);
  show("full write", rsys(1, fd, "x", 1));
  rsys(3, fd);

  /* Identity and time. */
  show("getpid == gettid", rsys0(39) == rsys0(186));
  show("getppid > 0", rsys0(110) > 0);
  show("getuid == geteuid", rsys0(102) == rsys0(107));
  show("getgid == getegid", rsys0(104) == rsys0(108));
  show("set_tid_address == tid", rsys(218, buf) == rsys0(186));
  show("set_robust_list", rsys(273, buf, 24));
  struct utsname u;
  show("uname", rsys(63, &u));
  printf("uname: %s %s\n", u.sysname, u.machine);
  long si[14];
  show("sysinfo", rsys(99, si));
  printf("sysinfo: totalram>0 %d mem_unit %u\n", si[4] > 0, ((unsigned *)si)[26]);
  unsigned long lim[2];
  show("prlimit NOFILE", rsys(302, 0, 7, 0, lim));
  show("getrlimit STACK", rsys(97, 3, lim));
  show("getrandom 40", rsys(318, buf, 40, 0));
  show("getrandom 0", rsys(318, buf, 0, 0));
  struct timespec t1, t2, res;
  rsys(228, CLOCK_MONOTONIC, &t1);
  rsys(228, CLOCK_MONOTONIC, &t2);
  printf("monotonic never goes back: %d\n",
         t2.tv_sec > t1.tv_sec || (t2.tv_sec == t1.tv_sec && t2.tv_nsec >= t1.tv_nsec));
  rsys(228, CLOCK_REALTIME, &t1);
  long tt = rsys(201, 0);
  printf("realtime after 2024 and time() agrees: %d %d\n", t1.tv_sec > 1700000000, tt - t1.tv_sec <= 1);
  show("clock_getres realtime", (rsys(229, CLOCK_REALTIME, &res), res.tv_sec * 1000000000 + res.tv_nsec));
  struct timespec ms = {0, 1000000};
  show("nanosleep 1ms", rsys(35, &ms, 0));
  show("clock_nanosleep 1ms", rsys(230, CLOCK_MONOTONIC, 0, &ms, 0));
  int word = 5;
  show("futex wake", rsys(202, &word, 1, 1));
  show("futex wait mismatch", rsys(202, &word, 0, 4, 0));
  show("futex wait timeout", rsys(202, &word, 0, 5, &ms));
  show("futex unaligned", rsys(202, (char *)&word + 1, 1, 1));
  {
    /* The machine's CPUs (the count differs between machines: only its consistency is printed) */
    unsigned long mask[4] = {0};
    long r = rsys(204, 0, sizeof mask, mask);
    int bits = 0;
    for (int i = 0; i < 4; i++) bits += __builtin_popcountl(mask[i]);
    printf("sched_getaffinity: ret %ld, cpus >= 1 %d, lowest cpu set %d\n", r, bits >= 1,
           (int)(mask[0] & 1));
    show("sched_getaffinity short", rsys(204, 0, 4, mask));
    show("sched_getaffinity other pid", rsys(204, 999999, sizeof mask, mask));
  }
  return 0;
}
