/* sudc_bad_selector: a selector byte other than ALLOW (0) or BLOCK (1) kills the process with an
 * uncatchable SIGSYS (force_exit_sig), even with an unblocked SIGSYS handler; calls from the
 * allowed region never read the selector, so the bad byte is harmless for them.
 * Usage: sudc_bad_selector <byte value> */
#include "sudc_common.h"

static volatile char sel = SELECTOR_ALLOW;
static int handled;

static void on_sigsys(int s, siginfo_t *si, void *ctx) {
  (void)s, (void)si, (void)ctx;
  sel = SELECTOR_ALLOW;
  handled++;
}

int main(int argc, char **argv) {
  sudc_init();
  int value = argc > 1 ? (int)strtol(argv[1], 0, 0) : 2;
  sudc_handle(SIGSYS, on_sigsys, 0);
  long rc = sud_prctl(SUD_EXCLUSIVE_ON, (unsigned long)stub_start,
                      (unsigned long)(stub_end - stub_start), &sel);
  printf("armed EXCL on the stub -> %ld; selector := 0x%02x\n", rc, value);
  sel = (char)value;
  long pid = stub_call(NR_getpid, 0, 0, 0);
  long ok = stub_call(NR_write, 1, (long)"region call with a bad selector ran natively\n", 45);
  (void)pid;
  stub_call(NR_write, 1, (long)"next: a call outside the region\n", 32);
  raw_syscall6(NR_getpid, 0, 0, 0, 0, 0, 0);
  sel = SELECTOR_ALLOW;
  printf("survived (%ld, handled %d)\n", ok, handled);
  return 0;
}
