/* demo_compat: a miniature Wine-style compatibility layer built on Syscall User Dispatch (SUD).
 *
 * Story: "foreign" code (think: a Windows binary) lives in its own section and issues raw `syscall`
 * instructions numbered by a foreign ABI (here a made-up "FooOS": 0x1000 + n). The Linux kernel does
 * not know these numbers. The native side (this file's normal code) arms SUD once, with the selector
 * byte at ALLOW so its own syscalls go straight to the kernel. Entering foreign code it flips the
 * selector to BLOCK with a plain memory store (no syscall, so it is cheap); every foreign syscall then
 * raises SIGSYS instead of running. The SIGSYS handler reads the foreign number (si_syscall) and the
 * arguments from the saved registers, emulates the call with Linux syscalls, stores the result in the
 * saved RAX and resumes the foreign code through a tiny trampoline that puts the selector back to BLOCK.
 * Leaving foreign code the native side sets ALLOW again.
 *
 * Two rules make the flow correct:
 *   - the handler sets ALLOW before its first syscall: with BLOCK, its own syscalls (and the final
 *     rt_sigreturn in libc's restorer) would be dispatched while SIGSYS is blocked, and the kernel would
 *     kill the process;
 *   - so BLOCK must be restored only after rt_sigreturn, which is what resume_foreign does.
 *
 * Output is deterministic (no pids, addresses or times): a test checks that the trace holds exactly
 * EXPECTED_DISPATCHES rows with decision 'dispatch'. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#include "sud.h"

/* ---- the foreign ABI ---------------------------------------------------------------------------- */
enum {
  FOO_WRITE_CONSOLE = 0x1001, /* (buf, len) -> bytes written */
  FOO_GET_VERSION = 0x1002,   /* () -> 0xMMmm */
  FOO_CHECKSUM = 0x1003,      /* (buf, len) -> Fletcher-16 of the bytes */
  FOO_UNKNOWN = 0x10ff,       /* not in our table: reports FOO_STATUS_NOT_IMPLEMENTED */
};
#define FOO_STATUS_NOT_IMPLEMENTED 0xC0000002L /* NT-like status code */
#define FOO_VERSION 0x0201L

#define EXPECTED_DISPATCHES 7

/* ---- state shared by the native side, the handler and the trampoline ---------------------------- */
volatile char sud_selector __attribute__((used)) = SELECTOR_ALLOW;
/* Where resume_foreign jumps: the foreign instruction after the trapped syscall. */
unsigned long foreign_resume_rip __attribute__((used));
static int dispatched;

/* Linker-provided bounds of the foreign code section (section name is a C identifier). */
extern const char __start_foreign_text[], __stop_foreign_text[];

/* resume_foreign: the handler points the saved RIP here, so right after rt_sigreturn (which ran with
 * ALLOW) the selector goes back to BLOCK and the foreign code continues. movb and jmp leave every
 * register and flag as rt_sigreturn restored it, including the emulated result in RAX. */
void resume_foreign(void);
__asm__(".text\n"
        ".globl resume_foreign\n"
        ".type resume_foreign, @function\n"
        "resume_foreign:\n"
        "  movb $1, sud_selector(%rip)\n"
        "  jmp *foreign_resume_rip(%rip)\n"
        ".size resume_foreign, .-resume_foreign\n");

/* ---- the foreign code --------------------------------------------------------------------------- */
#define FOREIGN __attribute__((section("foreign_text"), noinline))

/* A foreign raw syscall: FooOS passes arguments in rdi/rsi like Linux, which keeps the demo short. */
static inline __attribute__((always_inline)) long foo_syscall(long nr, const void *a0, long a1) {
  long ret;
  __asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a0), "S"(a1) : "rcx", "r11", "memory");
  return ret;
}

struct foreign_results {
  long banner_bytes, version, checksum, unknown_status, tick_bytes;
};

FOREIGN static void foreign_program(struct foreign_results *out) {
  static const char banner[] = "    | hello from foreign code\n";
  static const char tick[] = "    | tick\n";
  static const char data[] = "sudtrace";
  out->banner_bytes = foo_syscall(FOO_WRITE_CONSOLE, banner, sizeof banner - 1);
  out->version = foo_syscall(FOO_GET_VERSION, 0, 0);
  out->checksum = foo_syscall(FOO_CHECKSUM, data, sizeof data - 1);
  out->unknown_status = foo_syscall(FOO_UNKNOWN, 0, 0);
  out->tick_bytes = 0;
  for (int i = 0; i < 3; i++) out->tick_bytes += foo_syscall(FOO_WRITE_CONSOLE, tick, sizeof tick - 1);
}

/* ---- the native side: SIGSYS handler = foreign syscall emulator --------------------------------- */

/* Handler-safe formatted output: one write() per call, no stdio buffers involved. */
static void say(const char *fmt, ...) {
  char line[160];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (n > (int)sizeof line - 1) n = sizeof line - 1;
  if (n > 0) write(1, line, (size_t)n);
}

static long fletcher16(const unsigned char *p, long len) {
  unsigned a = 0, b = 0;
  for (long i = 0; i < len; i++) {
    a = (a + p[i]) % 255;
    b = (b + a) % 255;
  }
  return (long)((b << 8) | a);
}

static long emulate(int foreign_nr, long a0, long a1) {
  switch (foreign_nr) {
  case FOO_WRITE_CONSOLE: {
    long n = write(1, (const void *)a0, (size_t)a1);
    say("      -> Linux write(1, buf, %ld) = %ld\n", a1, n);
    return n;
  }
  case FOO_GET_VERSION:
    say("      -> answered by the layer: version 0x%lx\n", FOO_VERSION);
    return FOO_VERSION;
  case FOO_CHECKSUM: {
    long sum = fletcher16((const unsigned char *)a0, a1);
    say("      -> computed by the layer: fletcher16 of %ld bytes = 0x%04lx\n", a1, sum);
    return sum;
  }
  default:
    say("      -> not in the table: STATUS_NOT_IMPLEMENTED\n");
    return FOO_STATUS_NOT_IMPLEMENTED;
  }
}

static const char *foreign_name(int nr) {
  switch (nr) {
  case FOO_WRITE_CONSOLE: return "WriteConsole";
  case FOO_GET_VERSION: return "GetVersion";
  case FOO_CHECKSUM: return "Checksum";
  default: return "(unknown)";
  }
}

static void on_sigsys(int signo, siginfo_t *info, void *context) {
  (void)signo;
  /* First thing: ALLOW, so the handler's own syscalls and the return through rt_sigreturn run. */
  sud_selector = SELECTOR_ALLOW;
  greg_t *regs = ((ucontext_t *)context)->uc_mcontext.gregs;
  const char *from = (const char *)info->si_call_addr;
  if (info->si_code != SYS_USER_DISPATCH_CODE || from < __start_foreign_text ||
      from > __stop_foreign_text) {
    say("BUG: SIGSYS code %d from outside the foreign code\n", info->si_code);
    _exit(1);
  }
  dispatched++;
  say("  [SIGSYS #%d] foreign syscall 0x%x %s (rax=0x%llx, si_arch=0x%x)\n", dispatched,
      info->si_syscall, foreign_name(info->si_syscall), (unsigned long long)regs[REG_RAX],
      info->si_arch);
  regs[REG_RAX] = emulate(info->si_syscall, regs[REG_RDI], regs[REG_RSI]);
  /* Return into the trampoline, which restores BLOCK after rt_sigreturn. */
  foreign_resume_rip = (unsigned long)regs[REG_RIP];
  regs[REG_RIP] = (greg_t)(unsigned long)resume_foreign;
}

int main(void) {
  setvbuf(stdout, 0, _IOLBF, 0); /* keep printf lines ordered with the handler's write() calls */
  puts("demo_compat: a Wine-style compatibility layer on Syscall User Dispatch");

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sigsys;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  if (sigaction(SIGSYS, &sa, 0) != 0) return 2;

  /* Empty allowed region: every syscall is decided by the selector byte. */
  long rc = sud_prctl(SUD_EXCLUSIVE_ON, 0, 0, &sud_selector);
  printf("native: prctl(PR_SET_SYSCALL_USER_DISPATCH, EXCLUSIVE_ON, region empty, &selector) = %ld\n",
         rc);
  if (rc != 0) return 3;

  /* Native calls with the selector at ALLOW go to the kernel as usual. */
  printf("native: selector ALLOW: raw close(-1) = %ld (EBADF from the kernel)\n",
         raw_syscall6(NR_close, -1, 0, 0, 0, 0, 0));
  printf("native: selector ALLOW: raw syscall 0x%x = %ld (ENOSYS: Linux has no such call)\n",
         FOO_GET_VERSION, raw_syscall6(FOO_GET_VERSION, 0, 0, 0, 0, 0, 0));

  struct foreign_results res;
  puts("native: entering foreign code (selector := BLOCK, a plain store)");
  sud_selector = SELECTOR_BLOCK;
  foreign_program(&res);
  sud_selector = SELECTOR_ALLOW;
  puts("native: back from foreign code (selector := ALLOW)");

  printf("foreign results: write -> %ld bytes, version -> 0x%lx, checksum -> 0x%04lx,\n"
         "                 unknown call -> 0x%lx, 3 ticks -> %ld bytes\n",
         res.banner_bytes, res.version, res.checksum, res.unknown_status, res.tick_bytes);

  rc = sud_prctl(SUD_OFF, 0, 0, 0);
  printf("native: SUD disarmed = %ld\n", rc);
  printf("summary: %d foreign syscalls dispatched to the SIGSYS handler (expected %d)\n", dispatched,
         EXPECTED_DISPATCHES);
  return dispatched == EXPECTED_DISPATCHES ? 0 : 1;
}
