/* hunt2_region_page: region edges where the `syscall` instruction ends a page: a stub copied
 * into an executable mapping so that `0f 05` are the last two bytes of page A and the next
 * instruction starts page B. EXCLUSIVE [A, A+4096) does not cover it (dispatched), [B, B+1)
 * does (native); INCLUSIVE is the mirror image. Also off=0 len=-1 and the whole-space edges. */
#include "hunt2.h"

static volatile char sel = H2_BLOCK;
static volatile int hits;
static void on_sys(int s, siginfo_t *si, void *c) {
  (void)s;
  hits++;
  sel = H2_ALLOW; /* the libc restorer's rt_sigreturn must run natively */
  REG(c, REG_RAX) = 7000 + (long)((char *)si->si_call_addr - (char *)REG(c, REG_RIP));
}

typedef long (*stub_fn)(long nr);

int main(void) {
  hunt_init();
  handle(SIGSYS, on_sys, 0);
  unsigned char *m = mmap(0, 8192, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED) return 1;
  /* mov %rdi,%rax ; syscall | ret  -- syscall ends page A, ret starts page B */
  unsigned char code[] = {0x48, 0x89, 0xf8, 0x0f, 0x05};
  memcpy(m + 4096 - sizeof code, code, sizeof code);
  m[4096] = 0xc3;
  stub_fn f = (stub_fn)(m + 4096 - sizeof code);
  unsigned long A = (unsigned long)m, B = A + 4096;
  struct { unsigned long mode, off, len; const char *what; } t[] = {
    {H2_EXCL, A, 4096, "EXCL [A, B)"},
    {H2_EXCL, B, 1, "EXCL [B, B+1)"},
    {H2_EXCL, B - 2, 2, "EXCL [B-2, B)"},
    {H2_EXCL, B - 2, 3, "EXCL [B-2, B+1)"},
    {H2_EXCL, A, 8192, "EXCL [A, A+8192)"},
    {H2_EXCL, 0, B, "EXCL [0, B)"},
    {H2_EXCL, 0, B + 1, "EXCL [0, B+1)"},
    {H2_EXCL, 0, ~0UL, "EXCL [0, -1)"},
    {H2_EXCL, B + 1, ~0UL - B - 1, "EXCL [B+1, top)"},
    {H2_INCL, A, 4096, "INCL [A, B)"},
    {H2_INCL, B, 1, "INCL [B, B+1)"},
    {H2_INCL, B, 4096, "INCL [B, B+4096)"},
    {H2_INCL, 1, B, "INCL [1, B+1)"},
    {H2_INCL, B + 1, 1, "INCL [B+1, B+2)"},
  };
  for (unsigned i = 0; i < sizeof t / sizeof t[0]; i++) {
    /* INCLUSIVE keeps libc (outside the range) native; EXCLUSIVE needs libc's calls allowed,
     * so the selector is BLOCK only around the stub call. */
    sel = H2_ALLOW;
    const char *r = h2_sud(t[i].mode, t[i].off, t[i].len, &sel);
    int before = hits;
    sel = H2_BLOCK;
    long v = f(SYS_getppid);
    sel = H2_ALLOW;
    printf("%-18s prctl %s: %s (result %s)\n", t[i].what, r, hits > before ? "dispatched" : "native",
           v == 7000 ? "rip = call_addr" : v > 0 ? "pid" : "?");
    h2_sud(H2_OFF, 0, 0, 0);
  }
  printf("total dispatches %d\n", hits);
  return 0;
}
