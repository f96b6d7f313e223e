/* hunt_fault_fix: the "fault and fix" pattern of garbage collectors and lazy allocators: pages
 * start PROT_NONE or read-only; a SIGSEGV handler mprotects the faulting page and returns, so the
 * faulting instruction re-executes and succeeds. A hot loop (compiled code) walks 64 pages. */
#include "hunt.h"
#include <sys/mman.h>

#define PAGES 64
static char *arena;
static int faults, write_faults;

static void on_segv(int sig, siginfo_t *si, void *ctx) {
  (void)sig;
  char *page = (char *)((unsigned long)si->si_addr & ~4095UL);
  long idx = (page - arena) / 4096;
  int write = (REG(ctx, REG_ERR) & 2) != 0;
  faults++;
  write_faults += write;
  if (idx < 0 || idx >= PAGES) {
    printf("stray fault\n");
    _exit(3);
  }
  mprotect(page, 4096, write ? PROT_READ | PROT_WRITE : PROT_READ);
}

int main(void) {
  hunt_init();
  handle(SIGSEGV, on_segv, 0);
  arena = mmap(0, PAGES * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  long sum = 0;
  for (int i = 0; i < PAGES; i++) sum += arena[i * 4096 + i]; /* read: PROT_NONE -> READ */
  printf("read pass: sum=%ld faults=%d write_faults=%d\n", sum, faults, write_faults);
  for (int round = 0; round < 3; round++)
    for (int i = 0; i < PAGES * 4096; i += 512) arena[i] = (char)(i / 512 + round);
  printf("write pass: faults=%d write_faults=%d\n", faults, write_faults);
  sum = 0;
  for (int i = 0; i < PAGES * 4096; i += 512) sum += arena[i];
  printf("check: sum=%ld\n", sum);
  mprotect(arena, PAGES * 4096, PROT_READ);
  unsigned long *words = (unsigned long *)arena;
  for (int i = 0; i < PAGES * 512; i += 256) words[i] += 1; /* read-modify-write faults once */
  printf("rmw pass: faults=%d write_faults=%d word0=%lu\n", faults, write_faults, words[0]);
  return 0;
}
