/* sud_inclusive: PR_SYS_DISPATCH_INCLUSIVE_ON (2, Linux 6.17+) turns the region around: only syscalls
 * made FROM the range are subject to the selector; everything else (libc, the signal restorer) runs
 * natively. So the handler may return with the selector still at BLOCK. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

#include "sud.h"

long watched_syscall5(long nr, long a0, long a1, long a2, long a3, long a4);
extern const char watched_start[], watched_end[];
__asm__(".text\n"
        ".globl watched_start, watched_end, watched_syscall5\n"
        "watched_start:\n"
        "watched_syscall5:\n"
        "  mov %rdi, %rax\n  mov %rsi, %rdi\n  mov %rdx, %rsi\n  mov %rcx, %rdx\n"
        "  mov %r8, %r10\n  mov %r9, %r8\n  syscall\n  ret\n"
        "watched_end:\n");

static volatile char selector = SELECTOR_BLOCK;
static int handled;

static void on_sigsys(int signo, siginfo_t *info, void *context) {
  (void)signo;
  handled++;
  /* The selector stays BLOCK: rt_sigreturn comes from libc, outside the watched range. */
  ((ucontext_t *)context)->uc_mcontext.gregs[REG_RAX] = 2000 + info->si_syscall;
}

int main(void) {
  setvbuf(stdout, 0, _IOLBF, 0);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sigsys;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSYS, &sa, 0);

  long rc = sud_prctl(SUD_INCLUSIVE_ON, (unsigned long)watched_start,
                      (unsigned long)(watched_end - watched_start), &selector);
  printf("armed INCLUSIVE over the %ld-byte watched stub, selector BLOCK = %ld\n",
         (long)(watched_end - watched_start), rc);
  puts("libc printf still works: its write is outside the watched range");
  printf("watched getpid, selector BLOCK = %ld (handler: 2000 + nr)\n",
         watched_syscall5(NR_getpid, 0, 0, 0, 0, 0));
  selector = SELECTOR_ALLOW;
  printf("watched close(-1), selector ALLOW = %ld (native EBADF)\n",
         watched_syscall5(NR_close, -1, 0, 0, 0, 0));
  selector = SELECTOR_BLOCK;
  printf("watched close(-1), selector BLOCK = %ld (handler)\n",
         watched_syscall5(NR_close, -1, 0, 0, 0, 0));
  printf("raw close(-1) outside the range, selector BLOCK = %ld (native EBADF)\n",
         raw_syscall6(NR_close, -1, 0, 0, 0, 0, 0));
  /* Mode 2 with an empty range is invalid (INCLUSIVE needs len != 0). */
  printf("prctl(INCLUSIVE, off=0x1000, len=0) = %ld (EINVAL)\n",
         sud_prctl(SUD_INCLUSIVE_ON, 0x1000, 0, &selector));
  printf("disarm = %ld; handler calls: %d\n", sud_prctl(SUD_OFF, 0, 0, 0), handled);
  return handled == 2 ? 0 : 1;
}
