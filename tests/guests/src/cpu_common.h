/* Shared helpers for the cpu_corpus programs (included once by cpu_corpus.c, a unity build). */
#include <stdint.h>
#include <stdio.h>

/* A running 64-bit checksum (FNV-1a over the value's 8 bytes). */
static inline uint64_t ck_mix(uint64_t h, uint64_t v) {
  for (int i = 0; i < 8; i++) {
    h ^= (v >> (8 * i)) & 0xff;
    h *= 0x100000001b3ull;
  }
  return h;
}
#define CK_INIT 0xcbf29ce484222325ull

/* Buffer sizes the memory/string programs walk: 0..80 all, then every 7th up to 300 (7 is coprime
 * with 16, so every length modulo 16 still meets every alignment). */
static inline int next_size(int n) { return n < 80 ? n + 1 : n + 7; }

/* Deterministic pseudo-random numbers (xorshift64*). */
static inline uint64_t rng_next(uint64_t *s) {
  uint64_t x = *s;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *s = x;
  return x * 0x2545f4914f6cdd1dull;
}

/* Hide a value from the optimiser so libm calls and arithmetic run at run time, not in gcc. */
static inline double opq(double x) {
  __asm__ volatile("" : "+m"(x));
  return x;
}
static inline float opqf(float x) {
  __asm__ volatile("" : "+m"(x));
  return x;
}
static inline long double opql(long double x) {
  __asm__ volatile("" : "+m"(x));
  return x;
}
static inline uint64_t opqu(uint64_t x) {
  __asm__ volatile("" : "+r"(x));
  return x;
}

static inline uint64_t dbits(double d) {
  union { double d; uint64_t u; } c = {d};
  return c.u;
}
static inline uint32_t fbits(float f) {
  union { float f; uint32_t u; } c = {f};
  return c.u;
}
/* The 80 significant bits of a long double (the 6 padding bytes are garbage). */
static inline uint64_t lbits_lo(long double x) {
  union { long double x; struct { uint64_t m; uint16_t e; } p; } c;
  c.x = x;
  return c.p.m;
}
static inline unsigned lbits_hi(long double x) {
  union { long double x; struct { uint64_t m; uint16_t e; } p; } c;
  c.x = x;
  return c.p.e;
}
