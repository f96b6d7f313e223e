/* sud_null_selector: SUD with a NULL selector dispatches EVERY syscall made outside the allowed
 * region, with no byte to flip. Here the region holds a trusted syscall stub and our own signal
 * restorer; the SIGSYS handler forwards each dispatched call through the trusted stub and returns
 * through the trusted restorer (so rt_sigreturn runs natively). The result is a tiny syscall
 * interposer: even libc's stdio keeps working, every call it makes is seen and forwarded. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

#include "sud.h"

long trusted_syscall6(long nr, long a0, long a1, long a2, long a3, long a4, long a5);
void trusted_restorer(void);
extern const char trusted_start[], trusted_end[];
__asm__(".text\n"
        ".globl trusted_start, trusted_end, trusted_syscall6, trusted_restorer\n"
        "trusted_start:\n"
        "trusted_syscall6:\n" /* (nr, a0..a5): a5 is the 7th C argument, on the stack */
        "  mov %rdi, %rax\n  mov %rsi, %rdi\n  mov %rdx, %rsi\n  mov %rcx, %rdx\n"
        "  mov %r8, %r10\n  mov %r9, %r8\n  mov 8(%rsp), %r9\n  syscall\n  ret\n"
        "trusted_restorer:\n" /* where the handler's `ret` goes: rt_sigreturn inside the region */
        "  mov $15, %eax\n  syscall\n"
        /* SUD tests the address AFTER the syscall instruction, so the region must extend past it. */
        "  ud2\n"
        "trusted_end:\n");

/* The kernel's struct sigaction layout (libc's differs and would insert its own restorer). */
struct kernel_sigaction {
  void (*handler)(int, siginfo_t *, void *);
  unsigned long flags;
  void (*restorer)(void);
  unsigned long mask;
};
#define SA_RESTORER_ 0x04000000UL

#define LOG_MAX 16
static int forwarded, log_nr[LOG_MAX];
static long log_ret[LOG_MAX];

static void on_sigsys(int signo, siginfo_t *info, void *context) {
  (void)signo;
  greg_t *r = ((ucontext_t *)context)->uc_mcontext.gregs;
  long ret = trusted_syscall6(r[REG_RAX], r[REG_RDI], r[REG_RSI], r[REG_RDX], r[REG_R10], r[REG_R8],
                              r[REG_R9]);
  if (forwarded < LOG_MAX) {
    log_nr[forwarded] = info->si_syscall;
    log_ret[forwarded] = ret;
  }
  forwarded++;
  r[REG_RAX] = ret;
}

static const char *syscall_name(int nr) {
  switch (nr) {
  case 1: return "write";
  case 3: return "close";
  case 16: return "ioctl";
  case 20: return "writev";
  case NR_prctl: return "prctl";
  default: return "?";
  }
}

int main(void) {
  struct kernel_sigaction ksa = {on_sigsys, SA_SIGINFO | SA_RESTORER_, trusted_restorer, 0};
  if (trusted_syscall6(NR_rt_sigaction, SIGSYS, (long)&ksa, 0, 8, 0, 0) != 0) return 2;

  printf("trusted region: %ld bytes (syscall stub + restorer); arming with a NULL selector\n",
         (long)(trusted_end - trusted_start));
  fflush(stdout);
  long rc = trusted_syscall6(NR_prctl, PR_SET_SYSCALL_USER_DISPATCH_, SUD_EXCLUSIVE_ON,
                             (long)trusted_start, trusted_end - trusted_start, 0, 0);

  /* Armed: every syscall below is dispatched, forwarded by the handler, and works. */
  printf("armed = %ld; this line reached stdout through the handler\n", rc);
  fflush(stdout);
  long closed = raw_syscall6(NR_close, -1, 0, 0, 0, 0, 0);
  /* The disarm itself is dispatched too: the handler forwards it, from inside the region. */
  long disarmed = raw_syscall6(NR_prctl, PR_SET_SYSCALL_USER_DISPATCH_, SUD_OFF, 0, 0, 0, 0);

  printf("raw close(-1) = %ld, disarm = %ld\n", closed, disarmed);
  printf("forwarded %d syscalls:\n", forwarded);
  for (int i = 0; i < forwarded && i < LOG_MAX; i++)
    printf("  %d: %s (%d) = %ld\n", i + 1, syscall_name(log_nr[i]), log_nr[i], log_ret[i]);
  return 0;
}
