/* sud_prctl_errors: the PR_SET_SYSCALL_USER_DISPATCH validation matrix (mode/range EINVAL first, then
 * the selector EFAULT address check), one line per call with the raw kernel result.
 * Every call that succeeds uses a selector byte at ALLOW (or a region covering everything) and is
 * followed by a disarm, so the process keeps running normally. */
#include <stdio.h>

#include "sud.h"

static volatile char allow_byte = SELECTOR_ALLOW;
#define SEL ((unsigned long)&allow_byte)
#define NONE 0UL
#define ALL_BUT_TOP (~0UL) /* len -1 from offset 0: every address except the last byte */

static const char *errno_name(long ret) {
  switch (ret) {
  case 0: return "ok";
  case -14: return "EFAULT";
  case -22: return "EINVAL";
  case -1: return "EPERM";
  default: return "other";
  }
}

static const char *mode_name(unsigned long mode) {
  switch (mode) {
  case SUD_OFF: return "OFF";
  case SUD_EXCLUSIVE_ON: return "EXCL";
  case SUD_INCLUSIVE_ON: return "INCL";
  default: return "?";
  }
}

static int lines;

static void try(unsigned long mode, unsigned long off, unsigned long len, unsigned long sel,
                const char *sel_text, long expected) {
  long ret = raw_syscall6(NR_prctl, PR_SET_SYSCALL_USER_DISPATCH_, (long)mode, (long)off, (long)len,
                          (long)sel, 0);
  /* Disarm right away (a no-op when the call failed); must itself succeed. */
  long off_rc = raw_syscall6(NR_prctl, PR_SET_SYSCALL_USER_DISPATCH_, 0, 0, 0, 0, 0);
  printf("%2d mode=%s(%#lx) off=%#lx len=%#lx sel=%s -> %ld %s%s%s\n", ++lines, mode_name(mode),
         mode, off, len, sel_text, ret, errno_name(ret), ret == expected ? "" : "  UNEXPECTED",
         off_rc == 0 ? "" : "  (disarm failed)");
}

int main(void) {
  puts("prctl(PR_SET_SYSCALL_USER_DISPATCH=59, mode, offset, len, selector):");
  /* unknown modes; mode is compared as a full 64-bit value */
  try(~0UL, 0, 0, SEL, "&allow", -22);
  try(3, 0, 0, SEL, "&allow", -22);
  try((1UL << 32) | 1, 0, 0, SEL, "&allow", -22);
  /* OFF requires all other arguments to be zero */
  try(SUD_OFF, 1, 0, NONE, "NULL", -22);
  try(SUD_OFF, 0, 0xff, NONE, "NULL", -22);
  try(SUD_OFF, 0, 0, SEL, "&allow", -22);
  try(SUD_OFF, 0, 0, ~0UL, "-1", -22);
  try(SUD_OFF, 0, 0, NONE, "NULL", 0);
  /* EXCLUSIVE: offset != 0 needs a non-empty, non-wrapping range; offset 0 is never checked */
  try(SUD_EXCLUSIVE_ON, 1, 0, SEL, "&allow", -22);
  try(SUD_EXCLUSIVE_ON, ~0UL, 0, SEL, "&allow", -22);
  try(SUD_EXCLUSIVE_ON, 1, ~0UL, SEL, "&allow", -22);
  try(SUD_EXCLUSIVE_ON, ~0UL, 1, SEL, "&allow", -22);
  try(SUD_EXCLUSIVE_ON, 0, 0, SEL, "&allow", 0);
  try(SUD_EXCLUSIVE_ON, 0, ALL_BUT_TOP, SEL, "&allow", 0);
  try(SUD_EXCLUSIVE_ON, 0x1000, 0x1000, SEL, "&allow", 0);
  try(SUD_EXCLUSIVE_ON, ~0UL - 1, 1, SEL, "&allow", 0);
  /* selector: only an address-range check (access_ok), after the mode/range checks */
  try(SUD_EXCLUSIVE_ON, 0, 1, ~0UL, "-1", -14);
  try(SUD_EXCLUSIVE_ON, 1, ~0UL, ~0UL, "-1", -22);
  try(SUD_EXCLUSIVE_ON, 0, ALL_BUT_TOP, 0x1, "0x1", 0);
  try(SUD_EXCLUSIVE_ON, 0, ALL_BUT_TOP, 0x7fffffffefffUL, "0x7fffffffefff", 0);
  try(SUD_EXCLUSIVE_ON, 0, ALL_BUT_TOP, 0x7ffffffff000UL, "0x7ffffffff000", 0);
  try(SUD_EXCLUSIVE_ON, 0, ALL_BUT_TOP, 0x7fffffffffffUL, "0x7fffffffffff", -14);
  try(SUD_EXCLUSIVE_ON, 0, ALL_BUT_TOP, 0x800000000000UL, "0x800000000000", -14);
  try(SUD_EXCLUSIVE_ON, 0, ALL_BUT_TOP, 0xffff800000000000UL, "0xffff800000000000", -14);
  try(SUD_EXCLUSIVE_ON, 0, ALL_BUT_TOP, 0xffffffffff600000UL, "0xffffffffff600000", -14);
  /* INCLUSIVE (6.17+): len must be non-zero and the range must not wrap */
  try(SUD_INCLUSIVE_ON, 1, 0, NONE, "NULL", -22);
  try(SUD_INCLUSIVE_ON, 0, 0, NONE, "NULL", -22);
  try(SUD_INCLUSIVE_ON, ~0UL, 2, NONE, "NULL", -22);
  try(SUD_INCLUSIVE_ON, 2, 3, NONE, "NULL", 0);
  try(SUD_INCLUSIVE_ON, 0, 1, NONE, "NULL", 0);
  try(SUD_INCLUSIVE_ON, ~0UL - 1, 1, NONE, "NULL", 0);
  try(SUD_INCLUSIVE_ON, 2, 3, ~0UL, "-1", -14);
  puts("done");
  return 0;
}
