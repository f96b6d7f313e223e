/* Bit tricks: popcount/ctz/clz/clrsb/parity/ffs builtins, rotations, bswap, bit reversal. */
static inline uint32_t bits_rotl32(uint32_t x, unsigned n) {
  return (x << (n & 31)) | (x >> ((32 - n) & 31));
}
static inline uint64_t bits_rotr64(uint64_t x, unsigned n) {
  return (x >> (n & 63)) | (x << ((64 - n) & 63));
}
static inline uint16_t bits_rotl16(uint16_t x, unsigned n) {
  return (uint16_t)((x << (n & 15)) | (x >> ((16 - n) & 15)));
}
static inline uint8_t bits_rotr8(uint8_t x, unsigned n) {
  return (uint8_t)((x >> (n & 7)) | (x << ((8 - n) & 7)));
}

static uint32_t bits_reverse32(uint32_t x) {
  x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
  x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
  x = ((x >> 4) & 0x0f0f0f0fu) | ((x & 0x0f0f0f0fu) << 4);
  return __builtin_bswap32(x);
}

int prog_bits(void) {
  uint64_t s = 0x9e3779b97f4a7c15ull;
  uint64_t h = CK_INIT;
  static const uint64_t fixed[] = {0, 1, 2, 3, 0x80, 0xff, 0x8000, 0xffff, 0x80000000u,
                                   0xffffffffu, 0x100000000ull, 0x8000000000000000ull,
                                   0xffffffffffffffffull, 0x5555555555555555ull,
                                   0x0123456789abcdefull};
  for (unsigned i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
    uint64_t x = opqu(fixed[i]);
    uint32_t y = (uint32_t)x;
    printf("%016llx pc=%d/%d par=%d/%d ffs=%d/%d clrsb=%d/%d", (unsigned long long)x,
           __builtin_popcountll(x), __builtin_popcount(y), __builtin_parityll(x),
           __builtin_parity(y), __builtin_ffsll((long long)x), __builtin_ffs((int)y),
           __builtin_clrsbll((long long)x), __builtin_clrsb((int)y));
    if (x) printf(" ctz=%d clz=%d", __builtin_ctzll(x), __builtin_clzll(x));
    if (y) printf(" ctz32=%d clz32=%d", __builtin_ctz(y), __builtin_clz(y));
    printf(" bswap=%016llx rev=%08x\n", (unsigned long long)__builtin_bswap64(x),
           bits_reverse32(y));
  }
  for (int i = 0; i < 4000; i++) {
    uint64_t x = rng_next(&s);
    if (i & 1) x &= rng_next(&s); /* sparser values */
    if (i & 2) x >>= (i % 61);
    uint32_t y = (uint32_t)(x >> 7);
    unsigned n = (unsigned)(x >> 58);
    h = ck_mix(h, (uint64_t)__builtin_popcountll(x) | (uint64_t)__builtin_popcount(y) << 8 |
                      (uint64_t)__builtin_parityll(x) << 16 | (uint64_t)__builtin_ffsll((long long)x) << 24);
    if (x) h = ck_mix(h, (uint64_t)__builtin_ctzll(x) << 8 | (uint64_t)__builtin_clzll(x));
    if (y) h = ck_mix(h, (uint64_t)__builtin_ctz(y) << 8 | (uint64_t)__builtin_clz(y));
    h = ck_mix(h, bits_rotl32(y, n) ^ bits_rotr64(x, n));
    h = ck_mix(h, (uint64_t)bits_rotl16((uint16_t)x, n) << 8 | bits_rotr8((uint8_t)y, n));
    h = ck_mix(h, __builtin_bswap64(x) ^ __builtin_bswap32(y) ^ __builtin_bswap16((uint16_t)x));
    h = ck_mix(h, bits_reverse32(y));
    h = ck_mix(h, (uint64_t)(x & -x) ^ (x & (x - 1)) ^ (x | (x + 1)));
    int64_t sx = (int64_t)x;
    h = ck_mix(h, (uint64_t)(sx >> n) ^ (uint64_t)((int32_t)y >> (n & 31)));
    h = ck_mix(h, (uint64_t)__builtin_clrsbll(sx));
  }
  printf("bits checksum %016llx\n", (unsigned long long)h);
  return 0;
}
