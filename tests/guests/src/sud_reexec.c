/* sud_reexec: the Wine fallback pattern. When the SIGSYS handler decides a trapped syscall should not
 * be emulated, it turns SUD off with prctl and moves the saved RIP back by 2 bytes (the length of
 * `syscall`, 0f 05) so that, after rt_sigreturn, the very same instruction runs again natively.
 * The arguments survive because rt_sigreturn restores every register from the frame, and the saved
 * RAX still holds the syscall number (SUD rolled it back before raising SIGSYS). */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

#include "sud.h"

static volatile char selector = SELECTOR_ALLOW;
static int handled;
static long saw_rax, rip_moved_by;

static void on_sigsys(int signo, siginfo_t *info, void *context) {
  (void)signo;
  selector = SELECTOR_ALLOW; /* the prctl below must not be dispatched itself */
  greg_t *r = ((ucontext_t *)context)->uc_mcontext.gregs;
  handled++;
  saw_rax = r[REG_RAX];
  sud_prctl(SUD_OFF, 0, 0, 0);
  unsigned long call_addr = (unsigned long)info->si_call_addr;
  r[REG_RIP] = (greg_t)(call_addr - 2); /* back onto the syscall instruction */
  rip_moved_by = (long)(call_addr - (unsigned long)r[REG_RIP]);
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sigsys;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSYS, &sa, 0);

  long rc = sud_prctl(SUD_EXCLUSIVE_ON, 0, 0, &selector);
  printf("armed (empty region) = %ld; selector := BLOCK; raw write follows\n", rc);
  fflush(stdout);

  static const char msg[] = "re-executed natively after the handler turned SUD off\n";
  selector = SELECTOR_BLOCK;
  long written = raw_syscall6(NR_write, 1, (long)msg, sizeof msg - 1, 0, 0, 0);
  selector = SELECTOR_ALLOW;

  printf("raw write returned %ld (message is %zu bytes)\n", written, sizeof msg - 1);
  printf("handler ran %d time(s); saved rax was %ld (write); rip moved back by %ld\n", handled,
         saw_rax, rip_moved_by);
  /* SUD is off now: a raw syscall with the selector at BLOCK runs natively. */
  selector = SELECTOR_BLOCK;
  long closed = raw_syscall6(NR_close, -1, 0, 0, 0, 0, 0);
  selector = SELECTOR_ALLOW;
  printf("after disarm, raw close(-1) with selector BLOCK = %ld; handler calls still %d\n", closed,
         handled);
  return handled == 1 ? 0 : 1;
}
