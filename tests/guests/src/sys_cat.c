/* Prints a file given as argv[1] (used by the record/delete/replay test); with no argument it
 * writes a file in a scratch directory, prints it back and removes it. */
#include <fcntl.h>
#include "sys_util.h"

static int cat(const char *path) {
  int fd = (int)rsys(2, path, O_RDONLY, 0);
  if (fd < 0) {
    show("open", fd);
    return 1;
  }
  char buf[512];
  long n;
  while ((n = rsys(0, fd, buf, sizeof buf)) > 0) rsys(1, 1, buf, n);
  rsys(3, fd);
  return n < 0;
}

int main(int argc, char **argv) {
  if (argc > 1) return cat(argv[1]);
  enter_scratch("sudtrace-sys_cat");
  int fd = (int)rsys(2, "note.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
  rsys(1, fd, "a line written, then read back\n", 31);
  rsys(3, fd);
  int r = cat("note.txt");
  rsys(87, "note.txt");
  rsys(80, "/");
  show("rmdir scratch", rsys(84, scratch_dir));
  return r;
}
