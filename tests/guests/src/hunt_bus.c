/* hunt_bus: SIGBUS (BUS_ADRERR) from touching a file mapping past the end of the file, caught
 * with siglongjmp (a read-only MAP_SHARED mapping of a 3-byte file); the rest of the first page
 * reads as zeros; the handler's mask and a second fault. */
#include "hunt.h"
#include <fcntl.h>
#include <sys/mman.h>

static sigjmp_buf env;
static siginfo_t last;

static void on_bus(int sig, siginfo_t *si, void *ctx) {
  (void)sig;
  (void)ctx;
  last = *si;
  siglongjmp(env, 1);
}

static char *map;

static void touch(const char *what, long off) {
  if (sigsetjmp(env, 1) == 0) {
    volatile char c = map[off];
    printf("%-28s read %d\n", what, c);
  } else {
    printf("%-28s SIGBUS code=%d addr_off=%ld\n", what, last.si_code,
           (long)((char *)last.si_addr - map));
  }
}

int main(void) {
  hunt_init();
  handle(SIGBUS, on_bus, 0);
  char name[] = "/tmp/hunt_bus_XXXXXX";
  int fd = mkstemp(name);
  if (fd < 0) {
    printf("mkstemp failed\n");
    return 1;
  }
  if (write(fd, "abc", 3) != 3) return 1;
  close(fd);
  fd = open(name, O_RDONLY);
  map = mmap(0, 3 * 4096, PROT_READ, MAP_SHARED, fd, 0);
  printf("mmap ok: %d\n", map != MAP_FAILED);
  touch("offset 1 (in file)", 1);
  touch("offset 4000 (same page)", 4000);
  touch("offset 4096+10 (past EOF)", 4096 + 10);
  touch("offset 8192 (past EOF)", 8192);
  touch("offset 4096+10 again", 4096 + 10);
  close(fd);
  touch("offset 2 after close", 2);
  unlink(name);
  return 0;
}
