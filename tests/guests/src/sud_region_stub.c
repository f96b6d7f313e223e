/* sud_region_stub: the EXCLUSIVE allowed region. SUD is armed with the region covering exactly one
 * small assembly syscall stub and the selector at BLOCK. Calls through the stub run natively whatever
 * the selector says; the same instruction sequence elsewhere is dispatched to the SIGSYS handler.
 * While armed, all output goes through the stub (libc's own syscalls would be dispatched). */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

#include "sud.h"

/* stub_syscall5(nr, a0..a4) and an identical copy, outside_syscall5, that is not in the region. */
long stub_syscall5(long nr, long a0, long a1, long a2, long a3, long a4);
long outside_syscall5(long nr, long a0, long a1, long a2, long a3, long a4);
extern const char region_start[], region_end[], outside_syscall_next[];
#define SYSCALL5_BODY                                                                              \
  "  mov %rdi, %rax\n  mov %rsi, %rdi\n  mov %rdx, %rsi\n  mov %rcx, %rdx\n"                     \
  "  mov %r8, %r10\n  mov %r9, %r8\n  syscall\n"
__asm__(".text\n"
        ".globl region_start, region_end, stub_syscall5\n"
        "region_start:\n"
        "stub_syscall5:\n" SYSCALL5_BODY "  ret\n"
        "region_end:\n"
        "  nop\n" /* keep the next function's first byte out of the region */
        ".globl outside_syscall5, outside_syscall_next\n"
        "outside_syscall5:\n" SYSCALL5_BODY "outside_syscall_next:\n"
        "  ret\n");

static volatile char selector = SELECTOR_BLOCK;
static struct {
  int count, nr[4];
  long call_offset[4]; /* si_call_addr - outside_syscall_next */
} seen;

static void on_sigsys(int signo, siginfo_t *info, void *context) {
  (void)signo;
  selector = SELECTOR_ALLOW; /* libc's restorer (rt_sigreturn) is outside the region */
  greg_t *regs = ((ucontext_t *)context)->uc_mcontext.gregs;
  if (seen.count < 4) {
    seen.nr[seen.count] = info->si_syscall;
    seen.call_offset[seen.count] = (const char *)info->si_call_addr - outside_syscall_next;
  }
  seen.count++;
  regs[REG_RAX] = 1000 + info->si_syscall; /* "emulated" result */
}

static long stub_print(const char *s) { return stub_syscall5(NR_write, 1, (long)s, (long)strlen(s), 0, 0); }

int main(void) {
  printf("region: stub is %ld bytes, armed EXCLUSIVE over exactly that range, selector BLOCK\n",
         (long)(region_end - region_start));
  fflush(stdout); /* stdio must not write while armed */

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sigsys;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSYS, &sa, 0);

  long armed = sud_prctl(SUD_EXCLUSIVE_ON, (unsigned long)region_start,
                         (unsigned long)(region_end - region_start), &selector);
  /* From here until disarm: BLOCK everywhere except the stub. */
  long w = stub_print("stub: this line was written through the stub (native)\n");
  long stub_close = stub_syscall5(NR_close, -1, 0, 0, 0, 0);
  long out_close = outside_syscall5(NR_close, -1, 0, 0, 0, 0);
  selector = SELECTOR_BLOCK; /* the handler left ALLOW behind */
  long out_getpid = outside_syscall5(NR_getpid, 0, 0, 0, 0, 0);
  selector = SELECTOR_BLOCK;
  long stub_close_again = stub_syscall5(NR_close, -1, 0, 0, 0, 0);
  long disarm = stub_syscall5(NR_prctl, PR_SET_SYSCALL_USER_DISPATCH_, SUD_OFF, 0, 0, 0);

  printf("prctl arm = %ld, disarm through the stub = %ld\n", armed, disarm);
  printf("stub write = %ld, stub close(-1) = %ld, again = %ld (native: -9 EBADF)\n", w, stub_close,
         stub_close_again);
  printf("outside close(-1) = %ld, outside getpid = %ld (emulated by the handler: 1000 + nr)\n",
         out_close, out_getpid);
  printf("handler calls: %d\n", seen.count);
  for (int i = 0; i < seen.count && i < 4; i++)
    printf("  dispatch %d: si_syscall=%d call_addr-outside_syscall_next=%ld\n", i + 1, seen.nr[i],
           seen.call_offset[i]);
  return seen.count == 2 ? 0 : 1;
}
