/* 128-bit integer arithmetic (__multi3, __udivti3, __divti3, __umodti3, __modti3) and the
 * __builtin_*_overflow family at several widths. */
#include <limits.h>

static void i128_print_u(unsigned __int128 v) {
  char buf[48];
  int n = 0;
  do {
    buf[n++] = (char)('0' + (int)(v % 10));
    v /= 10;
  } while (v);
  while (n) putchar(buf[--n]);
}

static void i128_print_s(__int128 v) {
  if (v < 0) {
    putchar('-');
    i128_print_u(-(unsigned __int128)v);
  } else {
    i128_print_u((unsigned __int128)v);
  }
}

static void i128_print_hex(unsigned __int128 v) {
  printf("%016llx%016llx", (unsigned long long)(v >> 64), (unsigned long long)v);
}

int prog_int128(void) {
  static const unsigned long long edge[] = {0, 1, 2, 3, 7, 10, 0x7f, 0xff, 0xffff, 0x7fffffff,
                                            0x80000000ull, 0xffffffffull, 0x100000000ull,
                                            0x7fffffffffffffffull, 0x8000000000000000ull,
                                            0xfffffffffffffffeull, 0xffffffffffffffffull,
                                            1000000007ull, 0x123456789abcdefull};
  int ne = (int)(sizeof edge / sizeof edge[0]);
  unsigned __int128 vals[40];
  int nv = 0;
  for (int i = 0; i < ne; i++) vals[nv++] = edge[i];
  for (int i = 0; i < ne; i += 2) vals[nv++] = ((unsigned __int128)edge[i] << 64) | edge[ne - 1 - i];
  /* Factorial and powers in full. */
  unsigned __int128 f = 1;
  for (int i = 1; i <= 34; i++) f *= (unsigned)i;
  printf("34! = ");
  i128_print_u(f);
  printf("\n3^80 = ");
  unsigned __int128 p = 1;
  for (int i = 0; i < 80; i++) p *= 3;
  i128_print_u(p);
  printf("\n");
  __int128 m = -(__int128)(((unsigned __int128)1 << 127) - 1) - 1;
  printf("min128 = ");
  i128_print_s(m);
  printf("\n");
  uint64_t h = CK_INIT;
  for (int i = 0; i < nv; i++) {
    for (int j = 0; j < nv; j++) {
      unsigned __int128 a = vals[i], b = vals[j];
      unsigned __int128 pr = a * b;
      h = ck_mix(h, (uint64_t)pr);
      h = ck_mix(h, (uint64_t)(pr >> 64));
      if (b) {
        unsigned __int128 q = a / b, r = a % b;
        h = ck_mix(h, (uint64_t)q ^ (uint64_t)(q >> 64) * 3);
        h = ck_mix(h, (uint64_t)r ^ (uint64_t)(r >> 64) * 5);
        __int128 sa = (__int128)a, sb = (__int128)b;
        if (!(sb == -1 && sa == m)) {
          __int128 sq = sa / sb, sr = sa % sb;
          h = ck_mix(h, (uint64_t)sq ^ (uint64_t)((unsigned __int128)sq >> 64) * 7);
          h = ck_mix(h, (uint64_t)sr ^ (uint64_t)((unsigned __int128)sr >> 64) * 11);
        }
      }
      unsigned sh = (unsigned)(b % 128);
      h = ck_mix(h, (uint64_t)(a << sh) ^ (uint64_t)((a >> sh) >> 64));
      h = ck_mix(h, (uint64_t)((__int128)a >> sh));
    }
    if (i % 8 == 0) {
      printf("v%-2d ", i);
      i128_print_hex(vals[i]);
      printf(" sq=");
      i128_print_hex(vals[i] * vals[i]);
      if (vals[i] > 9) {
        printf(" /7=");
        i128_print_u(vals[i] / 7);
        printf(" %%1e9+7=");
        i128_print_u(vals[i] % 1000000007u);
      }
      printf("\n");
    }
  }
  printf("int128 checksum %016llx\n", (unsigned long long)h);

  /* Overflow builtins. */
  static const long long sv[] = {0, 1, -1, 2, -2, INT_MAX, INT_MIN, LLONG_MAX, LLONG_MIN,
                                 0x40000000, 0x100000000ll, -0x80000001ll, 3037000499ll,
                                 3037000500ll};
  int ns = (int)(sizeof sv / sizeof sv[0]);
  uint64_t ho = CK_INIT;
  int overflows = 0;
  for (int i = 0; i < ns; i++) {
    for (int j = 0; j < ns; j++) {
      long long a = (long long)opqu((uint64_t)sv[i]), b = (long long)opqu((uint64_t)sv[j]);
      long long r64;
      int r32;
      unsigned long long u64;
      unsigned u32;
      signed char r8;
      short r16;
      int o = 0;
      o |= __builtin_add_overflow(a, b, &r64) << 0;
      ho = ck_mix(ho, (uint64_t)r64);
      o |= __builtin_sub_overflow(a, b, &r64) << 1;
      ho = ck_mix(ho, (uint64_t)r64);
      o |= __builtin_mul_overflow(a, b, &r64) << 2;
      ho = ck_mix(ho, (uint64_t)r64);
      o |= __builtin_add_overflow((int)a, (int)b, &r32) << 3;
      ho = ck_mix(ho, (uint64_t)r32);
      o |= __builtin_mul_overflow((int)a, (int)b, &r32) << 4;
      ho = ck_mix(ho, (uint64_t)r32);
      o |= __builtin_mul_overflow((unsigned long long)a, (unsigned long long)b, &u64) << 5;
      ho = ck_mix(ho, u64);
      o |= __builtin_sub_overflow((unsigned)a, (unsigned)b, &u32) << 6;
      ho = ck_mix(ho, u32);
      o |= __builtin_mul_overflow(a, b, &r8) << 7;
      ho = ck_mix(ho, (uint64_t)r8);
      o |= __builtin_add_overflow(a, b, &r16) << 8;
      ho = ck_mix(ho, (uint64_t)r16);
      ho = ck_mix(ho, (uint64_t)o);
      overflows += __builtin_popcount((unsigned)o);
    }
  }
  printf("overflow flags set %d, checksum %016llx\n", overflows, (unsigned long long)ho);
  return 0;
}
