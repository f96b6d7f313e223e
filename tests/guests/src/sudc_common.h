/* Shared helpers of the SUD conformance corpus (sudc_*.c): an asm syscall stub whose labels give the
 * exact addresses of its `syscall` instruction (I) and of the next instruction (N), an rt_sigreturn
 * restorer with known labels, and a raw rt_sigaction that sets exactly the flags asked for. Output is
 * unbuffered so that what a killed guest printed is not lost. */
#ifndef SUDC_COMMON_H
#define SUDC_COMMON_H
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "sud.h"

#define SA_RESTORER_ 0x04000000UL

/* stub_call5(nr, a0..a4): rax = nr, then one `syscall` at stub_insn; stub_next follows it. */
long stub_call5(long nr, long a0, long a1, long a2, long a3, long a4);
#define stub_call(nr, a0, a1, a2) stub_call5(nr, a0, a1, a2, 0, 0)
extern char stub_start[], stub_insn[], stub_next[], stub_end[];
__asm__(".text\n.globl stub_call5, stub_start, stub_insn, stub_next, stub_end\n"
        "stub_call5:\nstub_start:\n mov %rdi,%rax\n mov %rsi,%rdi\n mov %rdx,%rsi\n mov %rcx,%rdx\n"
        " mov %r8,%r10\n mov %r9,%r8\n"
        "stub_insn:\n syscall\nstub_next:\n ret\nstub_end:\n nop\n");

/* A restorer (rt_sigreturn) whose syscall instruction sits between known labels. */
extern char sudc_restorer[], sudc_restorer_insn[], sudc_restorer_end[];
__asm__(".text\n.globl sudc_restorer, sudc_restorer_insn, sudc_restorer_end\n"
        "sudc_restorer:\n mov $15,%eax\nsudc_restorer_insn:\n syscall\nsudc_restorer_end:\n hlt\n");

struct sudc_kaction {
  void *handler;
  unsigned long flags;
  void *restorer;
  unsigned long mask;
};

/* rt_sigaction with exactly these flags and restorer (libc wrappers always add their own). */
static inline long sudc_sigaction(int sig, void (*h)(int, siginfo_t *, void *), unsigned long flags,
                                  void *restorer, unsigned long mask) {
  struct sudc_kaction ka = {(void *)h, flags, restorer, mask};
  return raw_syscall6(NR_rt_sigaction, sig, (long)&ka, 0, 8, 0, 0);
}

/* The usual way: libc's sigaction with SA_SIGINFO and extra flags. */
static inline void sudc_handle(int sig, void (*h)(int, siginfo_t *, void *), int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = h;
  sa.sa_flags = SA_SIGINFO | flags;
  sigaction(sig, &sa, 0);
}

static inline void sudc_init(void) { setvbuf(stdout, 0, _IONBF, 0); }

#define GREG(ctx, r) (((ucontext_t *)(ctx))->uc_mcontext.gregs[r])
#endif
