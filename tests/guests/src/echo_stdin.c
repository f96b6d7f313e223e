/* Copies stdin to stdout with plain read/write and reports the byte count: exercises guest input that
 * the recorder must capture so a replay can reproduce it without the original file. */
#include <stdio.h>
#include <unistd.h>

int main(void) {
  char buf[256]; /* small on purpose: several reads for a multi-line input */
  long total = 0;
  for (;;) {
    ssize_t n = read(0, buf, sizeof buf);
    if (n < 0) {
      perror("read");
      return 1;
    }
    if (n == 0) break;
    for (ssize_t done = 0; done < n;) {
      ssize_t w = write(1, buf + done, (size_t)(n - done));
      if (w <= 0) return 1;
      done += w;
    }
    total += n;
  }
  printf("echoed %ld bytes\n", total);
  return 0;
}
