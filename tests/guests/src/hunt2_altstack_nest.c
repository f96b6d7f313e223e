/* hunt2_altstack_nest: sigaltstack edge cases with nesting: an SA_ONSTACK handler raising a second
 * SA_ONSTACK signal nests lower on the same altstack; a handler without SA_ONSTACK raised from it
 * also stays on the altstack (sp is already there); SS_AUTODISARM disarms inside and the nested
 * signal still lands on the current (alt) stack; sigaltstack from inside: EPERM to change, query
 * shows SS_ONSTACK; SS_DISABLE outside; a bigger altstack replacing the first. */
#include "hunt2.h"

static char alt1[65536], alt2[65536];
static char *volatile outer_sp, *volatile inner_sp, *volatile plain_sp;
static volatile int inner_flags, outer_flags, change_rc, change_errno;

static inline char *sp_now(void) {
  char *sp;
  __asm__ volatile("mov %%rsp, %0" : "=r"(sp));
  return sp;
}
static int on_alt(char *p, char *base) { return p >= base && p < base + 65536; }

static void plain(int s) {
  (void)s;
  plain_sp = sp_now();
}
static void inner(int s) {
  (void)s;
  inner_sp = sp_now();
  stack_t q;
  sigaltstack(0, &q);
  inner_flags = q.ss_flags;
  raise(SIGUSR2); /* plain: no SA_ONSTACK */
}
static void outer(int s) {
  (void)s;
  outer_sp = sp_now();
  stack_t q, n = {.ss_sp = alt2, .ss_size = sizeof alt2, .ss_flags = 0};
  sigaltstack(0, &q);
  outer_flags = q.ss_flags;
  errno = 0;
  change_rc = sigaltstack(&n, 0);
  change_errno = errno;
  raise(SIGHUP); /* SA_ONSTACK: nests on the same altstack */
}

static void round_(const char *what, char *base, int flags) {
  stack_t ss = {.ss_sp = base, .ss_size = 65536, .ss_flags = flags};
  int r = sigaltstack(&ss, 0);
  outer_sp = inner_sp = plain_sp = 0;
  raise(SIGUSR1);
  printf("%s: set %d; outer on alt %d, inner on alt %d below outer %d, plain on alt %d below inner %d\n", what, r,
         on_alt(outer_sp, base), on_alt(inner_sp, base), inner_sp < outer_sp, on_alt(plain_sp, base),
         plain_sp < inner_sp);
  printf("  flags seen: outer %#x inner %#x; change inside -> %d (%s)\n", outer_flags, inner_flags, change_rc,
         change_rc ? strerror(change_errno) : "ok");
  stack_t q;
  sigaltstack(0, &q);
  printf("  after: flags %#x, sp is %s, size %zu\n", q.ss_flags, q.ss_sp == base ? "ours" : "other", q.ss_size);
}

int main(void) {
  hunt_init();
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_flags = SA_ONSTACK;
  sa.sa_handler = outer;
  sigaction(SIGUSR1, &sa, 0);
  sa.sa_handler = inner;
  sigaction(SIGHUP, &sa, 0);
  sa.sa_flags = 0;
  sa.sa_handler = plain;
  sigaction(SIGUSR2, &sa, 0);
  round_("plain altstack", alt1, 0);
#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31)
#endif
  round_("SS_AUTODISARM", alt2, SS_AUTODISARM);
  stack_t off = {.ss_flags = SS_DISABLE};
  printf("disable: %d\n", sigaltstack(&off, 0));
  outer_sp = 0;
  raise(SIGUSR1);
  printf("disabled: outer on alt1 %d alt2 %d\n", on_alt(outer_sp, alt1), on_alt(outer_sp, alt2));
  stack_t bad = {.ss_sp = alt1, .ss_size = 65536, .ss_flags = 7};
  errno = 0;
  int r = sigaltstack(&bad, 0);
  printf("bad flags: %d %s\n", r, strerror(errno));
  return 0;
}
