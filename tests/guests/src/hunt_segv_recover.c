/* hunt_segv_recover: SIGSEGV handler + siglongjmp recovery from a NULL write, a NULL read, a
 * write to a read-only page, a PROT_NONE read and a write past an unmapped page; si_code and
 * si_addr relative to the page; the mask is restored after every jump. */
#include "hunt.h"
#include <sys/mman.h>

static sigjmp_buf env;
static volatile int faults;
static siginfo_t last;

static void on_segv(int sig, siginfo_t *si, void *ctx) {
  (void)sig;
  (void)ctx;
  faults++;
  last = *si;
  siglongjmp(env, 1);
}

static char *page;

static void try(const char *what, int kind) {
  if (sigsetjmp(env, 1) == 0) {
    volatile char *p;
    switch (kind) {
    case 0: p = null_ptr; *p = 1; break;
    case 1: p = null_ptr; (void)*(p + 16); break;
    case 2: p = page; *p = 1; break;
    case 3: p = page + 4096 + 5; (void)*p; break;
    case 4: p = page + 2 * 4096 + 9; *p = 1; break;
    }
    printf("%-22s no fault\n", what);
  } else {
    long off = (char *)last.si_addr - page;
    if (kind < 2) off = (long)last.si_addr;
    sigset_t cur;
    sigprocmask(SIG_BLOCK, 0, &cur);
    printf("%-22s SIGSEGV code=%d addr_off=%ld errno=%d segv_blocked=%d\n", what, last.si_code, off,
           last.si_errno, sigismember(&cur, SIGSEGV));
  }
}

int main(void) {
  hunt_init();
  handle(SIGSEGV, on_segv, 0);
  page = mmap(0, 3 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  mprotect(page + 4096, 4096, PROT_NONE);
  munmap(page + 2 * 4096, 4096);
  try("NULL write", 0);
  try("NULL+16 read", 1);
  try("read-only write", 2);
  try("PROT_NONE read", 3);
  try("unmapped write", 4);
  try("NULL write again", 0);
  mprotect(page, 4096, PROT_READ | PROT_WRITE);
  try("now writable", 2);
  printf("faults=%d\n", faults);
  return 0;
}
