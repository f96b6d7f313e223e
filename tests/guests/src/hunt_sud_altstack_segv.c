/* hunt_sud_altstack_segv: SIGSYS handled on a sigaltstack; inside it a NULL store raises SIGSEGV,
 * whose handler (also SA_ONSTACK, so it nests on the same altstack) skips the faulting store by
 * advancing REG_RIP; both handlers report where they run. */
#include "hunt.h"

static volatile char sel;
static char *alt;
#define ALT_SIZE 65536

extern char store_null[], store_null_end[];
void do_store(long *p);
__asm__(".text\n.globl do_store, store_null, store_null_end\ndo_store:\nstore_null:\n"
        " movq $7, (%rdi)\nstore_null_end:\n ret\n");

static int on_alt(void *p) { return (char *)p >= alt && (char *)p < alt + ALT_SIZE; }

static void on_segv(int sig, siginfo_t *si, void *ctx) {
  int local;
  ucontext_t *uc = ctx;
  printf("    SIGSEGV %d code=%d addr=%p on altstack=%d uc_stack.ss_flags=%d\n", sig, si->si_code,
         si->si_addr, on_alt(&local), uc->uc_stack.ss_flags);
  printf("    fault rip == store_null: %d\n", (char *)uc->uc_mcontext.gregs[REG_RIP] == store_null);
  uc->uc_mcontext.gregs[REG_RIP] += store_null_end - store_null;
}

static void on_sigsys(int sig, siginfo_t *si, void *ctx) {
  (void)si;
  sel = SYSCALL_DISPATCH_FILTER_ALLOW;
  int local;
  stack_t ss;
  sigaltstack(0, &ss);
  printf("  SIGSYS %d on altstack=%d ss_flags=%d\n", sig, on_alt(&local), ss.ss_flags);
  do_store(0);
  printf("  back in SIGSYS handler after the skipped store\n");
  REG(ctx, REG_RAX) = 55;
}

int main(void) {
  hunt_init();
  alt = malloc(ALT_SIZE);
  stack_t ss = {.ss_sp = alt, .ss_size = ALT_SIZE, .ss_flags = 0};
  printf("sigaltstack -> %d\n", sigaltstack(&ss, 0));
  handle(SIGSYS, on_sigsys, SA_ONSTACK);
  handle(SIGSEGV, on_segv, SA_ONSTACK);
  sud_on(&sel);
  sel = SYSCALL_DISPATCH_FILTER_BLOCK;
  long r = syscall(SYS_getpid);
  printf("dispatched call returned %ld\n", r);
  do_store(0);
  printf("main store skipped too\n");
  stack_t now;
  sigaltstack(0, &now);
  printf("after: ss_flags=%d size=%zu\n", now.ss_flags, now.ss_size);
  return 0;
}
