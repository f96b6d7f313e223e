/*
 * Differential harness for the SSE/SSE2/SSE3 handlers: runs each instruction natively on
 * generated inputs and prints one JSON object per case (inputs and outputs) as a JSON array.
 * Build and regenerate: see sse_golden_test.ts (`gcc -O1 -o /tmp/sse_harness sse_harness.c`).
 *
 * Encoding convention: ModRM reg = 0 (xmm0 / eax), rm = 1 (xmm1) or 0 (eax) for register forms,
 * or [rdi+32] for memory forms. Shift groups use rm = xmm1 and the /digit in the spec.
 */
#include <stdlib.h>
#include "simd_harness_common.h"

/* State block shared with the prologue/epilogue (offsets are fixed). */
struct state {
  uint8_t x0[16];    /* 0 */
  uint8_t x1[16];    /* 16 */
  uint8_t mem[16];   /* 32: memory operand */
  uint64_t rax;      /* 48 */
  uint32_t mxcsr;    /* 56 */
  uint32_t pad;      /* 60 */
  uint8_t ox0[16];   /* 64 */
  uint8_t ox1[16];   /* 80 */
  uint64_t orax;     /* 96 */
  uint32_t omxcsr;   /* 104 */
  uint32_t pad2;     /* 108 */
  uint64_t oflags;   /* 112 */
} __attribute__((aligned(16)));

extern const uint8_t sse_pro[], sse_pro_end[], sse_epi[], sse_epi_end[];
__asm__(".text\n"
        "sse_pro:\n"
        "  movdqu 0(%rdi), %xmm0\n"
        "  movdqu 16(%rdi), %xmm1\n"
        "  mov 48(%rdi), %rax\n"
        "  ldmxcsr 56(%rdi)\n"
        "  pushq $0x8d5\n"
        "  popfq\n"
        "sse_pro_end:\n"
        "sse_epi:\n"
        "  pushfq\n"
        "  pop %rcx\n"
        "  mov %rcx, 112(%rdi)\n"
        "  movdqu %xmm0, 64(%rdi)\n"
        "  movdqu %xmm1, 80(%rdi)\n"
        "  mov %rax, 96(%rdi)\n"
        "  stmxcsr 104(%rdi)\n"
        "  pushq $0x1f80\n"
        "  ldmxcsr (%rsp)\n"
        "  add $8, %rsp\n"
        "sse_epi_end:\n");

enum type { T_B, T_S, T_D, T_I };
enum kind { K_X, K_XI, K_GX, K_XG, K_GRP, K_GRPI };

struct spec {
  const char *name;
  const char *bytes; /* prefixes + opcode, without ModRM */
  enum type type;
  enum kind kind;
  int mem;   /* 1: also test the memory form */
  int digit; /* for shift groups */
};

static const struct spec specs[] = {
  /* moves */
  {"movups", "0f 10", T_B, K_X, 1}, {"movupd", "66 0f 10", T_B, K_X, 1},
  {"movss", "f3 0f 10", T_B, K_X, 1}, {"movsd", "f2 0f 10", T_B, K_X, 1},
  {"movups_st", "0f 11", T_B, K_X, 1}, {"movss_st", "f3 0f 11", T_B, K_X, 1},
  {"movsd_st", "f2 0f 11", T_B, K_X, 1},
  {"movhlps", "0f 12", T_B, K_X, 0}, {"movlps", "0f 12", T_B, K_X, 2},
  {"movlpd", "66 0f 12", T_B, K_X, 2}, {"movddup", "f2 0f 12", T_B, K_X, 1},
  {"movsldup", "f3 0f 12", T_B, K_X, 1}, {"movlps_st", "0f 13", T_B, K_X, 2},
  {"movlhps", "0f 16", T_B, K_X, 0}, {"movhps", "0f 16", T_B, K_X, 2},
  {"movhpd", "66 0f 16", T_B, K_X, 2}, {"movshdup", "f3 0f 16", T_B, K_X, 1},
  {"movhps_st", "0f 17", T_B, K_X, 2},
  {"movaps", "0f 28", T_B, K_X, 1}, {"movapd_st", "66 0f 29", T_B, K_X, 1},
  {"movntps", "0f 2b", T_B, K_X, 2},
  {"movd_in", "66 0f 6e", T_B, K_XG, 1}, {"movq_in", "66 48 0f 6e", T_B, K_XG, 1},
  {"movd_out", "66 0f 7e", T_B, K_XG, 1}, {"movq_out", "66 48 0f 7e", T_B, K_XG, 1},
  {"movdqa", "66 0f 6f", T_B, K_X, 1}, {"movdqu", "f3 0f 6f", T_B, K_X, 1},
  {"movdqa_st", "66 0f 7f", T_B, K_X, 1}, {"movq_f3", "f3 0f 7e", T_B, K_X, 1},
  {"movq_d6", "66 0f d6", T_B, K_X, 1}, {"movntdq", "66 0f e7", T_B, K_X, 2},
  {"lddqu", "f2 0f f0", T_B, K_X, 2},
  {"movnti", "0f c3", T_B, K_X, 2}, {"movnti_q", "48 0f c3", T_B, K_X, 2},
  {"movlpd_st", "66 0f 13", T_B, K_X, 2}, {"movhpd_st", "66 0f 17", T_B, K_X, 2},
  {"movapd", "66 0f 28", T_B, K_X, 1}, {"movupd_st", "66 0f 11", T_B, K_X, 1},
  {"movntpd", "66 0f 2b", T_B, K_X, 2}, {"movdqu_st", "f3 0f 7f", T_B, K_X, 1},
  {"cvtsi2sd_m", "f2 0f 2a", T_I, K_XG, 2}, {"cvtsi2ss_qm", "f3 48 0f 2a", T_I, K_XG, 2},
  {"movmskps", "0f 50", T_B, K_GX, 0}, {"movmskpd", "66 0f 50", T_B, K_GX, 0},
  {"pmovmskb", "66 0f d7", T_B, K_GX, 0},
  {"pextrw", "66 0f c5", T_B, K_GX, 0}, {"pinsrw", "66 0f c4", T_B, K_XG, 1},
  /* integer */
  {"punpcklbw", "66 0f 60", T_B, K_X, 1}, {"punpcklwd", "66 0f 61", T_B, K_X, 1},
  {"punpckldq", "66 0f 62", T_B, K_X, 1}, {"packsswb", "66 0f 63", T_B, K_X, 1},
  {"pcmpgtb", "66 0f 64", T_B, K_X, 1}, {"pcmpgtw", "66 0f 65", T_B, K_X, 1},
  {"pcmpgtd", "66 0f 66", T_B, K_X, 1}, {"packuswb", "66 0f 67", T_B, K_X, 1},
  {"punpckhbw", "66 0f 68", T_B, K_X, 1}, {"punpckhwd", "66 0f 69", T_B, K_X, 1},
  {"punpckhdq", "66 0f 6a", T_B, K_X, 1}, {"packssdw", "66 0f 6b", T_B, K_X, 1},
  {"punpcklqdq", "66 0f 6c", T_B, K_X, 1}, {"punpckhqdq", "66 0f 6d", T_B, K_X, 1},
  {"pshufd", "66 0f 70", T_B, K_XI, 1}, {"pshufhw", "f3 0f 70", T_B, K_XI, 1},
  {"pshuflw", "f2 0f 70", T_B, K_XI, 1},
  {"psrlw_i", "66 0f 71", T_B, K_GRPI, 0, 2}, {"psraw_i", "66 0f 71", T_B, K_GRPI, 0, 4},
  {"psllw_i", "66 0f 71", T_B, K_GRPI, 0, 6}, {"psrld_i", "66 0f 72", T_B, K_GRPI, 0, 2},
  {"psrad_i", "66 0f 72", T_B, K_GRPI, 0, 4}, {"pslld_i", "66 0f 72", T_B, K_GRPI, 0, 6},
  {"psrlq_i", "66 0f 73", T_B, K_GRPI, 0, 2}, {"psrldq_i", "66 0f 73", T_B, K_GRPI, 0, 3},
  {"psllq_i", "66 0f 73", T_B, K_GRPI, 0, 6}, {"pslldq_i", "66 0f 73", T_B, K_GRPI, 0, 7},
  {"pcmpeqb", "66 0f 74", T_B, K_X, 1}, {"pcmpeqw", "66 0f 75", T_B, K_X, 1},
  {"pcmpeqd", "66 0f 76", T_B, K_X, 1},
  {"psrlw", "66 0f d1", T_B, K_X, 1}, {"psrld", "66 0f d2", T_B, K_X, 1},
  {"psrlq", "66 0f d3", T_B, K_X, 1}, {"paddq", "66 0f d4", T_B, K_X, 1},
  {"pmullw", "66 0f d5", T_B, K_X, 1}, {"psubusb", "66 0f d8", T_B, K_X, 1},
  {"psubusw", "66 0f d9", T_B, K_X, 1}, {"pminub", "66 0f da", T_B, K_X, 1},
  {"pand", "66 0f db", T_B, K_X, 1}, {"paddusb", "66 0f dc", T_B, K_X, 1},
  {"paddusw", "66 0f dd", T_B, K_X, 1}, {"pmaxub", "66 0f de", T_B, K_X, 1},
  {"pandn", "66 0f df", T_B, K_X, 1}, {"pavgb", "66 0f e0", T_B, K_X, 1},
  {"psraw", "66 0f e1", T_B, K_X, 1}, {"psrad", "66 0f e2", T_B, K_X, 1},
  {"pavgw", "66 0f e3", T_B, K_X, 1}, {"pmulhuw", "66 0f e4", T_B, K_X, 1},
  {"pmulhw", "66 0f e5", T_B, K_X, 1}, {"psubsb", "66 0f e8", T_B, K_X, 1},
  {"psubsw", "66 0f e9", T_B, K_X, 1}, {"pminsw", "66 0f ea", T_B, K_X, 1},
  {"por", "66 0f eb", T_B, K_X, 1}, {"paddsb", "66 0f ec", T_B, K_X, 1},
  {"paddsw", "66 0f ed", T_B, K_X, 1}, {"pmaxsw", "66 0f ee", T_B, K_X, 1},
  {"pxor", "66 0f ef", T_B, K_X, 1}, {"psllw", "66 0f f1", T_B, K_X, 1},
  {"pslld", "66 0f f2", T_B, K_X, 1}, {"psllq", "66 0f f3", T_B, K_X, 1},
  {"pmuludq", "66 0f f4", T_B, K_X, 1}, {"pmaddwd", "66 0f f5", T_B, K_X, 1},
  {"psadbw", "66 0f f6", T_B, K_X, 1}, {"psubb", "66 0f f8", T_B, K_X, 1},
  {"psubw", "66 0f f9", T_B, K_X, 1}, {"psubd", "66 0f fa", T_B, K_X, 1},
  {"psubq", "66 0f fb", T_B, K_X, 1}, {"paddb", "66 0f fc", T_B, K_X, 1},
  {"paddw", "66 0f fd", T_B, K_X, 1}, {"paddd", "66 0f fe", T_B, K_X, 1},
  /* float logic and shuffles */
  {"andps", "0f 54", T_S, K_X, 1}, {"andnpd", "66 0f 55", T_D, K_X, 1},
  {"orps", "0f 56", T_S, K_X, 1}, {"xorpd", "66 0f 57", T_D, K_X, 1},
  {"unpcklps", "0f 14", T_S, K_X, 1}, {"unpckhps", "0f 15", T_S, K_X, 1},
  {"unpcklpd", "66 0f 14", T_D, K_X, 1}, {"unpckhpd", "66 0f 15", T_D, K_X, 1},
  {"shufps", "0f c6", T_S, K_XI, 1}, {"shufpd", "66 0f c6", T_D, K_XI, 1},
  /* float arithmetic */
  {"addps", "0f 58", T_S, K_X, 1}, {"addpd", "66 0f 58", T_D, K_X, 1},
  {"addss", "f3 0f 58", T_S, K_X, 1}, {"addsd", "f2 0f 58", T_D, K_X, 1},
  {"mulps", "0f 59", T_S, K_X, 1}, {"mulpd", "66 0f 59", T_D, K_X, 1},
  {"mulss", "f3 0f 59", T_S, K_X, 1}, {"mulsd", "f2 0f 59", T_D, K_X, 1},
  {"subps", "0f 5c", T_S, K_X, 1}, {"subpd", "66 0f 5c", T_D, K_X, 1},
  {"subss", "f3 0f 5c", T_S, K_X, 1}, {"subsd", "f2 0f 5c", T_D, K_X, 1},
  {"minps", "0f 5d", T_S, K_X, 1}, {"minpd", "66 0f 5d", T_D, K_X, 1},
  {"minss", "f3 0f 5d", T_S, K_X, 1}, {"minsd", "f2 0f 5d", T_D, K_X, 1},
  {"divps", "0f 5e", T_S, K_X, 1}, {"divpd", "66 0f 5e", T_D, K_X, 1},
  {"divss", "f3 0f 5e", T_S, K_X, 1}, {"divsd", "f2 0f 5e", T_D, K_X, 1},
  {"maxps", "0f 5f", T_S, K_X, 1}, {"maxpd", "66 0f 5f", T_D, K_X, 1},
  {"maxss", "f3 0f 5f", T_S, K_X, 1}, {"maxsd", "f2 0f 5f", T_D, K_X, 1},
  {"sqrtps", "0f 51", T_S, K_X, 1}, {"sqrtpd", "66 0f 51", T_D, K_X, 1},
  {"sqrtss", "f3 0f 51", T_S, K_X, 1}, {"sqrtsd", "f2 0f 51", T_D, K_X, 1},
  {"cmpps", "0f c2", T_S, K_XI, 1}, {"cmppd", "66 0f c2", T_D, K_XI, 1},
  {"cmpss", "f3 0f c2", T_S, K_XI, 1}, {"cmpsd", "f2 0f c2", T_D, K_XI, 1},
  {"ucomiss", "0f 2e", T_S, K_X, 1}, {"ucomisd", "66 0f 2e", T_D, K_X, 1},
  {"comiss", "0f 2f", T_S, K_X, 1}, {"comisd", "66 0f 2f", T_D, K_X, 1},
  {"haddps", "f2 0f 7c", T_S, K_X, 1}, {"haddpd", "66 0f 7c", T_D, K_X, 1},
  {"hsubps", "f2 0f 7d", T_S, K_X, 1}, {"hsubpd", "66 0f 7d", T_D, K_X, 1},
  {"addsubps", "f2 0f d0", T_S, K_X, 1}, {"addsubpd", "66 0f d0", T_D, K_X, 1},
  /* conversions */
  {"cvtsi2ss", "f3 0f 2a", T_I, K_XG, 1}, {"cvtsi2ss_q", "f3 48 0f 2a", T_I, K_XG, 1},
  {"cvtsi2sd", "f2 0f 2a", T_I, K_XG, 1}, {"cvtsi2sd_q", "f2 48 0f 2a", T_I, K_XG, 1},
  {"cvttss2si", "f3 0f 2c", T_S, K_GX, 1}, {"cvttss2si_q", "f3 48 0f 2c", T_S, K_GX, 1},
  {"cvttsd2si", "f2 0f 2c", T_D, K_GX, 1}, {"cvttsd2si_q", "f2 48 0f 2c", T_D, K_GX, 1},
  {"cvtss2si", "f3 0f 2d", T_S, K_GX, 1}, {"cvtss2si_q", "f3 48 0f 2d", T_S, K_GX, 1},
  {"cvtsd2si", "f2 0f 2d", T_D, K_GX, 1}, {"cvtsd2si_q", "f2 48 0f 2d", T_D, K_GX, 1},
  {"cvtps2pd", "0f 5a", T_S, K_X, 1}, {"cvtpd2ps", "66 0f 5a", T_D, K_X, 1},
  {"cvtss2sd", "f3 0f 5a", T_S, K_X, 1}, {"cvtsd2ss", "f2 0f 5a", T_D, K_X, 1},
  {"cvtdq2ps", "0f 5b", T_B, K_X, 1}, {"cvtps2dq", "66 0f 5b", T_S, K_X, 1},
  {"cvttps2dq", "f3 0f 5b", T_S, K_X, 1}, {"cvttpd2dq", "66 0f e6", T_D, K_X, 1},
  {"cvtdq2pd", "f3 0f e6", T_B, K_X, 1}, {"cvtpd2dq", "f2 0f e6", T_D, K_X, 1},
};

static const uint32_t f32_pool[] = {
  0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3fc00000, 0x40200000, 0xc0200000,
  0x40600000, 0x3f000000, 0x00000001, 0x007fffff, 0x80000001, 0x00800000, 0x80800000,
  0x7f7fffff, 0xff7fffff, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001,
  0x7fa00000, 0xffa00001, 0x4f000000, 0xcf000000, 0x5f000000, 0xdf000000, 0x4effffff,
  0x501502f9, 0x34000000, 0x00400000, 0x0ccccccd, 0x3eaaaaab, 0x4b000001,
};
static const uint64_t f64_pool[] = {
  0x0000000000000000ull, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff0000000000000ull,
  0x3ff8000000000000ull, 0x4004000000000000ull, 0xc004000000000000ull, 0x400c000000000000ull,
  0x3fe0000000000000ull, 0x0000000000000001ull, 0x000fffffffffffffull, 0x8000000000000001ull,
  0x0010000000000000ull, 0x8010000000000000ull, 0x7fefffffffffffffull, 0xffefffffffffffffull,
  0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull, 0xfff8000000000000ull,
  0x7ff0000000000001ull, 0x7ff4000000000000ull, 0xfff4000000000001ull, 0x41e0000000000000ull,
  0xc1e0000000000000ull, 0x43e0000000000000ull, 0xc3e0000000000000ull, 0x41dfffffffc00000ull,
  0x47efffffe0000000ull, 0x47f0000000000000ull, 0x3690000000000000ull, 0x3810000000000000ull,
  0x380fffffffffffffull, 0x3fd5555555555555ull, 0x4330000000000001ull, 0x3cb0000000000000ull,
};
static const uint64_t int_pool[] = {
  0, 1, 0xffffffffffffffffull, 0x7fffffff, 0x80000000, 0xffffffff80000000ull, 0x1000001,
  0x1000003, 0x20000000000001ull, 0x20000000000003ull, 0x7fffffffffffffffull,
  0x8000000000000000ull, 0xfffffffffefffffdull, 123456789, 0xffffffff,
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static uint32_t rand_f32(void) {
  uint64_t r = rnd();
  switch (r % 4) {
  case 0: case 1: return f32_pool[(r >> 8) % COUNT(f32_pool)];
  case 2: return (uint32_t)(r >> 16); /* any bits */
  default: return 0x3c000000u + (uint32_t)((r >> 16) % 0x08000000u) + ((r >> 60) & 1 ? 0x80000000u : 0);
  }
}
static uint64_t rand_f64(void) {
  uint64_t r = rnd();
  switch (r % 4) {
  case 0: case 1: return f64_pool[(r >> 8) % COUNT(f64_pool)];
  case 2: return rnd();
  default: return 0x3f00000000000000ull + (rnd() % 0x0200000000000000ull) + ((r >> 60) & 1 ? 0x8000000000000000ull : 0);
  }
}
static uint64_t rand_int(void) {
  uint64_t r = rnd();
  if (r % 2) return int_pool[(r >> 8) % COUNT(int_pool)];
  return rnd() >> (r >> 8) % 64;
}

static void fill(uint8_t *p, enum type t) {
  for (int i = 0; i < 16;) {
    if (t == T_S) {
      uint32_t v = rand_f32();
      memcpy(p + i, &v, 4), i += 4;
    } else if (t == T_D) {
      uint64_t v = rand_f64();
      memcpy(p + i, &v, 8), i += 8;
    } else {
      uint64_t v = rnd();
      uint8_t b = (uint8_t)v;
      if ((v >> 8) % 4 == 0) b = ((v >> 16) & 1) ? 0x80 : ((v >> 17) & 1) ? 0xff : 0;
      if ((v >> 8) % 4 == 1) b = (uint8_t)((v >> 20) % 8);
      p[i++] = b;
    }
  }
}

static const uint32_t mxcsr_pool[] = {0x1f80, 0x1f80, 0x1f80, 0x3f80, 0x5f80, 0x7f80, 0x9fc0, 0x1fc0};
static const uint8_t imm_pool[] = {0, 1, 2, 3, 4, 5, 6, 7, 0x1b, 0x4e, 0xb1, 0xe4, 0xff, 8, 15, 16, 31, 32, 63, 64};

int main(int argc, char **argv) {
  int per_spec = argc > 1 ? atoi(argv[1]) : 48;
  if (argc > 2) rng_state ^= strtoull(argv[2], 0, 0); /* other seeds for local stress runs */
  static struct state st;
  uint8_t insn[16];
  int first = 1;
  printf("[\n");
  for (size_t s = 0; s < COUNT(specs); s++) {
    const struct spec *sp = &specs[s];
    for (int c = 0; c < per_spec; c++) {
      int use_mem = sp->mem == 2 || (sp->mem == 1 && c % 4 == 3);
      memset(&st, 0, sizeof st);
      fill(st.x0, sp->type);
      fill(st.x1, sp->type);
      /* Make equal lanes likely for compares and min/max. */
      if (c % 5 == 1) memcpy(st.x1, st.x0, 8);
      memcpy(st.mem, st.x1, 16);
      st.rax = rand_int();
      st.mxcsr = mxcsr_pool[rnd() % COUNT(mxcsr_pool)];
      int n = parse_hex(sp->bytes, insn);
      int modrm;
      if (use_mem) modrm = 0x47; /* [rdi+disp8], reg 0 */
      else if (sp->kind == K_XG) modrm = 0xc0;
      else if (sp->kind == K_GRPI) modrm = 0xc1 | (sp->digit << 3);
      else modrm = 0xc1;
      insn[n++] = (uint8_t)modrm;
      if (use_mem) insn[n++] = 32;
      int imm = -1;
      if (sp->kind == K_XI || sp->kind == K_GRPI || strcmp(sp->name, "pextrw") == 0 ||
          strcmp(sp->name, "pinsrw") == 0) {
        imm = strncmp(sp->name, "cmp", 3) == 0 ? (int)(rnd() % 8) : imm_pool[rnd() % COUNT(imm_pool)];
        if (sp->kind == K_XI && strncmp(sp->name, "cmp", 3) != 0 && rnd() % 2) imm = (int)(rnd() % 256);
        insn[n++] = (uint8_t)imm;
      }
      run_code(sse_pro, sse_pro_end - sse_pro, insn, n, sse_epi, sse_epi_end - sse_epi, &st);
      if (!first) printf(",\n");
      first = 0;
      printf("{\"n\":\"%s\",", sp->name);
      put_hex("code", insn, n);
      printf(",");
      put_hex("x0", st.x0, 16), printf(",");
      put_hex("x1", st.x1, 16), printf(",");
      put_hex("rax", (uint8_t *)&st.rax, 8), printf(",\"mx\":%u,", st.mxcsr);
      put_hex("ox0", st.ox0, 16), printf(",");
      put_hex("ox1", st.ox1, 16), printf(",");
      put_hex("om", st.mem, 16), printf(",");
      put_hex("orax", (uint8_t *)&st.orax, 8);
      printf(",\"omx\":%u,\"ofl\":%llu}", st.omxcsr, (unsigned long long)(st.oflags & 0x8d5));
    }
  }
  printf("\n]\n");
  return 0;
}
