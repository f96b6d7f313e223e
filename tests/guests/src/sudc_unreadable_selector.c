/* sudc_unreadable_selector: a selector inside the access_ok range is accepted by prctl even when
 * nothing is mapped there; the first call outside the region that reads it kills the process with
 * SIGSEGV (force_exit_sig: uncatchable even with a SIGSEGV handler, never delivered to SIGSYS).
 * Usage: sudc_unreadable_selector unmapped|prot_none|munmap */
#include "sudc_common.h"

static int handled;

static void on_sig(int s, siginfo_t *si, void *ctx) {
  (void)s, (void)si, (void)ctx;
  handled++;
}

int main(int argc, char **argv) {
  sudc_init();
  const char *how = argc > 1 ? argv[1] : "unmapped";
  sudc_handle(SIGSYS, on_sig, 0);
  sudc_handle(SIGSEGV, on_sig, 0);
  char *page = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  page[0] = SELECTOR_BLOCK;
  const char *sel = page;
  if (!strcmp(how, "unmapped")) sel = (const char *)0x10000;
  if (!strcmp(how, "prot_none")) mprotect(page, 4096, PROT_NONE);
  long rc = sud_prctl(SUD_EXCLUSIVE_ON, (unsigned long)stub_start,
                      (unsigned long)(stub_end - stub_start), sel);
  long unmapped = 0;
  if (!strcmp(how, "munmap")) unmapped = stub_call(11 /* munmap */, (long)page, 4096, 0);
  char line[128];
  int n = snprintf(line, sizeof line, "%s: prctl -> %ld, munmap -> %ld; region calls fine\n", how,
                   rc, unmapped);
  stub_call(NR_write, 1, (long)line, n);
  raw_syscall6(NR_getpid, 0, 0, 0, 0, 0, 0);
  stub_call(NR_write, 1, (long)"survived\n", 9);
  return 0;
}
