/* Matrix math in float and double: products, LU decomposition with partial pivoting, a linear
 * solve, determinant, inverse check and power iteration; gcc vectorises some loops with SSE. */
#include <math.h>

#define MX_N 24

static void mx_mul_d(double *c, const double *a, const double *b, int n) {
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) {
      double s = 0;
      for (int k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j];
      c[i * n + j] = s;
    }
}
static void mx_mul_f(float *c, const float *a, const float *b, int n) {
  for (int i = 0; i < n; i++) {
    for (int j = 0; j < n; j++) c[i * n + j] = 0;
    for (int k = 0; k < n; k++) {
      float aik = a[i * n + k];
      for (int j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
    }
  }
}
/* In-place LU; returns the determinant. */
static double mx_lu(double *a, int *perm, int n) {
  double det = 1;
  for (int i = 0; i < n; i++) perm[i] = i;
  for (int k = 0; k < n; k++) {
    int p = k;
    for (int i = k + 1; i < n; i++)
      if (fabs(a[i * n + k]) > fabs(a[p * n + k])) p = i;
    if (p != k) {
      for (int j = 0; j < n; j++) {
        double t = a[k * n + j];
        a[k * n + j] = a[p * n + j];
        a[p * n + j] = t;
      }
      int t = perm[k];
      perm[k] = perm[p];
      perm[p] = t;
      det = -det;
    }
    det *= a[k * n + k];
    for (int i = k + 1; i < n; i++) {
      a[i * n + k] /= a[k * n + k];
      for (int j = k + 1; j < n; j++) a[i * n + j] -= a[i * n + k] * a[k * n + j];
    }
  }
  return det;
}
static void mx_solve(const double *lu, const int *perm, const double *b, double *x, int n) {
  for (int i = 0; i < n; i++) {
    double s = b[perm[i]];
    for (int j = 0; j < i; j++) s -= lu[i * n + j] * x[j];
    x[i] = s;
  }
  for (int i = n - 1; i >= 0; i--) {
    double s = x[i];
    for (int j = i + 1; j < n; j++) s -= lu[i * n + j] * x[j];
    x[i] = s / lu[i * n + i];
  }
}

int prog_matrix(void) {
  static double a[MX_N * MX_N], b[MX_N * MX_N], c[MX_N * MX_N], lu[MX_N * MX_N];
  static float fa[MX_N * MX_N], fb[MX_N * MX_N], fc[MX_N * MX_N];
  int perm[MX_N];
  uint64_t s = 8;
  for (int i = 0; i < MX_N * MX_N; i++) {
    a[i] = (double)(int64_t)(rng_next(&s) >> 40) / 1048576.0 - 8.0;
    b[i] = (double)((i * 37) % 101 - 50) / 64.0 + 1.0 / (i + 3); /* no libm: see cpu_libm.c */
    fa[i] = (float)a[i];
    fb[i] = (float)b[i];
  }
  for (int i = 0; i < MX_N; i++) a[i * MX_N + i] += 20.0; /* well conditioned */
  mx_mul_d(c, a, b, MX_N);
  mx_mul_f(fc, fa, fb, MX_N);
  uint64_t h = CK_INIT, hf = CK_INIT;
  for (int i = 0; i < MX_N * MX_N; i++) {
    h = ck_mix(h, dbits(c[i]));
    hf = ck_mix(hf, fbits(fc[i]));
  }
  printf("double product checksum %016llx c[0]=%a c[last]=%a\n", (unsigned long long)h, c[0],
         c[MX_N * MX_N - 1]);
  printf("float product checksum %016llx c[0]=%a\n", (unsigned long long)hf, (double)fc[0]);
  for (int i = 0; i < MX_N * MX_N; i++) lu[i] = a[i];
  double det = mx_lu(lu, perm, MX_N);
  printf("det = %.17g\n", det);
  double rhs[MX_N], x[MX_N], r[MX_N];
  for (int i = 0; i < MX_N; i++) rhs[i] = (double)i - 3.5;
  mx_solve(lu, perm, rhs, x, MX_N);
  double maxres = 0;
  for (int i = 0; i < MX_N; i++) {
    double t = -rhs[i];
    for (int j = 0; j < MX_N; j++) t += a[i * MX_N + j] * x[j];
    r[i] = t;
    if (fabs(t) > maxres) maxres = fabs(t);
  }
  printf("solve: x0=%a x5=%a residual %.3e r0=%a\n", x[0], x[5], maxres, r[0]);
  /* Power iteration for the dominant eigenvalue of a symmetric matrix. */
  double v[MX_N], w[MX_N], lam = 0;
  for (int i = 0; i < MX_N; i++) v[i] = 1.0;
  for (int it = 0; it < 100; it++) {
    double norm = 0;
    for (int i = 0; i < MX_N; i++) {
      double t = 0;
      for (int j = 0; j < MX_N; j++) t += (a[i * MX_N + j] + a[j * MX_N + i]) * v[j];
      w[i] = t;
      norm += t * t;
    }
    norm = sqrt(norm);
    lam = 0;
    for (int i = 0; i < MX_N; i++) {
      lam += v[i] * w[i];
      v[i] = w[i] / norm;
    }
  }
  printf("dominant eigenvalue %.15g (%a)\n", lam, lam);
  /* Float dot products and norms in several orders (different rounding). */
  float fs1 = 0, fs2 = 0;
  double ds = 0;
  for (int i = 0; i < MX_N * MX_N; i++) {
    fs1 += fa[i] * fb[i];
    fs2 += fa[MX_N * MX_N - 1 - i] * fb[MX_N * MX_N - 1 - i];
    ds += (double)fa[i] * fb[i];
  }
  printf("dots %a %a %a sqrtf %a\n", (double)fs1, (double)fs2, ds, (double)sqrtf(fabsf(fs1)));
  return 0;
}
