/* hunt_stack_overflow: unbounded recursion overflows the main stack; a SIGSEGV handler on a
 * sigaltstack catches it (SEGV_MAPERR or SEGV_ACCERR) and siglongjmps out; without the altstack
 * the process dies by SIGSEGV (argv[1] = "noalt"). */
#include "hunt.h"

static sigjmp_buf env;
static volatile int depth_reached;
static int on_alt, code;
static char *alt;

static void on_segv(int sig, siginfo_t *si, void *ctx) {
  (void)sig;
  (void)ctx;
  int local;
  on_alt = (char *)&local >= alt && (char *)&local < alt + 65536;
  code = si->si_code;
  siglongjmp(env, 1);
}

static long recurse(volatile char *prev, long n) {
  volatile char buf[512];
  if (n < 0) return 0;
  buf[0] = (char)n;
  buf[511] = prev ? prev[0] : 0;
  depth_reached = (int)n;
  return recurse(buf, n + 1) + buf[0];
}

int main(int argc, char **argv) {
  hunt_init();
  int noalt = argc > 1 && strcmp(argv[1], "noalt") == 0;
  alt = malloc(65536);
  if (!noalt) {
    stack_t ss = {.ss_sp = alt, .ss_size = 65536, .ss_flags = 0};
    sigaltstack(&ss, 0);
  }
  handle(SIGSEGV, on_segv, SA_ONSTACK);
  if (sigsetjmp(env, 1) == 0) {
    printf("recursing\n");
    recurse(0, 0);
    printf("not reached\n");
  } else {
    printf("caught overflow: on_alt=%d code_is_segv=%d deep=%d\n", on_alt,
           code == SEGV_MAPERR || code == SEGV_ACCERR, depth_reached > 10000);
  }
  /* the stack is usable again */
  if (sigsetjmp(env, 1) == 0) {
    recurse(0, 0);
  } else {
    printf("caught again: on_alt=%d\n", on_alt);
  }
  return 0;
}
