/* Branch-free sorting networks (cmov/min/max) over int, unsigned, float and double lanes, checked
 * against insertion sort. */
#define SN_SWAP(T, a, b)                 \
  do {                                   \
    T lo_ = (a) < (b) ? (a) : (b);       \
    T hi_ = (a) < (b) ? (b) : (a);       \
    (a) = lo_;                           \
    (b) = hi_;                           \
  } while (0)

#define SN_DEFINE(T, NAME)                                                                    \
  static void NAME##_net8(T *v) {                                                             \
    static const unsigned char p[19][2] = {{0, 2}, {1, 3}, {4, 6}, {5, 7}, {0, 4}, {1, 5},   \
                                           {2, 6}, {3, 7}, {0, 1}, {2, 3}, {4, 5}, {6, 7},   \
                                           {2, 4}, {3, 5}, {1, 4}, {3, 6}, {1, 2}, {3, 4},   \
                                           {5, 6}};                                           \
    for (int i = 0; i < 19; i++) SN_SWAP(T, v[p[i][0]], v[p[i][1]]);                          \
  }                                                                                           \
  static void NAME##_isort(T *v, int n) {                                                     \
    for (int i = 1; i < n; i++) {                                                             \
      T x = v[i];                                                                             \
      int j = i - 1;                                                                          \
      while (j >= 0 && v[j] > x) {                                                            \
        v[j + 1] = v[j];                                                                      \
        j--;                                                                                  \
      }                                                                                       \
      v[j + 1] = x;                                                                           \
    }                                                                                         \
  }

SN_DEFINE(int, sn_i)
SN_DEFINE(unsigned, sn_u)
SN_DEFINE(float, sn_f)
SN_DEFINE(double, sn_d)
SN_DEFINE(long long, sn_ll)

/* Bitonic sort of 64 doubles (a larger network with a regular shape). */
static void sn_bitonic(double *v, int n) {
  for (int k = 2; k <= n; k <<= 1)
    for (int j = k >> 1; j > 0; j >>= 1)
      for (int i = 0; i < n; i++) {
        int l = i ^ j;
        if (l > i) {
          int up = (i & k) == 0;
          if ((v[i] > v[l]) == up) {
            double t = v[i];
            v[i] = v[l];
            v[l] = t;
          }
        }
      }
}

int prog_sortnet(void) {
  uint64_t s = 777;
  uint64_t h = CK_INIT;
  int bad = 0;
  for (int round = 0; round < 800; round++) {
    int a[8], b[8];
    unsigned ua[8], ub[8];
    float fa[8], fb[8];
    double da[8], db[8];
    long long la[8], lb[8];
    for (int i = 0; i < 8; i++) {
      uint64_t r = rng_next(&s);
      a[i] = b[i] = (int)(r % 21) - 10;
      ua[i] = ub[i] = (unsigned)(r >> 20);
      fa[i] = fb[i] = (float)(int32_t)(r >> 32) / 65536.0f;
      da[i] = db[i] = (double)(int64_t)r * 1e-9;
      la[i] = lb[i] = (long long)r >> (r & 31);
    }
    sn_i_net8(a);
    sn_i_isort(b, 8);
    sn_u_net8(ua);
    sn_u_isort(ub, 8);
    sn_f_net8(fa);
    sn_f_isort(fb, 8);
    sn_d_net8(da);
    sn_d_isort(db, 8);
    sn_ll_net8(la);
    sn_ll_isort(lb, 8);
    for (int i = 0; i < 8; i++) {
      bad += a[i] != b[i];
      bad += ua[i] != ub[i];
      bad += fa[i] != fb[i];
      bad += da[i] != db[i];
      bad += la[i] != lb[i];
      h = ck_mix(h, (uint64_t)a[i] ^ ua[i] ^ fbits(fa[i]) ^ dbits(da[i]) ^ (uint64_t)la[i]);
    }
  }
  double big[64];
  for (int i = 0; i < 64; i++) big[i] = (double)(int64_t)rng_next(&s) / 3.0;
  sn_bitonic(big, 64);
  int ok = 1;
  for (int i = 1; i < 64; i++) ok &= big[i - 1] <= big[i];
  for (int i = 0; i < 64; i++) h = ck_mix(h, dbits(big[i]));
  printf("sorting networks: mismatches %d, bitonic sorted %d, min %.6e max %.6e\n", bad, ok, big[0],
         big[63]);
  printf("sortnet checksum %016llx\n", (unsigned long long)h);
  return 0;
}
