/*
 * Shared pieces of the SIMD/x87 differential harnesses: a deterministic PRNG, hex output, and a
 * runner that executes one instruction (given as raw bytes) between a prologue and an epilogue
 * copied into an executable buffer.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void) {
  /* xorshift64*: deterministic so the golden file is reproducible. */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545f4914f6cdd1dull;
}

static void put_hex(const char *key, const uint8_t *p, int n) {
  printf("\"%s\":\"", key);
  for (int i = 0; i < n; i++) printf("%02x", p[i]);
  printf("\"");
}

static uint8_t *code_buf;

/* Builds prologue + insn + epilogue + ret and calls it with rdi = state. */
static void run_code(const uint8_t *pro, size_t pro_len, const uint8_t *insn, size_t insn_len,
                     const uint8_t *epi, size_t epi_len, void *state) {
  if (!code_buf) {
    code_buf = mmap(0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code_buf == MAP_FAILED) {
      perror("mmap");
      _exit(1);
    }
  }
  size_t n = 0;
  memcpy(code_buf + n, pro, pro_len), n += pro_len;
  memcpy(code_buf + n, insn, insn_len), n += insn_len;
  memcpy(code_buf + n, epi, epi_len), n += epi_len;
  code_buf[n] = 0xc3; /* ret */
  ((void (*)(void *))code_buf)(state);
}

/* Parses "66 0f 58" style hex into bytes; returns the count. */
static int parse_hex(const char *s, uint8_t *out) {
  int n = 0;
  unsigned v;
  while (*s) {
    while (*s == ' ') s++;
    if (!*s) break;
    sscanf(s, "%2x", &v);
    out[n++] = (uint8_t)v;
    s += 2;
  }
  return n;
}
