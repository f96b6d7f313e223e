/* libm in double, float and long double: the value of each function over a spread of arguments,
 * printed bit-exactly (%a), so any difference in the emulated SSE or x87 arithmetic shows. */
#include <math.h>

static const double lm_args[] = {0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 2.0, 3.0, 0.1, 0.7, 1.5,
                                 3.141592653589793, 1.5707963267948966, 10.0, -7.25, 100.5,
                                 1e-8, 1e10, 123456.789, 0.999999, 1e300, 5e-324, 700.0, -745.0};
#define LM_N ((int)(sizeof lm_args / sizeof lm_args[0]))

/* glibc picks FMA builds of sin/cos/tan/exp/log/pow/atan at startup when the CPU has FMA (the host
 * does, the emulated CPU does not), and those may differ in the last bit; the dense sweep rounds
 * such results to 44 bits so it checks the emulated arithmetic, not glibc's choice. */
static inline uint64_t lm_coarse(double x) { return (dbits(x) + 0x80) >> 8; }

int prog_libm_double(void) {
  for (int i = 0; i < LM_N; i++) {
    double x = opq(lm_args[i]), y = opq(lm_args[(i * 7 + 3) % LM_N]);
    printf("x=%a\n sin %a cos %a tan %a exp %a log %a sqrt %a cbrt %a\n", x, sin(x), cos(x),
           tan(x), exp(x), log(fabs(x)), sqrt(fabs(x)), cbrt(x));
    printf(" floor %a ceil %a rint %a round %a trunc %a lround %ld llrint %lld nearbyint %a\n",
           floor(x), ceil(x), rint(x), round(x), trunc(x), fabs(x) < 1e18 ? lround(x) : 0L,
           fabs(x) < 1e18 ? llrint(x) : 0LL, nearbyint(x));
    printf(" y=%a pow %a fmod %a hypot %a atan2 %a remainder %a fmin %a copysign %a\n", y,
           pow(fabs(x), y), fmod(x, y), hypot(x, y), atan2(x, y), remainder(x, y), fmin(x, y),
           copysign(x, y));
    int e;
    double fr = frexp(x, &e), ip;
    printf(" asin %a acos %a atan %a sinh %a tanh %a log10 %a log2 %a log1p %a expm1 %a\n",
           asin(fmod(x, 1.0)), acos(fmod(x, 1.0)), atan(x), sinh(fmod(x, 50.0)), tanh(x),
           log10(fabs(x)), log2(fabs(x)), log1p(fabs(x)), expm1(fmod(x, 30.0)));
    printf(" frexp %a,%d ldexp %a modf %a,%a exp2 %a erf %a lgamma %a tgamma %a\n", fr, e,
           ldexp(x, 7), modf(x, &ip), ip, exp2(fmod(x, 60.0)), erf(x), lgamma(fabs(x) + 0.5),
           tgamma(fmod(fabs(x), 20.0) + 0.5));
  }
  /* A dense sweep, checksummed. */
  uint64_t h = CK_INIT;
  for (int i = 0; i < 400; i++) {
    double x = opq(-20.0 + i * 0.1003);
    h = ck_mix(h, lm_coarse(sin(x)) ^ lm_coarse(cos(x)) * 3);
    h = ck_mix(h, lm_coarse(exp(x)) ^ lm_coarse(log(fabs(x) + 1e-3)) * 5);
    h = ck_mix(h, lm_coarse(pow(1.0001 + fabs(x), x)) ^ lm_coarse(atan2(x, 3.0)) * 7);
    h = ck_mix(h, dbits(sqrt(fabs(x))) ^ dbits(cbrt(x)) * 11 ^ lm_coarse(tan(x)) * 13);
  }
  printf("libm double checksum %016llx\n", (unsigned long long)h);
  return 0;
}

int prog_libm_float(void) {
  for (int i = 0; i < LM_N; i++) {
    float x = opqf((float)lm_args[i]), y = opqf((float)lm_args[(i * 5 + 1) % LM_N]);
    printf("x=%a sin %a cos %a tan %a exp %a log %a sqrt %a cbrt %a\n", (double)x, (double)sinf(x),
           (double)cosf(x), (double)tanf(x), (double)expf(x), (double)logf(fabsf(x)),
           (double)sqrtf(fabsf(x)), (double)cbrtf(x));
    printf(" floor %a ceil %a rint %a lround %ld pow %a fmod %a hypot %a atan2 %a\n",
           (double)floorf(x), (double)ceilf(x), (double)rintf(x), fabsf(x) < 1e9f ? lroundf(x) : 0L,
           (double)powf(fabsf(x), y), (double)fmodf(x, y), (double)hypotf(x, y),
           (double)atan2f(x, y));
    printf(" asin %a atan %a tanh %a log10 %a log2 %a exp2 %a expm1 %a\n",
           (double)asinf(fmodf(x, 1.0f)), (double)atanf(x), (double)tanhf(x),
           (double)log10f(fabsf(x)), (double)log2f(fabsf(x)), (double)exp2f(fmodf(x, 60.0f)),
           (double)expm1f(fmodf(x, 30.0f)));
  }
  uint64_t h = CK_INIT;
  for (int i = 0; i < 1000; i++) {
    float x = opqf(-30.0f + (float)i * 0.0613f);
    h = ck_mix(h, fbits(sinf(x)) ^ (uint64_t)fbits(cosf(x)) << 32);
    h = ck_mix(h, fbits(expf(x)) ^ (uint64_t)fbits(logf(fabsf(x) + 1e-3f)) << 32);
    h = ck_mix(h, fbits(powf(1.001f + fabsf(x), x * 0.5f)) ^ (uint64_t)fbits(sqrtf(fabsf(x))) << 32);
  }
  printf("libm float checksum %016llx\n", (unsigned long long)h);
  return 0;
}

/* Long double functions built on the x87 logs and arctangent (fyl2x, fpatan) are printed as
 * doubles: the FPU's internal approximations put about 2% of its results one 64-bit ulp away
 * from what the emulator's model of them gives, so the last of the 64 bits may differ (the
 * trig functions are exact: see prog_libm_ldouble_trig). Exactly rounded operations
 * (sqrt, rounding, fmod, scaling, the sums below) are printed in full. */
#define LD(x) ((double)(x))

int prog_libm_ldouble(void) {
  for (int i = 0; i < LM_N; i++) {
    long double x = opql((long double)lm_args[i]);
    long double y = opql((long double)lm_args[(i * 7 + 3) % LM_N]);
    printf("x=%La\n sqrt %La exp %a log %a log2 %a log10 %a atan2 %a\n", x, sqrtl(fabsl(x)),
           LD(expl(fmodl(x, 1000.0L))), LD(logl(fabsl(x))), LD(log2l(fabsl(x))),
           LD(log10l(fabsl(x))), LD(atan2l(x, y)));
    printf(" floor %La ceil %La rint %La trunc %La round %La fmod %La remainder %La\n", floorl(x),
           ceill(x), rintl(x), truncl(x), roundl(x), fmodl(x, y), remainderl(x, y));
    printf(" sin %a cos %a tan %a pow %a cbrt %a hypot %La exp2 %a expm1 %a log1p %a\n",
           LD(sinl(x)), LD(cosl(x)), LD(tanl(x)), LD(powl(fabsl(x), fmodl(y, 100.0L))),
           LD(cbrtl(x)), hypotl(x, y), LD(exp2l(fmodl(x, 200.0L))), LD(expm1l(fmodl(x, 40.0L))),
           LD(log1pl(fabsl(x))));
    long double ip;
    int e;
    printf(" atan %a asin %a acos %a frexp %La,%d modf %La,%La scalbn %La\n", LD(atanl(x)),
           LD(asinl(fmodl(x, 1.0L))), LD(acosl(fmodl(x, 1.0L))), frexpl(x, &e), e, modfl(x, &ip),
           ip, scalbnl(x, -20));
  }
  /* x87 arithmetic itself: long sums and products at 64-bit precision. */
  long double acc = 0.0L, prod = 1.0L;
  for (int i = 1; i <= 2000; i++) {
    acc += 1.0L / (long double)i;
    prod *= 1.0L + 1.0L / ((long double)i * i);
  }
  printf("harmonic(2000) %La product %La\n", acc, prod);
  uint64_t h = CK_INIT;
  for (int i = 0; i < 200; i++) {
    long double x = opql(-10.0L + i * 0.1017L);
    h = ck_mix(h, lbits_lo(sqrtl(fabsl(x))) ^ dbits(LD(expl(x))) * 3 ^ dbits(LD(logl(fabsl(x) + 0.5L))) * 5);
    h = ck_mix(h, dbits(LD(sinl(x))) ^ dbits(LD(cosl(x))) * 7 ^ dbits(LD(atan2l(x, 2.0L))) * 11);
    h = ck_mix(h, dbits(LD(powl(1.5L, x))) ^ dbits(LD(tanl(x))) * 13);
  }
  printf("libm long double checksum %016llx\n", (unsigned long long)h);
  return 0;
}

/* sinl, cosl and tanl in full (%La) from tiny to 2^62 arguments: the x87 reduces by its own
 * 66-bit pi, so results far from zero drift from the true values, and the emulator must drift
 * the same way, bit for bit. */
int prog_libm_ldouble_trig(void) {
  uint64_t h = CK_INIT;
  for (int i = 0; i < 600; i++) {
    long double x = opql(ldexpl(1.0L + i * 0.0137L, i / 10 - 30) * (i % 2 ? -1 : 1));
    long double s = sinl(x), c = cosl(x), t = tanl(x);
    if (i % 6 == 0) printf("x=%La sin %La cos %La tan %La\n", x, s, c, t);
    h = ck_mix(h, lbits_lo(s) ^ lbits_lo(c) * 3 ^ lbits_lo(t) * 5);
  }
  const long double big[] = {1e5L, 1e10L, 1e18L, 9.2e18L, 3.0e3L, 123456.789L, 710.0L, 0x1p62L};
  for (unsigned i = 0; i < sizeof big / sizeof big[0]; i++)
    printf("big %La sin %La cos %La tan %La\n", big[i], sinl(big[i]), cosl(big[i]), tanl(big[i]));
  printf("libm long double trig checksum %016llx\n", (unsigned long long)h);
  return 0;
}
