/* Synchronous faults and kill-to-self as guest signals: prints what the handler saw, then exits
 * from inside the handler. libc-free and integer-only. */
typedef unsigned long u64;

asm(".text\n.globl _start\n_start:\n xor %ebp,%ebp\n mov %rsp,%rdi\n and $-16,%rsp\n call cmain\n"
    " mov %eax,%edi\n mov $231,%eax\n syscall\n hlt\n");
asm(".text\n.globl my_restorer\nmy_restorer:\n mov $15,%eax\n syscall\n hlt\n");
asm(".text\n.globl fault_here\nfault_here:\n movb $1,0x10(%rdi)\n ret\n");
asm(".text\n.globl ud_here\nud_here:\n ud2\n ret\n");
extern char my_restorer[], fault_here[], ud_here[];
void fault_at(void *p) __asm__("fault_here");
void ud(void) __asm__("ud_here");

static long sc(long n, long a, long b, long c, long d) {
  register long r10 __asm__("r10") = d;
  long ret;
  __asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
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
  sc(1, 1, (long)buf, n, 0);
}

struct ksigaction { u64 handler, flags, restorer, mask; };
struct sinfo { int signo, err, code, pad; u64 addr; int pid, uid; };

void handler(int sig, struct sinfo *si, unsigned char *uc) {
  u64 *g = (u64 *)(uc + 40);
  put("sig", sig);
  put("code", (u64)si->code);
  put("addr", si->addr);
  put("rip_off_fault", g[16] - (u64)fault_here);
  put("rip_off_ud", g[16] - (u64)ud_here);
  put("err", g[19]);
  put("trapno", g[20]);
  put("cr2", g[22]);
  put("oldmask", g[21]);
  sc(231, 0, 0, 0, 0);
}

int cmain(u64 *sp) {
  char which = sp[0] > 1 ? ((char *)sp[2])[0] : 's';
  struct ksigaction sa = {(u64)handler, 0x04000004, (u64)my_restorer, 0};
  int sig = which == 'i' ? 4 : which == 'k' ? 10 : 11;
  sc(13, sig, (long)&sa, 0, 8);
  if (which == 's') fault_at((void *)0x1000);          /* unmapped: SEGV_MAPERR */
  if (which == 'w') fault_at((void *)(u64)fault_here);  /* read-only text: SEGV_ACCERR */
  if (which == 'i') ud();                               /* #UD: SIGILL ILL_ILLOPN */
  if (which == 'k') sc(62, sc(39, 0, 0, 0, 0), 10, 0, 0); /* kill(self, SIGUSR1) */
  if (which == 'n') { sa.handler = 0; sc(13, 11, (long)&sa, 0, 8); fault_at((void *)0x1000); }
  put("survived", 1);
  return 0;
}
