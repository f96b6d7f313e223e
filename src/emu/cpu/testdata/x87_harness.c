/*
 * Differential harness for the x87 handlers: loads ST1/ST0 (80-bit values), sets FCW, runs one
 * instruction natively, and prints the FNSAVE image, the memory operand, rax and the flags.
 * Build: gcc -O1 -o /tmp/x87_harness testdata/x87_harness.c; run: /tmp/x87_harness 40 > x87_golden.json
 *
 * Encoding convention: memory operands are [rdi+32] (ModRM 0x47 | digit << 3, disp8 0x20).
 */
#include <stdlib.h>
#include "simd_harness_common.h"

struct state {
  uint8_t st0[16];      /* 0 */
  uint8_t st1[16];      /* 16 */
  uint8_t mem[32];      /* 32: memory operand */
  uint16_t fcw;         /* 64 */
  uint8_t pad[6];
  uint64_t oflags;      /* 72 */
  uint64_t orax;        /* 80 */
  uint8_t pad2[8];
  uint8_t save[108];    /* 96: fnsave image */
} __attribute__((aligned(16)));

extern const uint8_t x_init[], x_init_end[], x_ld1[], x_ld1_end[], x_ld0[], x_ld0_end[];
extern const uint8_t x_flags[], x_flags_end[], x_epi[], x_epi_end[];
__asm__(".text\n"
        "x_init: fninit\n fldcw 64(%rdi)\n xor %eax, %eax\n x_init_end:\n"
        "x_ld1: fldt 16(%rdi)\n x_ld1_end:\n"
        "x_ld0: fldt 0(%rdi)\n x_ld0_end:\n"
        "x_flags: pushq $0x8d5\n popfq\n x_flags_end:\n"
        "x_epi: pushfq\n pop %rcx\n mov %rcx, 72(%rdi)\n mov %rax, 80(%rdi)\n fnsave 96(%rdi)\n"
        "x_epi_end:\n");

enum mt { M_NONE, M_F32, M_F64, M_F80, M_I16, M_I32, M_I64, M_BCD };
struct spec {
  const char *name;
  const char *bytes; /* opcode and, for register forms, ModRM */
  int digit;         /* >= 0: memory form with this /digit */
  enum mt mem;
};

static const struct spec specs[] = {
  {"fadd", "d8 c1", -1}, {"fmul", "d8 c9", -1}, {"fcom", "d8 d1", -1}, {"fcomp", "d8 d9", -1},
  {"fsub", "d8 e1", -1}, {"fsubr", "d8 e9", -1}, {"fdiv", "d8 f1", -1}, {"fdivr", "d8 f9", -1},
  {"fadd_to1", "dc c1", -1}, {"fmul_to1", "dc c9", -1}, {"fsubr_to1", "dc e1", -1},
  {"fsub_to1", "dc e9", -1}, {"fdivr_to1", "dc f1", -1}, {"fdiv_to1", "dc f9", -1},
  {"faddp", "de c1", -1}, {"fmulp", "de c9", -1}, {"fsubrp", "de e1", -1}, {"fsubp", "de e9", -1},
  {"fdivrp", "de f1", -1}, {"fdivp", "de f9", -1}, {"fcompp", "de d9", -1},
  {"fadd_m32", "d8", 0, M_F32}, {"fmul_m32", "d8", 1, M_F32}, {"fcom_m32", "d8", 2, M_F32},
  {"fsub_m32", "d8", 4, M_F32}, {"fsubr_m32", "d8", 5, M_F32}, {"fdiv_m32", "d8", 6, M_F32},
  {"fdivr_m32", "d8", 7, M_F32},
  {"fadd_m64", "dc", 0, M_F64}, {"fmul_m64", "dc", 1, M_F64}, {"fcomp_m64", "dc", 3, M_F64},
  {"fsub_m64", "dc", 4, M_F64}, {"fdiv_m64", "dc", 6, M_F64}, {"fdivr_m64", "dc", 7, M_F64},
  {"fiadd_m32", "da", 0, M_I32}, {"fimul_m32", "da", 1, M_I32}, {"ficom_m32", "da", 2, M_I32},
  {"fisub_m32", "da", 4, M_I32}, {"fidiv_m32", "da", 6, M_I32},
  {"fiadd_m16", "de", 0, M_I16}, {"fisubr_m16", "de", 5, M_I16}, {"fidivr_m16", "de", 7, M_I16},
  {"fld_m32", "d9", 0, M_F32}, {"fst_m32", "d9", 2, M_F32}, {"fstp_m32", "d9", 3, M_F32},
  {"fnstenv", "d9", 6, M_F32}, {"fnstcw", "d9", 7, M_F32}, {"fldcw", "d9", 5, M_I16},
  {"fild_m32", "db", 0, M_I32}, {"fisttp_m32", "db", 1, M_I32}, {"fist_m32", "db", 2, M_I32},
  {"fistp_m32", "db", 3, M_I32}, {"fld_m80", "db", 5, M_F80}, {"fstp_m80", "db", 7, M_F80},
  {"fld_m64", "dd", 0, M_F64}, {"fisttp_m64", "dd", 1, M_I64}, {"fst_m64", "dd", 2, M_F64},
  {"fstp_m64", "dd", 3, M_F64}, {"fnstsw_m16", "dd", 7, M_I16},
  {"fild_m16", "df", 0, M_I16}, {"fisttp_m16", "df", 1, M_I16}, {"fist_m16", "df", 2, M_I16},
  {"fistp_m16", "df", 3, M_I16}, {"fild_m64", "df", 5, M_I64}, {"fistp_m64", "df", 7, M_I64},
  {"fld_st1", "d9 c1", -1}, {"fxch", "d9 c9", -1}, {"fchs", "d9 e0", -1}, {"fabs", "d9 e1", -1},
  {"ftst", "d9 e4", -1}, {"fxam", "d9 e5", -1}, {"fld1", "d9 e8", -1}, {"fldl2t", "d9 e9", -1},
  {"fldl2e", "d9 ea", -1}, {"fldpi", "d9 eb", -1}, {"fldlg2", "d9 ec", -1},
  {"fldln2", "d9 ed", -1}, {"fldz", "d9 ee", -1}, {"fxtract", "d9 f4", -1},
  {"fprem1", "d9 f5", -1}, {"fdecstp", "d9 f6", -1}, {"fincstp", "d9 f7", -1},
  {"fprem", "d9 f8", -1}, {"fsqrt", "d9 fa", -1}, {"frndint", "d9 fc", -1},
  {"fscale", "d9 fd", -1},
  {"fcmovb", "da c1", -1}, {"fcmove", "da c9", -1}, {"fcmovnbe", "db d1", -1},
  {"fcmovnu", "db d9", -1}, {"fucompp", "da e9", -1},
  {"fucomi", "db e9", -1}, {"fcomi", "db f1", -1}, {"fnclex", "db e2", -1},
  {"fninit", "db e3", -1}, {"ffree", "dd c1", -1}, {"fst_st1", "dd d1", -1},
  {"fstp_st1", "dd d9", -1}, {"fucom", "dd e1", -1}, {"fucomp", "dd e9", -1},
  {"fnstsw_ax", "df e0", -1}, {"fucomip", "df e9", -1}, {"fcomip", "df f1", -1},
  /* Transcendentals: the host FPU's last bit and C1 are not always those of the exact result. */
  {"approx_f2xm1", "d9 f0", -1}, {"approx_fyl2x", "d9 f1", -1}, {"approx_fptan", "d9 f2", -1},
  {"approx_fpatan", "d9 f3", -1}, {"approx_fyl2xp1", "d9 f9", -1},
  {"approx_fsincos", "d9 fb", -1}, {"approx_fsin", "d9 fe", -1}, {"approx_fcos", "d9 ff", -1},
  /* Appended last so the cases above keep their random draws. */
  {"fbld", "df", 4, M_BCD}, {"fbstp", "df", 6, M_BCD},
};

/* The transcendentals over a grid of edge values (`x87_harness grid`): every pair for the
 * binary ones, every value for the unary ones. */
static const struct spec grid_specs[] = {
  {"grid_fyl2x", "d9 f1", -1}, {"grid_fyl2xp1", "d9 f9", -1}, {"grid_fpatan", "d9 f3", -1},
  {"grid_f2xm1", "d9 f0", -1}, {"grid_fsin", "d9 fe", -1}, {"grid_fcos", "d9 ff", -1},
  {"grid_fsincos", "d9 fb", -1}, {"grid_fptan", "d9 f2", -1},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void put80(uint8_t *p, int sign, int exp, uint64_t mant) {
  memcpy(p, &mant, 8);
  uint16_t se = (uint16_t)((sign << 15) | exp);
  memcpy(p + 8, &se, 2);
}

/* An 80-bit value: edge cases, integers, ties, and random normals of various magnitudes. */
static void rand80(uint8_t *p) {
  uint64_t r = rnd(), m = rnd();
  int sign = (r >> 62) & 1;
  const uint64_t I = 1ull << 63;
  switch (r % 16) {
  case 0: put80(p, sign, 0, 0); break;
  case 1: put80(p, sign, 0, m >> 1); break;                       /* denormal */
  case 2: put80(p, sign, 0x7fff, I); break;                       /* infinity */
  case 3: put80(p, sign, 0x7fff, I | (1ull << 62) | (m >> 40)); break; /* QNaN */
  case 4: put80(p, sign, 0x7fff, I | ((m >> 3) | 1)); break;      /* SNaN (bit 62 clear) */
  case 5: put80(p, sign, 16383 + (int)(m % 64), I | ((m >> 32) << 40)); break; /* small ints-ish */
  case 6: put80(p, sign, 16383 + (int)(r >> 8) % 3, I | (1ull << 62) >> ((r >> 16) % 3)); break;
  case 7: put80(p, sign, 16383 + 1024 + (int)((r >> 8) % 3), I | (m >> 1)); break; /* f64 overflow */
  case 8: put80(p, sign, 16383 - 1022 - (int)((r >> 8) % 60), I | (m >> 1)); break; /* f64 tiny */
  case 9: put80(p, sign, 16383 + (int)((r >> 8) % 8), I | ((m >> 11) << 11) | (1ull << 10)); break; /* f64 ties */
  case 10: put80(p, sign, 16383 + 62 + (int)((r >> 8) % 3), I | (m >> 1)); break; /* int64 range */
  case 11: put80(p, sign, (int)((r >> 8) % 2 ? 1 : 0x7ffe), I | (m >> 1)); break; /* extremes */
  case 12: /* unsupported encodings: unnormal, pseudo-infinity/NaN, or a pseudo-denormal */
    if ((r >> 8) % 4 == 0) put80(p, sign, 0, I | (m >> 1));
    else put80(p, sign, (r >> 8) % 4 == 1 ? 0x7fff : 1 + (int)((r >> 10) % 0x7ffe), (m >> 1) & ~(1ull << 63));
    break;
  default: put80(p, sign, 16383 - 40 + (int)((r >> 8) % 80), I | (m >> 1)); break;
  }
}

static const uint32_t f32_pool[] = {0, 0x80000000, 0x3f800000, 0x40490fdb, 0x00000001, 0x7f7fffff,
                                    0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001, 0xbf000000};
static const uint64_t f64_pool[] = {0, 0x8000000000000000ull, 0x3ff0000000000000ull,
                                    0x0000000000000001ull, 0x7fefffffffffffffull,
                                    0x7ff0000000000000ull, 0x7ff8000000000000ull,
                                    0x7ff0000000000001ull, 0x400921fb54442d18ull,
                                    0xc1e0000000000000ull, 0x3fe0000000000000ull};
static const uint64_t int_pool[] = {0, 1, 0xffffffffffffffffull, 0x7fff, 0x8000, 0x7fffffff,
                                    0x80000000, 0x7fffffffffffffffull, 0x8000000000000000ull, 3,
                                    0xfffffffffffffffdull, 1000000007};

static void fill_mem(uint8_t *p, enum mt t) {
  uint64_t r = rnd();
  switch (t) {
  case M_F32: {
    uint32_t v = r % 2 ? f32_pool[(r >> 8) % COUNT(f32_pool)] : (uint32_t)(rnd() >> 32);
    memcpy(p, &v, 4);
    break;
  }
  case M_F64: {
    uint64_t v = r % 2 ? f64_pool[(r >> 8) % COUNT(f64_pool)] : rnd();
    memcpy(p, &v, 8);
    break;
  }
  case M_F80: rand80(p); break;
  case M_BCD: {
    /* Packed BCD: 18 digits and a sign byte; sometimes a non-decimal nibble or odd sign bits. */
    for (int i = 0; i < 9; i++) {
      uint64_t d = rnd();
      p[i] = (uint8_t)((d % 10) | ((d >> 8) % 10) << 4);
      if (r % 8 == 1 && i == (int)((r >> 8) % 9)) p[i] |= 0xa0;
      if (r % 8 == 2 && i > 2) p[i] = 0;
    }
    p[9] = (uint8_t)(r % 8 == 3 ? (r >> 16) : (r >> 16) & 0x80);
    break;
  }
  default: {
    uint64_t v = r % 2 ? int_pool[(r >> 8) % COUNT(int_pool)] : rnd() >> ((r >> 8) % 64);
    memcpy(p, &v, 8);
  }
  }
}

static const uint16_t fcw_pool[] = {0x37f, 0x37f, 0x37f, 0x27f, 0x07f, 0x77f, 0xb7f, 0xf7f, 0x67f, 0xa7f};

/* Edge values for the grid: zeros, denormals, values around the documented domains, +-1,
 * huge and tiny normals, infinities. */
static const struct { int sign, exp; uint64_t mant; } grid_values[] = {
  {0, 0, 0}, {1, 0, 0}, {0, 0, 0x123456789abcull}, {1, 0, 0x123456789abcull},
  {0, 16383 - 3000, 0xb504f333f9de6484ull}, {1, 16383 - 70, 0xc90fdaa22168c235ull},
  {0, 16383 - 2, 0x95f619980c4336f7ull}, {1, 16383 - 2, 0x95f619980c4336f7ull},
  {0, 16383 - 1, 0xc000000000000000ull}, {1, 16383 - 1, 0xf000000000000000ull},
  {0, 16383, 1ull << 63}, {1, 16383, 1ull << 63}, {0, 16383, (1ull << 63) | 1},
  {1, 16383, 0xc000000000000000ull}, {0, 16384, 0xc90fdaa22168c235ull},
  {1, 16383 + 20, 0xd9e8a5b3c1f20001ull}, {0, 16383 + 62, 0xffffffffffffffffull},
  {0, 16383 + 63, 1ull << 63}, {0, 0x7ffe, 0xffffffffffffffffull}, {1, 0x7ffe, 1ull << 63},
  {0, 0x7fff, 1ull << 63}, {1, 0x7fff, 1ull << 63},
};

static void emit_case(int *first, const struct spec *sp, int depth, uint16_t fcw, struct state *st);

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "grid") == 0) {
    static struct state st;
    int first = 1;
    const size_t nv = COUNT(grid_values);
    printf("[\n");
    for (size_t s = 0; s < COUNT(grid_specs); s++) {
      int binary = s < 3;
      for (size_t i = 0; i < nv; i++) {
        for (size_t j = 0; j < (binary ? nv : 1); j++) {
          memset(&st, 0, sizeof st);
          put80(st.st0, grid_values[i].sign, grid_values[i].exp, grid_values[i].mant);
          put80(st.st1, grid_values[j].sign, grid_values[j].exp, grid_values[j].mant);
          emit_case(&first, &grid_specs[s], 2, 0x37f, &st);
        }
      }
    }
    /* fbstp around the 18-digit limit and with fractions; fbld of odd digit patterns. */
    static const long double bcd_values[] = {0.0L, -0.0L, 0.5L, -1.5L, 2.5L, 123456789012345678.0L,
                                             -999999999999999999.0L, 999999999999999999.4L,
                                             999999999999999999.5L, 1e18L, -1e18L, 4e18L,
                                             1234.5678L, 9.2233720368547758e18L, 1e-4000L};
    static const struct spec fbstp = {"grid_fbstp", "df", 6, M_BCD}, fbld = {"grid_fbld", "df", 4, M_BCD};
    static const uint16_t grid_fcw[] = {0x37f, 0x77f, 0xb7f, 0xf7f};
    for (size_t i = 0; i < COUNT(bcd_values); i++) {
      for (size_t r = 0; r < COUNT(grid_fcw); r++) {
        memset(&st, 0, sizeof st);
        memcpy(st.st0, &bcd_values[i], 10);
        emit_case(&first, &fbstp, 2, grid_fcw[r], &st);
      }
    }
    static const char *bcd_patterns[] = {
      "00000000000000000000", "00000000000000000080", "78563412907856341200",
      "99999999999999999980", "0a000000000000000000", "ff000000000000000000",
      "ffffffffffffffffff00", "010000000000000000ff", "1a2b3c4d5e6f00000001",
      "0000000000000000f000", "99999999999999999900",
    };
    for (size_t i = 0; i < COUNT(bcd_patterns); i++) {
      memset(&st, 0, sizeof st);
      parse_hex(bcd_patterns[i], st.mem);
      emit_case(&first, &fbld, 2, 0x37f, &st);
    }
    printf("\n]\n");
    return 0;
  }
  int per_spec = argc > 1 ? atoi(argv[1]) : 40;
  if (argc > 2) rng_state ^= strtoull(argv[2], 0, 0);
  static struct state st;
  int first = 1;
  printf("[\n");
  for (size_t s = 0; s < COUNT(specs); s++) {
    const struct spec *sp = &specs[s];
    for (int c = 0; c < per_spec; c++) {
      memset(&st, 0, sizeof st);
      rand80(st.st0);
      rand80(st.st1);
      /* Often make both operands of similar size so sums and remainders are interesting. */
      if (c % 3 == 1) memcpy(st.st1 + 8, st.st0 + 8, 2);
      fill_mem(st.mem, sp->mem);
      st.fcw = fcw_pool[rnd() % COUNT(fcw_pool)];
      /* Mostly two operands; sometimes an empty or a full stack (underflow/overflow paths). */
      int depth = c % 10 == 9 ? (int)(rnd() % 2) : c % 10 == 8 ? 8 : 2;
      emit_case(&first, sp, depth, st.fcw, &st);
    }
  }
  printf("\n]\n");
  return 0;
}

/* Runs one case natively (ST1/ST0/memory from st, FCW fcw, stack depth) and prints it. */
static void emit_case(int *first, const struct spec *sp, int depth, uint16_t fcw, struct state *st) {
  uint8_t insn[8], pro[64];
  st->fcw = fcw;
  int n = parse_hex(sp->bytes, insn);
  if (sp->digit >= 0) insn[n++] = (uint8_t)(0x47 | (sp->digit << 3)), insn[n++] = 32;
  size_t pn = 0;
  memcpy(pro + pn, x_init, x_init_end - x_init), pn += x_init_end - x_init;
  for (int k = 0; k < (depth == 8 ? 7 : depth == 2 ? 1 : 0); k++)
    memcpy(pro + pn, x_ld1, x_ld1_end - x_ld1), pn += x_ld1_end - x_ld1;
  if (depth >= 1) memcpy(pro + pn, x_ld0, x_ld0_end - x_ld0), pn += x_ld0_end - x_ld0;
  memcpy(pro + pn, x_flags, x_flags_end - x_flags), pn += x_flags_end - x_flags;
  uint8_t st0[16], st1[16], mem[32];
  memcpy(st0, st->st0, 16), memcpy(st1, st->st1, 16), memcpy(mem, st->mem, 32);
  run_code(pro, pn, insn, n, x_epi, x_epi_end - x_epi, st);
  if (!*first) printf(",\n");
  *first = 0;
  printf("{\"n\":\"%s\",", sp->name);
  put_hex("code", insn, n), printf(",\"depth\":%d,\"fcw\":%u,", depth, fcw);
  put_hex("st0", st0, 10), printf(",");
  put_hex("st1", st1, 10), printf(",");
  put_hex("mem", mem, 32), printf(",");
  put_hex("omem", st->mem, 32), printf(",");
  put_hex("save", st->save, 108);
  printf(",\"orax\":%llu,\"ofl\":%llu}", (unsigned long long)st->orax,
         (unsigned long long)(st->oflags & 0x8d5));
}
