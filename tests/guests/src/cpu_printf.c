/* printf of doubles and long doubles in every conversion, with the rounding edge cases (ties,
 * carries into a new digit, subnormals, huge exponents), plus integer formats. */
#include <float.h>
#include <math.h>

static const double pf_vals[] = {0.0, -0.0, 1.0, -1.0, 0.5, 0.125, 0.1, 0.2, 0.3, 1.0 / 3.0,
                                 2.0 / 3.0, 9.5, 10.5, 0.05, 0.15, 0.25, 0.35, 2.5, 3.5, 99.995,
                                 999999.5, 9.999999999, 1e15, 1e16, 1e17, 123456789012345678.0,
                                 1e21, 1e22, 1e23, 1e-5, 1e-7, 1e100, 1e300, 1.7976931348623157e308,
                                 2.2250738585072014e-308, 4.9406564584124654e-324,
                                 1.2345678901234567e-310, 3.141592653589793, 2.718281828459045,
                                 6.02214076e23, 1.602176634e-19, 0.000123456, 5e-324 * 3,
                                 1048576.0, 4294967296.0, 18446744073709551616.0};

int prog_printf_double(void) {
  int n = (int)(sizeof pf_vals / sizeof pf_vals[0]);
  for (int i = 0; i < n; i++) {
    double x = opq(pf_vals[i]);
    printf("[%d] %.17g | %e | %.3e | %f | %.2f | %.0f | %g | %.10g | %a | %.3a | %A\n", i, x, x, x,
           x, x, x, x, x, x, x, x);
  }
  double sp[] = {1.0 / 0.0, -1.0 / 0.0, 0.0 / 0.0};
  for (int i = 0; i < 3; i++) {
    double x = opq(sp[i]);
    printf("special %f %e %g %a %F %E %G %5.1f|\n", x, x, x, fabs(x) == x ? x : x, x, x, x, x);
  }
  printf("width/flags: [%+8.3f] [%-10.2e] [%010.4f] [% g] [%#g] [%#.0f] [%#x] [%#o] [%+.0e]\n",
         opq(3.14159), opq(-2.5e-3), opq(-1.5), opq(42.0), opq(1.0), opq(3.0), 255u, 8u,
         opq(12345.678));
  printf("star: [%*.*f] [%-*d] [%.*s]\n", 12, 4, opq(2.0 / 7.0), 6, 42, 3, "abcdef");
  /* Round-half-even on exact binary ties, and carries. */
  for (int k = 0; k < 12; k++) {
    double t = opq(0.5 + k) / 8.0;
    printf("tie %.3f %.2f %.1f %.0f\n", t, t, t, t);
  }
  for (int k = 1; k <= 20; k++) printf("%.*f ", k % 6, opq(0.9999995) * k);
  printf("\n");
  long long iv[] = {0, 1, -1, 127, -128, 65535, 2147483647, -2147483647 - 1, 9223372036854775807ll,
                    -9223372036854775807ll - 1};
  for (int i = 0; i < 10; i++) {
    long long v = (long long)opqu((uint64_t)iv[i]);
    printf("%lld %llu %llx %llo %+d %05d %-6hd| %hhu %ld %#llX %'lld\n", v, (unsigned long long)v,
           (unsigned long long)v, (unsigned long long)v, (int)v, (int)v, (short)v,
           (unsigned char)v, (long)v, (unsigned long long)v, v);
  }
  /* Many random doubles, checksummed over their %.17g and %a text. */
  uint64_t s = 99, h = CK_INIT;
  char buf[64];
  for (int i = 0; i < 300; i++) {
    uint64_t r = rng_next(&s);
    double x = (i & 1) ? (double)(int64_t)r / (double)(1ull << (r & 63)) : 0;
    if (!(i & 1)) {
      union { uint64_t u; double d; } c = {r};
      x = c.d;
      if (x != x) x = 1.5;
    }
    int len = snprintf(buf, sizeof buf, "%.17g %a %.6e", x, x, x);
    for (int j = 0; j < len; j++) h = (h ^ (unsigned char)buf[j]) * 0x100000001b3ull;
  }
  printf("printf double checksum %016llx\n", (unsigned long long)h);
  return 0;
}

int prog_printf_ldouble(void) {
  long double vals[] = {0.0L, -0.0L, 1.0L, 0.1L, 1.0L / 3.0L, 2.5L, 3.5L,
                        LDBL_MAX, LDBL_MIN, LDBL_EPSILON, LDBL_TRUE_MIN, 3.14159265358979323846264L,
                        123456789012345678901.0L, 0.05L, 18446744073709551615.0L, 1e-310L};
  for (unsigned i = 0; i < sizeof vals / sizeof vals[0]; i++) {
    long double x = opql(vals[i]);
    printf("[%u] %.21Lg | %Le | %.25Le | %.4Lf | %Lg | %La | %.4La | %LA\n", i, x, x, x,
           fabsl(x) < 1e40L ? x : 0.0L, x, x, x, x); /* %Lf of 1e4000 is 4000 digits */
  }
  long double sp[] = {1.0L / 0.0L, -1.0L / 0.0L};
  for (int i = 0; i < 2; i++) printf("special %Lf %Le %La\n", sp[i], sp[i], sp[i]);
  printf("ldbl max %.0Lf\n", LDBL_MAX / 1e4900L);
  uint64_t s = 5, h = CK_INIT;
  char buf[96];
  for (int i = 0; i < 24; i++) {
    uint64_t r = rng_next(&s);
    long double x = (long double)(int64_t)r;
    for (int k = 0; k < (int)(r % 40); k++) x /= 7.0L;
    if (r & 1) x = 1.0L / x;
    int len = snprintf(buf, sizeof buf, "%.22Lg %La %.3Le", x, x, x);
    for (int j = 0; j < len; j++) h = (h ^ (unsigned char)buf[j]) * 0x100000001b3ull;
  }
  printf("printf long double checksum %016llx\n", (unsigned long long)h);
  return 0;
}
