/* Big-number arithmetic on 32-bit limbs: 300!, 2^1000, Fibonacci(2000), digits of pi and e by
 * spigot-style long division, and modular exponentiation with 64x64->128 products. */
#include <string.h>

#define BN_LIMBS 400
typedef struct {
  uint32_t d[BN_LIMBS];
  int n;
} bn_t;

static void bn_set(bn_t *a, uint32_t v) {
  memset(a, 0, sizeof *a);
  a->d[0] = v;
  a->n = 1;
}
static void bn_mul_small(bn_t *a, uint32_t m) {
  uint64_t carry = 0;
  for (int i = 0; i < a->n; i++) {
    uint64_t t = (uint64_t)a->d[i] * m + carry;
    a->d[i] = (uint32_t)t;
    carry = t >> 32;
  }
  if (carry) a->d[a->n++] = (uint32_t)carry;
}
static void bn_add(bn_t *r, const bn_t *a, const bn_t *b) {
  uint64_t carry = 0;
  int n = a->n > b->n ? a->n : b->n;
  for (int i = 0; i < n; i++) {
    uint64_t t = (uint64_t)(i < a->n ? a->d[i] : 0) + (i < b->n ? b->d[i] : 0) + carry;
    r->d[i] = (uint32_t)t;
    carry = t >> 32;
  }
  r->n = n;
  if (carry) r->d[r->n++] = (uint32_t)carry;
}
static uint32_t bn_div_small(bn_t *a, uint32_t m) {
  uint64_t rem = 0;
  for (int i = a->n - 1; i >= 0; i--) {
    uint64_t cur = rem << 32 | a->d[i];
    a->d[i] = (uint32_t)(cur / m);
    rem = cur % m;
  }
  while (a->n > 1 && a->d[a->n - 1] == 0) a->n--;
  return (uint32_t)rem;
}
static void bn_print(const char *label, const bn_t *a) {
  static bn_t t;
  static char digits[4000];
  t = *a;
  int nd = 0;
  do {
    uint32_t r = bn_div_small(&t, 1000000000u);
    for (int k = 0; k < 9; k++) {
      digits[nd++] = (char)('0' + r % 10);
      r /= 10;
    }
  } while (t.n > 1 || t.d[0]);
  while (nd > 1 && digits[nd - 1] == '0') nd--;
  uint64_t h = CK_INIT;
  for (int i = 0; i < nd; i++) h = ck_mix(h, (uint64_t)digits[i]);
  printf("%s: %d digits, leading ", label, nd);
  for (int i = nd - 1; i >= 0 && i >= nd - 30; i--) putchar(digits[i]);
  printf(" ... trailing ");
  for (int i = nd > 20 ? 19 : nd - 1; i >= 0; i--) putchar(digits[i]);
  printf(" (hash %016llx)\n", (unsigned long long)h);
}

static uint64_t bn_mulmod(uint64_t a, uint64_t b, uint64_t m) {
  return (uint64_t)((unsigned __int128)a * b % m);
}
static uint64_t bn_powmod(uint64_t b, uint64_t e, uint64_t m) {
  uint64_t r = 1 % m;
  b %= m;
  while (e) {
    if (e & 1) r = bn_mulmod(r, b, m);
    b = bn_mulmod(b, b, m);
    e >>= 1;
  }
  return r;
}
static int bn_miller_rabin(uint64_t n) {
  if (n < 2) return 0;
  static const uint64_t bases[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
  for (int i = 0; i < 12; i++)
    if (n % bases[i] == 0) return n == bases[i];
  uint64_t d = n - 1;
  int s = 0;
  while (!(d & 1)) {
    d >>= 1;
    s++;
  }
  for (int i = 0; i < 12; i++) {
    uint64_t x = bn_powmod(bases[i], d, n);
    if (x == 1 || x == n - 1) continue;
    int comp = 1;
    for (int r = 1; r < s && comp; r++) {
      x = bn_mulmod(x, x, n);
      if (x == n - 1) comp = 0;
    }
    if (comp) return 0;
  }
  return 1;
}

int prog_bignum(void) {
  static bn_t a, b, c;
  bn_set(&a, 1);
  for (uint32_t i = 2; i <= 300; i++) bn_mul_small(&a, i);
  bn_print("300!", &a);
  bn_set(&a, 1);
  for (int i = 0; i < 1000; i++) bn_mul_small(&a, 2);
  bn_print("2^1000", &a);
  bn_set(&a, 0);
  bn_set(&b, 1);
  for (int i = 0; i < 2000; i++) {
    bn_add(&c, &a, &b);
    a = b;
    b = c;
  }
  bn_print("fib(2000)", &a);
  /* Digits of e: e = sum 1/k!, by the mixed-radix spigot. */
  enum { ND = 400 };
  static int q[ND + 10];
  for (int i = 0; i < ND + 10; i++) q[i] = 1;
  printf("e = 2.");
  for (int d = 0; d < 120; d++) {
    int carry = 0;
    for (int i = ND + 9; i >= 1; i--) {
      int t = q[i] * 10 + carry;
      q[i] = t % (i + 1);
      carry = t / (i + 1);
    }
    putchar('0' + carry);
  }
  printf("\n");
  /* Pi by the Rabinowitz-Wagon spigot (with the 9s/10 carry fix). */
  enum { PD = 200, PL = PD * 10 / 3 + 1 };
  static int pa[PL];
  for (int i = 0; i < PL; i++) pa[i] = 2;
  int nines = 0, predigit = 0, first = 1;
  printf("pi = ");
  for (int j = 0; j < PD; j++) {
    int carry = 0;
    for (int i = PL - 1; i >= 0; i--) {
      int x = 10 * pa[i] + carry * (i + 1);
      pa[i] = x % (2 * i + 1);
      carry = x / (2 * i + 1);
    }
    pa[0] = carry % 10;
    carry /= 10;
    if (carry == 9) {
      nines++;
    } else if (carry == 10) {
      putchar('0' + predigit + 1);
      for (; nines; nines--) putchar('0');
      predigit = 0;
    } else {
      if (!first) putchar('0' + predigit);
      if (first) first = 0;
      for (; nines; nines--) putchar('9');
      predigit = carry;
    }
  }
  printf("%d\n", predigit);
  int primes = 0;
  uint64_t last = 0;
  for (uint64_t n = 0xffffffffffffff00ull; n != 0; n++)
    if (bn_miller_rabin(n)) {
      primes++;
      last = n;
    }
  printf("primes in the top 256 of 2^64: %d, largest %llu\n", primes, (unsigned long long)last);
  printf("3^(10^18) mod (2^61-1) = %llu\n",
         (unsigned long long)bn_powmod(3, 1000000000000000000ull, (1ull << 61) - 1));
  return 0;
}
