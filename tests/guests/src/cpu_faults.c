/* Precise CPU faults as Linux delivers them: for each fault, the SA_SIGINFO handler records
 * si_signo, si_code, si_addr, and from uc_mcontext trapno, err and rip; main prints addresses
 * relative to the asm labels and buffers involved, then the next test runs (siglongjmp out). */
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

extern char cf_load[], cf_store[], cf_ud2[], cf_op06[], cf_op27[], cf_lock_nop[], cf_int3[],
    cf_int3_after[], cf_div64[], cf_div32[], cf_idiv8[], cf_noncanon[], cf_noncanon_st[], cf_hlt[],
    cf_movaps[], cf_cli[], cf_rdmsr[], cf_inb[], cf_int10[], cf_ldmxcsr[], cf_divsd[], cf_jmp[],
    cf_lock_reg[];
long cf_call1(void *fn, long a, long b);
__asm__(".text\n"
        ".globl cf_call1\ncf_call1: mov %rdi, %rax\n mov %rsi, %rdi\n mov %rdx, %rsi\n jmp *%rax\n"
        ".globl cf_load\ncf_load: mov (%rdi), %rax\n ret\n"
        ".globl cf_store\ncf_store: movq $1, (%rdi)\n ret\n"
        ".globl cf_ud2\ncf_ud2: ud2\n ret\n"
        ".globl cf_op06\ncf_op06: .byte 0x06\n ret\n"
        ".globl cf_op27\ncf_op27: .byte 0x27\n ret\n"
        ".globl cf_lock_nop\ncf_lock_nop: .byte 0xf0, 0x90\n ret\n"
        ".globl cf_lock_reg\ncf_lock_reg: .byte 0xf0, 0x01, 0xc0\n ret\n" /* lock add eax, eax */
        ".globl cf_int3\ncf_int3: int3\n.globl cf_int3_after\ncf_int3_after: ret\n"
        ".globl cf_div64\ncf_div64: mov %rdi, %rax\n cqo\n idiv %rsi\n ret\n"
        ".globl cf_div32\ncf_div32: mov %edi, %eax\n cltd\n idivl %esi\n ret\n"
        ".globl cf_idiv8\ncf_idiv8: mov %edi, %eax\n idivb %sil\n ret\n"
        ".globl cf_noncanon\ncf_noncanon: movabs $0x8000000000000000, %rax\n"
        " .globl cf_noncanon_ld\ncf_noncanon_ld: mov (%rax), %rax\n ret\n"
        ".globl cf_noncanon_st\ncf_noncanon_st: movabs $0x00007fffffffffff, %rax\n"
        " movq $0, 1(%rax)\n ret\n"
        ".globl cf_hlt\ncf_hlt: hlt\n ret\n"
        ".globl cf_movaps\ncf_movaps: movaps (%rdi), %xmm0\n ret\n"
        ".globl cf_cli\ncf_cli: cli\n ret\n"
        ".globl cf_rdmsr\ncf_rdmsr: rdmsr\n ret\n"
        ".globl cf_inb\ncf_inb: inb $0x80, %al\n ret\n"
        ".globl cf_int10\ncf_int10: int $0x10\n ret\n"
        ".globl cf_ldmxcsr\ncf_ldmxcsr: push %rdi\n ldmxcsr (%rsp)\n pop %rdi\n ret\n"
        ".globl cf_divsd\ncf_divsd: sub $8, %rsp\n stmxcsr (%rsp)\n push %rdi\n ldmxcsr (%rsp)\n"
        " pxor %xmm1, %xmm1\n mov $1, %eax\n cvtsi2sd %eax, %xmm0\n"
        " .globl cf_divsd_insn\ncf_divsd_insn: divsd %xmm1, %xmm0\n pop %rdi\n ldmxcsr (%rsp)\n"
        " add $8, %rsp\n ret\n"
        ".globl cf_jmp\ncf_jmp: jmp *%rdi\n");
extern char cf_noncanon_ld[], cf_divsd_insn[];

static sigjmp_buf cf_jump;
static volatile int cf_signo, cf_code;
static volatile uintptr_t cf_addr, cf_rip;
static volatile long cf_trapno, cf_err, cf_rcx;

static void cf_handler(int signo, siginfo_t *info, void *ucv) {
  ucontext_t *uc = ucv;
  cf_signo = signo;
  cf_code = info->si_code;
  cf_addr = (uintptr_t)info->si_addr;
  cf_trapno = (long)uc->uc_mcontext.gregs[REG_TRAPNO];
  cf_err = (long)uc->uc_mcontext.gregs[REG_ERR];
  cf_rip = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
  cf_rcx = (long)uc->uc_mcontext.gregs[REG_RCX];
  /* The handler runs with the default MXCSR; the interrupted one is restored by the jump's
   * caller. */
  siglongjmp(cf_jump, 1);
}

static void cf_report(const char *name, const void *addr_base, const void *rip_base) {
  printf("%-22s signo=%d code=%d addr%s%+ld trapno=%ld err=%#lx rip=%s%+ld\n", name, cf_signo,
         cf_code, addr_base ? "=base" : "=", (long)(cf_addr - (uintptr_t)addr_base), cf_trapno,
         cf_err, rip_base ? "label" : "?", rip_base ? (long)(cf_rip - (uintptr_t)rip_base) : 0L);
}

#define CF_RUN(name, addr_base, rip_base, call)                         \
  do {                                                                  \
    cf_signo = 0;                                                       \
    if (sigsetjmp(cf_jump, 1) == 0) {                                   \
      call;                                                             \
      printf("%-22s no fault\n", name);                                 \
    } else {                                                            \
      cf_report(name, addr_base, rip_base);                             \
    }                                                                   \
  } while (0)

int prog_faults(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = cf_handler;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  int sigs[] = {SIGSEGV, SIGILL, SIGFPE, SIGTRAP, SIGBUS};
  for (int i = 0; i < 5; i++) sigaction(sigs[i], &sa, 0);

  /* Page layout: [0] RW touched, [1] unmapped, [2] RO touched, [3] PROT_NONE, [4] RW untouched,
   * [5] RO untouched, [6] RWX with code straddling into [7] unmapped. */
  char *pg = mmap(0, 8 * 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (pg == MAP_FAILED) return 1;
  memset(pg, 0xc3, 4 * 4096); /* touch pages 0-3 (0xc3 = ret) */
  pg[6 * 4096] = 0;
  munmap(pg + 4096, 4096);
  munmap(pg + 7 * 4096, 4096);
  mprotect(pg, 4096, PROT_READ | PROT_WRITE);
  mprotect(pg + 2 * 4096, 4096, PROT_READ);
  mprotect(pg + 3 * 4096, 4096, PROT_NONE);
  mprotect(pg + 5 * 4096, 4096, PROT_READ);
  char *p0 = pg, *p1 = pg + 4096, *p2 = pg + 2 * 4096, *p3 = pg + 3 * 4096, *p5 = pg + 5 * 4096;

  CF_RUN("read unmapped", p1, cf_load, cf_call1(cf_load, (long)(p1 + 40), 0));
  CF_RUN("write unmapped", p1, cf_store, cf_call1(cf_store, (long)(p1 + 8), 0));
  CF_RUN("read NULL+16", 0, cf_load, cf_call1(cf_load, 16, 0));
  CF_RUN("write read-only", p2, cf_store, cf_call1(cf_store, (long)(p2 + 100), 0));
  CF_RUN("read PROT_NONE", p3, cf_load, cf_call1(cf_load, (long)(p3 + 3), 0));
  CF_RUN("write PROT_NONE", p3, cf_store, cf_call1(cf_store, (long)(p3 + 3), 0));
  CF_RUN("write RO untouched", p5, cf_store, cf_call1(cf_store, (long)(p5 + 8), 0));
  CF_RUN("exec no-exec page", p0, p0, cf_call1(cf_jmp, (long)(p0 + 32), 0));
  CF_RUN("exec unmapped", p1, p1, cf_call1(cf_jmp, (long)(p1 + 64), 0));
  /* mov $imm32, %eax at the last 2 bytes of page 6: the fetch of the rest faults on page 7. */
  char *code = pg + 7 * 4096 - 2;
  code[0] = (char)0xb8;
  code[1] = 0x11;
  CF_RUN("fetch straddles page", pg + 7 * 4096, code, cf_call1(cf_jmp, (long)code, 0));
  /* Unaligned access across into an unmapped page: the fault address is the page start. */
  CF_RUN("read straddles page", p1, cf_load, cf_call1(cf_load, (long)(p1 - 4), 0));
  CF_RUN("ud2", cf_ud2, cf_ud2, cf_call1(cf_ud2, 0, 0));
  CF_RUN("opcode 06 (push es)", cf_op06, cf_op06, cf_call1(cf_op06, 0, 0));
  CF_RUN("opcode 27 (daa)", cf_op27, cf_op27, cf_call1(cf_op27, 0, 0));
  CF_RUN("lock nop", cf_lock_nop, cf_lock_nop, cf_call1(cf_lock_nop, 0, 0));
  CF_RUN("lock add reg,reg", cf_lock_reg, cf_lock_reg, cf_call1(cf_lock_reg, 0, 0));
  CF_RUN("int3", 0, cf_int3_after, cf_call1(cf_int3, 0, 0));
  CF_RUN("idiv64 LONG_MIN/-1", cf_div64 + 5, cf_div64 + 5,
         cf_call1(cf_div64, (long)0x8000000000000000ull, -1));
  CF_RUN("idiv64 by zero", cf_div64 + 5, cf_div64 + 5, cf_call1(cf_div64, 5, 0));
  CF_RUN("idiv32 INT_MIN/-1", cf_div32 + 3, cf_div32 + 3, cf_call1(cf_div32, (long)0x80000000u, -1));
  CF_RUN("idiv8 overflow", cf_idiv8 + 2, cf_idiv8 + 2, cf_call1(cf_idiv8, 1000, 2));
  CF_RUN("non-canonical load", 0, cf_noncanon_ld, cf_call1(cf_noncanon, 0, 0));
  CF_RUN("non-canonical store", 0, cf_noncanon_st + 10, cf_call1(cf_noncanon_st, 0, 0));
  CF_RUN("hlt", 0, cf_hlt, cf_call1(cf_hlt, 0, 0));
  CF_RUN("movaps misaligned", 0, cf_movaps, cf_call1(cf_movaps, (long)(p0 + 8), 0));
  CF_RUN("cli", 0, cf_cli, cf_call1(cf_cli, 0, 0));
  CF_RUN("rdmsr", 0, cf_rdmsr, cf_call1(cf_rdmsr, 0, 0));
  CF_RUN("inb", 0, cf_inb, cf_call1(cf_inb, 0, 0));
  CF_RUN("int $0x10", 0, cf_int10, cf_call1(cf_int10, 0, 0));
  CF_RUN("ldmxcsr reserved bit", 0, cf_ldmxcsr + 1, cf_call1(cf_ldmxcsr, 0x11f80, 0));
  CF_RUN("divsd unmasked #Z", cf_divsd_insn, cf_divsd_insn, cf_call1(cf_divsd, 0x1d80, 0));
  CF_RUN("divsd masked #Z", cf_divsd_insn, cf_divsd_insn, cf_call1(cf_divsd, 0x1f80, 0));
  /* A fault part-way through rep movsb: rcx counts the bytes left. */
  cf_signo = 0;
  if (sigsetjmp(cf_jump, 1) == 0) {
    char *dst = p1 - 100;
    const char *src = p0;
    long n = 300;
    __asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
    printf("rep movsb no fault\n");
  } else {
    printf("rep movsb into unmapped: signo=%d code=%d addr=base%+ld trapno=%ld err=%#lx rcx=%ld\n",
           cf_signo, cf_code, (long)(cf_addr - (uintptr_t)p1), cf_trapno, cf_err, cf_rcx);
  }
  printf("faults done\n");
  return 0;
}
