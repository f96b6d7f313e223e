/* sud_siginfo: everything a SUD SIGSYS handler sees, printed so that a native run and an emulated run
 * can be compared line by line: the siginfo, the registers at handler entry, the ucontext, and the
 * x86 syscall-restart quirk applied to dispatched "syscall numbers" that look like ERESTART codes.
 *
 * Determinism: no absolute addresses are printed. Code addresses appear only as differences from the
 * probe's labels, stack values only as the fixed relations the kernel guarantees (rdx-rsp=8,
 * rsi-rsp=312, fpstate-rsp=456), never anything that depends on the size of the CPU's xsave area. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

#include "sud.h"

/* ---- the probe: a raw syscall with every register set to a known pattern ------------------------ */
long sc_probe(long rax);
extern const char sc_probe_next[];
/* Registers as seen right after the probe's syscall returned: rbx rbp r12-r15 rdi rsi rdx r10 r8 r9. */
unsigned long probe_after[12] __attribute__((used));
unsigned long probe_rsp __attribute__((used)); /* rsp at the syscall instruction */
#define PATTERN_REGS                                                                               \
  "  movabs $0x1111111111111111, %rbx\n  movabs $0x2222222222222222, %rbp\n"                     \
  "  movabs $0x1212121212121212, %r12\n  movabs $0x1313131313131313, %r13\n"                     \
  "  movabs $0x1414141414141414, %r14\n  movabs $0x1515151515151515, %r15\n"                     \
  "  movabs $0x5555555555555555, %rdi\n  movabs $0x4444444444444444, %rsi\n"                     \
  "  movabs $0x3333333333333333, %rdx\n  movabs $0x1010101010101010, %r10\n"                     \
  "  movabs $0x0808080808080808, %r8\n  movabs $0x0909090909090909, %r9\n"
__asm__(".text\n"
        ".globl sc_probe, sc_probe_next\n"
        "sc_probe:\n"
        "  push %rbx\n  push %rbp\n  push %r12\n  push %r13\n  push %r14\n  push %r15\n"
        "  mov %rdi, %rax\n"
        "  xor %ecx, %ecx\n" /* fixed flags at the syscall: ZF|PF (+IF, bit 1) = 0x246 */
        PATTERN_REGS
        "  mov %rsp, probe_rsp(%rip)\n"
        "  syscall\n"
        "sc_probe_next:\n"
        "  mov %rbx, probe_after+0(%rip)\n  mov %rbp, probe_after+8(%rip)\n"
        "  mov %r12, probe_after+16(%rip)\n  mov %r13, probe_after+24(%rip)\n"
        "  mov %r14, probe_after+32(%rip)\n  mov %r15, probe_after+40(%rip)\n"
        "  mov %rdi, probe_after+48(%rip)\n  mov %rsi, probe_after+56(%rip)\n"
        "  mov %rdx, probe_after+64(%rip)\n  mov %r10, probe_after+72(%rip)\n"
        "  mov %r8, probe_after+80(%rip)\n  mov %r9, probe_after+88(%rip)\n"
        "  pop %r15\n  pop %r14\n  pop %r13\n  pop %r12\n  pop %rbp\n  pop %rbx\n"
        "  ret\n");
static const unsigned long patterns[12] = {
    0x1111111111111111, 0x2222222222222222, 0x1212121212121212, 0x1313131313131313,
    0x1414141414141414, 0x1515151515151515, 0x5555555555555555, 0x4444444444444444,
    0x3333333333333333, 0x1010101010101010, 0x0808080808080808, 0x0909090909090909};

/* ---- handler entry: capture registers before any C code runs ------------------------------------ */
/* rsp rax rdi rsi rdx rflags rcx r11 rbx */
unsigned long entry_regs[9] __attribute__((used));
void sigsys_entry(int, siginfo_t *, void *);
void sigsys_body(int, siginfo_t *, void *);
__asm__(".text\n"
        ".globl sigsys_entry\n"
        "sigsys_entry:\n"
        "  mov %rsp, entry_regs+0(%rip)\n  mov %rax, entry_regs+8(%rip)\n"
        "  mov %rdi, entry_regs+16(%rip)\n  mov %rsi, entry_regs+24(%rip)\n"
        "  mov %rdx, entry_regs+32(%rip)\n  mov %rcx, entry_regs+48(%rip)\n"
        "  mov %r11, entry_regs+56(%rip)\n  mov %rbx, entry_regs+64(%rip)\n"
        "  pushfq\n  pop %rax\n  mov %rax, entry_regs+40(%rip)\n" /* below rsp: the frame is above */
        "  jmp sigsys_body\n");

/* ---- what the handler saw, copied out for main to print ----------------------------------------- */
#define EMULATED_RESULT 0x5eed
volatile char sud_selector = SELECTOR_ALLOW;
static struct {
  int count;
  unsigned char info[128];
  unsigned long entry[9];
  unsigned long uc_flags, uc_link, ss_sp, ss_size;
  int ss_flags;
  unsigned long gregs[NGREG];
  unsigned long fpstate, sigmask, mask_in_handler;
} seen;

void sigsys_body(int signo, siginfo_t *info, void *context) {
  (void)signo;
  sud_selector = SELECTOR_ALLOW; /* before any syscall, including the final rt_sigreturn */
  ucontext_t *uc = context;
  seen.count++;
  memcpy(seen.info, info, sizeof seen.info);
  memcpy(seen.entry, entry_regs, sizeof seen.entry);
  seen.uc_flags = uc->uc_flags;
  seen.uc_link = (unsigned long)uc->uc_link;
  seen.ss_sp = (unsigned long)uc->uc_stack.ss_sp;
  seen.ss_flags = uc->uc_stack.ss_flags;
  seen.ss_size = uc->uc_stack.ss_size;
  for (int i = 0; i < (int)NGREG; i++) seen.gregs[i] = (unsigned long)uc->uc_mcontext.gregs[i];
  seen.fpstate = (unsigned long)uc->uc_mcontext.fpregs;
  memcpy(&seen.sigmask, &uc->uc_sigmask, 8); /* the kernel's 8-byte mask */
  raw_syscall6(NR_rt_sigprocmask, SIG_BLOCK, 0, (long)&seen.mask_in_handler, 8, 0, 0);
  /* Continue after the syscall with an emulated result, whatever the restart logic did to rip. */
  uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(unsigned long)info->si_call_addr;
  uc->uc_mcontext.gregs[REG_RAX] = EMULATED_RESULT;
}

static void install(int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = sigsys_entry;
  sa.sa_flags = SA_SIGINFO | flags;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSYS, &sa, 0);
}

/* Dispatch one probe with the selector at BLOCK; returns what the probe returned. */
static long dispatch(long rax) {
  sud_selector = SELECTOR_BLOCK;
  long r = sc_probe(rax);
  sud_selector = SELECTOR_ALLOW;
  return r;
}

static const char *yes(int b) { return b ? "yes" : "NO"; }

static void print_full_report(long probe_result) {
  const siginfo_t *si = (const siginfo_t *)seen.info;
  unsigned long call = (unsigned long)si->si_call_addr, next = (unsigned long)sc_probe_next;
  int tail_zero = 1;
  for (int i = 32; i < 128; i++) tail_zero &= seen.info[i] == 0;
  puts("== siginfo");
  printf("signo=%d errno=%d code=%d call_addr-sc_probe_next=%ld syscall=%d arch=%#x\n",
         si->si_signo, si->si_errno, si->si_code, (long)(call - next), si->si_syscall,
         si->si_arch);
  printf("bytes [32,128) all zero: %s\n", yes(tail_zero));

  const unsigned long *e = seen.entry;
  puts("== registers at handler entry");
  printf("(rsp+8)%%16=%lu rax=%lu rdi=%lu rsi-rsp=%ld rdx-rsp=%ld rflags=%#lx\n", (e[0] + 8) % 16,
         e[1], e[2], (long)(e[3] - e[0]), (long)(e[4] - e[0]), e[5]);
  printf("rcx-sc_probe_next=%ld r11=%#lx rbx kept=%s\n", (long)(e[6] - next), e[7],
         yes(e[8] == patterns[0]));

  const unsigned long *g = seen.gregs;
  puts("== ucontext");
  printf("uc_flags=%#lx uc_link=%#lx uc_stack={sp=%#lx flags=%d size=%lu}\n", seen.uc_flags,
         seen.uc_link, seen.ss_sp, seen.ss_flags, seen.ss_size);
  printf("fpstate-rsp=%ld\n", (long)(seen.fpstate - e[0]));
  printf("rip-call_addr=%ld rax=%#lx rcx==rip: %s r11=%#lx eflags=%#lx r11==eflags: %s\n",
         (long)(g[REG_RIP] - call), g[REG_RAX], yes(g[REG_RCX] == g[REG_RIP]), g[REG_R11],
         g[REG_EFL], yes(g[REG_R11] == g[REG_EFL]));
  unsigned long csgsfs = g[REG_CSGSFS];
  printf("cs=%#lx gs=%#lx fs=%#lx ss=%#lx err=%lu trapno=%lu cr2=%lu\n", csgsfs & 0xffff,
         (csgsfs >> 16) & 0xffff, (csgsfs >> 32) & 0xffff, csgsfs >> 48, g[REG_ERR], g[REG_TRAPNO],
         g[REG_CR2]);
  printf("oldmask=%#lx uc_sigmask=%#lx mask in handler=%#lx\n", g[REG_OLDMASK], seen.sigmask,
         seen.mask_in_handler);
  const int order[12] = {REG_RBX, REG_RBP, REG_R12, REG_R13, REG_R14, REG_R15,
                         REG_RDI, REG_RSI, REG_RDX, REG_R10, REG_R8,  REG_R9};
  int frame_ok = g[REG_RSP] == probe_rsp, after_ok = 1;
  for (int i = 0; i < 12; i++) {
    frame_ok &= g[order[i]] == patterns[i];
    after_ok &= probe_after[i] == patterns[i];
  }
  printf("frame holds rsp rbx rbp r12-r15 rdi rsi rdx r10 r8 r9 unchanged: %s\n", yes(frame_ok));
  printf("after rt_sigreturn: result=%#lx, those registers unchanged: %s\n",
         (unsigned long)probe_result, yes(after_ok));
}

static void print_case(const char *label, long rax) {
  long r = dispatch(rax);
  const siginfo_t *si = (const siginfo_t *)seen.info;
  printf("%-22s rax=%#18lx -> si_syscall=%d uc.rax=%ld uc.rip-call_addr=%ld result=%#lx\n", label,
         (unsigned long)rax, si->si_syscall, (long)seen.gregs[REG_RAX],
         (long)(seen.gregs[REG_RIP] - (unsigned long)si->si_call_addr), (unsigned long)r);
}

int main(void) {
  setvbuf(stdout, 0, _IOLBF, 0);
  install(0);
  /* Block SIGUSR2 so the saved masks are visibly non-zero. */
  sigset_t usr2;
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  sigprocmask(SIG_BLOCK, &usr2, 0);
  long rc = sud_prctl(SUD_EXCLUSIVE_ON, 0, 0, &sud_selector);
  printf("armed EXCLUSIVE, empty region, selector at BLOCK around each probe = %ld\n", rc);

  print_full_report(dispatch(NR_getpid));

  puts("== si_syscall is the low 32 bits; uc.rax keeps all 64");
  print_case("getpid", NR_getpid);
  print_case("getpid | 1<<32", 0x100000027L);
  print_case("-1", -1);
  puts("== restart quirk: dispatched numbers that look like -ERESTART*");
  print_case("-512 ERESTARTSYS", -512);
  print_case("-513 ERESTARTNOINTR", -513);
  print_case("-514 ERESTARTNOHAND", -514);
  print_case("-516 RESTART_BLOCK", -516);
  print_case("-4095", -4095);
  install(SA_RESTART);
  print_case("-512 with SA_RESTART", -512);

  printf("disarm = %ld; handler calls = %d\n", sud_prctl(SUD_OFF, 0, 0, 0), seen.count);
  return seen.count == 10 ? 0 : 1;
}
