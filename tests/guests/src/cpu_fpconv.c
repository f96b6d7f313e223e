/* Floating-point conversions and comparisons: double/float <-> int32/int64/uint64 (incl. the
 * out-of-range "integer indefinite" results), x87 long double <-> integers, NaN payloads and signs,
 * signed zeros, min/max and unordered compares. */
#include <math.h>

static const double fc_vals[] = {0.0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 2147483647.0,
                                 2147483648.0, -2147483648.0, -2147483649.0, 4294967295.0,
                                 4294967296.0, 9.2233720368547748e18, 9.2233720368547758e18,
                                 -9.2233720368547758e18, 1.8446744073709550e19, 1.8446744073709552e19,
                                 1e300, -1e300, 1.0 / 0.0, -1.0 / 0.0, 0.0 / 0.0, 1e-310, 16777217.0,
                                 9007199254740993.0};

int prog_fpconv(void) {
  int n = (int)(sizeof fc_vals / sizeof fc_vals[0]);
  for (int i = 0; i < n; i++) {
    double x = opq(fc_vals[i]);
    float f = (float)x;
    long double l = (long double)x;
    long long i64 = 0;
    int i32 = 0;
    unsigned long long u64 = 0;
    /* The raw instructions, so out-of-range results are the hardware's (C leaves them undefined). */
    __asm__("cvttsd2si %1, %0" : "=r"(i64) : "x"(x));
    __asm__("cvttsd2si %1, %0" : "=r"(i32) : "x"(x));
    long long r64;
    __asm__("cvtsd2si %1, %0" : "=r"(r64) : "x"(x));
    int f32;
    __asm__("cvttss2si %1, %0" : "=r"(f32) : "x"(f));
    long long fist;
    __asm__("fistpll %0" : "=m"(fist) : "t"(l) : "st");
    if (x >= 0 && x < 1.8446744073709552e19) u64 = (unsigned long long)x;
    printf("%-24.17g i64=%lld i32=%d r64=%lld f=%a f32=%d fist=%lld u64=%llu l=%La\n", x, i64, i32,
           r64, (double)f, f32, fist, u64, l);
  }
  static const unsigned long long uvals[] = {0, 1, 0x7fffffffffffffffull, 0x8000000000000000ull,
                                             0x8000000000000001ull, 0xfffffffffffff800ull,
                                             0xfffffffffffffbffull, 0xffffffffffffffffull,
                                             0x20000000000001ull, 0x20000000000003ull, 12345678901234567ull};
  for (unsigned i = 0; i < sizeof uvals / sizeof uvals[0]; i++) {
    unsigned long long u = opqu(uvals[i]);
    long long s = (long long)u;
    printf("u=%llu d=%a f=%a ld=%La sd=%a sf=%a sld=%La back=%llu\n", u, (double)u, (double)(float)u,
           (long double)u, (double)s, (double)(float)s, (long double)s,
           (unsigned long long)(long double)u);
  }
  /* NaN payloads, quieting and sign through arithmetic and conversions. */
  union { uint64_t u; double d; } q = {0x7ff0000000000123ull}, qq = {0xfff8000000000456ull};
  double sn = opq(q.d), qn = opq(qq.d);
  printf("nan: snan+1 %016llx qnan*2 %016llx snan+qnan %016llx qnan+snan %016llx -qnan %016llx\n",
         (unsigned long long)dbits(sn + 1.0), (unsigned long long)dbits(qn * 2.0),
         (unsigned long long)dbits(sn + qn), (unsigned long long)dbits(qn + sn),
         (unsigned long long)dbits(-qn));
  printf("nan: (float)qnan %08x (ld)qnan %04x:%016llx 0/0 %016llx inf-inf %016llx sqrt(-1) %016llx\n",
         fbits((float)qn), lbits_hi((long double)qn), (unsigned long long)lbits_lo((long double)qn),
         (unsigned long long)dbits(opq(0.0) / opq(0.0)),
         (unsigned long long)dbits(opq(1.0 / 0.0) - opq(1.0 / 0.0)),
         (unsigned long long)dbits(sqrt(opq(-1.0))));
  long double ln = opql(0.0L) / opql(0.0L);
  printf("x87 0/0 %04x:%016llx\n", lbits_hi(ln), (unsigned long long)lbits_lo(ln));
  /* Compares with NaN and signed zeros; SSE min/max return the second operand on ties/NaN. */
  double cv[] = {-1.0, -0.0, 0.0, 1.0, 0.0 / 0.0};
  for (int i = 0; i < 5; i++) {
    for (int j = 0; j < 5; j++) {
      double a = opq(cv[i]), b = opq(cv[j]);
      double mn, mx;
      __asm__("movsd %1, %0\n\tminsd %2, %0" : "=&x"(mn) : "x"(a), "x"(b));
      __asm__("movsd %1, %0\n\tmaxsd %2, %0" : "=&x"(mx) : "x"(a), "x"(b));
      printf("%d%d%d%d%d%d %016llx %016llx %a %a|", a < b, a <= b, a == b, a != b, isunordered(a, b),
             isless(a, b), (unsigned long long)dbits(mn), (unsigned long long)dbits(mx), fmin(a, b),
             fmax(a, b));
    }
    printf("\n");
  }
  long double lv[] = {-1.0L, 0.0L, 1.0L, 0.0L / 0.0L};
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 4; j++) {
      long double a = opql(lv[i]), b = opql(lv[j]);
      printf("%d%d%d%d ", a < b, a == b, a > b, isunordered(a, b));
    }
  printf("\n");
  return 0;
}
