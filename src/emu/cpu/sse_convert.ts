/**
 * SSE/SSE2 conversions between integers, binary32 and binary64, honouring the MXCSR rounding
 * mode; invalid float->int conversions give the "integer indefinite" (0x80000000...).
 */
import type { ExecContext, Handler, Insn } from "./insn.ts";
import { MAP_0F } from "./insn.ts";
import {
  byPrefix,
  gprHi,
  gprLo,
  loadSrc128,
  loadSrc32,
  loadSrc64,
  S32,
  setGpr32,
  setGpr64,
  T32,
} from "./sse_operands.ts";
import {
  beginFp,
  bitsOfF32,
  DE,
  f32FromBits,
  f32Operand,
  f64FromBits,
  f64Operand,
  finishRounding,
  fpStatus,
  IE,
  isDenormal32,
  isDenormal64,
  isNaN32,
  isNaN64,
  isSNaN32,
  isSNaN64,
  out64,
  PE,
  setOut64,
} from "./sse_float_core.ts";
import { commitFp } from "./sse_float.ts";

type Register = (op: number, h: Handler) => void;

/** Rounds to an integer-valued double in the current (or truncating) mode. */
function roundToInteger(v: number, truncate: boolean): number {
  const rc = truncate ? 3 : fpStatus.rc;
  if (rc === 1) return Math.floor(v);
  if (rc === 2) return Math.ceil(v);
  if (rc === 3) return Math.trunc(v);
  const f = Math.floor(v);
  const diff = v - f;
  if (diff < 0.5) return f;
  if (diff > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * Float value -> int32/int64 into out64 (lo, hi). NaN and out-of-range give the integer
 * indefinite with IE; inexact results set PE.
 */
function floatToInt(v: number, bits: 32 | 64, truncate: boolean): void {
  const r = Number.isNaN(v) ? NaN : roundToInteger(v, truncate);
  const ok = bits === 32 ? r >= -2147483648 && r <= 2147483647 : r >= -(2 ** 63) && r < 2 ** 63;
  if (!ok) {
    fpStatus.exc |= IE;
    out64.lo = bits === 32 ? 0x80000000 | 0 : 0;
    out64.hi = bits === 32 ? 0 : 0x80000000 | 0;
    return;
  }
  if (r !== v) fpStatus.exc |= PE;
  if (bits === 32) {
    out64.lo = r | 0;
    out64.hi = 0;
  } else {
    const b = BigInt.asUintN(64, BigInt(r));
    out64.lo = Number(b & 0xffffffffn) | 0;
    out64.hi = Number(b >> 32n) | 0;
  }
}

/** Integer (given exactly as a BigInt) -> float of p mantissa bits, rounded in the current mode. */
function intToFloat(n: bigint, f32: boolean): number {
  const p = f32 ? 24 : 53;
  const mag = n < 0n ? -n : n;
  let r: number;
  const len = mag.toString(2).length;
  if (len <= p) r = Number(mag);
  else {
    const s = BigInt(len - p);
    let q = mag >> s;
    const rem = mag - (q << s), half = 1n << (s - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q++;
    r = Number(q) * 2 ** Number(s);
  }
  if (n < 0n) r = -r;
  const exact = BigInt(r);
  const err = n > exact ? 1 : n < exact ? -1 : 0;
  return finishRounding(r, err, f32, true);
}

/** The integer source of cvtsi2ss/sd: r/m32 or r/m64 (REX.W): a number when exact, else BigInt. */
function intSource(ctx: ExecContext, i: Insn): number | bigint {
  let lo: number, hi = 0;
  const wide = i.opsize === 8;
  if (i.mod === 3) {
    lo = gprLo(ctx, i.rm);
    if (wide) hi = gprHi(ctx, i.rm);
  } else if (wide) {
    lo = ctx.mem.read64(ctx.ea(i));
    hi = ctx.mem.hi;
  } else lo = ctx.mem.read32(ctx.ea(i));
  if (!wide) return lo;
  const v = hi * 0x100000000 + (lo >>> 0);
  return Math.abs(v) < 2 ** 53 ? v : (BigInt(hi) << 32n) | BigInt(lo >>> 0);
}

function cvtsi2s(f32: boolean): Handler {
  return (ctx, i) => {
    const n = intSource(ctx, i);
    beginFp(ctx.simd.mxcsr);
    let r: number;
    if (typeof n === "bigint") r = intToFloat(n, f32);
    else if (!f32) r = n; // exact
    else {
      const q = Math.fround(n);
      r = finishRounding(q, n > q ? 1 : n < q ? -1 : 0, true, true);
    }
    commitFp(ctx);
    const x = ctx.simd.xmmI32, d = i.reg * 4;
    if (f32) x[d] = bitsOfF32(r);
    else {
      setOut64(r);
      x[d] = out64.lo;
      x[d + 1] = out64.hi;
    }
  };
}

/** cvt(t)ss2si / cvt(t)sd2si into r32/r64. */
function cvt2si(f32: boolean, truncate: boolean): Handler {
  return (ctx, i) => {
    if (f32) loadSrc32(ctx, i);
    else loadSrc64(ctx, i);
    beginFp(ctx.simd.mxcsr);
    const v = f32 ? f32Operand(S32[0]) : f64Operand(S32[0], S32[1]);
    const bits = i.opsize === 8 ? 64 : 32;
    floatToInt(v, bits, truncate);
    commitFp(ctx);
    if (bits === 64) setGpr64(ctx, i.reg, out64.lo, out64.hi);
    else setGpr32(ctx, i.reg, out64.lo);
  };
}

/** binary32 bits -> binary64 into out64 (exact; NaNs keep their payload and become quiet). */
function f32ToF64(b: number): void {
  if (isNaN32(b)) {
    if (isSNaN32(b)) fpStatus.exc |= IE;
    const m = b & 0x7fffff;
    out64.hi = (b & 0x80000000) | 0x7ff80000 | (m >>> 3);
    out64.lo = (m & 7) << 29;
    return;
  }
  if (isDenormal32(b)) {
    if (fpStatus.daz) b &= 0x80000000;
    else fpStatus.exc |= DE;
  }
  setOut64(f32FromBits(b));
}

/** binary64 bits -> binary32 bits, rounded in the current mode. */
function f64ToF32(lo: number, hi: number): number {
  if (isNaN64(lo, hi)) {
    if (isSNaN64(lo, hi)) fpStatus.exc |= IE;
    return (hi & 0x80000000) | 0x7fc00000 | ((hi & 0xfffff) << 3) | (lo >>> 29);
  }
  if (isDenormal64(lo, hi)) {
    if (fpStatus.daz) (lo = 0), (hi &= 0x80000000);
    else fpStatus.exc |= DE;
  }
  const d = f64FromBits(lo, hi);
  if (!Number.isFinite(d)) return bitsOfF32(d);
  const r = Math.fround(d);
  return bitsOfF32(finishRounding(r, d > r ? 1 : d < r ? -1 : 0, true, true));
}

const cvtss2sd: Handler = (ctx, i) => {
  loadSrc32(ctx, i);
  beginFp(ctx.simd.mxcsr);
  f32ToF64(S32[0]);
  commitFp(ctx);
  const x = ctx.simd.xmmI32, d = i.reg * 4;
  x[d] = out64.lo;
  x[d + 1] = out64.hi;
};

const cvtsd2ss: Handler = (ctx, i) => {
  loadSrc64(ctx, i);
  beginFp(ctx.simd.mxcsr);
  const r = f64ToF32(S32[0], S32[1]);
  commitFp(ctx);
  ctx.simd.xmmI32[i.reg * 4] = r;
};

const cvtps2pd: Handler = (ctx, i) => {
  loadSrc64(ctx, i);
  beginFp(ctx.simd.mxcsr);
  for (let k = 0; k < 2; k++) {
    f32ToF64(S32[k]);
    T32[2 * k] = out64.lo;
    T32[2 * k + 1] = out64.hi;
  }
  commitFp(ctx);
  ctx.simd.xmmI32.set(T32, i.reg * 4);
};

const cvtpd2ps: Handler = (ctx, i) => {
  loadSrc128(ctx, i, true);
  beginFp(ctx.simd.mxcsr);
  T32[0] = f64ToF32(S32[0], S32[1]);
  T32[1] = f64ToF32(S32[2], S32[3]);
  T32[2] = T32[3] = 0;
  commitFp(ctx);
  ctx.simd.xmmI32.set(T32, i.reg * 4);
};

const cvtdq2ps: Handler = (ctx, i) => {
  loadSrc128(ctx, i, true);
  beginFp(ctx.simd.mxcsr);
  for (let k = 0; k < 4; k++) {
    const v = S32[k], r = Math.fround(v);
    T32[k] = bitsOfF32(finishRounding(r, v > r ? 1 : v < r ? -1 : 0, true, true));
  }
  commitFp(ctx);
  ctx.simd.xmmI32.set(T32, i.reg * 4);
};

const cvtdq2pd: Handler = (ctx, i) => {
  loadSrc64(ctx, i);
  const x = ctx.simd.xmmI32, d = i.reg * 4;
  const a = S32[0], b = S32[1];
  setOut64(a);
  x[d] = out64.lo;
  x[d + 1] = out64.hi;
  setOut64(b);
  x[d + 2] = out64.lo;
  x[d + 3] = out64.hi;
};

/** cvt(t)ps2dq: four singles -> four int32. */
function cvtps2dq(truncate: boolean): Handler {
  return (ctx, i) => {
    loadSrc128(ctx, i, true);
    beginFp(ctx.simd.mxcsr);
    for (let k = 0; k < 4; k++) {
      floatToInt(f32Operand(S32[k]), 32, truncate);
      T32[k] = out64.lo;
    }
    commitFp(ctx);
    ctx.simd.xmmI32.set(T32, i.reg * 4);
  };
}

/** cvt(t)pd2dq: two doubles -> two int32 in the low half, upper half zeroed. */
function cvtpd2dq(truncate: boolean): Handler {
  return (ctx, i) => {
    loadSrc128(ctx, i, true);
    beginFp(ctx.simd.mxcsr);
    for (let k = 0; k < 2; k++) {
      floatToInt(f64Operand(S32[2 * k], S32[2 * k + 1]), 32, truncate);
      T32[k] = out64.lo;
    }
    T32[2] = T32[3] = 0;
    commitFp(ctx);
    ctx.simd.xmmI32.set(T32, i.reg * 4);
  };
}

export function installSseConvert(reg: Register): void {
  const F = MAP_0F;
  reg(F | 0x2a, byPrefix(["mmx", "mmx", cvtsi2s(true), cvtsi2s(false)]));
  reg(F | 0x2c, byPrefix(["mmx", "mmx", cvt2si(true, true), cvt2si(false, true)]));
  reg(F | 0x2d, byPrefix(["mmx", "mmx", cvt2si(true, false), cvt2si(false, false)]));
  reg(F | 0x5a, byPrefix([cvtps2pd, cvtpd2ps, cvtss2sd, cvtsd2ss]));
  reg(F | 0x5b, byPrefix([cvtdq2ps, cvtps2dq(false), cvtps2dq(true), undefined]));
  reg(F | 0xe6, byPrefix([undefined, cvtpd2dq(true), cvtdq2pd, cvtpd2dq(false)]));
}
