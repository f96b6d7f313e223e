/* Error paths through raw syscalls: bad pointers give EFAULT (never a crash), closed or bogus
 * descriptors EBADF, bad arguments EINVAL, unknown syscall numbers ENOSYS. */
#define _GNU_SOURCE
#include <fcntl.h>
#include "sys_util.h"

int main(void) {
  char buf[64];
  int fd = (int)rsys(2, "/dev/zero", O_RDONLY, 0);
  show("open /dev/zero", fd >= 0);
  /* EFAULT */
  show("read into bad pointer", rsys(0, fd, BAD_PTR, 16));
  show("write from bad pointer", rsys(1, 1, BAD_PTR, 16));
  show("open bad path pointer", rsys(2, BAD_PTR, O_RDONLY, 0));
  show("stat bad buffer", rsys(4, "/", BAD_PTR));
  show("fstat bad buffer", rsys(5, 1, BAD_PTR));
  show("clock_gettime bad", rsys(228, 0, BAD_PTR));
  show("gettimeofday bad", rsys(96, BAD_PTR, 0));
  show("uname bad", rsys(63, BAD_PTR));
  show("pipe2 bad", rsys(293, BAD_PTR, 0));
  show("readv bad iovec", rsys(19, fd, BAD_PTR, 1));
  show("writev bad iovec", rsys(20, 1, BAD_PTR, 1));
  show("getrandom bad", rsys(318, BAD_PTR, 8, 0));
  show("nanosleep bad", rsys(35, BAD_PTR, 0));
  show("sysinfo bad", rsys(99, BAD_PTR));
  show("getrlimit bad", rsys(97, 7, BAD_PTR));
  show("readlink bad buffer", rsys(89, "/proc/self/exe", BAD_PTR, 64));
  show("poll bad", rsys(7, BAD_PTR, 1, 0));
  show("statx bad", rsys(332, -100, "/", 0, 0x7ff, BAD_PTR));
  show("getdents64 bad", (fd = (int)rsys(2, "/", O_RDONLY | O_DIRECTORY, 0), rsys(217, fd, BAD_PTR, 4096)));
  rsys(3, fd);
  /* EBADF */
  show("read closed", rsys(0, 55, buf, 1));
  show("write closed", rsys(1, 55, buf, 1));
  show("close negative", rsys(3, -1));
  show("fstat closed", rsys(5, 55, buf));
  show("lseek closed", rsys(8, 55, 0, 0));
  show("dup closed", rsys(32, 55));
  show("fcntl closed", rsys(72, 55, 1));
  show("fsync closed", rsys(74, 55));
  show("ftruncate closed", rsys(77, 55, 0));
  show("getdents64 closed", rsys(217, 55, buf, sizeof buf));
  show("ioctl closed", rsys(16, 55, 0x5401, buf));
  show("mmap closed fd", rsys(9, 0, 4096, 1, 2, 55, 0));
  show("dup2 to huge", rsys(33, 1, 100000));
  /* EINVAL and friends */
  show("lseek on pipe", (rsys(22, buf), rsys(8, *(int *)buf, 0, 0)));
  show("pread on pipe", rsys(17, *(int *)buf, buf + 8, 1, 0));
  show("pipe2 bad flags", rsys(293, buf, 0x1));
  show("getrandom bad flags", rsys(318, buf, 8, 0x100));
  show("getrandom insecure|random", rsys(318, buf, 8, 6));
  show("mmap zero length", rsys(9, 0, 0, 3, 0x22, -1, 0));
  show("mmap unaligned offset", rsys(9, 0, 4096, 3, 0x22, -1, 1));
  show("mmap no type", rsys(9, 0, 4096, 3, 0x20, -1, 0));
  show("mprotect unaligned", rsys(10, 1, 4096, 1));
  show("munmap unaligned", rsys(11, 1, 4096));
  show("munmap zero", rsys(11, 0x100000, 0));
  show("clock_gettime bad clock", rsys(228, 99, buf));
  show("clock_getres bad clock", rsys(229, 10, buf));
  show("clock_nanosleep thread cpu", rsys(230, 3, 0, buf, 0));
  show("nanosleep bad nsec", (((long *)buf)[0] = 0, ((long *)buf)[1] = 1000000000, rsys(35, buf, 0)));
  show("nanosleep negative", (((long *)buf)[0] = -1, ((long *)buf)[1] = 0, rsys(35, buf, 0)));
  show("prlimit bad resource", rsys(302, 0, 99, 0, buf));
  show("set_robust_list bad size", rsys(273, buf, 8));
  show("ioctl TCGETS on /dev/null", (fd = (int)rsys(2, "/dev/null", O_RDONLY, 0), rsys(16, fd, 0x5401, buf)));
  show("ioctl TIOCGWINSZ on /dev/null", rsys(16, fd, 0x5413, buf));
  show("ioctl unknown", rsys(16, fd, 0x1234, buf));
  rsys(3, fd);
  show("faccessat bad mode", rsys(269, -100, "/", 0x10));
  /* ENOSYS */
  show("syscall 500", rsys0(500));
  show("syscall 500 again", rsys0(500));
  show("syscall -1", rsys0(-1));
  return 0;
}
