/* Variadic functions: integers, doubles and long doubles mixed past the register save area,
 * va_copy, vsnprintf, and structs passed by value. */
#include <stdarg.h>

struct va_pair {
  long a;
  double b;
};
struct va_big {
  long v[5];
};

static double va_sum(int n, ...) {
  va_list ap;
  va_start(ap, n);
  double s = 0;
  for (int i = 0; i < n; i++) {
    switch (i % 4) {
    case 0: s += va_arg(ap, int); break;
    case 1: s += va_arg(ap, double); break;
    case 2: s += (double)va_arg(ap, long double); break;
    case 3: s += (double)va_arg(ap, long long); break;
    }
  }
  va_end(ap);
  return s;
}

static long va_twice(int n, ...) {
  va_list ap, ap2;
  va_start(ap, n);
  va_copy(ap2, ap);
  long a = 0, b = 0;
  for (int i = 0; i < n; i++) a += va_arg(ap, long) * (i + 1);
  for (int i = 0; i < n; i++) b ^= va_arg(ap2, long) << i;
  va_end(ap2);
  va_end(ap);
  return a * 1000 + b;
}

static void va_structs(int n, ...) {
  va_list ap;
  va_start(ap, n);
  for (int i = 0; i < n; i++) {
    struct va_pair p = va_arg(ap, struct va_pair);
    struct va_big b = va_arg(ap, struct va_big);
    printf("  pair %ld %g big %ld..%ld\n", p.a, p.b, b.v[0], b.v[4]);
  }
  va_end(ap);
}

static int __attribute__((format(printf, 2, 3))) va_fmt(char *out, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(out, 120, fmt, ap);
  va_end(ap);
  return n;
}

static double __attribute__((noinline)) va_many(double a, double b, double c, double d, double e,
                                                double f, double g, double h, double i, double j,
                                                int k, int l, int m, int n, int o, int p, int q,
                                                long double r, float s) {
  return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h + 9 * i + 10 * j +
         (k - l + m - n + o - p + q) + (double)r * 0.5 + s;
}

int prog_varargs(void) {
  printf("sum4 %a\n", va_sum(4, 1, 2.5, 3.25L, 4LL));
  printf("sum13 %a\n", va_sum(13, 1, 2.5, 3.25L, 4LL, 5, 6.5, 7.75L, 8LL, 9, 10.5, 11.125L, 12LL, 13));
  printf("sum20 %a\n", va_sum(20, 1, 0.1, 0.2L, 3LL, 4, 0.5, 0.6L, 7LL, 8, 0.9, 1.0L, 11LL, 12, 1.3,
                              1.4L, 15LL, 16, 1.7, 1.8L, 19LL));
  printf("twice %ld %ld\n", va_twice(3, 1L, 2L, 3L), va_twice(9, 1L, -2L, 3L, -4L, 5L, -6L, 7L, -8L, 9L));
  struct va_pair p1 = {1, 1.5}, p2 = {-2, 2.25};
  struct va_big b1 = {{1, 2, 3, 4, 5}}, b2 = {{10, 20, 30, 40, 50}};
  va_structs(2, p1, b1, p2, b2);
  char buf[128];
  int n = va_fmt(buf, "%d|%5.2f|%s|%c|%Lg|%lx|%%|%p", -17, 3.14159, "str", 'Z', 1.5L, 0xdeadl, (void *)0);
  printf("vsnprintf %d: %s\n", n, buf);
  printf("many %a\n", va_many(opq(1), 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18.5L,
                              19.25f));
  return 0;
}
