/* sig_altstack_rules: sigaltstack validation (EINVAL flags, ENOMEM below MINSIGSTKSZ, EPERM while
 * on the stack, SS_ONSTACK accepted as 0), what it reports (SS_DISABLE, SS_ONSTACK inside a
 * handler on it), SA_ONSTACK only switching when not already on it, and SS_AUTODISARM. */
#include "sig_common.h"

static char alt[65536];
static int depth;

static int on_alt(void *p) { return (char *)p > alt && (char *)p <= alt + sizeof alt; }

static void h(int s, siginfo_t *si, void *ctx) {
  (void)si;
  ucontext_t *uc = ctx;
  int local;
  stack_t q, ss = {.ss_sp = alt, .ss_size = sizeof alt};
  sigaltstack(0, &q);
  depth++;
  int rc = sigaltstack(&ss, 0);
  int e = errno;
  printf("  sig %d depth %d: on alt %d, query flags 0x%x, uc_stack flags 0x%x, set -> %d %s\n", s,
         depth, on_alt(&local), q.ss_flags, uc->uc_stack.ss_flags, rc, rc ? strerror(e) : "");
  if (depth == 1 && s == SIGUSR1) raise(SIGUSR2);
  depth--;
}

static void try(const char *what, void *sp, size_t size, int flags) {
  stack_t ss = {.ss_sp = sp, .ss_size = size, .ss_flags = flags};
  errno = 0;
  int rc = sigaltstack(&ss, 0);
  stack_t q;
  sigaltstack(0, &q);
  printf("%-28s -> %d %-24s now flags 0x%x size %zu\n", what, rc, rc ? strerror(errno) : "",
         q.ss_flags, q.ss_size);
}

int main(void) {
  sig_init();
  stack_t q;
  sigaltstack(0, &q);
  printf("initial: flags 0x%x size %zu\n", q.ss_flags, q.ss_size);
  try("flags 4", alt, sizeof alt, 4);
  try("size 2047", alt, 2047, 0);
  try("size 2048", alt, 2048, 0);
  try("SS_DISABLE", 0, 0, SS_DISABLE);
  try("SS_ONSTACK", alt, sizeof alt, SS_ONSTACK);
  try("SS_DISABLE|SS_AUTODISARM", alt, sizeof alt, SS_DISABLE | SS_AUTODISARM);
  try("plain 64K", alt, sizeof alt, 0);
  on(SIGUSR1, h, SA_ONSTACK, 0);
  on(SIGUSR2, h, SA_ONSTACK, 0);
  printf("SA_ONSTACK handlers, USR1 raises USR2 inside:\n");
  raise(SIGUSR1);
  on(SIGUSR1, h, 0, 0);
  printf("handler without SA_ONSTACK:\n");
  raise(SIGUSR1);
  try("SS_AUTODISARM", alt, sizeof alt, SS_AUTODISARM);
  on(SIGUSR1, h, SA_ONSTACK, 0);
  printf("with SS_AUTODISARM:\n");
  raise(SIGUSR1);
  sigaltstack(0, &q);
  printf("after: flags 0x%x size %zu\n", q.ss_flags, q.ss_size);
  return 0;
}
