/* SUD dispatch -> SIGSYS -> handler -> rt_sigreturn round trip, libc-free and integer-only so it
 * runs under any CPU stage. Prints facts as key=hex lines; run natively and emulated, compare. */
typedef unsigned long u64;

asm(".text\n.globl _start\n_start:\n xor %ebp,%ebp\n and $-16,%rsp\n call cmain\n"
    " mov %eax,%edi\n mov $231,%eax\n syscall\n hlt\n");
asm(".text\n.globl raw_sc\nraw_sc:\n mov %rdi,%rax\n mov %rsi,%rdi\n mov %rdx,%rsi\n"
    ".globl raw_sc_insn\nraw_sc_insn:\n syscall\n.globl raw_sc_next\nraw_sc_next:\n ret\n");
asm(".text\n.globl my_restorer\nmy_restorer:\n mov $15,%eax\n syscall\n hlt\n");
asm(".text\n.globl h_entry\nh_entry:\n mov %rsp,entry_rsp(%rip)\n mov %rax,entry_rax(%rip)\n"
    " mov %rdi,entry_rdi(%rip)\n pushf\n pop %rax\n mov %rax,entry_flags(%rip)\n jmp c_handler\n");

long raw_sc(long nr, long a0, long a1);
extern char raw_sc_insn[], raw_sc_next[], my_restorer[], h_entry[];
u64 entry_rsp, entry_rax, entry_rdi, entry_flags;
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
struct sinfo { int signo, err, code, pad; u64 call_addr; int syscall; unsigned arch; };

static u64 seen[16];
static int calls;
static u64 new_rax = 4242;

void c_handler(int sig, struct sinfo *si, unsigned char *uc) {
  u64 *g = (u64 *)(uc + 40);
  u64 *fp = (u64 *)g[23];
  calls++;
  seen[0] = si->signo; seen[1] = si->err; seen[2] = si->code;
  seen[3] = si->call_addr - (u64)raw_sc_next; seen[4] = (unsigned)si->syscall; seen[5] = si->arch;
  seen[6] = *(u64 *)uc;                 /* uc_flags */
  seen[7] = g[13];                      /* saved rax */
  seen[8] = g[16] - (u64)raw_sc_next;   /* saved rip */
  seen[9] = g[14] - (u64)raw_sc_next;   /* saved rcx */
  seen[10] = (u64)si - entry_rsp;
  seen[11] = (u64)uc - entry_rsp;
  seen[12] = (u64)fp - entry_rsp;
  seen[13] = ((unsigned *)fp)[116];     /* sw_reserved magic1 */
  seen[14] = *(u64 *)(uc + 296);        /* uc_sigmask */
  seen[15] = *(u64 *)(entry_rsp) - (u64)my_restorer; /* pretcode */
  g[13] = new_rax;
  selector = 0;
}

static void report(const char *tag) {
  static const char *names[16] = {"signo", "errno", "code", "call_off", "si_syscall", "arch",
    "uc_flags", "uc_rax", "uc_rip_off", "uc_rcx_off", "si_minus_rsp", "uc_minus_rsp",
    "fp_minus_rsp", "magic1", "sigmask", "pretcode_off"};
  put(tag, calls);
  for (int i = 0; i < 16; i++) put(names[i], seen[i]);
  put("entry_rax", entry_rax);
  put("entry_rdi", entry_rdi);
  put("entry_rsp_align", (entry_rsp + 8) & 15);
}

int cmain(void) {
  struct ksigaction sa = {(u64)h_entry, 0x04000004, (u64)my_restorer, 0};
  put("sigaction", sc(13, 31, (long)&sa, 0, 8, 0));
  /* A few prctl validation cases (spec section 2). */
  put("prctl_off_bad", sc(157, 59, 0, 1, 0, 0));
  put("prctl_mode3", sc(157, 59, 3, 0, 0, (long)&selector));
  put("prctl_excl_wrap", sc(157, 59, 1, 1, -1, (long)&selector));
  put("prctl_excl_efault", sc(157, 59, 1, 0, 1, -1));
  put("prctl_on", sc(157, 59, 1, 0, 0, (long)&selector));
  selector = 1;
  long r = raw_sc(110, 0, 0);
  put("getppid_result", r);
  report("first");
  selector = 1;
  new_rax = 77;
  r = raw_sc(0x100000027L, 0, 0);
  put("wide_result", r);
  report("second");
  /* ALLOW: executed natively, no signal. */
  long pid = sc(39, 0, 0, 0, 0, 0);
  r = raw_sc(39, 0, 0);
  put("allowed_is_pid", r == pid);
  put("calls_after_allow", calls);
  /* Region covering the next-insn address: executed even with BLOCK. */
  put("prctl_region", sc(157, 59, 1, (long)raw_sc_next, 1, (long)&selector));
  selector = 1;
  r = raw_sc(39, 0, 0);
  selector = 0;
  put("region_is_pid", r == pid);
  put("calls_after_region", calls);
  return 0;
}
