/* hunt2_trampoline_malloc: a NULL selector dispatches every call outside the allowed region;
 * the handler performs each one through a trampoline inside the region (its restorer is there
 * too). libc then runs on top: printf, malloc of large blocks (mmap/munmap), realloc growth,
 * file I/O in the scratch directory; the handler keeps a per-number log. */
#include "hunt2.h"
#include <fcntl.h>

static unsigned long calls[512];
static long h2_sys6(long nr, long a, long b, long c, long d, long e, long f);
static void on_sys(int s, siginfo_t *si, void *c) {
  (void)s;
  unsigned nr = (unsigned)si->si_syscall;
  if (nr < 512) calls[nr]++;
  REG(c, REG_RAX) = h2_sys6(nr, REG(c, REG_RDI), REG(c, REG_RSI), REG(c, REG_RDX),
                              REG(c, REG_R10), REG(c, REG_R8), REG(c, REG_R9));
}

/* A six-argument trampoline (h2_sys passes only three). The region runs from hunt2.h's restorer
 * to the end of this block; main checks that the assembler placed them close together. */
__asm__(".text\n.globl h2_six\nh2_six:\n mov %rdi,%rax\n mov %rsi,%rdi\n mov %rdx,%rsi\n mov %rcx,%rdx\n"
        " mov %r8,%r10\n mov %r9,%r8\n mov 8(%rsp),%r9\n syscall\n ret\nh2_six_end:\n");
extern char h2_six[], h2_six_end[];
long h2_six_fn(long, long, long, long, long, long, long) __asm__("h2_six");
static long h2_sys6(long nr, long a, long b, long c, long d, long e, long f) { return h2_six_fn(nr, a, b, c, d, e, f); }

int main(void) {
  hunt_init();
  h2_handle_raw(SIGSYS, on_sys, 0);
  unsigned long lo = (unsigned long)h2_restorer, hi = (unsigned long)h2_six_end;
  if (hi < lo || hi - lo > 4096) {
    unsigned long a = (unsigned long)h2_six, b = (unsigned long)h2_tramp_end;
    printf("layout: restorer and trampoline not adjacent (%d)\n", a < b);
    return 1;
  }
  int r = prctl(H2_PR_SUD, H2_EXCL, lo, hi - lo, 0);
  printf("armed with NULL selector: %d\n", r);
  char *big = malloc(1 << 20);
  memset(big, 'x', 1 << 20);
  char *grow = 0;
  size_t total = 0;
  for (int i = 1; i <= 6; i++) {
    grow = realloc(grow, (size_t)i << 18);
    memset(grow, i, (size_t)i << 18);
    total += (size_t)i << 18;
  }
  int fd = open("hunt2_tramp.txt", O_CREAT | O_TRUNC | O_RDWR, 0600);
  dprintf(fd, "line one\nline two %d\n", big[12345]);
  lseek(fd, 0, SEEK_SET);
  char buf[64] = {0};
  long n = read(fd, buf, sizeof buf - 1);
  close(fd);
  unlink("hunt2_tramp.txt");
  free(big);
  free(grow);
  printf("read back %ld bytes: %s", n, buf);
  printf("grown %zu bytes\n", total);
  printf("dispatched: write %s, mmap %s, munmap %s, openat %lu, read %lu, close %lu, unlink %lu\n",
         calls[SYS_write] ? "yes" : "no", calls[SYS_mmap] ? "yes" : "no", calls[SYS_munmap] ? "yes" : "no",
         calls[SYS_openat] + calls[SYS_open], calls[SYS_read], calls[SYS_close], calls[SYS_unlink] + calls[SYS_unlinkat]);
  return 0;
}
