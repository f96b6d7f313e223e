/* Dense switches (jump tables), sparse switches (binary search trees of compares), switches on
 * chars and strings' hashes, and a state machine that tokenises text. */
static int __attribute__((noinline)) sw_dense(int x) {
  switch (x) {
  case 0: return 11;
  case 1: return 23;
  case 2: return 37;
  case 3: return 41;
  case 4: return 59;
  case 5: return 61;
  case 6: return 73;
  case 7: return 89;
  case 8: return 97;
  case 9: return 101;
  case 10: return 113;
  case 11: return 127;
  case 12: return 131;
  case 13: return 149;
  case 14: return 151;
  case 15: return 163;
  default: return -x;
  }
}
static long __attribute__((noinline)) sw_sparse(long x) {
  switch (x) {
  case -1000000: return 1;
  case -7: return 2;
  case 3: return 3;
  case 100: return 4;
  case 1024: return 5;
  case 65535: return 6;
  case 1000000: return 7;
  case 123456789: return 8;
  case 0x7fffffffL: return 9;
  case 0x100000000L: return 10;
  default: return 0;
  }
}
static int __attribute__((noinline)) sw_char(char c) {
  switch (c) {
  case 'a': case 'e': case 'i': case 'o': case 'u': return 1;
  case '0' ... '9': return 2;
  case ' ': case '\t': case '\n': return 3;
  case '+': case '-': case '*': case '/': return 4;
  case 'A' ... 'Z': return 5;
  default: return 0;
  }
}

int prog_switch(void) {
  uint64_t h = CK_INIT;
  for (int i = -5; i < 40; i++) h = ck_mix(h, (uint64_t)sw_dense((int)opqu((uint64_t)i)));
  static const long probes[] = {-1000000, -7, 3, 100, 1024, 65535, 1000000, 123456789, 0x7fffffffL,
                                0x100000000L, 0, 4, 99, 101, -8, 0x7ffffffeL, 0x100000001L};
  for (unsigned i = 0; i < sizeof probes / sizeof probes[0]; i++)
    printf("%ld", sw_sparse((long)opqu((uint64_t)probes[i])));
  printf("\n");
  int counts[6] = {0};
  const char *text = "Tokenise 12 + 345 * (x1 - y22) / 7\tand then\nsome MORE words, 0 1 2.";
  for (const char *p = text; *p; p++) counts[sw_char(*p)]++;
  printf("classes: other %d vowel %d digit %d space %d op %d upper %d\n", counts[0], counts[1],
         counts[2], counts[3], counts[4], counts[5]);
  /* State machine: identifiers, numbers, operators. */
  enum { S_START, S_IDENT, S_NUM } st = S_START;
  int idents = 0, nums = 0, ops = 0;
  long numsum = 0, cur = 0;
  for (const char *p = text;; p++) {
    char c = *p;
    int cls = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ? 1 : (c >= '0' && c <= '9') ? 2 : 0;
    switch (st) {
    case S_START:
      if (cls == 1) st = S_IDENT, idents++;
      else if (cls == 2) st = S_NUM, nums++, cur = c - '0';
      else if (sw_char(c) == 4) ops++;
      break;
    case S_IDENT:
      if (cls == 0) {
        st = S_START;
        if (sw_char(c) == 4) ops++;
      }
      break;
    case S_NUM:
      if (cls == 2) cur = cur * 10 + (c - '0');
      else {
        numsum += cur;
        st = cls == 1 ? (idents++, S_IDENT) : S_START;
        if (sw_char(c) == 4) ops++;
      }
      break;
    }
    if (!c) break;
  }
  printf("tokens: %d identifiers, %d numbers (sum %ld), %d operators\n", idents, nums, numsum, ops);
  printf("switch checksum %016llx\n", (unsigned long long)h);
  return 0;
}
