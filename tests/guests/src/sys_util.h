/* Helpers shared by the syscall corpus (sys_*.c): a raw syscall that returns the kernel's result
 * (-errno on failure) without any libc wrapper in between, errno names, and a scratch directory
 * under /tmp that each guest creates and removes (so the golden runs and the emulator runs never
 * collide, and nothing absolute or random is printed). */
#ifndef SUDTRACE_SYS_UTIL_H
#define SUDTRACE_SYS_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline long rsys6(long nr, long a, long b, long c, long d, long e, long f) {
  long ret;
  register long r10 __asm__("r10") = d;
  register long r8 __asm__("r8") = e;
  register long r9 __asm__("r9") = f;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                   : "rcx", "r11", "memory");
  return ret;
}
#define rsys(nr, ...) rsys_(nr, __VA_ARGS__, 0, 0, 0, 0, 0, 0)
#define rsys_(nr, a, b, c, d, e, f, ...) rsys6(nr, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))
#define rsys0(nr) rsys6(nr, 0, 0, 0, 0, 0, 0)

__attribute__((unused)) static const char *errname(long e) {
  static const char *names[] = {
      [1] = "EPERM",   [2] = "ENOENT",   [3] = "ESRCH",   [4] = "EINTR",   [5] = "EIO",
      [6] = "ENXIO",   [9] = "EBADF",    [11] = "EAGAIN", [12] = "ENOMEM", [13] = "EACCES",
      [14] = "EFAULT", [16] = "EBUSY",   [17] = "EEXIST", [19] = "ENODEV", [18] = "EXDEV",  [20] = "ENOTDIR",
      [21] = "EISDIR", [22] = "EINVAL",  [24] = "EMFILE", [25] = "ENOTTY", [28] = "ENOSPC",
      [29] = "ESPIPE", [32] = "EPIPE",   [34] = "ERANGE", [36] = "ENAMETOOLONG",
      [38] = "ENOSYS", [39] = "ENOTEMPTY", [40] = "ELOOP", [95] = "EOPNOTSUPP", [110] = "ETIMEDOUT",
  };
  if (e > 0 && e < (long)(sizeof names / sizeof names[0]) && names[e]) return names[e];
  return "E?";
}

/* Prints "label: value" or "label: -ENAME". */
__attribute__((unused)) static void show(const char *label, long r) {
  if (r < 0 && r > -4096) printf("%s: -%s\n", label, errname(-r));
  else printf("%s: %ld\n", label, r);
  fflush(stdout);
}

/* An address nothing is mapped at (below mmap_min_addr). */
#define BAD_PTR ((void *)0x10)

/* Creates /tmp/<tag>.XXXXXX and chdirs into it; returns its path (never printed). */
static char scratch_dir[64];
__attribute__((unused)) static const char *enter_scratch(const char *tag) {
  snprintf(scratch_dir, sizeof scratch_dir, "/tmp/%s.XXXXXX", tag);
  if (!mkdtemp(scratch_dir)) {
    perror("mkdtemp");
    exit(99);
  }
  if (rsys(80, scratch_dir) != 0) exit(98); /* chdir */
  return scratch_dir;
}

#endif
