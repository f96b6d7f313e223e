/* Files through raw syscalls: open/read/write/seek/stat/statx, vectors, descriptors, fcntl,
 * directories, renames, links, permissions and the errno of each failure, in a scratch dir. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include "sys_util.h"

/* struct statx from the kernel's uapi (musl's headers lack it). */
struct statx_ts { int64_t tv_sec; uint32_t tv_nsec; int32_t reserved; };
struct kstatx {
  uint32_t stx_mask, stx_blksize;
  uint64_t stx_attributes;
  uint32_t stx_nlink, stx_uid, stx_gid;
  uint16_t stx_mode, pad1;
  uint64_t stx_ino, stx_size, stx_blocks, stx_attributes_mask;
  struct statx_ts stx_atime, stx_btime, stx_ctime, stx_mtime;
  uint32_t stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
  uint64_t spare[14];
};
#define STATX_SIZE_ 0x200u
#define STATX_BASIC_ 0x7ffu

#define AT_FDCWD_ (-100)

static void list_dir(const char *label, int fd) {
  char buf[4096];
  char names[64][64];
  int n = 0;
  rsys(8, fd, 0, 0); /* lseek to the start */
  for (;;) {
    long got = rsys(217, fd, buf, sizeof buf); /* getdents64 */
    if (got <= 0) break;
    for (long at = 0; at < got;) {
      unsigned short reclen = *(unsigned short *)(buf + at + 16);
      unsigned char type = *(unsigned char *)(buf + at + 18);
      if (n < 64) snprintf(names[n++], 64, "%s/%u", buf + at + 19, type);
      at += reclen;
    }
  }
  /* Directory order is the file system's hash order: sort for a stable listing. */
  for (int i = 0; i < n; i++)
    for (int j = i + 1; j < n; j++)
      if (strcmp(names[i], names[j]) > 0) {
        char t[64];
        memcpy(t, names[i], 64);
        memcpy(names[i], names[j], 64);
        memcpy(names[j], t, 64);
      }
  printf("%s:", label);
  for (int i = 0; i < n; i++) printf(" %s", names[i]);
  printf("\n");
}

int main(void) {
  enter_scratch("sudtrace-sys_files");
  show("umask", rsys(95, 022));
  show("umask again", rsys(95, 022));

  /* Create, write, read back. */
  int fd = (int)rsys(257, AT_FDCWD_, "a.txt", O_CREAT | O_RDWR | O_TRUNC, 0666);
  show("openat create", fd);
  show("write", rsys(1, fd, "hello, world\n", 13));
  show("lseek cur", rsys(8, fd, 0, SEEK_CUR));
  show("lseek set", rsys(8, fd, 7, SEEK_SET));
  char buf[64] = {0};
  show("read", rsys(0, fd, buf, 5));
  printf("read got: %s\n", buf);
  show("lseek end", rsys(8, fd, 0, SEEK_END));
  show("read at eof", rsys(0, fd, buf, 5));
  show("lseek end-3", rsys(8, fd, -3, SEEK_END));
  show("lseek negative", rsys(8, fd, -100, SEEK_SET));
  show("lseek bad whence", rsys(8, fd, 0, 9));
  show("lseek data", rsys(8, fd, 2, 3));
  show("lseek hole", rsys(8, fd, 2, 4));
  show("lseek data past end", rsys(8, fd, 100, 3));
  show("pwrite", rsys(18, fd, "HELLO", 5, 0));
  memset(buf, 0, sizeof buf);
  show("pread", rsys(17, fd, buf, 12, 0));
  printf("pread got: %s\n", buf);
  show("pread negative", rsys(17, fd, buf, 1, -1));

  /* Vectors. */
  struct iovec iov[3] = {{"ab", 2}, {"", 0}, {"cdef", 4}};
  show("lseek end (writev)", rsys(8, fd, 0, SEEK_END));
  show("writev", rsys(20, fd, iov, 3));
  char v1[4] = {0}, v2[8] = {0};
  struct iovec riov[2] = {{v1, 3}, {v2, 7}};
  show("lseek 10", rsys(8, fd, 10, SEEK_SET));
  show("readv", rsys(19, fd, riov, 2));
  printf("readv got: [%s] [%s]\n", v1, v2);
  show("readv bad count", rsys(19, fd, riov, -1));
  show("readv too many", rsys(19, fd, riov, 1025));
  show("preadv", rsys(295, fd, riov, 2, 0));
  printf("preadv got: [%s] [%s]\n", v1, v2);

  /* stat family. */
  struct stat st;
  show("fstat", rsys(5, fd, &st));
  printf("fstat: size %ld mode %o nlink %ld\n", (long)st.st_size, st.st_mode, (long)st.st_nlink);
  show("ftruncate 4", rsys(77, fd, 4));
  show("newfstatat", rsys(262, AT_FDCWD_, "a.txt", &st, 0));
  printf("newfstatat: size %ld mode %o\n", (long)st.st_size, st.st_mode);
  show("newfstatat empty path", rsys(262, fd, "", &st, AT_EMPTY_PATH));
  printf("empty path: size %ld\n", (long)st.st_size);
  show("newfstatat empty path without flag", rsys(262, fd, "", &st, 0));
  show("newfstatat bad flags", rsys(262, AT_FDCWD_, "a.txt", &st, 0x8000000));
  struct kstatx sx;
  memset(&sx, 0xff, sizeof sx);
  show("statx", rsys(332, AT_FDCWD_, "a.txt", 0, STATX_BASIC_, &sx));
  printf("statx: basic %d size %llu mode %o nlink %u blksize>0 %d\n",
         (sx.stx_mask & STATX_BASIC_) == STATX_BASIC_, (unsigned long long)sx.stx_size,
         sx.stx_mode, sx.stx_nlink, sx.stx_blksize > 0);
  show("statx fd", rsys(332, fd, "", AT_EMPTY_PATH, STATX_SIZE_, &sx));
  printf("statx fd: size %llu\n", (unsigned long long)sx.stx_size);
  show("statx bad flags", rsys(332, AT_FDCWD_, "a.txt", 0x6000, STATX_BASIC_, &sx));
  show("statx reserved mask", rsys(332, AT_FDCWD_, "a.txt", 0, 0x80000000u, &sx));
  show("statx missing", rsys(332, AT_FDCWD_, "nope", 0, STATX_BASIC_, &sx));
  show("fsync", rsys(74, fd));
  show("fdatasync", rsys(75, fd));

  /* Descriptors and fcntl. */
  long d = rsys(32, fd);
  show("dup", d);
  show("lseek via dup shares offset", (rsys(8, fd, 2, SEEK_SET), rsys(8, d, 0, SEEK_CUR)));
  show("dup2 to 10", rsys(33, fd, 10));
  show("dup2 same", rsys(33, fd, fd));
  show("dup2 bad", rsys(33, 77, 11));
  show("dup3 same", rsys(292, fd, fd, 0));
  show("dup3 bad flags", rsys(292, fd, 12, 1));
  show("dup3 cloexec", rsys(292, fd, 12, O_CLOEXEC));
  show("F_GETFD 12", rsys(72, 12, F_GETFD));
  show("F_SETFD 12", rsys(72, 12, F_SETFD, 0));
  show("F_GETFD 12 after", rsys(72, 12, F_GETFD));
  show("F_DUPFD_CLOEXEC >=20", rsys(72, fd, F_DUPFD_CLOEXEC, 20));
  show("F_GETFD 20", rsys(72, 20, F_GETFD));
  printf("F_GETFL: %lx\n", rsys(72, fd, F_GETFL));
  show("F_SETFL append", rsys(72, fd, F_SETFL, O_APPEND));
  printf("F_GETFL after: %lx\n", rsys(72, fd, F_GETFL));
  show("F_SETFL back", rsys(72, fd, F_SETFL, 0));
  show("fcntl bad cmd", rsys(72, fd, 9999));
  struct flock lk = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
  show("F_SETLK", rsys(72, fd, F_SETLK, &lk));
  show("F_GETLK", rsys(72, fd, F_GETLK, &lk));
  printf("F_GETLK type unlocked: %d\n", lk.l_type == F_UNLCK);
  show("close 20", rsys(3, 20));
  show("close 20 again", rsys(3, 20));
  show("close 12", rsys(3, 12));
  show("close 10", rsys(3, 10));
  show("close dup", rsys(3, d));

  /* Append mode. */
  int ap = (int)rsys(257, AT_FDCWD_, "a.txt", O_WRONLY | O_APPEND, 0);
  show("open append", ap);
  show("append write", rsys(1, ap, "XY", 2));
  show("append offset", rsys(8, ap, 0, SEEK_CUR));
  show("read on O_WRONLY", rsys(0, ap, buf, 1));
  show("close append", rsys(3, ap));
  show("write on O_RDONLY", (ap = (int)rsys(257, AT_FDCWD_, "a.txt", O_RDONLY, 0), rsys(1, ap, "x", 1)));
  show("ftruncate on O_RDONLY", rsys(77, ap, 0));
  rsys(3, ap);
  show("close", rsys(3, fd));

  /* Open errors. */
  show("open missing", rsys(257, AT_FDCWD_, "missing", O_RDONLY, 0));
  show("open excl existing", rsys(257, AT_FDCWD_, "a.txt", O_CREAT | O_EXCL | O_WRONLY, 0600));
  show("open file as dir", rsys(257, AT_FDCWD_, "a.txt/x", O_RDONLY, 0));
  show("open O_DIRECTORY on file", rsys(257, AT_FDCWD_, "a.txt", O_RDONLY | O_DIRECTORY, 0));
  show("open empty path", rsys(257, AT_FDCWD_, "", O_RDONLY, 0));
  show("open bad pointer", rsys(257, AT_FDCWD_, BAD_PTR, O_RDONLY, 0));
  show("openat bad dirfd", rsys(257, 99, "a.txt", O_RDONLY, 0));
  show("openat file dirfd", (fd = (int)rsys(257, AT_FDCWD_, "a.txt", O_RDONLY, 0),
                             rsys(257, fd, "x", O_RDONLY, 0)));
  rsys(3, fd);
  show("open dir for write", rsys(257, AT_FDCWD_, ".", O_WRONLY, 0));
  char longname[300];
  memset(longname, 'n', sizeof longname - 1);
  longname[sizeof longname - 1] = 0;
  show("open long name", rsys(257, AT_FDCWD_, longname, O_RDONLY, 0));

  /* Directories. */
  show("mkdir d", rsys(83, "d", 0755));
  show("mkdir d again", rsys(83, "d", 0755));
  show("mkdir missing/x", rsys(83, "missing/x", 0755));
  show("mkdir a.txt/x", rsys(83, "a.txt/x", 0755));
  show("mkdirat d/e", rsys(258, AT_FDCWD_, "d/e", 0700));
  show("stat d/e", rsys(4, "d/e", &st));
  printf("d/e mode %o\n", st.st_mode);
  fd = (int)rsys(257, AT_FDCWD_, "d/f", O_CREAT | O_WRONLY, 0640);
  rsys(3, fd);
  show("stat d/f", rsys(4, "d/f", &st));
  printf("d/f mode %o\n", st.st_mode);
  show("rmdir non-empty", rsys(84, "d"));
  show("rmdir file", rsys(84, "d/f"));
  show("unlink dir", rsys(87, "d/e"));
  show("rmdir dot", rsys(84, "d/e/."));
  show("unlinkat bad flags", rsys(263, AT_FDCWD_, "d/f", 0x1));
  int dfd = (int)rsys(257, AT_FDCWD_, "d", O_RDONLY | O_DIRECTORY, 0);
  show("open d", dfd);
  list_dir("d lists", dfd);
  show("getdents64 on file", (fd = (int)rsys(257, AT_FDCWD_, "a.txt", O_RDONLY, 0),
                              rsys(217, fd, buf, sizeof buf)));
  rsys(3, fd);
  show("getdents64 tiny buffer", (rsys(8, dfd, 0, SEEK_SET), rsys(217, dfd, buf, 8)));
  show("openat relative to d", (fd = (int)rsys(257, dfd, "f", O_RDONLY, 0)) >= 0);
  rsys(3, fd);
  show("fstatat via dirfd", rsys(262, dfd, "e", &st, 0));
  printf("via dirfd is dir: %d\n", S_ISDIR(st.st_mode));

  /* Renames. */
  show("rename a.txt b.txt", rsys(82, "a.txt", "b.txt"));
  show("rename missing", rsys(82, "a.txt", "c.txt"));
  fd = (int)rsys(257, AT_FDCWD_, "c.txt", O_CREAT | O_WRONLY, 0644);
  rsys(1, fd, "c", 1);
  rsys(3, fd);
  show("renameat2 noreplace existing", rsys(316, AT_FDCWD_, "b.txt", AT_FDCWD_, "c.txt", 1));
  show("renameat2 exchange", rsys(316, AT_FDCWD_, "b.txt", AT_FDCWD_, "c.txt", 2));
  show("stat b.txt after exchange", (rsys(4, "b.txt", &st), st.st_size));
  show("stat c.txt after exchange", (rsys(4, "c.txt", &st), st.st_size));
  show("renameat2 bad flags", rsys(316, AT_FDCWD_, "b.txt", AT_FDCWD_, "c.txt", 3));
  show("renameat2 noreplace new", rsys(316, AT_FDCWD_, "c.txt", AT_FDCWD_, "a.txt", 1));
  show("renameat dir over nonempty", (rsys(83, "g", 0755), rsys(264, AT_FDCWD_, "g", AT_FDCWD_, "d")));
  show("rename file over dir", rsys(82, "a.txt", "g"));
  show("rename dir over file", rsys(82, "g", "a.txt"));

  /* Symlinks and readlink. */
  show("symlink", rsys(88, "b.txt", "link"));
  show("symlink existing", rsys(88, "b.txt", "link"));
  memset(buf, 0, sizeof buf);
  show("readlink", rsys(89, "link", buf, sizeof buf));
  printf("readlink got: %s\n", buf);
  show("readlink short buffer", rsys(89, "link", buf, 2));
  show("readlink zero size", rsys(89, "link", buf, 0));
  show("readlink not a link", rsys(89, "b.txt", buf, sizeof buf));
  show("readlinkat missing", rsys(267, AT_FDCWD_, "nolink", buf, sizeof buf));
  show("lstat link", (rsys(6, "link", &st), S_ISLNK(st.st_mode)));
  show("stat through link size", (rsys(4, "link", &st), st.st_size));
  show("symlink dangling", rsys(88, "nowhere", "dangling"));
  show("stat dangling", rsys(4, "dangling", &st));
  show("open nofollow", rsys(257, AT_FDCWD_, "link", O_RDONLY | O_NOFOLLOW, 0));
  show("symlink loop", (rsys(88, "loop2", "loop1"), rsys(88, "loop1", "loop2")));
  show("open loop", rsys(257, AT_FDCWD_, "loop1", O_RDONLY, 0));
  show("symlink to dir", rsys(88, "d", "dlink"));
  show("stat via dir link", rsys(4, "dlink/f", &st));
  show("trailing slash on file", rsys(4, "b.txt/", &st));

  /* Access and permissions. */
  show("access F_OK", rsys(21, "b.txt", 0));
  show("access missing", rsys(21, "zzz", 0));
  show("faccessat X_OK on 0644", rsys(269, AT_FDCWD_, "b.txt", 1));
  show("chmod 0755", rsys(90, "b.txt", 0755));
  show("faccessat X_OK on 0755", rsys(269, AT_FDCWD_, "b.txt", 1));
  show("faccessat bad mode", rsys(269, AT_FDCWD_, "b.txt", 8));
  show("faccessat2 bad flags", rsys(439, AT_FDCWD_, "b.txt", 0, 0x1));
  show("faccessat2 nofollow", rsys(439, AT_FDCWD_, "link", 0, AT_SYMLINK_NOFOLLOW));
  show("stat mode after chmod", (rsys(4, "b.txt", &st), st.st_mode));
  show("umask 0", rsys(95, 0));
  fd = (int)rsys(257, AT_FDCWD_, "open.txt", O_CREAT | O_WRONLY, 0666);
  show("stat with umask 0", (rsys(5, fd, &st), st.st_mode));
  rsys(3, fd);
  rsys(95, 022);
  show("truncate path", rsys(76, "b.txt", 1));
  show("truncate size", (rsys(4, "b.txt", &st), st.st_size));
  show("truncate dir", rsys(76, "d", 0));
  show("truncate negative", rsys(76, "b.txt", -1));

  /* Working directory. */
  char cwd[512];
  long n = rsys(79, cwd, sizeof cwd);
  show("getcwd returns length", n == (long)strlen(cwd) + 1);
  printf("getcwd is scratch: %d\n", strcmp(cwd, scratch_dir) == 0);
  show("getcwd small", rsys(79, cwd, 4));
  show("getcwd bad pointer", rsys(79, BAD_PTR, sizeof cwd));
  show("chdir d", rsys(80, "d"));
  rsys(79, cwd, sizeof cwd);
  printf("cwd ends with /d: %d\n", strlen(cwd) > 2 && strcmp(cwd + strlen(cwd) - 2, "/d") == 0);
  show("chdir dlink/..", (rsys(80, ".."), rsys(80, "dlink")));
  rsys(79, cwd, sizeof cwd);
  printf("cwd through link resolves to /d: %d\n", strcmp(cwd + strlen(cwd) - 2, "/d") == 0);
  show("chdir file", rsys(80, "f"));
  show("chdir missing", rsys(80, "nope"));
  show("fchdir to scratch", (fd = (int)rsys(257, AT_FDCWD_, "..", O_RDONLY | O_DIRECTORY, 0), rsys(81, fd)));
  rsys(3, fd);
  rsys(79, cwd, sizeof cwd);
  printf("fchdir back: %d\n", strcmp(cwd, scratch_dir) == 0);
  show("fchdir file", (fd = (int)rsys(257, AT_FDCWD_, "b.txt", O_RDONLY, 0), rsys(81, fd)));
  rsys(3, fd);

  /* sendfile and copy_file_range: in-kernel copies, with and without offset pointers */
  {
    int src = (int)rsys(257, AT_FDCWD_, "a.txt", O_RDONLY, 0);
    int dst = (int)rsys(257, AT_FDCWD_, "copy.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
    long off = 2;
    show("sendfile with offset", rsys(40, dst, src, &off, 5));
    printf("offset after: %ld, file offset untouched: %ld\n", off, rsys(8, src, 0, SEEK_CUR));
    show("sendfile at file offset", rsys(40, dst, src, 0, 100));
    printf("file offset after: %ld\n", rsys(8, src, 0, SEEK_CUR));
    show("sendfile at eof", rsys(40, dst, src, 0, 100));
    show("sendfile bad fd", rsys(40, dst, 999, 0, 1));
    show("sendfile from write-only", rsys(40, src, dst, 0, 1));
    off = -1;
    show("sendfile negative offset", rsys(40, dst, src, &off, 1));
    long in_off = 0, out_off = 100;
    show("copy_file_range", rsys(326, src, &in_off, dst, &out_off, 4, 0));
    printf("offsets after: %ld %ld\n", in_off, out_off);
    show("copy_file_range flags", rsys(326, src, 0, dst, 0, 4, 1));
    long o1 = 0, o2 = 2;
    show("copy_file_range overlapping", rsys(326, dst, &o1, dst, &o2, 4, 0));
    o1 = 0, o2 = 4;
    show("copy_file_range adjacent", rsys(326, dst, &o1, dst, &o2, 4, 0));
    int pp[2];
    rsys(293, pp, 0);
    show("copy_file_range to pipe", rsys(326, src, &in_off, pp[1], 0, 4, 0));
    show("sendfile to pipe", rsys(40, pp[1], src, &in_off, 3));
    char pbuf[8] = {0};
    rsys(0, pp[0], pbuf, sizeof pbuf - 1);
    printf("pipe got: %s\n", pbuf);
    rsys(3, pp[0]), rsys(3, pp[1]);
    char cbuf[128] = {0};
    long n = rsys(17, dst, cbuf, sizeof cbuf - 1, 0);
    printf("copy.txt (%ld bytes): ", n);
    for (long i = 0; i < n; i++) putchar(cbuf[i] ? cbuf[i] : '.');
    putchar('\n');
    rsys(3, src), rsys(3, dst);
    show("unlink copy.txt", rsys(87, "copy.txt"));
  }

  /* hard links and chown (to our own ids, which any user may do) */
  {
    struct stat st;
    show("link", rsys(86, "a.txt", "hard.txt"));
    rsys(4, "a.txt", &st);
    printf("nlink after link: %ld\n", (long)st.st_nlink);
    show("link existing", rsys(86, "a.txt", "hard.txt"));
    show("link missing", rsys(86, "nope", "hard2.txt"));
    show("link dir", rsys(86, "d", "dhard"));
    show("linkat follow", rsys(265, AT_FDCWD_, "link", AT_FDCWD_, "hard3.txt", 0x400));
    rsys(6, "hard3.txt", &st);
    printf("linkat follow made a regular file: %d\n", S_ISREG(st.st_mode));
    show("linkat bad flags", rsys(265, AT_FDCWD_, "a.txt", AT_FDCWD_, "x", 1));
    show("unlink hard.txt", rsys(87, "hard.txt"));
    show("unlink hard3.txt", rsys(87, "hard3.txt"));
    rsys(4, "a.txt", &st);
    printf("nlink after unlink: %ld\n", (long)st.st_nlink);
    long uid = rsys(102, 0), gid = rsys(104, 0);
    show("chown to self", rsys(92, "a.txt", uid, gid));
    show("chown keep ids", rsys(92, "a.txt", -1, -1));
    int cf = (int)rsys(257, AT_FDCWD_, "a.txt", O_RDONLY, 0);
    show("fchown to self", rsys(93, cf, uid, -1));
    rsys(3, cf);
    show("lchown symlink to self", rsys(94, "link", uid, gid));
    show("fchownat nofollow", rsys(260, AT_FDCWD_, "a.txt", -1, gid, 0x100));
    show("chown missing", rsys(92, "nope", uid, gid));
    show("fchownat bad flags", rsys(260, AT_FDCWD_, "a.txt", uid, gid, 1));
  }

  /* utimensat/utimes/futimens: set, omit, now; errors (whole seconds: Deno keeps ~ms) */
  {
    struct stat st;
    struct timespec ts[2] = {{1000000000, 0}, {1234567890, 0}};
    show("utimensat", rsys(280, AT_FDCWD_, "a.txt", ts, 0));
    rsys(4, "a.txt", &st);
    printf("times: %ld %ld\n", (long)st.st_atime, (long)st.st_mtime);
    ts[0].tv_nsec = (1 << 30) - 2; /* UTIME_OMIT */
    ts[1] = (struct timespec){1500000000, 0};
    show("utimensat omit atime", rsys(280, AT_FDCWD_, "a.txt", ts, 0));
    rsys(4, "a.txt", &st);
    printf("times: %ld %ld\n", (long)st.st_atime, (long)st.st_mtime);
    show("utimensat now", rsys(280, AT_FDCWD_, "a.txt", 0, 0));
    rsys(4, "a.txt", &st);
    printf("mtime is recent: %d\n", st.st_mtime > 1700000000);
    int tf = (int)rsys(257, AT_FDCWD_, "a.txt", O_RDONLY, 0);
    ts[0] = (struct timespec){1100000000, 0};
    ts[1] = (struct timespec){1200000000, 0};
    show("futimens (NULL path)", rsys(280, tf, 0, ts, 0));
    rsys(5, tf, &st);
    printf("times: %ld %ld\n", (long)st.st_atime, (long)st.st_mtime);
    rsys(3, tf);
    struct { long sec, usec; } tv[2] = {{1300000000, 0}, {1400000000, 0}};
    show("utimes", rsys(235, "a.txt", tv));
    rsys(4, "a.txt", &st);
    printf("times: %ld %ld\n", (long)st.st_atime, (long)st.st_mtime);
    ts[1].tv_nsec = 1000000000;
    show("utimensat bad nsec", rsys(280, AT_FDCWD_, "a.txt", ts, 0));
    show("utimensat missing", rsys(280, AT_FDCWD_, "nope", 0, 0));
    show("utimensat bad flags", rsys(280, AT_FDCWD_, "a.txt", 0, 0x4));
    show("utimes bad usec", (tv[0].usec = 2000000, rsys(235, "a.txt", tv)));
    show("sync", rsys(162, 0));
    show("syncfs bad fd", rsys(306, 999));
  }

  list_dir("scratch lists", dfd = (int)rsys(257, AT_FDCWD_, ".", O_RDONLY | O_DIRECTORY, 0));
  rsys(3, dfd);

  /* Clean up: everything must go, bottom-up. */
  const char *files[] = {"d/f", "a.txt", "b.txt", "open.txt", "link", "dangling", "loop1", "loop2",
                         "dlink"};
  for (unsigned i = 0; i < sizeof files / sizeof files[0]; i++) {
    char label[64];
    snprintf(label, sizeof label, "unlink %s", files[i]);
    show(label, rsys(87, files[i]));
  }
  show("rmdir d/e", rsys(84, "d/e"));
  show("unlinkat removedir d", rsys(263, AT_FDCWD_, "d", AT_REMOVEDIR));
  show("rmdir g", rsys(84, "g"));
  show("chdir /", rsys(80, "/"));
  show("rmdir scratch", rsys(84, scratch_dir));
  return 0;
}
