/* fenv: the four rounding modes applied to SSE and x87 arithmetic, conversions, rint and printf;
 * exception flags raised by operations and tested with fetestexcept. */
#include <fenv.h>
#include <math.h>

static const int fe_modes[] = {FE_TONEAREST, FE_DOWNWARD, FE_UPWARD, FE_TOWARDZERO};
static const char *const fe_names[] = {"nearest", "down", "up", "zero"};

int prog_fenv(void) {
  for (int m = 0; m < 4; m++) {
    fesetround(fe_modes[m]);
    double a = opq(1.0), b = opq(3.0), c = opq(-2.5), d = opq(2.5);
    float fa = opqf(1.0f), fb = opqf(3.0f);
    long double la = opql(1.0L), lb = opql(3.0L);
    printf("%-7s get=%d 1/3=%a -1/3=%a f=%a l=%La -l=%La\n", fe_names[m], fegetround() == fe_modes[m],
           a / b, -a / b, (double)(fa / fb), la / lb, -la / lb);
    printf("        rint(2.5)=%g rint(-2.5)=%g nearbyint(3.5)=%g lrint(2.5)=%ld llrint(-3.5)=%lld "
           "(int)2.7=%d\n",
           rint(d), rint(c), nearbyint(opq(3.5)), lrint(d), llrint(opq(-3.5)), (int)opq(2.7));
    printf("        sqrt2=%a sqrtf2=%a sqrtl2=%La i2f=%a l2d=%a %.3f %.0f\n", sqrt(opq(2.0)),
           (double)sqrtf(opqf(2.0f)), sqrtl(opql(2.0L)), (double)(float)(int)opqu(16777217),
           (double)(long long)opqu(9007199254740993ull), opq(0.0625), opq(2.5));
    printf("        rintf=%g rintl=%Lg 0.1+0.2=%a 1e308*10=%g fma=%a\n", (double)rintf(opqf(-0.5f)),
           rintl(opql(0.5L)), opq(0.1) + opq(0.2), opq(1e308) * 10.0,
           fma(opq(0.1), opq(10.0), opq(-1.0)));
  }
  fesetround(FE_TONEAREST);
  struct {
    const char *what;
    int flags;
  } rows[8];
  int n = 0;
  volatile double z = 0.0, one = 1.0, big = 1e308, tiny = 1e-308;
  volatile double r;
  feclearexcept(FE_ALL_EXCEPT);
  r = one / z;
  rows[n].what = "1/0";
  rows[n++].flags = fetestexcept(FE_ALL_EXCEPT);
  feclearexcept(FE_ALL_EXCEPT);
  r = z / z;
  rows[n].what = "0/0";
  rows[n++].flags = fetestexcept(FE_ALL_EXCEPT);
  feclearexcept(FE_ALL_EXCEPT);
  r = big * big;
  rows[n].what = "big*big";
  rows[n++].flags = fetestexcept(FE_ALL_EXCEPT);
  feclearexcept(FE_ALL_EXCEPT);
  r = tiny * tiny;
  rows[n].what = "tiny*tiny";
  rows[n++].flags = fetestexcept(FE_ALL_EXCEPT);
  feclearexcept(FE_ALL_EXCEPT);
  r = one / 3.0;
  rows[n].what = "1/3";
  rows[n++].flags = fetestexcept(FE_ALL_EXCEPT);
  feclearexcept(FE_ALL_EXCEPT);
  r = sqrt(-one);
  rows[n].what = "sqrt(-1)";
  rows[n++].flags = fetestexcept(FE_ALL_EXCEPT);
  feclearexcept(FE_ALL_EXCEPT);
  volatile long double lz = 0.0L;
  volatile long double lr = 1.0L / lz;
  (void)lr;
  rows[n].what = "x87 1/0";
  rows[n++].flags = fetestexcept(FE_ALL_EXCEPT);
  feclearexcept(FE_ALL_EXCEPT);
  r = (double)(int)opq(1e10);
  rows[n].what = "(int)1e10";
  rows[n++].flags = fetestexcept(FE_ALL_EXCEPT);
  (void)r;
  for (int i = 0; i < n; i++)
    printf("%-10s inexact=%d divbyzero=%d underflow=%d overflow=%d invalid=%d\n", rows[i].what,
           !!(rows[i].flags & FE_INEXACT), !!(rows[i].flags & FE_DIVBYZERO),
           !!(rows[i].flags & FE_UNDERFLOW), !!(rows[i].flags & FE_OVERFLOW),
           !!(rows[i].flags & FE_INVALID));
  fenv_t env;
  fegetenv(&env);
  fesetround(FE_UPWARD);
  feraiseexcept(FE_OVERFLOW);
  fesetenv(&env);
  printf("restored: round nearest=%d overflow=%d\n", fegetround() == FE_TONEAREST,
         !!fetestexcept(FE_OVERFLOW));
  return 0;
}
