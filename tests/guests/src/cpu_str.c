/* String functions over lengths 0..300 at all 16 alignments, including strings that end right
 * before an unmapped page (libc's vector loops must not read across it). */
#include <string.h>
#include <sys/mman.h>

/* Truncating strncpy/strncat is what the test is about. */
#pragma GCC diagnostic ignored "-Wstringop-truncation"

static char str_a[400] __attribute__((aligned(64)));
static char str_b[400] __attribute__((aligned(64)));

static void str_fill(char *p, int n, int seed) {
  for (int i = 0; i < n; i++) p[i] = (char)('a' + (i * 7 + seed) % 26);
  p[n] = 0;
}

static uint64_t str_pos(const char *base, const char *p) {
  return p ? (uint64_t)(p - base) : 9999;
}

int prog_str_scan(void) {
  uint64_t h = CK_INIT;
  for (int n = 0; n <= 300; n = next_size(n)) {
    for (int a = 0; a < 16; a++) {
      char *s = str_a + 16 + a;
      str_fill(s, n, a);
      h = ck_mix(h, strlen(s));
      h = ck_mix(h, strnlen(s, (size_t)(n / 2 + a)));
      h = ck_mix(h, str_pos(s, strchr(s, 'a' + (n % 26))));
      h = ck_mix(h, str_pos(s, strrchr(s, 'a' + ((n + a) % 26))));
      h = ck_mix(h, str_pos(s, strchr(s, 0)));
      h = ck_mix(h, str_pos(s, strchr(s, '#')));
      h = ck_mix(h, strspn(s, "abcdefghij"));
      h = ck_mix(h, strcspn(s, "xyz"));
      h = ck_mix(h, str_pos(s, strpbrk(s, "qrs")));
      if (n > 8) {
        char needle[8];
        memcpy(needle, s + n - 6, 5);
        needle[5] = 0;
        h = ck_mix(h, str_pos(s, strstr(s, needle)));
        needle[2] = '#';
        h = ck_mix(h, str_pos(s, strstr(s, needle)));
      }
    }
    if (n % 10 == 0) printf("scan n<=%3d %016llx\n", n, (unsigned long long)h);
  }
  /* Strings that end at the last byte of a page followed by an unmapped page. */
  char *pg = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (pg == MAP_FAILED) return 1;
  munmap(pg + 4096, 4096);
  for (int n = 0; n < 100; n++) {
    char *s = pg + 4095 - n;
    str_fill(s, n, n);
    h = ck_mix(h, strlen(s));
    h = ck_mix(h, str_pos(s, strchr(s, 'z')));
    h = ck_mix(h, str_pos(s, strrchr(s, 'b')));
    h = ck_mix(h, (uint64_t)(strcmp(s, s) == 0));
    h = ck_mix(h, str_pos(s, memchr(s, 0, (size_t)n + 1)));
  }
  printf("string scan checksum %016llx\n", (unsigned long long)h);
  return 0;
}

int prog_str_copy_cmp(void) {
  uint64_t h = CK_INIT;
  for (int n = 0; n <= 300; n = next_size(n)) {
    for (int a = 0; a < 16; a++) {
      int b = (a * 11 + n) & 15;
      char *s = str_a + 16 + a, *d = str_b + 16 + b;
      str_fill(s, n, n + a);
      memset(str_b, 'X', sizeof str_b);
      strcpy(d, s);
      h = ck_mix(h, strlen(d) ^ (uint64_t)(unsigned char)d[n + 1] << 16);
      int r = strcmp(s, d);
      h = ck_mix(h, (uint64_t)(r > 0) * 2 + (uint64_t)(r < 0));
      if (n) {
        d[n / 3] ^= 1;
        r = strcmp(s, d);
        h = ck_mix(h, (uint64_t)(r > 0) * 2 + (uint64_t)(r < 0));
        r = strncmp(s, d, (size_t)(n / 3));
        h = ck_mix(h, (uint64_t)(r != 0));
        r = strncmp(s, d, (size_t)(n / 3 + 1));
        h = ck_mix(h, (uint64_t)(r > 0) * 2 + (uint64_t)(r < 0));
      }
      memset(str_b, 'Y', sizeof str_b);
      size_t lim = (size_t)((n * 3 + a) % 320);
      strncpy(d, s, lim); /* pads with NULs or truncates */
      uint64_t w = 0;
      for (size_t i = 0; i < lim + 2; i++) w = w * 31 + (unsigned char)d[i];
      h = ck_mix(h, w);
      if (n < 200) {
        strcpy(d, s);
        strcat(d, "tail");
        strncat(d, s, (size_t)(a + 1));
        h = ck_mix(h, strlen(d));
        char *e = stpcpy(d, s);
        h = ck_mix(h, (uint64_t)(e - d));
      }
    }
    if (n % 10 == 0) printf("copy/cmp n<=%3d %016llx\n", n, (unsigned long long)h);
  }
  printf("strcasecmp %d %d %d\n", strcasecmp("Hello", "hELLO") == 0, strncasecmp("abcD", "ABCe", 4) < 0,
         strcasecmp("a", "B") < 0);
  char tok[] = "  alpha,beta;;gamma , delta";
  int ntok = 0;
  for (char *t = strtok(tok, " ,;"); t; t = strtok(0, " ,;")) printf("tok%d=%s ", ntok++, t);
  printf("\nstring copy/compare checksum %016llx\n", (unsigned long long)h);
  return 0;
}
