/* hunt_rip_skip: a SIGSEGV handler that emulates the faulting instruction: it decodes which of
 * a few known loads/stores faulted (by rip), performs it on a shadow buffer via the ucontext
 * registers, and advances REG_RIP past it. Also changes flags (REG_EFL carry) and r8..r15. */
#include "hunt.h"

extern char ld_a[], ld_a_end[], st_b[], st_b_end[], ld_c[], ld_c_end[];
long emulate_me(long *p);
__asm__(".text\n.globl emulate_me, ld_a, ld_a_end, st_b, st_b_end, ld_c, ld_c_end\n"
        "emulate_me:\n push %r12\n mov $5, %r12\n"
        "ld_a:\n mov (%rdi), %rax\nld_a_end:\n"
        "st_b:\n mov %r12, 8(%rdi)\nst_b_end:\n"
        " add %r12, %rax\n"
        "ld_c:\n mov 0x10(%rdi), %rcx\nld_c_end:\n"
        " add %rcx, %rax\n clc\n"
        " .byte 0x67, 0x48, 0x8b, 0x17\n" /* mov (%edi), %rdx: address-size prefix, faults too */
        " adc $0, %rax\n add %rdx, %rax\n pop %r12\n ret\n");

static long shadow[4] = {100, 0, 20000, 0};
static int emulated;

static void on_segv(int sig, siginfo_t *si, void *ctx) {
  (void)sig;
  ucontext_t *uc = ctx;
  greg_t *g = uc->uc_mcontext.gregs;
  char *rip = (char *)g[REG_RIP];
  long off = (long)si->si_addr;
  emulated++;
  if (rip == ld_a) {
    g[REG_RAX] = shadow[off / 8];
    g[REG_RIP] = (greg_t)ld_a_end;
  } else if (rip == st_b) {
    shadow[off / 8] = g[REG_R12];
    g[REG_RIP] = (greg_t)st_b_end;
  } else if (rip == ld_c) {
    g[REG_RCX] = shadow[off / 8];
    g[REG_RIP] = (greg_t)ld_c_end;
  } else {
    printf("  unknown fault at insn bytes %02x %02x addr=%ld\n", (unsigned char)rip[0],
           (unsigned char)rip[1], off);
    g[REG_RDX] = 3000000;
    g[REG_EFL] |= 1; /* carry: the adc after it adds one */
    g[REG_RIP] += 4;
  }
  printf("  emulated fault %d at offset %ld\n", emulated, off);
}

int main(void) {
  hunt_init();
  handle(SIGSEGV, on_segv, SA_NODEFER);
  long r = emulate_me(0);
  printf("result %ld shadow[1]=%ld emulated=%d\n", r, shadow[1], emulated);
  return 0;
}
