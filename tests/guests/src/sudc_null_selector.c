/* sudc_null_selector: with selector NULL every non-exempt call is dispatched whatever any byte says.
 * INCLUSIVE on the stub keeps libc and the handler native; the handler emulates getpid. */
#include "sudc_common.h"

static int dispatched;
static long seen_nr[8];

static void on_sigsys(int s, siginfo_t *si, void *ctx) {
  (void)s;
  if (dispatched < 8) seen_nr[dispatched] = si->si_syscall;
  dispatched++;
  GREG(ctx, REG_RAX) = 1000 + dispatched;
}

int main(void) {
  sudc_init();
  sudc_handle(SIGSYS, on_sigsys, 0);
  long rc = sud_prctl(SUD_INCLUSIVE_ON, (unsigned long)stub_start,
                      (unsigned long)(stub_end - stub_start), 0);
  printf("arm INCL stub, NULL selector -> %ld\n", rc);
  long a = stub_call(NR_getpid, 0, 0, 0);
  long b = stub_call(NR_close, -1, 0, 0);
  long c = stub_call(NR_write, 1, (long)"never\n", 6);
  long d = raw_syscall6(NR_getpid, 0, 0, 0, 0, 0, 0);
  printf("stub results %ld %ld %ld; outside the range getpid native: %s\n", a, b, c,
         d == getpid() ? "yes" : "no");
  printf("handler saw nr %ld %ld %ld (%d dispatches)\n", seen_nr[0], seen_nr[1], seen_nr[2],
         dispatched);
  /* EXCLUSIVE, NULL selector, region = the stub: stub calls native, the rest dispatched. Only
   * our own code runs until OFF, through the stub. */
  rc = sud_prctl(SUD_EXCLUSIVE_ON, (unsigned long)stub_start,
                 (unsigned long)(stub_end - stub_start), 0);
  long pid = stub_call(NR_getpid, 0, 0, 0);
  long off = stub_call(NR_prctl, PR_SET_SYSCALL_USER_DISPATCH_, 0, 0);
  printf("EXCL stub region NULL selector -> %ld; stub getpid native: %s; OFF via stub -> %ld\n",
         rc, pid == getpid() ? "yes" : "no", off);
  return dispatched == 3 ? 0 : 1;
}
