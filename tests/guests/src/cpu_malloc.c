/* malloc/calloc/realloc/free churn: many sizes (small, page-sized, mmap-sized), random free
 * order, content kept intact through realloc; prints only content checksums, never addresses. */
#include <stdlib.h>
#include <string.h>

int prog_malloc(void) {
  enum { SLOTS = 512 };
  static unsigned char *slot[SLOTS];
  static size_t len[SLOTS];
  uint64_t s = 1, h = CK_INIT;
  long allocs = 0, frees = 0, reallocs = 0, bad = 0;
  for (int step = 0; step < 3000; step++) {
    uint64_t r = rng_next(&s);
    int i = (int)(r % SLOTS);
    int kind = (int)(r >> 10) % 8;
    if (slot[i] == 0) {
      size_t n = (r >> 20) % 25 == 0 ? (size_t)((r >> 24) % 70000) : (size_t)((r >> 24) % 200);
      if (kind == 0) {
        slot[i] = calloc(n + 1, 1);
        for (size_t k = 0; k <= n; k++) bad += slot[i][k] != 0;
      } else {
        slot[i] = malloc(n + 1);
      }
      len[i] = n + 1;
      memset(slot[i], (int)(i & 0xff), len[i]);
      allocs++;
    } else if (kind < 3) {
      size_t n = (r >> 24) % (kind ? 300 : 20000) + 1;
      unsigned char *p = realloc(slot[i], n);
      size_t keep = n < len[i] ? n : len[i];
      for (size_t k = 0; k < keep; k += 7) bad += p[k] != (unsigned char)(i & 0xff);
      memset(p, (int)(i & 0xff), n);
      slot[i] = p;
      len[i] = n;
      reallocs++;
    } else {
      for (size_t k = 0; k < len[i]; k += 13) bad += slot[i][k] != (unsigned char)(i & 0xff);
      h = ck_mix(h, len[i]);
      free(slot[i]);
      slot[i] = 0;
      frees++;
    }
  }
  size_t total = 0;
  for (int i = 0; i < SLOTS; i++) {
    if (slot[i]) total += len[i];
    free(slot[i]);
  }
  /* Alignment guarantees (reported as booleans). */
  int aligned = 1;
  for (int i = 1; i < 200; i += 7) {
    void *p = malloc((size_t)i);
    aligned &= ((uintptr_t)p & 15) == 0;
    free(p);
  }
  void *al = aligned_alloc(256, 1000);
  void *pm = 0;
  int prc = posix_memalign(&pm, 4096, 5000);
  printf("aligned: malloc16=%d aligned_alloc256=%d posix_memalign4096=%d(rc %d)\n", aligned,
         ((uintptr_t)al & 255) == 0, ((uintptr_t)pm & 4095) == 0, prc);
  free(al);
  free(pm);
  printf("allocs %ld frees %ld reallocs %ld corrupt %ld live bytes at end %zu checksum %016llx\n",
         allocs, frees, reallocs, bad, total, (unsigned long long)h);
  return 0;
}
