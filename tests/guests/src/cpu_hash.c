/* Hashes over generated data: FNV-1a 32/64, CRC-32 (table and bitwise), MurmurHash3 x86_32 and
 * x64_128, Adler-32, and SipHash-2-4. */
#include <string.h>

static uint32_t hs_crc_table[256];

static void hs_crc_init(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    hs_crc_table[i] = c;
  }
}
static uint32_t hs_crc32(const uint8_t *p, size_t n) {
  uint32_t c = 0xffffffffu;
  for (size_t i = 0; i < n; i++) c = hs_crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}
static uint32_t hs_crc32_bitwise(const uint8_t *p, size_t n) {
  uint32_t c = 0xffffffffu;
  for (size_t i = 0; i < n; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xedb88320u & -(c & 1));
  }
  return ~c;
}
static uint32_t hs_fnv32(const uint8_t *p, size_t n) {
  uint32_t h = 0x811c9dc5u;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x01000193u;
  return h;
}
static uint64_t hs_fnv64(const uint8_t *p, size_t n) {
  uint64_t h = CK_INIT;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}
static uint32_t hs_rotl32(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }
static uint64_t hs_rotl64(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static uint32_t hs_murmur3_32(const uint8_t *p, size_t n, uint32_t seed) {
  uint32_t h = seed, c1 = 0xcc9e2d51u, c2 = 0x1b873593u;
  size_t nb = n / 4;
  for (size_t i = 0; i < nb; i++) {
    uint32_t k;
    memcpy(&k, p + 4 * i, 4);
    k *= c1;
    k = hs_rotl32(k, 15);
    k *= c2;
    h ^= k;
    h = hs_rotl32(h, 13);
    h = h * 5 + 0xe6546b64u;
  }
  uint32_t k = 0;
  const uint8_t *t = p + nb * 4;
  switch (n & 3) {
  case 3: k ^= (uint32_t)t[2] << 16; /* fall through */
  case 2: k ^= (uint32_t)t[1] << 8; /* fall through */
  case 1:
    k ^= t[0];
    k *= c1;
    k = hs_rotl32(k, 15);
    k *= c2;
    h ^= k;
  }
  h ^= (uint32_t)n;
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

static uint64_t hs_fmix64(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdull;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ull;
  return k ^ (k >> 33);
}

static void hs_murmur3_128(const uint8_t *p, size_t n, uint64_t seed, uint64_t out[2]) {
  uint64_t h1 = seed, h2 = seed, c1 = 0x87c37b91114253d5ull, c2 = 0x4cf5ad432745937full;
  size_t nb = n / 16;
  for (size_t i = 0; i < nb; i++) {
    uint64_t k1, k2;
    memcpy(&k1, p + 16 * i, 8);
    memcpy(&k2, p + 16 * i + 8, 8);
    k1 *= c1;
    k1 = hs_rotl64(k1, 31);
    k1 *= c2;
    h1 ^= k1;
    h1 = hs_rotl64(h1, 27);
    h1 += h2;
    h1 = h1 * 5 + 0x52dce729;
    k2 *= c2;
    k2 = hs_rotl64(k2, 33);
    k2 *= c1;
    h2 ^= k2;
    h2 = hs_rotl64(h2, 31);
    h2 += h1;
    h2 = h2 * 5 + 0x38495ab5;
  }
  uint64_t k1 = 0, k2 = 0;
  const uint8_t *t = p + nb * 16;
  for (size_t i = n & 15; i > 8; i--) k2 ^= (uint64_t)t[i - 1] << (8 * (i - 9));
  if ((n & 15) > 8) {
    k2 *= c2;
    k2 = hs_rotl64(k2, 33);
    k2 *= c1;
    h2 ^= k2;
  }
  for (size_t i = (n & 15) > 8 ? 8 : (n & 15); i > 0; i--) k1 ^= (uint64_t)t[i - 1] << (8 * (i - 1));
  if (n & 15) {
    k1 *= c1;
    k1 = hs_rotl64(k1, 31);
    k1 *= c2;
    h1 ^= k1;
  }
  h1 ^= n;
  h2 ^= n;
  h1 += h2;
  h2 += h1;
  h1 = hs_fmix64(h1);
  h2 = hs_fmix64(h2);
  h1 += h2;
  h2 += h1;
  out[0] = h1;
  out[1] = h2;
}

static uint32_t hs_adler32(const uint8_t *p, size_t n) {
  uint32_t a = 1, b = 0;
  for (size_t i = 0; i < n; i++) {
    a = (a + p[i]) % 65521;
    b = (b + a) % 65521;
  }
  return b << 16 | a;
}

#define HS_SIPROUND                                     \
  do {                                                  \
    v0 += v1;                                           \
    v1 = hs_rotl64(v1, 13);                             \
    v1 ^= v0;                                           \
    v0 = hs_rotl64(v0, 32);                             \
    v2 += v3;                                           \
    v3 = hs_rotl64(v3, 16);                             \
    v3 ^= v2;                                           \
    v0 += v3;                                           \
    v3 = hs_rotl64(v3, 21);                             \
    v3 ^= v0;                                           \
    v2 += v1;                                           \
    v1 = hs_rotl64(v1, 17);                             \
    v1 ^= v2;                                           \
    v2 = hs_rotl64(v2, 32);                             \
  } while (0)

static uint64_t hs_siphash(const uint8_t *p, size_t n, uint64_t k0, uint64_t k1) {
  uint64_t v0 = 0x736f6d6570736575ull ^ k0, v1 = 0x646f72616e646f6dull ^ k1;
  uint64_t v2 = 0x6c7967656e657261ull ^ k0, v3 = 0x7465646279746573ull ^ k1;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t m;
    memcpy(&m, p + i, 8);
    v3 ^= m;
    HS_SIPROUND;
    HS_SIPROUND;
    v0 ^= m;
  }
  uint64_t b = (uint64_t)n << 56;
  for (size_t j = 0; i + j < n; j++) b |= (uint64_t)p[i + j] << (8 * j);
  v3 ^= b;
  HS_SIPROUND;
  HS_SIPROUND;
  v0 ^= b;
  v2 ^= 0xff;
  for (int r = 0; r < 4; r++) HS_SIPROUND;
  return v0 ^ v1 ^ v2 ^ v3;
}

int prog_hash(void) {
  static uint8_t data[4096];
  uint64_t s = 2024;
  for (int i = 0; i < 4096; i++) data[i] = (uint8_t)(rng_next(&s) >> 56);
  hs_crc_init();
  const char *text = "The quick brown fox jumps over the lazy dog";
  size_t tl = strlen(text);
  uint64_t m128[2];
  hs_murmur3_128((const uint8_t *)text, tl, 0, m128);
  printf("text crc32 %08x fnv32 %08x fnv64 %016llx murmur32 %08x murmur128 %016llx%016llx "
         "adler %08x sip %016llx\n",
         hs_crc32((const uint8_t *)text, tl), hs_fnv32((const uint8_t *)text, tl),
         (unsigned long long)hs_fnv64((const uint8_t *)text, tl),
         hs_murmur3_32((const uint8_t *)text, tl, 0), (unsigned long long)m128[0],
         (unsigned long long)m128[1], hs_adler32((const uint8_t *)text, tl),
         (unsigned long long)hs_siphash((const uint8_t *)text, tl, 0x0706050403020100ull,
                                        0x0f0e0d0c0b0a0908ull));
  size_t lens[] = {0, 1, 3, 4, 7, 8, 15, 16, 17, 31, 63, 64, 100, 255, 1000, 4096};
  for (unsigned i = 0; i < sizeof lens / sizeof lens[0]; i++) {
    size_t n = lens[i];
    hs_murmur3_128(data, n, n, m128);
    printf("n=%-4zu crc %08x/%08x fnv %08x %016llx mm %08x %016llx ad %08x sip %016llx\n", n,
           hs_crc32(data, n), n <= 255 ? hs_crc32_bitwise(data, n) : 0, hs_fnv32(data, n),
           (unsigned long long)hs_fnv64(data, n), hs_murmur3_32(data, n, 0x9747b28cu),
           (unsigned long long)(m128[0] ^ m128[1]), hs_adler32(data, n),
           (unsigned long long)hs_siphash(data, n, n, ~n));
  }
  return 0;
}
