/* Shared constants and a raw syscall helper for the SUD guest programs.
 *
 * Debian 12's <linux/prctl.h> predates PR_SYS_DISPATCH_INCLUSIVE_ON (Linux 6.17), so every constant the
 * guests need is defined here from the kernel's uapi values rather than taken from system headers. */
#ifndef SUDTRACE_GUEST_SUD_H
#define SUDTRACE_GUEST_SUD_H

#define PR_SET_SYSCALL_USER_DISPATCH_ 59
#define SUD_OFF 0UL
#define SUD_EXCLUSIVE_ON 1UL
#define SUD_INCLUSIVE_ON 2UL

#define SELECTOR_ALLOW 0
#define SELECTOR_BLOCK 1

#define SYS_USER_DISPATCH_CODE 2 /* si_code of a SUD SIGSYS */
#define AUDIT_ARCH_X86_64_ 0xC000003Eu

/* x86-64 Linux syscall numbers used by the guests (kept local so no header decides them). */
#define NR_write 1
#define NR_close 3
#define NR_rt_sigaction 13
#define NR_rt_sigprocmask 14
#define NR_rt_sigreturn 15
#define NR_getpid 39
#define NR_exit_group 231
#define NR_prctl 157

/* One raw `syscall` instruction at the call site (inlined), returning the kernel's raw result
 * (-errno on failure). Syscalls that must be dispatched by SUD go through this so that libc wrappers
 * (which may retry, cache or set errno) never get in the way. */
static inline long raw_syscall6(long nr, long a0, long a1, long a2, long a3, long a4, long a5) {
  register long r10 __asm__("r10") = a3;
  register long r8 __asm__("r8") = a4;
  register long r9 __asm__("r9") = a5;
  long ret;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8), "r"(r9)
                   : "rcx", "r11", "memory");
  return ret;
}

static inline long sud_prctl(unsigned long mode, unsigned long offset, unsigned long len,
                             const volatile char *selector) {
  return raw_syscall6(NR_prctl, PR_SET_SYSCALL_USER_DISPATCH_, (long)mode, (long)offset, (long)len,
                      (long)selector, 0);
}

#endif
