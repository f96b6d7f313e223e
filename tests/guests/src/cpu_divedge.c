/* Integer division edge cases at 8/16/32/64/128 bits: signs, truncation toward zero, remainders,
 * divisors near the width's limits; then INT_MIN/-1 and x/0 in each width, caught as SIGFPE. */
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>

static sigjmp_buf de_jump;
static volatile int de_signo, de_code;

static void de_on_fpe(int signo, siginfo_t *info, void *uc) {
  (void)uc;
  de_signo = signo;
  de_code = info->si_code;
  siglongjmp(de_jump, 1);
}

static int __attribute__((noinline)) de_div32(int a, int b) { return a / b; }
static int __attribute__((noinline)) de_mod32(int a, int b) { return a % b; }
static long __attribute__((noinline)) de_div64(long a, long b) { return a / b; }
static long __attribute__((noinline)) de_mod64(long a, long b) { return a % b; }
static unsigned __attribute__((noinline)) de_udiv32(unsigned a, unsigned b) { return a / b; }

static long __attribute__((noinline)) de_idiv8(long a, long b) {
  long q;
  /* idiv r/m8: ax / bl -> al quotient, ah remainder. */
  __asm__ volatile("movq %1, %%rax\n\tmovq %2, %%rcx\n\tidivb %%cl\n\tmovsbq %%al, %0"
                   : "=r"(q)
                   : "r"(a), "r"(b)
                   : "rax", "rcx", "cc");
  return q;
}
static long __attribute__((noinline)) de_idiv16(long a, long b) {
  long q;
  __asm__ volatile("movq %1, %%rax\n\tmovq %1, %%rdx\n\tsarq $16, %%rdx\n\tmovq %2, %%rcx\n\t"
                   "idivw %%cx\n\tmovswq %%ax, %0"
                   : "=r"(q)
                   : "r"(a), "r"(b)
                   : "rax", "rcx", "rdx", "cc");
  return q;
}
static long __attribute__((noinline)) de_div128(unsigned long hi, unsigned long lo, unsigned long d) {
  long q;
  __asm__ volatile("divq %3" : "=a"(q), "+d"(hi) : "a"(lo), "r"(d) : "cc");
  return q;
}

static const char *de_try(int which) {
  static char buf[64];
  de_signo = 0;
  if (sigsetjmp(de_jump, 1) == 0) {
    long r = 0;
    switch (which) {
    case 0: r = de_div32(INT_MIN, (int)opqu((uint64_t)-1)); break;
    case 1: r = de_mod32(INT_MIN, (int)opqu((uint64_t)-1)); break;
    case 2: r = de_div64(LONG_MIN, (long)opqu((uint64_t)-1)); break;
    case 3: r = de_mod64(LONG_MIN, (long)opqu((uint64_t)-1)); break;
    case 4: r = de_div32(7, (int)opqu(0)); break;
    case 5: r = de_div64(7, (long)opqu(0)); break;
    case 6: r = de_udiv32(7, (unsigned)opqu(0)); break;
    case 7: r = de_idiv8(-128, -1); break;
    case 8: r = de_idiv16(-32768, -1); break;
    case 9: r = de_idiv8(300, 2); break;   /* quotient 150 does not fit in int8 */
    case 10: r = de_div128(5, 0, 5); break; /* quotient 2^64 does not fit */
    case 11: r = de_div128(4, 0, 5); break; /* fits */
    case 12: r = de_idiv8(-255, 2); break;  /* -127 fits */
    }
    snprintf(buf, sizeof buf, "no fault, result %ld", r);
  } else {
    snprintf(buf, sizeof buf, "signal %d code %d", de_signo, de_code);
  }
  return buf;
}

int prog_divedge(void) {
  static const long long nums[] = {0, 1, -1, 7, -7, 100, -100, INT_MAX, INT_MIN, LLONG_MAX, LLONG_MIN,
                                   0x123456789ll, -0x123456789ll};
  static const long long dens[] = {1, -1, 2, -2, 3, -3, 7, -7, 10, INT_MAX, INT_MIN, LLONG_MAX,
                                   LLONG_MIN, 0x10000ll};
  for (unsigned i = 0; i < sizeof nums / sizeof nums[0]; i++) {
    long long a = (long long)opqu((uint64_t)nums[i]);
    printf("%20lld:", a);
    for (unsigned j = 0; j < sizeof dens / sizeof dens[0]; j++) {
      long long b = (long long)opqu((uint64_t)dens[j]);
      long long q = (a == LLONG_MIN && b == -1) ? 0 : a / b;
      long long r = (a == LLONG_MIN && b == -1) ? 0 : a % b;
      int a32 = (int)a, b32 = (int)b;
      int q32 = (b32 == 0 || (a32 == INT_MIN && b32 == -1)) ? 0 : a32 / b32;
      unsigned uq = b32 ? (unsigned)a32 / (unsigned)b32 : 0;
      short a16 = (short)a, b16 = (short)b;
      int q16 = b16 ? a16 / b16 : 0;
      signed char a8 = (signed char)a, b8 = (signed char)b;
      int r8 = b8 ? a8 % b8 : 0;
      printf(" %lld,%lld,%d,%u,%d,%d", q, r, q32, uq, q16, r8);
    }
    printf("\n");
  }
  unsigned __int128 big = ((unsigned __int128)0x0123456789abcdefull << 64) | 0xfedcba9876543210ull;
  for (unsigned long d = 3; d < 1ull << 63; d = d * 1000 + 7) {
    unsigned __int128 q = big / d;
    printf("128/%lu = %016llx%016llx rem %llu\n", d, (unsigned long long)(q >> 64),
           (unsigned long long)q, (unsigned long long)(big % d));
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = de_on_fpe;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGFPE, &sa, 0);
  static const char *names[] = {"INT_MIN/-1 (32)", "INT_MIN%-1 (32)", "LONG_MIN/-1 (64)",
                                "LONG_MIN%-1 (64)", "7/0 (32)", "7/0 (64)", "7u/0 (32)",
                                "-128/-1 (idiv8)", "-32768/-1 (idiv16)", "300/2 (idiv8)",
                                "2^64*5/5 (div128)", "2^64*4/5 (div128)", "-255/2 (idiv8)"};
  for (int k = 0; k < 13; k++) printf("%-20s %s\n", names[k], de_try(k));
  return 0;
}
