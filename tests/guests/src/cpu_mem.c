/* memcpy/memmove/memset/memcmp/memchr over sizes 0..300 at every source alignment (the destination
 * alignment varies with it), each result checksummed with guard bytes around it. */
#include <string.h>

#define MEM_BUF 352
static unsigned char mem_src[MEM_BUF + 64] __attribute__((aligned(64)));
static unsigned char mem_dst[MEM_BUF + 64] __attribute__((aligned(64)));

/* Word-wise checksum of [p, p+n) plus 8 guard bytes either side. */
static uint64_t mem_sum(uint64_t h, const unsigned char *p, size_t n) {
  const unsigned char *a = p - 8, *e = p + n + 8;
  while (a + 8 <= e) {
    uint64_t w;
    memcpy(&w, a, 8);
    h = (h ^ w) * 0x100000001b3ull;
    a += 8;
  }
  while (a < e) h = (h ^ *a++) * 0x100000001b3ull;
  return h;
}

static void mem_reset(void) {
  for (int i = 0; i < MEM_BUF + 64; i++) mem_dst[i] = (unsigned char)(0xa5 ^ i);
}

int prog_mem_copy(void) {
  for (int i = 0; i < MEM_BUF + 64; i++) mem_src[i] = (unsigned char)(i * 7 + 3);
  uint64_t h = CK_INIT;
  for (int n = 0; n <= 300; n = next_size(n)) {
    for (int sa = 0; sa < 16; sa++) {
      int da = (sa * 5 + n) & 15;
      mem_reset();
      void *r = memcpy(mem_dst + 16 + da, mem_src + 16 + sa, (size_t)n);
      if (r != mem_dst + 16 + da) h ^= 1;
      h = mem_sum(h, mem_dst + 16 + da, (size_t)n);
    }
    if (n % 10 == 0) printf("memcpy n<=%3d %016llx\n", n, (unsigned long long)h);
  }
  printf("memcpy checksum %016llx\n", (unsigned long long)h);
  return 0;
}

int prog_mem_move(void) {
  uint64_t h = CK_INIT;
  for (int n = 0; n <= 300; n = next_size(n)) {
    for (int sa = 0; sa < 16; sa++) {
      int shift = ((sa * 7 + n) % 33) - 16; /* overlapping both ways, and exact overlap */
      for (int i = 0; i < MEM_BUF + 64; i++) mem_dst[i] = (unsigned char)(i * 13 + 1);
      unsigned char *src = mem_dst + 24 + sa;
      void *r = memmove(src + shift, src, (size_t)n);
      if (r != src + shift) h ^= 1;
      h = mem_sum(h, mem_dst + 8, (size_t)(n + 48));
    }
    if (n % 10 == 0) printf("memmove n<=%3d %016llx\n", n, (unsigned long long)h);
  }
  printf("memmove checksum %016llx\n", (unsigned long long)h);
  return 0;
}

int prog_mem_set(void) {
  uint64_t h = CK_INIT;
  for (int n = 0; n <= 300; n = next_size(n)) {
    for (int a = 0; a < 16; a++) {
      mem_reset();
      int c = (n * 31 + a) & 0xff;
      void *r = memset(mem_dst + 16 + a, c, (size_t)n);
      if (r != mem_dst + 16 + a) h ^= 1;
      h = mem_sum(h, mem_dst + 16 + a, (size_t)n);
      if (n) {
        /* memchr finds a differing value placed at a known position, or nothing. */
        int pos = (n + a) % 3 == 0 ? 0 : (n + a) % 3 == 1 ? n / 2 : n - 1;
        mem_dst[16 + a + pos] = (unsigned char)(c ^ 0x5a);
        const unsigned char *f = memchr(mem_dst + 16 + a, c ^ 0x5a, (size_t)n);
        h = ck_mix(h, f ? (uint64_t)(f - (mem_dst + 16 + a)) : 999);
        f = memchr(mem_dst + 16 + a, 0x100 | (c ^ 0x33), (size_t)n); /* int -> unsigned char */
        h = ck_mix(h, f ? (uint64_t)(f - (mem_dst + 16 + a)) : 999);
      }
    }
    if (n % 10 == 0) printf("memset/memchr n<=%3d %016llx\n", n, (unsigned long long)h);
  }
  printf("memset/memchr checksum %016llx\n", (unsigned long long)h);
  return 0;
}

int prog_mem_cmp(void) {
  uint64_t h = CK_INIT;
  long cmps = 0;
  for (int n = 0; n <= 300; n = next_size(n)) {
    for (int a = 0; a < 16; a++) {
      int b = (a * 3 + 1) & 15;
      for (int i = 0; i < n; i++) mem_dst[16 + a + i] = (unsigned char)(i * 29 + n);
      memcpy(mem_src + 16 + b, mem_dst + 16 + a, (size_t)n);
      int r = memcmp(mem_dst + 16 + a, mem_src + 16 + b, (size_t)n);
      h = ck_mix(h, (uint64_t)(r > 0) - (uint64_t)(r < 0));
      if (n) {
        /* Differ at the first, middle or last byte, by a small or a large (sign-flipping) step. */
        int k = (n + a) % 3, pos = k == 0 ? 0 : k == 1 ? n / 2 : n - 1;
        unsigned char old = mem_src[16 + b + pos];
        mem_src[16 + b + pos] = (unsigned char)(old + ((n + a) & 4 ? 0x80 : 1));
        r = memcmp(mem_dst + 16 + a, mem_src + 16 + b, (size_t)n);
        h = ck_mix(h, (uint64_t)(r > 0) * 2 + (uint64_t)(r < 0));
        r = memcmp(mem_src + 16 + b, mem_dst + 16 + a, (size_t)n);
        h = ck_mix(h, (uint64_t)(r > 0) * 2 + (uint64_t)(r < 0));
        cmps += r != 0;
        mem_src[16 + b + pos] = old;
      }
    }
    if (n % 10 == 0) printf("memcmp n<=%3d %016llx\n", n, (unsigned long long)h);
  }
  printf("memcmp checksum %016llx, %ld differences\n", (unsigned long long)h, cmps);
  return 0;
}
