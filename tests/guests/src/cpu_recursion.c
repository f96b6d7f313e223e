/* Recursion: Ackermann, naive Fibonacci, Towers of Hanoi, N-queens, mutual recursion, permutation
 * generation and a recursive-descent expression parser. */
static long rc_ack(long m, long n) {
  if (m == 0) return n + 1;
  if (n == 0) return rc_ack(m - 1, 1);
  return rc_ack(m - 1, rc_ack(m, n - 1));
}
static long rc_fib(int n) { return n < 2 ? n : rc_fib(n - 1) + rc_fib(n - 2); }
static long rc_hanoi(int n, int from, int to, int via, long *sig) {
  if (n == 0) return 0;
  long m = rc_hanoi(n - 1, from, via, to, sig);
  *sig = *sig * 31 + from * 3 + to;
  return m + 1 + rc_hanoi(n - 1, via, to, from, sig);
}
static int rc_queens(int n, int row, unsigned cols, unsigned d1, unsigned d2) {
  if (row == n) return 1;
  int count = 0;
  for (int c = 0; c < n; c++) {
    if ((cols >> c & 1) || (d1 >> (row + c) & 1) || (d2 >> (row - c + n) & 1)) continue;
    count += rc_queens(n, row + 1, cols | 1u << c, d1 | 1u << (row + c), d2 | 1u << (row - c + n));
  }
  return count;
}
static int rc_is_odd(unsigned n);
static int rc_is_even(unsigned n) { return n == 0 ? 1 : rc_is_odd(n - 1); }
static int rc_is_odd(unsigned n) { return n == 0 ? 0 : rc_is_even(n - 1); }
static void rc_perm(char *s, int k, int n, long *count, unsigned long *h) {
  if (k == n) {
    (*count)++;
    for (int i = 0; i < n; i++) *h = *h * 131 + (unsigned char)s[i];
    return;
  }
  for (int i = k; i < n; i++) {
    char t = s[k];
    s[k] = s[i];
    s[i] = t;
    rc_perm(s, k + 1, n, count, h);
    s[i] = s[k];
    s[k] = t;
  }
}
static const char *rc_p;
static double rc_expr(void);
static double rc_atom(void) {
  while (*rc_p == ' ') rc_p++;
  if (*rc_p == '(') {
    rc_p++;
    double v = rc_expr();
    rc_p++;
    return v;
  }
  if (*rc_p == '-') {
    rc_p++;
    return -rc_atom();
  }
  double v = 0;
  while (*rc_p >= '0' && *rc_p <= '9') v = v * 10 + (*rc_p++ - '0');
  return v;
}
static double rc_term(void) {
  double v = rc_atom();
  for (;;) {
    while (*rc_p == ' ') rc_p++;
    if (*rc_p == '*') rc_p++, v *= rc_atom();
    else if (*rc_p == '/') rc_p++, v /= rc_atom();
    else return v;
  }
}
static double rc_expr(void) {
  double v = rc_term();
  for (;;) {
    while (*rc_p == ' ') rc_p++;
    if (*rc_p == '+') rc_p++, v += rc_term();
    else if (*rc_p == '-') rc_p++, v -= rc_term();
    else return v;
  }
}

int prog_recursion(void) {
  printf("ack(2,3)=%ld ack(3,5)=%ld\n", rc_ack(2, 3), rc_ack((long)opqu(3), 5));
  printf("fib(24)=%ld\n", rc_fib((int)opqu(24)));
  long sig = 0;
  printf("hanoi(14) moves=%ld signature=%ld\n", rc_hanoi((int)opqu(14), 1, 3, 2, &sig), sig);
  for (int n = 4; n <= 8; n++) printf("queens(%d)=%d ", n, rc_queens(n, 0, 0, 0, 0));
  printf("\neven(5001)=%d odd(7777)=%d\n", rc_is_even((unsigned)opqu(5001)), rc_is_odd(7777));
  char s[] = "abcdefg";
  long count = 0;
  unsigned long h = 0;
  rc_perm(s, 0, 7, &count, &h);
  printf("permutations %ld hash %lx\n", count, h);
  const char *exprs[] = {"1 + 2 * 3", "(1 + 2) * 3", "100 / 7 / 2", "-(4 - 10) * (3 + -2)",
                         "((((1))))+((2*(3+(4*(5+6)))))", "22 / 7 - 3"};
  for (int i = 0; i < 6; i++) {
    rc_p = exprs[i];
    printf("%s = %.17g\n", exprs[i], rc_expr());
  }
  return 0;
}
