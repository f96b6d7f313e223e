/* Ordinary (non-SUD) signal delivery: synchronous faults caught and escaped with siglongjmp, a raised
 * signal, SA_RESETHAND, and a blocked signal left pending until it is unblocked.
 * Handlers only record what they saw; main prints it, so no stdio runs in signal context. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static sigjmp_buf escape;
static volatile sig_atomic_t seen_signo, seen_code, usr1_count, usr2_count;
static void *volatile seen_addr;

static void on_fault(int signo, siginfo_t *info, void *uc) {
  (void)uc;
  seen_signo = signo;
  seen_code = info->si_code;
  seen_addr = info->si_addr;
  siglongjmp(escape, 1); /* returning would re-run the faulting instruction forever */
}

static void on_usr1(int signo) {
  (void)signo;
  usr1_count++;
}

static void on_usr2(int signo) {
  (void)signo;
  usr2_count++;
}

static void install(int signo, void (*fn)(int, siginfo_t *, void *), int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = fn;
  sa.sa_flags = SA_SIGINFO | flags;
  sigemptyset(&sa.sa_mask);
  sigaction(signo, &sa, 0);
}

static void install_plain(int signo, void (*fn)(int), int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = fn;
  sa.sa_flags = flags;
  sigemptyset(&sa.sa_mask);
  sigaction(signo, &sa, 0);
}

static int is_blocked(int signo) {
  sigset_t now;
  sigprocmask(SIG_BLOCK, 0, &now);
  return sigismember(&now, signo);
}

int main(void) {
  /* 1. NULL write -> SIGSEGV, SEGV_MAPERR, si_addr 0. */
  install(SIGSEGV, on_fault, 0);
  if (sigsetjmp(escape, 1) == 0) {
    volatile int *volatile target = 0; /* a real store, neither a trap insn nor removed */
    *target = 7;
    puts("segv: not raised (wrong)");
  } else {
    printf("segv: signo=%d code=%d (SEGV_MAPERR=%d) addr=0x%lx\n", (int)seen_signo, (int)seen_code,
           SEGV_MAPERR, (unsigned long)seen_addr);
    /* sigsetjmp(.., 1) saved the mask, so siglongjmp unblocked SIGSEGV again. */
    printf("segv: blocked after siglongjmp=%d\n", is_blocked(SIGSEGV));
  }

  /* 2. Integer division by zero -> SIGFPE, FPE_INTDIV. */
  install(SIGFPE, on_fault, 0);
  if (sigsetjmp(escape, 1) == 0) {
    volatile int num = 1000, den = 0;
    volatile int quotient = num / den;
    printf("fpe: not raised (wrong), got %d\n", quotient);
  } else {
    printf("fpe: signo=%d code=%d (FPE_INTDIV=%d)\n", (int)seen_signo, (int)seen_code,
           FPE_INTDIV);
  }

  /* 3. raise(SIGUSR1) with SA_RESETHAND: the handler runs once, then the action reads back as
   * SIG_DFL. */
  install_plain(SIGUSR1, on_usr1, SA_RESETHAND);
  raise(SIGUSR1);
  struct sigaction after;
  sigaction(SIGUSR1, 0, &after);
  printf("usr1: handler ran %d time(s); action now %s\n", (int)usr1_count,
         after.sa_handler == SIG_DFL ? "SIG_DFL" : "still the handler");

  /* 4. A blocked signal stays pending and is delivered when unblocked. */
  install_plain(SIGUSR2, on_usr2, 0);
  sigset_t usr2, pending;
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  sigprocmask(SIG_BLOCK, &usr2, 0);
  raise(SIGUSR2);
  sigpending(&pending);
  printf("usr2: while blocked ran=%d pending=%d\n", (int)usr2_count,
         sigismember(&pending, SIGUSR2));
  sigprocmask(SIG_UNBLOCK, &usr2, 0);
  sigpending(&pending);
  printf("usr2: after unblock ran=%d pending=%d\n", (int)usr2_count,
         sigismember(&pending, SIGUSR2));

  puts("signals_basic: done");
  return 0;
}
