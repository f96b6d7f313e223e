/* Runs x87_kernel.c natively on deterministic inputs and prints inputs and outputs as JSON. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef long double ld;
void kernel(const ld *in, ld *out, long long *iout, double *dout, long n);

#define N 256
static ld in[2 * N], out[8 * N];
static long long iout[3 * N];
static double dout[2 * N];

static uint64_t s = 0x243f6a8885a308d3ull;
static uint64_t rnd(void) {
  s ^= s >> 12, s ^= s << 25, s ^= s >> 27;
  return s * 0x2545f4914f6cdd1dull;
}

static void hex(const void *p, size_t n) {
  const uint8_t *b = p;
  putchar('"');
  for (size_t i = 0; i < n; i++) printf("%02x", b[i]);
  putchar('"');
}

int main(void) {
  for (int k = 0; k < 2 * N; k++) {
    uint64_t r = rnd();
    switch (r % 6) {
    case 0: in[k] = (ld)(int64_t)(rnd() >> (r % 60)) * ((r >> 8) & 1 ? -1 : 1); break;
    case 1: in[k] = (ld)(rnd() >> 11) / (ld)(rnd() >> 20 | 1); break;
    case 2: in[k] = k % 7 == 0 ? 0.0L : 1.0L / (ld)(int)(r % 1000 + 1); break;
    default: {
      /* Random significand and a moderate exponent. */
      uint64_t m = rnd() | (1ull << 63);
      uint16_t se = (uint16_t)(16383 - 40 + (int)((r >> 16) % 80)) | (uint16_t)(((r >> 30) & 1) << 15);
      memset(&in[k], 0, sizeof in[k]);
      memcpy(&in[k], &m, 8);
      memcpy((char *)&in[k] + 8, &se, 2);
    }
    }
  }
  kernel(in, out, iout, dout, N);
  printf("{\"n\":%d,\"in\":", N);
  /* Only the 10 meaningful bytes of each 16-byte long double. */
  putchar('[');
  for (int k = 0; k < 2 * N; k++) hex(&in[k], 10), putchar(k + 1 < 2 * N ? ',' : ']');
  printf(",\"out\":[");
  for (int k = 0; k < 8 * N; k++) hex(&out[k], 10), putchar(k + 1 < 8 * N ? ',' : ']');
  printf(",\"iout\":");
  hex(iout, sizeof iout);
  printf(",\"dout\":");
  hex(dout, sizeof dout);
  printf("}\n");
  return 0;
}
