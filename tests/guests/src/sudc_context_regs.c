/* sudc_context_regs: the SIGSYS frame holds every user register as it was at the `syscall`
 * (rcx = N and r11 = rflags, clobbered by the instruction itself); the handler's entry registers
 * follow the x86-64 convention (rdi = 31, rsi = &info, rdx = &uc); registers the handler writes
 * into the frame are what the interrupted code gets back. */
#include "sudc_common.h"

static volatile char sel = SELECTOR_BLOCK;
unsigned long in[16], out[16];
extern char regs_insn[], regs_next[];

/* Loads r8..r15, rbx, rbp, rdi, rsi, rdx from in[], syscalls, stores them all to out[]. */
void regs_call(void);
__asm__(".text\n.globl regs_call, regs_insn, regs_next\nregs_call:\n"
        " push %rbx\n push %rbp\n push %r12\n push %r13\n push %r14\n push %r15\n"
        " lea in(%rip), %rax\n"
        " mov 0(%rax),%rbx\n mov 8(%rax),%rbp\n mov 16(%rax),%rdi\n mov 24(%rax),%rsi\n"
        " mov 32(%rax),%rdx\n mov 40(%rax),%r8\n mov 48(%rax),%r9\n mov 56(%rax),%r10\n"
        " mov 64(%rax),%r12\n mov 72(%rax),%r13\n mov 80(%rax),%r14\n mov 88(%rax),%r15\n"
        " mov $39, %eax\n"
        "regs_insn:\n syscall\nregs_next:\n"
        " push %rax\n lea out(%rip), %rax\n"
        " mov %rbx,0(%rax)\n mov %rbp,8(%rax)\n mov %rdi,16(%rax)\n mov %rsi,24(%rax)\n"
        " mov %rdx,32(%rax)\n mov %r8,40(%rax)\n mov %r9,48(%rax)\n mov %r10,56(%rax)\n"
        " mov %r12,64(%rax)\n mov %r13,72(%rax)\n mov %r14,80(%rax)\n mov %r15,88(%rax)\n"
        " mov %rcx,96(%rax)\n mov %r11,104(%rax)\n pop %rcx\n mov %rcx,112(%rax)\n"
        " pop %r15\n pop %r14\n pop %r13\n pop %r12\n pop %rbp\n pop %rbx\n ret\n");

static const int idx[12] = {REG_RBX, REG_RBP, REG_RDI, REG_RSI, REG_RDX, REG_R8,
                            REG_R9,  REG_R10, REG_R12, REG_R13, REG_R14, REG_R15};
static const char *names[12] = {"rbx", "rbp", "rdi", "rsi", "rdx", "r8",
                                "r9",  "r10", "r12", "r13", "r14", "r15"};

static void on_sigsys(int s, siginfo_t *si, void *ctx) {
  ucontext_t *uc = ctx;
  int same = 0;
  for (int i = 0; i < 12; i++) same += (unsigned long)uc->uc_mcontext.gregs[idx[i]] == in[i];
  printf("handler: signo arg %d, info-uc=%ld, saved regs equal to the loaded ones: %d/12\n", s,
         (long)((char *)si - (char *)uc), same);
  printf("handler: rcx=N %s, r11==eflags %s, rax=%lld, rip-N=%ld\n",
         (char *)uc->uc_mcontext.gregs[REG_RCX] == regs_next ? "yes" : "no",
         uc->uc_mcontext.gregs[REG_R11] == uc->uc_mcontext.gregs[REG_EFL] ? "yes" : "no",
         uc->uc_mcontext.gregs[REG_RAX], (long)((char *)uc->uc_mcontext.gregs[REG_RIP] - regs_next));
  for (int i = 0; i < 12; i++) uc->uc_mcontext.gregs[idx[i]] ^= 0xff;
  uc->uc_mcontext.gregs[REG_RAX] = 0x5151;
  uc->uc_mcontext.gregs[REG_RCX] = 0xc0c0;
  uc->uc_mcontext.gregs[REG_R11] = 0x1111;
}

int main(void) {
  sudc_init();
  for (int i = 0; i < 12; i++) in[i] = 0x0101010101010101UL * (unsigned long)(i + 1) + 0x1000;
  sudc_handle(SIGSYS, on_sigsys, 0);
  sud_prctl(SUD_INCLUSIVE_ON, (unsigned long)regs_insn, 3, &sel);
  regs_call();
  for (int i = 0; i < 12; i++)
    printf("%-3s after: %s\n", names[i], out[i] == (in[i] ^ 0xff) ? "handler's value" : "other");
  printf("rcx=0x%lx r11=0x%lx rax=0x%lx\n", out[12], out[13], out[14]);
  return 0;
}
