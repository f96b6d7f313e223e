/* qsort and bsearch over ints, doubles (incl. -0 and infinities), strings and records. */
#include <stdlib.h>
#include <string.h>

static int sort_cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}
static int sort_cmp_dbl(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}
static int sort_cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}
struct sort_rec {
  int key;
  int idx;
  char name[12];
};
static int sort_cmp_rec(const void *a, const void *b) {
  const struct sort_rec *x = a, *y = b;
  if (x->key != y->key) return x->key < y->key ? -1 : 1;
  return x->idx - y->idx;
}

int prog_sort(void) {
  uint64_t s = 12345;
  static int iv[2000];
  static double dv[1000];
  static char words[600][10];
  static const char *wp[600];
  static struct sort_rec rv[800];
  int sizes[] = {0, 1, 2, 3, 7, 16, 100, 1000, 2000};
  uint64_t h = CK_INIT;
  for (unsigned k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
    int n = sizes[k];
    for (int i = 0; i < n; i++) iv[i] = (int)(rng_next(&s) % 2001) - 1000;
    if (k == 7) for (int i = 0; i < n; i++) iv[i] = n - i; /* reverse sorted */
    qsort(iv, (size_t)n, sizeof iv[0], sort_cmp_int);
    int ok = 1;
    for (int i = 1; i < n; i++) ok &= iv[i - 1] <= iv[i];
    int found = 0;
    for (int t = -1000; t <= 1000; t += 23) {
      int *p = bsearch(&t, iv, (size_t)n, sizeof iv[0], sort_cmp_int);
      if (p) {
        found++;
        h = ck_mix(h, (uint64_t)*p);
      }
    }
    for (int i = 0; i < n; i++) h = ck_mix(h, (uint64_t)iv[i]);
    printf("ints n=%d sorted=%d found=%d first=%d last=%d\n", n, ok, found, n ? iv[0] : 0,
           n ? iv[n - 1] : 0);
  }
  for (int i = 0; i < 1000; i++) {
    uint64_t r = rng_next(&s);
    dv[i] = (double)(int64_t)r / 1e15;
    if (i % 97 == 0) dv[i] = -0.0;
    if (i % 101 == 0) dv[i] = (i & 1) ? 1.0 / 0.0 : -1.0 / 0.0;
  }
  qsort(dv, 1000, sizeof dv[0], sort_cmp_dbl);
  printf("doubles: %g %g %g %g\n", dv[0], dv[1], dv[500], dv[999]);
  for (int i = 0; i < 1000; i++) h = ck_mix(h, dbits(dv[i]) & ~(1ull << 63) ? dbits(dv[i]) : 0);
  for (int i = 0; i < 600; i++) {
    int len = 1 + (int)(rng_next(&s) % 8);
    for (int j = 0; j < len; j++) words[i][j] = (char)('a' + rng_next(&s) % 6);
    words[i][len] = 0;
    wp[i] = words[i];
  }
  qsort(wp, 600, sizeof wp[0], sort_cmp_str);
  printf("strings: %s %s %s %s\n", wp[0], wp[1], wp[300], wp[599]);
  for (int i = 0; i < 600; i++) h = ck_mix(h, (uint64_t)wp[i][0] << 8 | (uint64_t)strlen(wp[i]));
  const char *key = wp[123];
  const char **hit = bsearch(&key, wp, 600, sizeof wp[0], sort_cmp_str);
  printf("bsearch string %s -> %s\n", key, hit ? *hit : "(none)");
  for (int i = 0; i < 800; i++) {
    rv[i].key = (int)(rng_next(&s) % 50);
    rv[i].idx = i;
    snprintf(rv[i].name, sizeof rv[i].name, "r%d", i);
  }
  qsort(rv, 800, sizeof rv[0], sort_cmp_rec);
  for (int i = 0; i < 800; i++) h = ck_mix(h, (uint64_t)rv[i].key << 16 | (uint64_t)rv[i].idx);
  printf("records: %s %s %s\n", rv[0].name, rv[400].name, rv[799].name);
  printf("sort checksum %016llx\n", (unsigned long long)h);
  return 0;
}
