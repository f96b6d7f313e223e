/* sudc_frame_fail: when the SIGSYS frame cannot be set up the kernel forces SIGSEGV
 * (signal_setup_done -> force_sigsegv): no SA_RESTORER, or rsp unmapped at the dispatched call.
 * A SIGSEGV handler on an alternate stack catches the latter (si_code SI_KERNEL).
 * Usage: sudc_frame_fail norestorer|badrsp|badrsp_caught */
#include <setjmp.h>

#include "sudc_common.h"

static volatile char sel = SELECTOR_BLOCK;
static sigjmp_buf back;


static void on_sigsys(int s, siginfo_t *si, void *ctx) {
  (void)s, (void)si, (void)ctx;
  printf("SIGSYS handler ran\n");
}

static void on_segv(int s, siginfo_t *si, void *ctx) {
  printf("SIGSEGV caught: code=0x%x addr=%p uc.rsp is the bad one: %s\n", si->si_code, si->si_addr,
         GREG(ctx, REG_RSP) == 0x1000 ? "yes" : "no");
  (void)s;
  siglongjmp(back, 1);
}

/* call_on_stack(nr, rsp): makes one syscall at sc_insn with rsp switched to `rsp` (unless 0). */
long saved_rsp;
long call_on_stack(long nr, long rsp);
extern char sc_insn[];
__asm__(".text\n.globl call_on_stack, sc_insn\ncall_on_stack:\n"
        " mov %rsp, saved_rsp(%rip)\n mov %rdi, %rax\n test %rsi, %rsi\n jz sc_insn\n mov %rsi, %rsp\n"
        "sc_insn:\n syscall\n mov saved_rsp(%rip), %rsp\n ret\n");

int main(int argc, char **argv) {
  sudc_init();
  const char *how = argc > 1 ? argv[1] : "norestorer";
  if (!strcmp(how, "norestorer")) {
    long rc = sudc_sigaction(SIGSYS, on_sigsys, SA_SIGINFO, 0, 0);
    printf("raw rt_sigaction without SA_RESTORER -> %ld\n", rc);
  } else {
    sudc_handle(SIGSYS, on_sigsys, 0);
  }
  if (!strcmp(how, "badrsp_caught")) {
    static char alt[65536];
    stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0};
    sigaltstack(&ss, 0);
    sudc_handle(SIGSEGV, on_segv, SA_ONSTACK);
  }
  long rc = sud_prctl(SUD_INCLUSIVE_ON, (unsigned long)sc_insn, 3, &sel);
  printf("%s: armed -> %ld\n", how, rc);
  if (!strcmp(how, "norestorer")) {
    call_on_stack(NR_getpid, 0);
  } else if (!sigsetjmp(back, 1)) {
    call_on_stack(NR_getpid, 0x1000);
  }
  printf("survived\n");
  return 0;
}
