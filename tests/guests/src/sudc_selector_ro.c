/* sudc_selector_ro: the selector may live on a read-only page (the kernel only reads it); its
 * value still decides each call, and mprotect/munmap changes take effect immediately. */
#include "sudc_common.h"

static int handled;

static void on_sigsys(int s, siginfo_t *si, void *ctx) {
  (void)s, (void)si;
  handled++;
  GREG(ctx, REG_RAX) = -1000 - handled;
}

int main(void) {
  sudc_init();
  sudc_handle(SIGSYS, on_sigsys, 0);
  char *page = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  page[100] = SELECTOR_BLOCK;
  mprotect(page, 4096, PROT_READ);
  long rc = sud_prctl(SUD_INCLUSIVE_ON, (unsigned long)stub_start,
                      (unsigned long)(stub_end - stub_start), page + 100);
  long r = stub_call(NR_getpid, 0, 0, 0);
  printf("read-only selector BLOCK: prctl %ld, getpid -> %ld\n", rc, r);
  mprotect(page, 4096, PROT_READ | PROT_WRITE);
  page[100] = SELECTOR_ALLOW;
  mprotect(page, 4096, PROT_READ);
  r = stub_call(NR_getpid, 0, 0, 0);
  printf("read-only selector ALLOW: getpid native %s\n", r == getpid() ? "yes" : "no");
  /* A text page works as well: point at a 0x01 byte... use a const 1 in .rodata. */
  static const char ro_block = SELECTOR_BLOCK;
  rc = sud_prctl(SUD_INCLUSIVE_ON, (unsigned long)stub_start,
                 (unsigned long)(stub_end - stub_start), &ro_block);
  r = stub_call(NR_getpid, 0, 0, 0);
  printf(".rodata selector: prctl %ld, getpid -> %ld; handled %d\n", rc, r, handled);
  /* PROT_NONE now: the next call from the range kills with SIGSEGV. */
  sud_prctl(SUD_INCLUSIVE_ON, (unsigned long)stub_start, (unsigned long)(stub_end - stub_start),
            page + 100);
  mprotect(page, 4096, PROT_NONE);
  printf("selector page now PROT_NONE; calls outside the range still fine\n");
  stub_call(NR_getpid, 0, 0, 0);
  printf("survived\n");
  return 0;
}
