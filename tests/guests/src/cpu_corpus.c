/* The CPU-fidelity corpus: one static binary holding many small programs (glibc binaries are large,
 * so the programs share one). argv[1] names the program; each prints deterministic results that
 * must match the native run byte for byte. The cpu_*.c files are compiled here as one unit. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "cpu_common.h"

#include "cpu_bignum.c"
#include "cpu_bits.c"
#include "cpu_compress.c"
#include "cpu_divedge.c"
#include "cpu_faults.c"
#include "cpu_fenv.c"
#include "cpu_fpconv.c"
#include "cpu_hash.c"
#include "cpu_int128.c"
#include "cpu_libm.c"
#include "cpu_malloc.c"
#include "cpu_matrix.c"
#include "cpu_mem.c"
#include "cpu_printf.c"
#include "cpu_recursion.c"
#include "cpu_setjmp.c"
#include "cpu_simd.c"
#include "cpu_sort.c"
#include "cpu_sortnet.c"
#include "cpu_str.c"
#include "cpu_strtod.c"
#include "cpu_switch.c"
#include "cpu_varargs.c"
#include "cpu_vm.c"

static const struct {
  const char *name;
  int (*run)(void);
} programs[] = {
    {"bignum", prog_bignum},
    {"bits", prog_bits},
    {"compress", prog_compress},
    {"divedge", prog_divedge},
    {"faults", prog_faults},
    {"fenv", prog_fenv},
    {"fpconv", prog_fpconv},
    {"hash", prog_hash},
    {"int128", prog_int128},
    {"libm_double", prog_libm_double},
    {"libm_float", prog_libm_float},
    {"libm_ldouble", prog_libm_ldouble},
    {"libm_ldouble_trig", prog_libm_ldouble_trig},
    {"malloc", prog_malloc},
    {"matrix", prog_matrix},
    {"mem_copy", prog_mem_copy},
    {"mem_move", prog_mem_move},
    {"mem_cmp", prog_mem_cmp},
    {"mem_set", prog_mem_set},
    {"printf_double", prog_printf_double},
    {"printf_ldouble", prog_printf_ldouble},
    {"recursion", prog_recursion},
    {"setjmp", prog_setjmp},
    {"simd", prog_simd},
    {"sort", prog_sort},
    {"sortnet", prog_sortnet},
    {"str_copy_cmp", prog_str_copy_cmp},
    {"str_scan", prog_str_scan},
    {"strtod", prog_strtod},
    {"switch", prog_switch},
    {"varargs", prog_varargs},
    {"vm", prog_vm},
};

int main(int argc, char **argv) {
  int n = (int)(sizeof programs / sizeof programs[0]);
  if (argc == 2) {
    for (int i = 0; i < n; i++) {
      if (strcmp(argv[1], programs[i].name) == 0) {
        int rc = programs[i].run();
        fflush(stdout);
        return rc;
      }
    }
  }
  fprintf(stderr, "usage: cpu_corpus PROGRAM   (one of:");
  for (int i = 0; i < n; i++) fprintf(stderr, " %s", programs[i].name);
  fprintf(stderr, ")\n");
  return 2;
}
