/* SSE2/SSE3 integer and float vectors through gcc vector extensions and the intrinsics glibc and
 * musl code uses: saturating adds, packs, unpacks, shuffles, madd, sad, movemask, shifts,
 * horizontal adds, addsub, and the MXCSR-governed conversions. */
#include <emmintrin.h>
#include <pmmintrin.h>

typedef int sm_v4si __attribute__((vector_size(16)));
typedef short sm_v8hi __attribute__((vector_size(16)));
typedef unsigned char sm_v16qu __attribute__((vector_size(16)));
typedef float sm_v4sf __attribute__((vector_size(16)));
typedef double sm_v2df __attribute__((vector_size(16)));
typedef long long sm_v2di __attribute__((vector_size(16)));

static uint64_t sm_mix128(uint64_t h, __m128i v) {
  uint64_t lo = (uint64_t)_mm_cvtsi128_si64(v), hi = (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(v, v));
  return ck_mix(ck_mix(h, lo), hi);
}

static __attribute__((noinline, target("sse3"))) uint64_t sm_sse3(const float *f, const double *d, uint64_t h) {
  __m128 a = _mm_loadu_ps(f), b = _mm_loadu_ps(f + 4);
  __m128d c = _mm_loadu_pd(d), e = _mm_loadu_pd(d + 2);
  h = sm_mix128(h, _mm_castps_si128(_mm_hadd_ps(a, b)));
  h = sm_mix128(h, _mm_castps_si128(_mm_hsub_ps(a, b)));
  h = sm_mix128(h, _mm_castps_si128(_mm_addsub_ps(a, b)));
  h = sm_mix128(h, _mm_castpd_si128(_mm_hadd_pd(c, e)));
  h = sm_mix128(h, _mm_castpd_si128(_mm_hsub_pd(c, e)));
  h = sm_mix128(h, _mm_castpd_si128(_mm_addsub_pd(c, e)));
  h = sm_mix128(h, _mm_castps_si128(_mm_movehdup_ps(a)));
  h = sm_mix128(h, _mm_castps_si128(_mm_moveldup_ps(b)));
  h = sm_mix128(h, _mm_castpd_si128(_mm_movedup_pd(c)));
  h = sm_mix128(h, _mm_lddqu_si128((const __m128i *)(f + 1)));
  return h;
}

int prog_simd(void) {
  uint64_t s = 55, h = CK_INIT;
  static float fl[12];
  static double db[6];
  static short sh[16];
  static unsigned char by[32];
  int mm = 0;
  for (int round = 0; round < 400; round++) {
    for (int i = 0; i < 16; i++) sh[i] = (short)rng_next(&s);
    for (int i = 0; i < 32; i++) by[i] = (unsigned char)rng_next(&s);
    for (int i = 0; i < 12; i++) fl[i] = (float)(int32_t)rng_next(&s) / 1000.0f;
    for (int i = 0; i < 6; i++) db[i] = (double)(int64_t)rng_next(&s) / 1e9;
    if (round % 50 == 7) fl[3] = 0.0f / 0.0f, db[1] = -0.0, fl[5] = 1e38f;
    __m128i a = _mm_loadu_si128((const __m128i *)sh), b = _mm_loadu_si128((const __m128i *)(sh + 8));
    __m128i c = _mm_loadu_si128((const __m128i *)by), d = _mm_loadu_si128((const __m128i *)(by + 16));
    h = sm_mix128(h, _mm_adds_epi16(a, b));
    h = sm_mix128(h, _mm_subs_epu8(c, d));
    h = sm_mix128(h, _mm_adds_epu8(c, d));
    h = sm_mix128(h, _mm_packs_epi32(a, b));
    h = sm_mix128(h, _mm_packus_epi16(a, b));
    h = sm_mix128(h, _mm_packs_epi16(a, b));
    h = sm_mix128(h, _mm_unpacklo_epi8(c, d));
    h = sm_mix128(h, _mm_unpackhi_epi16(a, b));
    h = sm_mix128(h, _mm_unpacklo_epi32(a, b));
    h = sm_mix128(h, _mm_madd_epi16(a, b));
    h = sm_mix128(h, _mm_sad_epu8(c, d));
    h = sm_mix128(h, _mm_mulhi_epi16(a, b));
    h = sm_mix128(h, _mm_mulhi_epu16(a, b));
    h = sm_mix128(h, _mm_mullo_epi16(a, b));
    h = sm_mix128(h, _mm_mul_epu32(a, b));
    h = sm_mix128(h, _mm_avg_epu8(c, d));
    h = sm_mix128(h, _mm_avg_epu16(a, b));
    h = sm_mix128(h, _mm_min_epi16(a, b));
    h = sm_mix128(h, _mm_max_epu8(c, d));
    h = sm_mix128(h, _mm_cmpgt_epi8(c, d));
    h = sm_mix128(h, _mm_cmpeq_epi16(a, _mm_shufflelo_epi16(a, 0x1b)));
    h = sm_mix128(h, _mm_cmplt_epi32(a, b));
    h = sm_mix128(h, _mm_shuffle_epi32(a, 0x4e));
    h = sm_mix128(h, _mm_shufflehi_epi16(b, 0x93));
    h = sm_mix128(h, _mm_slli_epi16(a, round % 17));
    h = sm_mix128(h, _mm_srai_epi32(b, round % 33));
    h = sm_mix128(h, _mm_srli_epi64(a, round % 65));
    h = sm_mix128(h, _mm_sll_epi32(a, _mm_cvtsi32_si128(round % 40)));
    h = sm_mix128(h, _mm_srli_si128(a, 5));
    h = sm_mix128(h, _mm_slli_si128(b, 11));
    h = sm_mix128(h, _mm_sub_epi64(a, b));
    h = sm_mix128(h, _mm_add_epi8(c, d));
    h = sm_mix128(h, _mm_andnot_si128(a, b));
    h = ck_mix(h, (uint64_t)_mm_movemask_epi8(c));
    h = ck_mix(h, (uint64_t)_mm_extract_epi16(a, 3));
    h = sm_mix128(h, _mm_insert_epi16(a, 0x7777, 5));
    __m128 fa = _mm_loadu_ps(fl), fb = _mm_loadu_ps(fl + 4);
    __m128d da = _mm_loadu_pd(db), dbv = _mm_loadu_pd(db + 2);
    h = sm_mix128(h, _mm_castps_si128(_mm_add_ps(fa, fb)));
    h = sm_mix128(h, _mm_castps_si128(_mm_mul_ps(fa, fb)));
    h = sm_mix128(h, _mm_castps_si128(_mm_div_ps(fa, fb)));
    h = sm_mix128(h, _mm_castps_si128(_mm_sqrt_ps(_mm_andnot_ps(_mm_set1_ps(-0.0f), fa))));
    h = sm_mix128(h, _mm_castps_si128(_mm_min_ps(fa, fb)));
    h = sm_mix128(h, _mm_castps_si128(_mm_cmpunord_ps(fa, fb)));
    h = sm_mix128(h, _mm_castps_si128(_mm_cmple_ps(fa, fb)));
    h = sm_mix128(h, _mm_castps_si128(_mm_shuffle_ps(fa, fb, 0xb1)));
    h = sm_mix128(h, _mm_castps_si128(_mm_unpackhi_ps(fa, fb)));
    h = sm_mix128(h, _mm_cvtps_epi32(fa));
    h = sm_mix128(h, _mm_cvttps_epi32(fb));
    h = sm_mix128(h, _mm_castps_si128(_mm_cvtepi32_ps(a)));
    h = sm_mix128(h, _mm_castpd_si128(_mm_cvtps_pd(fa)));
    h = sm_mix128(h, _mm_castps_si128(_mm_cvtpd_ps(da)));
    h = sm_mix128(h, _mm_cvtpd_epi32(dbv));
    h = sm_mix128(h, _mm_castpd_si128(_mm_cvtepi32_pd(b)));
    h = sm_mix128(h, _mm_castpd_si128(_mm_add_pd(da, dbv)));
    h = sm_mix128(h, _mm_castpd_si128(_mm_div_pd(da, dbv)));
    h = sm_mix128(h, _mm_castpd_si128(_mm_max_pd(da, dbv)));
    h = sm_mix128(h, _mm_castpd_si128(_mm_sqrt_pd(_mm_andnot_pd(_mm_set1_pd(-0.0), da))));
    h = sm_mix128(h, _mm_castpd_si128(_mm_shuffle_pd(da, dbv, 1)));
    h = sm_mix128(h, _mm_castpd_si128(_mm_cmpneq_pd(da, dbv)));
    h = ck_mix(h, (uint64_t)_mm_movemask_ps(fa) << 8 | (uint64_t)_mm_movemask_pd(da));
    h = ck_mix(h, (uint64_t)_mm_comilt_sd(da, dbv) << 4 | (uint64_t)_mm_ucomieq_ss(fa, fb));
    h = sm_sse3(fl, db, h);
    /* Vector extensions: gcc picks the instructions. */
    sm_v4si vi = {(int)sh[0], (int)sh[1] * 7, (int)sh[2] << 3, (int)by[0]};
    sm_v4si vj = {3, -5, 7, 1 + (int)by[1]};
    sm_v4si vk = vi * vj + (vi >> 2) - (vj << 1);
    sm_v4si vq = vi / vj;
    sm_v16qu vb = (sm_v16qu)c + (sm_v16qu)d;
    sm_v2di vl = (sm_v2di)a * (sm_v2di)b;
    sm_v4sf vf = (sm_v4sf)fa * (sm_v4sf)fb - (sm_v4sf)fa;
    sm_v2df vd = (sm_v2df)da / ((sm_v2df)dbv + 1.0);
    sm_v4si shuf = __builtin_shuffle(vi, vj, (sm_v4si){7, 0, 5, 2});
    for (int i = 0; i < 4; i++) mm += (int)(vk[i] ^ vq[i] ^ shuf[i]) & 0xff;
    h = sm_mix128(h, (__m128i)vb);
    h = sm_mix128(h, (__m128i)vl);
    h = sm_mix128(h, (__m128i)vf);
    h = sm_mix128(h, (__m128i)vd);
  }
  printf("simd checksum %016llx mix %d\n", (unsigned long long)h, mm);
  return 0;
}
