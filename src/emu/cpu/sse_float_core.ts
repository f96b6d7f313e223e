/**
 * IEEE lane arithmetic for SSE: binary32/binary64 add, sub, mul, div, min, max, sqrt and compares
 * with x86 NaN propagation, MXCSR rounding control, DAZ/FTZ and exception flags.
 *
 * JavaScript only computes round-to-nearest doubles, so every operation also derives the sign of
 * its rounding error (exact - rounded) — with error-free float transforms when the operands are in
 * a safe exponent range and with BigInt otherwise — and nudges the result one ulp for the directed
 * rounding modes. NaN operands are handled on raw bits, because JS arithmetic does not preserve
 * NaN payloads.
 */

export const IE = 1, DE = 2, ZE = 4, OE = 8, UE = 16, PE = 32;

export const enum FpOp {
  Add,
  Sub,
  Mul,
  Div,
  Min,
  Max,
  Sqrt,
}

/** Per-instruction floating-point status: set `rc`/`daz`/`ftz` from MXCSR, read `exc` after. */
export const fpStatus = { exc: 0, rc: 0, daz: false, ftz: false };

/** Prepares fpStatus for one instruction from MXCSR. */
export function beginFp(mxcsr: number): void {
  fpStatus.exc = 0;
  fpStatus.rc = (mxcsr >> 13) & 3;
  fpStatus.daz = (mxcsr & 0x40) !== 0;
  fpStatus.ftz = (mxcsr & 0x8000) !== 0;
}

/** Result of an f64 lane operation, as raw bits. */
export const out64 = { lo: 0, hi: 0 };

const cvt = new ArrayBuffer(8);
const CF64 = new Float64Array(cvt);
const CF32 = new Float32Array(cvt);
const CI32 = new Int32Array(cvt);

export function f64FromBits(lo: number, hi: number): number {
  CI32[0] = lo;
  CI32[1] = hi;
  return CF64[0];
}
export function setOut64(v: number): void {
  CF64[0] = v;
  out64.lo = CI32[0];
  out64.hi = CI32[1];
}
export function f32FromBits(b: number): number {
  CI32[0] = b;
  return CF32[0];
}
export function bitsOfF32(v: number): number {
  CF32[0] = v;
  return CI32[0];
}

export const isNaN32 = (b: number) => (b & 0x7fffffff) > 0x7f800000;
export const isSNaN32 = (b: number) => isNaN32(b) && (b & 0x400000) === 0;
export const isDenormal32 = (b: number) => (b & 0x7f800000) === 0 && (b & 0x7fffff) !== 0;
export const isNaN64 = (lo: number, hi: number) =>
  (hi & 0x7ff00000) === 0x7ff00000 && ((hi & 0xfffff) | lo) !== 0;
export const isSNaN64 = (lo: number, hi: number) => isNaN64(lo, hi) && (hi & 0x80000) === 0;
export const isDenormal64 = (lo: number, hi: number) =>
  (hi & 0x7ff00000) === 0 && ((hi & 0xfffff) | lo) !== 0;

/** The "real indefinite" QNaN that invalid operations return. */
export const DEFAULT_NAN32 = 0xffc00000 | 0;
export const DEFAULT_NAN64_HI = 0xfff80000 | 0;

const MIN_NORMAL64 = 2.2250738585072014e-308;
const MIN_NORMAL32 = 1.1754943508222875e-38;

// ---------------------------------------------------------------------------------------------
// Neighbours of a value in binary64 / binary32.

export function nextUp64(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return 5e-324;
  CF64[0] = x;
  let lo = CI32[0] >>> 0, hi = CI32[1];
  if (x > 0) {
    lo++;
    if (lo === 0x100000000) (lo = 0), hi++;
  } else {
    if (lo === 0) (lo = 0xffffffff), hi--;
    else lo--;
  }
  CI32[0] = lo;
  CI32[1] = hi;
  return CF64[0];
}
export const nextDown64 = (x: number) => -nextUp64(-x);

export function nextUp32(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return 1.401298464324817e-45;
  CF32[0] = x;
  CI32[0] += x > 0 ? 1 : -1;
  return CF32[0];
}
export const nextDown32 = (x: number) => -nextUp32(-x);

// ---------------------------------------------------------------------------------------------
// Sign of the rounding error of a double operation.

const SPLITTER = 134217729; // 2^27 + 1
const inRange = (x: number) => x === 0 || (Math.abs(x) > 2.9e-136 && Math.abs(x) < 3.4e135);

/** The low part of x*y (x*y = fl(x*y) + result exactly), valid when both are in range. */
function productError(x: number, y: number, p: number): number {
  let c = SPLITTER * x;
  const xh = c - (c - x), xl = x - xh;
  c = SPLITTER * y;
  const yh = c - (c - y), yl = y - yh;
  return ((xh * yh - p) + xh * yl + xl * yh) + xl * yl;
}

/** Exact dyadic decomposition: x = m * 2^e with m a BigInt (x finite). */
function decompose(x: number): [bigint, number] {
  CF64[0] = x;
  const hi = CI32[1], lo = CI32[0] >>> 0;
  const e = (hi >>> 20) & 0x7ff;
  let m = BigInt(hi & 0xfffff) * 0x100000000n + BigInt(lo);
  if (e !== 0) m += 1n << 52n;
  if (hi < 0) m = -m;
  return [m, e === 0 ? -1074 : e - 1075];
}

/** sign(m1 * 2^e1 - m2 * 2^e2). */
function cmpDyadic(m1: bigint, e1: number, m2: bigint, e2: number): number {
  const k = Math.min(e1, e2);
  const d = (m1 << BigInt(e1 - k)) - (m2 << BigInt(e2 - k));
  return d > 0n ? 1 : d < 0n ? -1 : 0;
}

/** sign(exact(op(a, b)) - d) for finite a, b, d, where d is op rounded to nearest double. */
export function errorSign(op: FpOp, a: number, b: number, d: number): number {
  switch (op) {
    case FpOp.Add:
    case FpOp.Sub: {
      const bb = op === FpOp.Sub ? -b : b;
      const v = d - a;
      const e = (a - (d - v)) + (bb - v);
      return e > 0 ? 1 : e < 0 ? -1 : 0;
    }
    case FpOp.Mul: {
      if (inRange(a) && inRange(b)) {
        const e = productError(a, b, d);
        return e > 0 ? 1 : e < 0 ? -1 : 0;
      }
      const [ma, ea] = decompose(a), [mb, eb] = decompose(b), [md, ed] = decompose(d);
      return cmpDyadic(ma * mb, ea + eb, md, ed);
    }
    case FpOp.Div: {
      const sb = b > 0 ? 1 : -1;
      if (inRange(a) && inRange(b) && inRange(d)) {
        const p = d * b;
        const r = (a - p) - productError(d, b, p);
        return r > 0 ? sb : r < 0 ? -sb : 0;
      }
      const [ma, ea] = decompose(a), [mb, eb] = decompose(b), [md, ed] = decompose(d);
      return sb * cmpDyadic(ma, ea, md * mb, ed + eb);
    }
    case FpOp.Sqrt: {
      if (inRange(d)) {
        const p = d * d;
        const r = (a - p) - productError(d, d, p);
        return r > 0 ? 1 : r < 0 ? -1 : 0;
      }
      const [ma, ea] = decompose(a), [md, ed] = decompose(d);
      return cmpDyadic(ma, ea, md * md, ed * 2);
    }
    default:
      return 0;
  }
}

/**
 * Rounds a value already rounded to nearest (`r`, with error sign `err` = sign(exact - r)) to the
 * current rounding mode, and records PE/OE/UE; applies FTZ. `finiteInputs` says whether an
 * infinite result is an overflow.
 */
export function finishRounding(
  r: number,
  err: number,
  f32: boolean,
  finiteInputs: boolean,
): number {
  const st = fpStatus;
  const overflowNearest = finiteInputs && !Number.isFinite(r);
  if (err !== 0) {
    st.exc |= PE;
    const rc = st.rc;
    if (
      rc === 1
        ? err < 0
        : rc === 2
        ? err > 0
        : rc === 3
        ? (r > 0 ? err < 0 : r < 0 && err > 0)
        : false
    ) {
      if (err < 0) r = f32 ? nextDown32(r) : nextDown64(r);
      else r = f32 ? nextUp32(r) : nextUp64(r);
    }
  }
  if (overflowNearest || (finiteInputs && !Number.isFinite(r))) st.exc |= OE | PE;
  const min = f32 ? MIN_NORMAL32 : MIN_NORMAL64;
  if (r !== 0 && Math.abs(r) < min) {
    if (st.ftz) {
      st.exc |= UE | PE;
      return r < 0 ? -0 : 0;
    }
    if (err !== 0) st.exc |= UE;
  } else if (r === 0 && err !== 0) st.exc |= UE;
  return r;
}

/** Nearest-rounded result of op on doubles (for f32 the inputs are floats). */
function compute(op: FpOp, a: number, b: number): number {
  switch (op) {
    case FpOp.Add:
      return a + b;
    case FpOp.Sub:
      return a - b;
    case FpOp.Mul:
      return a * b;
    case FpOp.Div:
      return a / b;
    default:
      return Math.sqrt(b);
  }
}

/**
 * Arithmetic on numbers that are not NaN: returns the result value, or NaN for an invalid
 * operation (the caller writes the default NaN). Handles ZE and rounding.
 */
function arith(op: FpOp, a: number, b: number, f32: boolean): number {
  const d = compute(op, a, b);
  if (Number.isNaN(d)) {
    fpStatus.exc |= IE;
    return d;
  }
  if (op === FpOp.Div && b === 0 && Number.isFinite(a) && a !== 0) {
    fpStatus.exc |= ZE;
    return d;
  }
  const finite = op === FpOp.Sqrt ? Number.isFinite(b) : Number.isFinite(a) && Number.isFinite(b);
  if (!finite) return d;
  if (d === 0 && fpStatus.rc === 1 && (op === FpOp.Add || op === FpOp.Sub)) {
    // An exact zero sum of opposite-signed operands is -0 when rounding down (JS gives +0).
    const bEff = op === FpOp.Sub ? -b : b;
    if (!(Object.is(a, 0) && Object.is(bEff, 0))) return -0;
  }
  let err = Number.isFinite(d) ? errorSign(op, op === FpOp.Sqrt ? b : a, b, d) : (d > 0 ? -1 : 1);
  let r = d;
  if (f32) {
    r = Math.fround(d);
    if (r !== d) err = d > r ? 1 : -1;
  }
  return finishRounding(r, err, f32, true);
}

/**
 * Merges one lane's exceptions: an invalid operation or division by zero outranks a denormal
 * operand, so DE is not reported for that lane.
 */
function laneDone(before: number): void {
  let lane = fpStatus.exc;
  if (lane & (IE | ZE)) lane &= ~DE;
  fpStatus.exc = before | lane;
}

/** Binary32 lane operation on raw bits (a = destination/first source, b = second source). */
export function op32(op: FpOp, a: number, b: number): number {
  const before = fpStatus.exc;
  fpStatus.exc = 0;
  const r = op32Lane(op, a, b);
  laneDone(before);
  return r;
}

function op32Lane(op: FpOp, a: number, b: number): number {
  const st = fpStatus;
  const unary = op === FpOp.Sqrt;
  const an = !unary && isNaN32(a), bn = isNaN32(b);
  if (an || bn) {
    if ((an && isSNaN32(a)) || (bn && isSNaN32(b))) st.exc |= IE;
    if (op === FpOp.Min || op === FpOp.Max) {
      st.exc |= IE;
      return st.daz && isDenormal32(b) ? b & 0x80000000 : b;
    }
    return (an ? a : b) | 0x400000;
  }
  if (!unary && isDenormal32(a)) {
    if (st.daz) a &= 0x80000000;
    else st.exc |= DE;
  }
  if (isDenormal32(b)) {
    if (st.daz) b &= 0x80000000;
    else st.exc |= DE;
  }
  const fa = f32FromBits(a), fb = f32FromBits(b);
  if (op === FpOp.Min) return fa < fb ? a : b;
  if (op === FpOp.Max) return fa > fb ? a : b;
  const r = arith(op, fa, fb, true);
  return Number.isNaN(r) ? DEFAULT_NAN32 : bitsOfF32(r);
}

/** Binary64 lane operation on raw bits; the result goes to `out64`. */
export function op64(op: FpOp, alo: number, ahi: number, blo: number, bhi: number): void {
  const before = fpStatus.exc;
  fpStatus.exc = 0;
  op64Lane(op, alo, ahi, blo, bhi);
  laneDone(before);
}

function op64Lane(op: FpOp, alo: number, ahi: number, blo: number, bhi: number): void {
  const st = fpStatus;
  const unary = op === FpOp.Sqrt;
  const an = !unary && isNaN64(alo, ahi), bn = isNaN64(blo, bhi);
  if (an || bn) {
    if ((an && isSNaN64(alo, ahi)) || (bn && isSNaN64(blo, bhi))) st.exc |= IE;
    if (op === FpOp.Min || op === FpOp.Max) {
      st.exc |= IE;
      const flush = st.daz && isDenormal64(blo, bhi);
      out64.lo = flush ? 0 : blo;
      out64.hi = flush ? bhi & 0x80000000 : bhi;
      return;
    }
    out64.lo = an ? alo : blo;
    out64.hi = (an ? ahi : bhi) | 0x80000;
    return;
  }
  if (!unary && isDenormal64(alo, ahi)) {
    if (st.daz) (alo = 0), (ahi &= 0x80000000);
    else st.exc |= DE;
  }
  if (isDenormal64(blo, bhi)) {
    if (st.daz) (blo = 0), (bhi &= 0x80000000);
    else st.exc |= DE;
  }
  const fa = f64FromBits(alo, ahi), fb = f64FromBits(blo, bhi);
  if (op === FpOp.Min || op === FpOp.Max) {
    const takeA = op === FpOp.Min ? fa < fb : fa > fb;
    out64.lo = takeA ? alo : blo;
    out64.hi = takeA ? ahi : bhi;
    return;
  }
  const r = arith(op, fa, fb, false);
  if (Number.isNaN(r)) {
    out64.lo = 0;
    out64.hi = DEFAULT_NAN64_HI;
  } else setOut64(r);
}

/** A binary32 operand as a number, with DAZ applied. */
export function f32Operand(b: number): number {
  if (fpStatus.daz && isDenormal32(b)) b &= 0x80000000;
  return f32FromBits(b);
}

/** A binary64 operand as a number, with DAZ applied. */
export function f64Operand(lo: number, hi: number): number {
  if (fpStatus.daz && isDenormal64(lo, hi)) (lo = 0), (hi &= 0x80000000);
  return f64FromBits(lo, hi);
}

/** Compare predicate results: 0 eq, 1 lt, 2 le, 3 unord, 4 neq, 5 nlt, 6 nle, 7 ord. */
function predicate(p: number, a: number, b: number, unordered: boolean): boolean {
  switch (p & 7) {
    case 0:
      return !unordered && a === b;
    case 1:
      return !unordered && a < b;
    case 2:
      return !unordered && a <= b;
    case 3:
      return unordered;
    case 4:
      return unordered || a !== b;
    case 5:
      return unordered || !(a < b);
    case 6:
      return unordered || !(a <= b);
    default:
      return !unordered;
  }
}

/** Signalling predicates (lt, le, nlt, nle) raise IE on any NaN, the others only on SNaN. */
const signals = (p: number) => (p & 3) === 1 || (p & 3) === 2;

export function cmp32(p: number, a: number, b: number): boolean {
  const st = fpStatus;
  const unordered = isNaN32(a) || isNaN32(b);
  if (unordered) {
    if (signals(p) || isSNaN32(a) || isSNaN32(b)) st.exc |= IE;
  } else {
    if (isDenormal32(a)) st.daz ? (a &= 0x80000000) : (st.exc |= DE);
    if (isDenormal32(b)) st.daz ? (b &= 0x80000000) : (st.exc |= DE);
  }
  return predicate(p, f32FromBits(a), f32FromBits(b), unordered);
}

export function cmp64(p: number, alo: number, ahi: number, blo: number, bhi: number): boolean {
  const st = fpStatus;
  const unordered = isNaN64(alo, ahi) || isNaN64(blo, bhi);
  if (unordered) {
    if (signals(p) || isSNaN64(alo, ahi) || isSNaN64(blo, bhi)) st.exc |= IE;
  } else {
    if (isDenormal64(alo, ahi)) st.daz ? ((alo = 0), (ahi &= 0x80000000)) : (st.exc |= DE);
    if (isDenormal64(blo, bhi)) st.daz ? ((blo = 0), (bhi &= 0x80000000)) : (st.exc |= DE);
  }
  return predicate(p, f64FromBits(alo, ahi), f64FromBits(blo, bhi), unordered);
}
