/* strtod/strtof/strtold and sscanf of numbers, incl. hex floats, rounding ties, subnormals and
 * overflow (errno ERANGE), printed back in %a so every bit shows. */
#include <errno.h>
#include <stdlib.h>

static const char *const std_inputs[] = {
    "0", "-0", "1", "0.1", "0.3", "1e23", "8.98846567431158e307", "1.7976931348623157e308",
    "1.7976931348623159e308", "2.2250738585072011e-308", "4.9406564584124654e-324",
    "2.4703282292062327e-324", "2.4703282292062328e-324", "1e-400", "1e400", "0x1.8p1",
    "0x1.fffffffffffff8p0", "0X.8P-1", "inf", "-Infinity", "nan", "  +42.5xyz", "1.5e", ".e1",
    "9007199254740993", "9007199254740995", "123456789012345678901234567890",
    "0.000000000000000000000000000001", "3.14159265358979323846264338327950288",
    "1.00000000000000011102230246251565404236316680908203125",
    "1.00000000000000011102230246251565404236316680908203124", "7.038531e-26", "4.35e-320",
    "1e-4000", "0x1.fffffffffffffffep+16383", "0x1p+16384", "0x1p-16445", "0x1p-16446"}; /* musl parses
 * decimal exponents near +-4950 slowly (millions of instructions), so the extremes are in hex */;

int prog_strtod(void) {
  int n = (int)(sizeof std_inputs / sizeof std_inputs[0]);
  for (int i = 0; i < n; i++) {
    const char *in = std_inputs[i];
    char *end;
    errno = 0;
    double d = strtod(in, &end);
    int e1 = errno, used = (int)(end - in);
    errno = 0;
    float f = strtof(in, &end);
    int e2 = errno;
    errno = 0;
    long double l = strtold(in, &end);
    int e3 = errno;
    printf("%-40s d=%a(%d,%s) f=%a(%s) l=%La(%s)\n", in, d, used, e1 == ERANGE ? "R" : "-",
           (double)f, e2 == ERANGE ? "R" : "-", l, e3 == ERANGE ? "R" : "-");
  }
  /* Integers. */
  const char *ints[] = {"0", "-1", "0x7fffffffffffffff", "9223372036854775808", "-9223372036854775809",
                        "18446744073709551615", "18446744073709551616", "0777", "  -0x10", "z9"};
  for (int i = 0; i < 10; i++) {
    char *end;
    errno = 0;
    long long v = strtoll(ints[i], &end, 0);
    int e = errno;
    errno = 0;
    unsigned long long u = strtoull(ints[i], 0, 0);
    printf("%-22s ll=%lld(%s,%d) ull=%llu(%s) b36=%ld\n", ints[i], v, e ? "R" : "-",
           (int)(end - ints[i]), u, errno ? "R" : "-", strtol(ints[i], 0, 36));
  }
  /* sscanf. */
  double a, b;
  float c;
  long double ld;
  int k, cnt;
  char word[16];
  cnt = sscanf("3.25 -1e-3 2.5e1 0x1.8p3 17 hello", "%lf %lf %f %Lf %d %15s", &a, &b, &c, &ld, &k,
               word);
  printf("sscanf %d: %a %a %a %La %d %s\n", cnt, a, b, (double)c, ld, k, word);
  cnt = sscanf("12abc 0x1f 077 -5", "%d%3s %x %o %u", &k, word, (unsigned *)&k, (unsigned *)&k,
               (unsigned *)&k);
  printf("sscanf2 %d %s %d\n", cnt, word, k);
  /* Round trips of many random doubles: printed with %.17g, parsed back, must be identical. */
  uint64_t s = 31337, h = CK_INIT;
  int bad = 0;
  char buf[64];
  for (int i = 0; i < 60; i++) {
    union { uint64_t u; double d; } cv = {rng_next(&s)};
    if (cv.d != cv.d) continue;
    snprintf(buf, sizeof buf, "%.17g", cv.d);
    double back = strtod(buf, 0);
    bad += dbits(back) != cv.u;
    snprintf(buf, sizeof buf, "%.9g", (double)(float)cv.d);
    float fb = strtof(buf, 0);
    h = ck_mix(h, fbits(fb));
    long double lb = strtold(buf, 0);
    h = ck_mix(h, lbits_lo(lb) ^ lbits_hi(lb));
  }
  printf("round trips: %d mismatches, checksum %016llx\n", bad, (unsigned long long)h);
  return 0;
}
