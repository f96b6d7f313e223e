/*
 * A freestanding long double workload (sums, products, quotients, conversions) compiled to a
 * raw code blob; x87_kernel_test.ts runs the blob in the emulator and compares with the native
 * results recorded by x87_kernel_main.c. Build: see x87_kernel_build.sh.
 */
typedef long double ld;

/* out: 8 long doubles per pair; iout: 3 integers per pair; dout: 2 doubles per pair. */
void kernel(const ld *in, ld *out, long long *iout, double *dout, long n) {
  for (long k = 0; k < n; k++) {
    ld a = in[2 * k], b = in[2 * k + 1];
    out[8 * k + 0] = a + b;
    out[8 * k + 1] = a - b;
    out[8 * k + 2] = a * b;
    out[8 * k + 3] = a / b;
    out[8 * k + 4] = (ld)(double)a;          /* round to double and back */
    out[8 * k + 5] = (ld)(float)b;           /* round to float and back */
    out[8 * k + 6] = a * 1000000000.0L - b;  /* musl printf's digit loop shape */
    out[8 * k + 7] = (ld)(long long)(a * 3) + b / 7;
    iout[3 * k + 0] = (long long)a;          /* truncating conversion */
    iout[3 * k + 1] = (long long)(b * 1e6L);
    iout[3 * k + 2] = a < b ? -1 : a == b ? 0 : a > b ? 1 : 2;
    dout[2 * k + 0] = (double)(a * b);
    dout[2 * k + 1] = (double)a + (double)b;
  }
}
