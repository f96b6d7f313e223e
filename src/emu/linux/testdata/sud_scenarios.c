/* SUD kill paths, forced-signal semantics, restart quirk and sigreturn flag masking, one scenario
 * per argv[1] letter; libc-free and integer-only. Prints key=hex lines. */
typedef unsigned long u64;

asm(".text\n.globl _start\n_start:\n xor %ebp,%ebp\n mov %rsp,%rdi\n and $-16,%rsp\n call cmain\n"
    " mov %eax,%edi\n mov $231,%eax\n syscall\n hlt\n");
asm(".text\n.globl raw_sc\nraw_sc:\n mov %rdi,%rax\n mov %rsi,%rdi\n mov %rdx,%rsi\n"
    " syscall\n.globl raw_sc_next\nraw_sc_next:\n ret\n");
asm(".text\n.globl my_restorer\nmy_restorer:\n mov $15,%eax\n syscall\n hlt\n");
asm(".text\n.globl read_flags\nread_flags:\n pushf\n pop %rax\n ret\n");

long raw_sc(long nr, long a0, long a1);
u64 read_flags(void);
extern char raw_sc_next[], my_restorer[];
volatile unsigned char selector;

static long sc(long n, long a, long b, long c, long d, long e) {
  register long r10 __asm__("r10") = d;
  register long r8 __asm__("r8") = e;
  long ret;
  __asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
                   : "rcx", "r11", "memory");
  return ret;
}

static void put(const char *key, u64 v) {
  char buf[64];
  int n = 0;
  while (*key) buf[n++] = *key++;
  buf[n++] = '=';
  char hex[16];
  int h = 0;
  do { hex[h++] = "0123456789abcdef"[v & 15]; v >>= 4; } while (v);
  while (h) buf[n++] = hex[--h];
  buf[n++] = '\n';
  sc(1, 1, (long)buf, n, 0, 0);
}

struct ksigaction { u64 handler, flags, restorer, mask; };
static u64 uc_rax, uc_rip_off, set_flags, allow_in_handler = 1;

void handler(int sig, void *si, unsigned char *uc) {
  u64 *g = (u64 *)(uc + 40);
  uc_rax = g[13];
  uc_rip_off = g[16] - (u64)raw_sc_next;
  if (set_flags) g[17] = set_flags;
  if (allow_in_handler) selector = 0;
}

static long install(u64 flags) {
  struct ksigaction sa = {(u64)handler, flags, (u64)my_restorer, 0};
  return sc(13, 31, (long)&sa, 0, 8, 0);
}

int cmain(u64 *sp) {
  char which = sp[0] > 1 ? ((char *)sp[2])[0] : 'r';
  switch (which) {
  case 'a': /* selector byte 2: uncatchable SIGSYS even with a handler */
    install(0x04000004);
    sc(157, 59, 1, 0, 0, (long)&selector);
    selector = 2;
    raw_sc(39, 0, 0);
    break;
  case 'b': /* unreadable selector: SIGSEGV */
    install(0x04000004);
    put("prctl", sc(157, 59, 1, 0, 0, 0x10000));
    raw_sc(39, 0, 0);
    break;
  case 'c': { /* SIGSYS blocked: forced to SIG_DFL, killed */
    install(0x04000004);
    u64 set = 1UL << 30;
    sc(14, 0, (long)&set, 0, 8, 0);
    sc(157, 59, 1, 0, 0, (long)&selector);
    selector = 1;
    raw_sc(39, 0, 0);
    break;
  }
  case 'd': { /* no SA_RESTORER: frame setup fails -> SIGSEGV */
    struct ksigaction sa = {(u64)handler, 4, 0, 0};
    put("sigaction", sc(13, 31, (long)&sa, 0, 8, 0));
    sc(157, 59, 1, 0, 0, (long)&selector);
    selector = 1;
    raw_sc(39, 0, 0);
    break;
  }
  case 'e': /* handler forgets ALLOW: rt_sigreturn is dispatched while SIGSYS is blocked */
    install(0x04000004);
    allow_in_handler = 0;
    sc(157, 59, 1, 0, 0, (long)&selector);
    selector = 1;
    raw_sc(39, 0, 0);
    break;
  case 'r': { /* restart quirk for ERESTART* numbers, with and without SA_RESTART */
    static const long nrs[] = {-512, -513, -514, -516, -1, -4095, 0xff00};
    for (int restart = 0; restart < 2; restart++) {
      install(0x04000004 | (restart ? 0x10000000 : 0));
      for (int i = 0; i < 7; i++) {
        sc(157, 59, 1, 0, 0, (long)&selector);
        selector = 1;
        long r = raw_sc(nrs[i], 0, 0);
        if (uc_rip_off) { selector = 0; } /* restarted: the syscall ran again (ALLOW) */
        sc(157, 59, 0, 0, 0, 0);
        put("nr", (u64)nrs[i]);
        put("uc_rax", uc_rax);
        put("uc_rip_off", uc_rip_off);
        put("ret", (u64)r);
      }
    }
    break;
  }
  case 'f': { /* rt_sigreturn keeps only FIX_EFLAGS bits from the frame */
    install(0x04000004);
    set_flags = 0xfffffffffffbfaffUL;
    sc(157, 59, 1, 0, 0, (long)&selector);
    selector = 1;
    raw_sc(39, 0, 0);
    u64 f = read_flags();
    sc(157, 59, 0, 0, 0, 0);
    put("flags_after", f & ~0x1UL);
    break;
  }
  }
  put("survived", 1);
  return 0;
}
