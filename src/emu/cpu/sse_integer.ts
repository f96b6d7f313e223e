/**
 * SSE2 packed-integer instructions on xmm registers (the 66-prefixed 0F 60..FE block): logic,
 * add/sub (wrapping and saturating), compares, min/max, multiplies, averages, shifts, shuffles,
 * packs and unpacks. The unprefixed forms are MMX, which the emulator does not implement.
 */
import type { Handler } from "./insn.ts";
import type { SimdState } from "./simd_state.ts";
import { MAP_0F } from "./insn.ts";
import {
  byPrefix,
  loadSrc128,
  regOnly,
  S16,
  S32,
  S8,
  SU16,
  SU8,
  T16,
  T32,
  T8,
  TU8,
} from "./sse_operands.ts";

type Register = (op: number, h: Handler) => void;
type Lane = (a: number, b: number) => number;

type Width = "i8" | "u8" | "i16" | "u16" | "i32";
const SRC_VIEWS = { i8: S8, u8: SU8, i16: S16, u16: SU16, i32: S32 } as const;
const LANES = { i8: 16, u8: 16, i16: 8, u16: 8, i32: 4 } as const;
const DEST_VIEWS = {
  i8: (s: SimdState) => s.xmmI8,
  u8: (s: SimdState) => s.xmmU8,
  i16: (s: SimdState) => s.xmmI16,
  u16: (s: SimdState) => s.xmmU16,
  i32: (s: SimdState) => s.xmmI32,
} as const;

/** dest[k] = f(dest[k], src[k]) over lanes of the given width and signedness. */
function lanewise(width: Width, f: Lane): Handler {
  const n = LANES[width];
  const src = SRC_VIEWS[width];
  const dest = DEST_VIEWS[width];
  return (ctx, i) => {
    loadSrc128(ctx, i, true);
    const d = dest(ctx.simd);
    const o = i.reg * n;
    for (let k = 0; k < n; k++) d[o + k] = f(d[o + k], src[k]);
  };
}

// Hand-specialised versions of the byte ops glibc's and musl's SSE2 string functions run in
// their inner loops (the generic `lanewise` pays a megamorphic callback per byte).
const pcmpeqb: Handler = (ctx, i) => {
  loadSrc128(ctx, i, true);
  const d = ctx.simd.xmmU8, o = i.reg * 16;
  for (let k = 0; k < 16; k++) d[o + k] = d[o + k] === SU8[k] ? 0xff : 0;
};
const pminub: Handler = (ctx, i) => {
  loadSrc128(ctx, i, true);
  const d = ctx.simd.xmmU8, o = i.reg * 16;
  for (let k = 0; k < 16; k++) if (SU8[k] < d[o + k]) d[o + k] = SU8[k];
};
const psubb: Handler = (ctx, i) => {
  loadSrc128(ctx, i, true);
  const d = ctx.simd.xmmU8, o = i.reg * 16;
  for (let k = 0; k < 16; k++) d[o + k] = d[o + k] - SU8[k];
};

const sat = (lo: number, hi: number) => (v: number) => v < lo ? lo : v > hi ? hi : v;
const satI8 = sat(-128, 127), satU8 = sat(0, 255), satI16 = sat(-32768, 32767);
const satU16 = sat(0, 65535);

/** 64-bit lane add (sign=1) or subtract (sign=-1) on int32 pairs. */
function addq(sign: number): Handler {
  return (ctx, i) => {
    loadSrc128(ctx, i, true);
    const x = ctx.simd.xmmI32;
    for (let q = 0; q < 2; q++) {
      const d = i.reg * 4 + q * 2;
      const alo = x[d] >>> 0, blo = S32[q * 2] >>> 0;
      const lo = sign > 0 ? alo + blo : alo - blo;
      const carry = lo >= 0x100000000 ? 1 : lo < 0 ? -1 : 0;
      x[d] = lo;
      x[d + 1] = sign > 0 ? x[d + 1] + S32[q * 2 + 1] + carry : x[d + 1] - S32[q * 2 + 1] + carry;
    }
  };
}

/**
 * The bitwise ops on all 128 bits (also andps/orps/xorps & co), each written out: they sit in
 * the inner loops of the SSE2 string functions, where a shared callback would be megamorphic.
 */
export const pand: Handler = (ctx, i) => {
  loadSrc128(ctx, i, true);
  const x = ctx.simd.xmmI32, o = i.reg * 4;
  x[o] &= S32[0];
  x[o + 1] &= S32[1];
  x[o + 2] &= S32[2];
  x[o + 3] &= S32[3];
};
export const pandn: Handler = (ctx, i) => {
  loadSrc128(ctx, i, true);
  const x = ctx.simd.xmmI32, o = i.reg * 4;
  x[o] = ~x[o] & S32[0];
  x[o + 1] = ~x[o + 1] & S32[1];
  x[o + 2] = ~x[o + 2] & S32[2];
  x[o + 3] = ~x[o + 3] & S32[3];
};
export const por: Handler = (ctx, i) => {
  loadSrc128(ctx, i, true);
  const x = ctx.simd.xmmI32, o = i.reg * 4;
  x[o] |= S32[0];
  x[o + 1] |= S32[1];
  x[o + 2] |= S32[2];
  x[o + 3] |= S32[3];
};
export const pxor: Handler = (ctx, i) => {
  loadSrc128(ctx, i, true);
  const x = ctx.simd.xmmI32, o = i.reg * 4;
  x[o] ^= S32[0];
  x[o + 1] ^= S32[1];
  x[o + 2] ^= S32[2];
  x[o + 3] ^= S32[3];
};

/** Unsigned 32x32 -> 64 multiply into x[at], x[at+1] (lo, hi), exact without BigInt. */
function mulU32(x: Int32Array, at: number, a: number, b: number): void {
  const t = a * (b >>> 16);
  const u = a * (b & 0xffff);
  x[at] = Math.imul(a, b);
  x[at + 1] = Math.floor(t / 65536) + Math.floor(((t % 65536) * 65536 + u) / 0x100000000);
}

const pmuludq: Handler = (ctx, i) => {
  loadSrc128(ctx, i, true);
  const x = ctx.simd.xmmI32;
  const o = i.reg * 4;
  mulU32(x, o, x[o] >>> 0, S32[0] >>> 0);
  mulU32(x, o + 2, x[o + 2] >>> 0, S32[2] >>> 0);
};

const pmaddwd: Handler = (ctx, i) => {
  loadSrc128(ctx, i, true);
  const w = ctx.simd.xmmI16;
  const x = ctx.simd.xmmI32;
  const o = i.reg * 8;
  for (let k = 0; k < 4; k++) {
    T32[k] = (w[o + 2 * k] * S16[2 * k] + w[o + 2 * k + 1] * S16[2 * k + 1]) | 0;
  }
  x.set(T32, i.reg * 4);
};

const psadbw: Handler = (ctx, i) => {
  loadSrc128(ctx, i, true);
  const b = ctx.simd.xmmU8;
  const x = ctx.simd.xmmI32;
  const o = i.reg * 16;
  let lo = 0, hi = 0;
  for (let k = 0; k < 8; k++) lo += Math.abs(b[o + k] - SU8[k]);
  for (let k = 8; k < 16; k++) hi += Math.abs(b[o + k] - SU8[k]);
  x[i.reg * 4] = lo;
  x[i.reg * 4 + 1] = 0;
  x[i.reg * 4 + 2] = hi;
  x[i.reg * 4 + 3] = 0;
};

/** Interleave low (high=0) or high (high=1) lanes of dest and source; `bytes` = lane size. */
export function unpack(bytes: number, high: number): Handler {
  return (ctx, i) => {
    loadSrc128(ctx, i, true);
    const b = ctx.simd.xmmU8;
    const o = i.reg * 16;
    const start = high * 8;
    let t = 0;
    for (let k = start; k < start + 8; k += bytes) {
      for (let j = 0; j < bytes; j++) TU8[t++] = b[o + k + j];
      for (let j = 0; j < bytes; j++) TU8[t++] = SU8[k + j];
    }
    b.set(TU8, o);
  };
}

/** packsswb / packuswb (words -> bytes) and packssdw (dwords -> words). */
function pack(kind: "sswb" | "uswb" | "ssdw"): Handler {
  return (ctx, i) => {
    loadSrc128(ctx, i, true);
    const v = ctx.simd;
    if (kind === "ssdw") {
      const o = i.reg * 4;
      for (let k = 0; k < 4; k++) T16[k] = satI16(v.xmmI32[o + k]);
      for (let k = 0; k < 4; k++) T16[4 + k] = satI16(S32[k]);
    } else {
      const o = i.reg * 8;
      const s = kind === "sswb" ? satI8 : satU8;
      for (let k = 0; k < 8; k++) T8[k] = s(v.xmmI16[o + k]);
      for (let k = 0; k < 8; k++) T8[8 + k] = s(S16[k]);
    }
    v.xmmI32.set(T32, i.reg * 4);
  };
}

/** pshufd (66), pshufhw (F3), pshuflw (F2). */
const pshufd: Handler = (ctx, i) => {
  loadSrc128(ctx, i, true);
  const x = ctx.simd.xmmI32;
  for (let k = 0; k < 4; k++) x[i.reg * 4 + k] = S32[(i.imm >> (2 * k)) & 3];
};
function pshufw(high: number): Handler {
  return (ctx, i) => {
    loadSrc128(ctx, i, true);
    const w = ctx.simd.xmmU16;
    const o = i.reg * 8;
    for (let k = 0; k < 8; k++) w[o + k] = SU16[k];
    for (let k = 0; k < 4; k++) w[o + high * 4 + k] = SU16[high * 4 + ((i.imm >> (2 * k)) & 3)];
  };
}

/**
 * Shifts every lane of xmm(reg) by `count` (already an unsigned value, possibly huge).
 * kind: 0 = logical right, 1 = arithmetic right, 2 = left.
 */
function shiftLanes(v: SimdState, r: number, bits: number, kind: number, count: number): void {
  const xs = v.xmmI32;
  if (bits === 64) {
    for (let q = 0; q < 2; q++) {
      const at = r * 4 + q * 2;
      let lo = xs[at], hi = xs[at + 1];
      if (count > 63) lo = hi = 0;
      else if (count >= 32) {
        if (kind === 2) [lo, hi] = [0, lo << (count - 32)];
        else [lo, hi] = [hi >>> (count - 32), 0];
      } else if (count > 0) {
        if (kind === 2) [lo, hi] = [lo << count, (hi << count) | (lo >>> (32 - count))];
        else [lo, hi] = [(lo >>> count) | (hi << (32 - count)), hi >>> count];
      }
      xs[at] = lo;
      xs[at + 1] = hi;
    }
    return;
  }
  const lanes = 128 / bits;
  const view = bits === 16 ? (kind === 1 ? v.xmmI16 : v.xmmU16) : v.xmmI32;
  const o = r * lanes;
  for (let k = 0; k < lanes; k++) {
    const a = view[o + k];
    if (kind === 1) view[o + k] = a >> Math.min(count, bits - 1);
    else if (count >= bits) view[o + k] = 0;
    else if (kind === 2) view[o + k] = a << count;
    else view[o + k] = bits === 32 ? a >>> count : a >> count;
  }
}

/** Shift by the count in the low 64 bits of the xmm/m128 source. */
function shiftByXmm(bits: number, kind: number): Handler {
  return (ctx, i) => {
    loadSrc128(ctx, i, true);
    const count = S32[1] !== 0 ? 0xffff : S32[0] >>> 0;
    shiftLanes(ctx.simd, i.reg, bits, kind, Math.min(count, 0xffff));
  };
}

/** Byte shift of the whole register: pslldq (left=1) / psrldq (left=0). */
function byteShift(b: Uint8Array, r: number, n: number, left: boolean): void {
  const o = r * 16;
  TU8.fill(0);
  for (let k = 0; k < 16; k++) {
    const from = left ? k - n : k + n;
    if (from >= 0 && from < 16) TU8[k] = b[o + from];
  }
  b.set(TU8, o);
}

/** 66 0F 71/72/73 groups: shifts of xmm(rm) by imm8. */
function shiftGroup(bits: number): Handler {
  return regOnly((ctx, i) => {
    const digit = i.reg & 7;
    const count = i.imm & 0xff;
    const v = ctx.simd;
    if (bits === 64 && (digit === 3 || digit === 7)) {
      return byteShift(v.xmmU8, i.rm, Math.min(count, 16), digit === 7);
    }
    const kind = digit === 2 ? 0 : digit === 4 && bits !== 64 ? 1 : digit === 6 ? 2 : -1;
    if (kind < 0) ctx.raise("invalid_opcode");
    shiftLanes(v, i.rm, bits, kind, count);
  });
}

const sse2 = (h: Handler) => byPrefix(["mmx", h, undefined, undefined]);

export function installSseInteger(reg: Register): void {
  const F = MAP_0F;
  const table: [number, Handler][] = [
    [0x60, unpack(1, 0)],
    [0x61, unpack(2, 0)],
    [0x62, unpack(4, 0)],
    [0x63, pack("sswb")],
    [0x64, lanewise("i8", (a, b) => (a > b ? -1 : 0))],
    [0x65, lanewise("i16", (a, b) => (a > b ? -1 : 0))],
    [0x66, lanewise("i32", (a, b) => (a > b ? -1 : 0))],
    [0x67, pack("uswb")],
    [0x68, unpack(1, 1)],
    [0x69, unpack(2, 1)],
    [0x6a, unpack(4, 1)],
    [0x6b, pack("ssdw")],
    [0x74, pcmpeqb],
    [0x75, lanewise("i16", (a, b) => (a === b ? -1 : 0))],
    [0x76, lanewise("i32", (a, b) => (a === b ? -1 : 0))],
    [0xd1, shiftByXmm(16, 0)],
    [0xd2, shiftByXmm(32, 0)],
    [0xd3, shiftByXmm(64, 0)],
    [0xd4, addq(1)],
    [0xd5, lanewise("i16", (a, b) => Math.imul(a, b))],
    [0xd8, lanewise("u8", (a, b) => satU8(a - b))],
    [0xd9, lanewise("u16", (a, b) => satU16(a - b))],
    [0xda, pminub],
    [0xdb, pand],
    [0xdc, lanewise("u8", (a, b) => satU8(a + b))],
    [0xdd, lanewise("u16", (a, b) => satU16(a + b))],
    [0xde, lanewise("u8", (a, b) => (a > b ? a : b))],
    [0xdf, pandn],
    [0xe0, lanewise("u8", (a, b) => (a + b + 1) >> 1)],
    [0xe1, shiftByXmm(16, 1)],
    [0xe2, shiftByXmm(32, 1)],
    [0xe3, lanewise("u16", (a, b) => (a + b + 1) >> 1)],
    [0xe4, lanewise("u16", (a, b) => Math.floor((a * b) / 65536))],
    [0xe5, lanewise("i16", (a, b) => (a * b) >> 16)],
    [0xe8, lanewise("i8", (a, b) => satI8(a - b))],
    [0xe9, lanewise("i16", (a, b) => satI16(a - b))],
    [0xea, lanewise("i16", (a, b) => (a < b ? a : b))],
    [0xeb, por],
    [0xec, lanewise("i8", (a, b) => satI8(a + b))],
    [0xed, lanewise("i16", (a, b) => satI16(a + b))],
    [0xee, lanewise("i16", (a, b) => (a > b ? a : b))],
    [0xef, pxor],
    [0xf1, shiftByXmm(16, 2)],
    [0xf2, shiftByXmm(32, 2)],
    [0xf3, shiftByXmm(64, 2)],
    [0xf4, pmuludq],
    [0xf5, pmaddwd],
    [0xf6, psadbw],
    [0xf8, psubb],
    [0xf9, lanewise("i16", (a, b) => a - b)],
    [0xfa, lanewise("i32", (a, b) => a - b)],
    [0xfb, addq(-1)],
    [0xfc, lanewise("i8", (a, b) => a + b)],
    [0xfd, lanewise("i16", (a, b) => a + b)],
    [0xfe, lanewise("i32", (a, b) => (a + b) | 0)],
  ];
  for (const [op, h] of table) reg(F | op, sse2(h));
  // punpcklqdq / punpckhqdq have no MMX form.
  reg(F | 0x6c, byPrefix([undefined, unpack(8, 0), undefined, undefined]));
  reg(F | 0x6d, byPrefix([undefined, unpack(8, 1), undefined, undefined]));
  reg(F | 0x70, byPrefix(["mmx", pshufd, pshufw(1), pshufw(0)]));
  reg(F | 0x71, sse2(shiftGroup(16)));
  reg(F | 0x72, sse2(shiftGroup(32)));
  reg(F | 0x73, sse2(shiftGroup(64)));
}
