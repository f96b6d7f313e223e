/* hunt_exec_fault: faults around code: calling NULL, jumping into a readable but not executable
 * mmap page, returning to a non-canonical address, writing into .text and .rodata, executing a page after mprotect removes PROT_EXEC:
 * si_code/si_addr (relative) and the faulting rip the handler sees. */
#include "hunt.h"
#include <sys/mman.h>

static sigjmp_buf env;
static siginfo_t last;
static unsigned long last_rip;

static void on_segv(int sig, siginfo_t *si, void *ctx) {
  (void)sig;
  last = *si;
  last_rip = REG(ctx, REG_RIP);
  siglongjmp(env, 1);
}

void ret_to(unsigned long target);
__asm__(".text\n.globl ret_to\nret_to:\n push %rdi\n ret\n");

static const char ro_data[16] = "read only";
static void (*volatile target)(void);
static volatile char *volatile wptr;

static void report(const char *what, unsigned long base) {
  printf("%-24s code=%d addr_off=%ld rip_off=%ld\n", what, last.si_code,
         (long)((unsigned long)last.si_addr - base), (long)(last_rip - base));
}

int main(void) {
  hunt_init();
  handle(SIGSEGV, on_segv, 0);
  unsigned char *page = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  page[0] = 0xc3; /* ret */
  if (sigsetjmp(env, 1) == 0) {
    target = 0;
    target();
  } else report("call NULL", 0);
  if (sigsetjmp(env, 1) == 0) {
    target = (void (*)(void))(page + 0);
    target();
  } else report("call non-exec page", (unsigned long)page);
  mprotect(page, 4096, PROT_READ | PROT_EXEC);
  if (sigsetjmp(env, 1) == 0) {
    target();
    printf("%-24s ok\n", "call after PROT_EXEC");
  }
  mprotect(page, 4096, PROT_READ);
  if (sigsetjmp(env, 1) == 0) {
    target();
  } else report("call after exec removed", (unsigned long)page);
  if (sigsetjmp(env, 1) == 0) {
    wptr = (volatile char *)(void *)main;
    *wptr = 0;
  } else report("write .text", (unsigned long)(void *)main);
  if (sigsetjmp(env, 1) == 0) {
    wptr = (volatile char *)ro_data;
    wptr[3] = 'X';
  } else report("write .rodata", (unsigned long)ro_data);
  if (sigsetjmp(env, 1) == 0) {
    target = (void (*)(void))0x7ffffffff000UL;
    target();
  } else report("call top of user space", 0x7ffffffff000UL);
  if (sigsetjmp(env, 1) == 0) {
    target = (void (*)(void))0x800000000000UL;
    target();
  } else report("call non-canonical", 0);
  /* many times, so the block holding the ret is also compiled */
  volatile int gp = 0;
  for (volatile int i = 0; i < 100; i++) {
    if (sigsetjmp(env, 1) == 0) {
      ret_to(0x800000000000UL);
    } else gp += last.si_code == SI_KERNEL && (char *)last_rip == (char *)ret_to + 1;
  }
  printf("ret to non-canonical: %d of 100 faulted on the ret\n", gp);
  return 0;
}
