/* Compression-like work: RLE, an LZ77 with a hash chain, and canonical Huffman code lengths; each
 * encoder's output is decoded back and compared. */
#include <stdlib.h>
#include <string.h>

static size_t cz_rle_enc(const uint8_t *in, size_t n, uint8_t *out) {
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    size_t r = 1;
    while (i + r < n && in[i + r] == in[i] && r < 255) r++;
    out[o++] = (uint8_t)r;
    out[o++] = in[i];
    i += r;
  }
  return o;
}
static size_t cz_rle_dec(const uint8_t *in, size_t n, uint8_t *out) {
  size_t o = 0;
  for (size_t i = 0; i + 1 < n; i += 2) {
    memset(out + o, in[i + 1], in[i]);
    o += in[i];
  }
  return o;
}

/* LZ77 tokens: 0x00 len byte... (literals) or 0x01 off16 len8 (match, len >= 4). */
#define CZ_WIN 4096
static size_t cz_lz_enc(const uint8_t *in, size_t n, uint8_t *out) {
  static int head[1 << 12], prev[65536];
  for (int i = 0; i < (1 << 12); i++) head[i] = -1;
  size_t o = 0, lit_start = 0;
  size_t i = 0;
  while (i < n) {
    int best = 0, boff = 0;
    if (i + 3 < n) {
      unsigned hsh = ((unsigned)in[i] * 2654435761u ^ (unsigned)in[i + 1] * 40503u ^ in[i + 2]) & 4095;
      int cand = head[hsh];
      for (int tries = 0; cand >= 0 && tries < 16 && (int)i - cand <= CZ_WIN; tries++) {
        int l = 0;
        while (i + (size_t)l < n && l < 255 && in[cand + l] == in[i + (size_t)l]) l++;
        if (l > best) {
          best = l;
          boff = (int)i - cand;
        }
        cand = prev[cand];
      }
      prev[i] = head[hsh];
      head[hsh] = (int)i;
    }
    if (best >= 4) {
      while (lit_start < i) {
        size_t k = i - lit_start > 255 ? 255 : i - lit_start;
        out[o++] = 0;
        out[o++] = (uint8_t)k;
        memcpy(out + o, in + lit_start, k);
        o += k;
        lit_start += k;
      }
      out[o++] = 1;
      out[o++] = (uint8_t)boff;
      out[o++] = (uint8_t)(boff >> 8);
      out[o++] = (uint8_t)best;
      i += (size_t)best;
      lit_start = i;
    } else {
      i++;
    }
  }
  while (lit_start < n) {
    size_t k = n - lit_start > 255 ? 255 : n - lit_start;
    out[o++] = 0;
    out[o++] = (uint8_t)k;
    memcpy(out + o, in + lit_start, k);
    o += k;
    lit_start += k;
  }
  return o;
}
static size_t cz_lz_dec(const uint8_t *in, size_t n, uint8_t *out) {
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    if (in[i] == 0) {
      memcpy(out + o, in + i + 2, in[i + 1]);
      o += in[i + 1];
      i += 2 + in[i + 1];
    } else {
      size_t off = in[i + 1] | (size_t)in[i + 2] << 8, len = in[i + 3];
      for (size_t k = 0; k < len; k++) out[o + k] = out[o + k - off]; /* may overlap */
      o += len;
      i += 4;
    }
  }
  return o;
}

/* Huffman code lengths by repeatedly merging the two lightest nodes. */
static int cz_huff_bits(const size_t freq[256], int len[256]) {
  size_t w[512];
  int parent[512], alive[512], nodes = 256;
  for (int i = 0; i < 256; i++) {
    w[i] = freq[i];
    alive[i] = freq[i] > 0;
    parent[i] = -1;
  }
  for (;;) {
    int a = -1, b = -1;
    for (int i = 0; i < nodes; i++) {
      if (!alive[i]) continue;
      if (a < 0 || w[i] < w[a]) {
        b = a;
        a = i;
      } else if (b < 0 || w[i] < w[b]) {
        b = i;
      }
    }
    if (b < 0) break;
    w[nodes] = w[a] + w[b];
    alive[nodes] = 1;
    parent[nodes] = -1;
    alive[a] = alive[b] = 0;
    parent[a] = parent[b] = nodes;
    nodes++;
  }
  int maxl = 0;
  for (int i = 0; i < 256; i++) {
    int l = 0;
    for (int p = i; parent[p] >= 0; p = parent[p]) l++;
    len[i] = freq[i] ? l : 0;
    if (len[i] > maxl) maxl = len[i];
  }
  return maxl;
}

int prog_compress(void) {
  size_t n = 24000;
  uint8_t *in = malloc(n), *enc = malloc(2 * n + 64), *dec = malloc(n + 64);
  uint64_t s = 42;
  /* Text-like data: words from a small vocabulary, runs and noise. */
  static const char *vocab[] = {"the ", "emulator ", "records ", "every ", "syscall ", "and ",
                                "signal ", "frame ", "while ", "replaying ", "traces ", "\n"};
  size_t i = 0;
  while (i < n) {
    uint64_t r = rng_next(&s);
    if (r % 10 == 0) {
      size_t run = r % 40;
      while (run-- && i < n) in[i++] = (uint8_t)('0' + (r >> 8) % 10);
    } else {
      const char *w = vocab[(r >> 16) % 12];
      while (*w && i < n) in[i++] = (uint8_t)*w++;
    }
  }
  size_t e = cz_rle_enc(in, n, enc), d = cz_rle_dec(enc, e, dec);
  printf("rle: %zu -> %zu bytes, roundtrip %s\n", n, e, d == n && !memcmp(in, dec, n) ? "ok" : "BAD");
  e = cz_lz_enc(in, n, enc);
  d = cz_lz_dec(enc, e, dec);
  printf("lz77: %zu -> %zu bytes, roundtrip %s, crc-ish %016llx\n", n, e,
         d == n && !memcmp(in, dec, n) ? "ok" : "BAD", (unsigned long long)ck_mix(CK_INIT, e));
  size_t freq[256] = {0};
  for (size_t k = 0; k < n; k++) freq[in[k]]++;
  int len[256];
  int maxl = cz_huff_bits(freq, len);
  size_t bits = 0;
  int used = 0;
  for (int k = 0; k < 256; k++) {
    bits += freq[k] * (size_t)len[k];
    used += freq[k] > 0;
  }
  printf("huffman: %d symbols, max code %d bits, %zu bits total (%.3f bits/byte)\n", used, maxl,
         bits, (double)bits / (double)n);
  for (int k = 0; k < 256; k++)
    if (freq[k] > 1500) printf("  '%c' freq %zu len %d\n", k == '\n' ? '$' : k, freq[k], len[k]);
  free(in);
  free(enc);
  free(dec);
  return 0;
}
