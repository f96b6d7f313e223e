/**
 * x87 extended-precision arithmetic, exact to the bit: values are unpacked into
 * (sign, integer significand, binary exponent) with BigInt, computed exactly (or with a sticky bit),
 * and rounded once to the destination format honouring the precision and rounding controls.
 * x87 code is rare in the guests we run, so clarity beats speed here.
 */

/** A register image: 64-bit significand with explicit integer bit, and sign|exponent. */
export interface F80 {
  mant: bigint;
  se: number;
}

/** FSW exception bits. */
export const X_IE = 1, X_DE = 2, X_ZE = 4, X_OE = 8, X_UE = 16, X_PE = 32, X_SF = 64;

/**
 * Accumulates exceptions and the C1 "rounded up" flag for one instruction. `denormalSource`
 * records a denormal float32/float64 memory operand: it becomes a normal register value, yet the
 * instruction still reports DE (unless a higher-priority exception wins).
 */
export const x87Status = { exc: 0, roundedUp: false, denormalSource: false };

export const BIAS = 16383;
const INT_BIT = 1n << 63n;
const MASK64 = (1n << 64n) - 1n;

export const F80_ZERO: F80 = { mant: 0n, se: 0 };
export const F80_DEFAULT_NAN: F80 = { mant: 0xc000000000000000n, se: 0xffff };

export type Kind = "zero" | "denormal" | "normal" | "inf" | "qnan" | "snan" | "unsupported";

export function kindOf(x: F80): Kind {
  const e = x.se & 0x7fff;
  if (e === 0) return x.mant === 0n ? "zero" : "denormal";
  if ((x.mant & INT_BIT) === 0n) return "unsupported"; // unnormals, pseudo-NaN/infinity
  if (e === 0x7fff) {
    if (x.mant === INT_BIT) return "inf";
    return x.mant & (1n << 62n) ? "qnan" : "snan";
  }
  return "normal";
}

export const isNaNKind = (k: Kind) => k === "qnan" || k === "snan";
export const signOf = (x: F80) => (x.se >> 15) & 1;

/** Number of significant bits of a positive BigInt. */
export function bitLength(m: bigint): number {
  if (m === 0n) return 0;
  const approx = Number(m); // rounds, so log2 can overshoot by one at 2^k - 1
  if (approx < 2 ** 1000) {
    let len = Math.floor(Math.log2(approx)) + 1;
    if (m >> BigInt(len - 1) === 0n) len--;
    else if (m >> BigInt(len) !== 0n) len++;
    return len;
  }
  return m.toString(2).length;
}

/** An exact finite value: (-1)^sign * m * 2^e. */
export interface Exact {
  sign: number;
  m: bigint;
  e: number;
}

/** The exact value of a finite register (zero, denormal or normal; pseudo-denormals too). */
export function toExact(x: F80): Exact {
  const e = x.se & 0x7fff;
  return { sign: signOf(x), m: x.mant, e: (e === 0 ? 1 : e) - BIAS - 63 };
}

/** A destination format for rounding. */
export interface Format {
  /** Significand bits kept (24, 53 or 64). */
  prec: number;
  /** Smallest normal unbiased exponent. */
  emin: number;
  /** Largest unbiased exponent. */
  emax: number;
  /** Exponent of the smallest denormal's unit (the finest quantum). */
  qmin: number;
}

export const FMT_F32: Format = { prec: 24, emin: -126, emax: 127, qmin: -149 };
export const FMT_F64: Format = { prec: 53, emin: -1022, emax: 1023, qmin: -1074 };
/** The register format at a given FCW precision control (PC affects only significand bits). */
export function fmt80(prec: number): Format {
  // With reduced precision control, denormal results keep only `prec` bits below the
  // smallest normal exponent too (measured on the host FPU).
  return { prec, emin: 1 - BIAS, emax: BIAS, qmin: 1 - BIAS - (prec - 1) };
}
export const FMT_F80 = fmt80(64);

/** A rounded finite result q * 2^qe, or an infinity (overflow). */
export interface Rounded {
  sign: number;
  q: bigint;
  qe: number;
  inf: boolean;
}

/** Largest finite value of a format at its precision. */
function maxFinite(sign: number, f: Format): Rounded {
  return { sign, q: (1n << BigInt(f.prec)) - 1n, qe: f.emax - f.prec + 1, inf: false };
}

/**
 * Rounds an exact value to a format under rounding control rc (0 nearest-even, 1 down, 2 up,
 * 3 toward zero). Records PE/UE/OE and whether the magnitude was rounded up (C1).
 */
export function roundTo(x: Exact, f: Format, rc: number): Rounded {
  const { sign, m, e } = x;
  x87Status.roundedUp = false;
  if (m === 0n) return { sign, q: 0n, qe: 0, inf: false };
  const len = bitLength(m);
  const top = e + len - 1;
  let qe = Math.max(top - f.prec + 1, f.qmin);
  let q: bigint;
  let inexact = false;
  const shift = qe - e;
  if (shift <= 0) q = m << BigInt(-shift);
  else {
    const s = BigInt(shift);
    q = m >> s;
    const rem = m - (q << s);
    const half = 1n << (s - 1n);
    inexact = rem !== 0n;
    let up = false;
    if (inexact) {
      if (rc === 0) up = rem > half || (rem === half && (q & 1n) === 1n);
      else if (rc === 1) up = sign === 1;
      else if (rc === 2) up = sign === 0;
    }
    if (up) {
      q++;
      x87Status.roundedUp = true;
      if (bitLength(q) > f.prec) {
        q >>= 1n;
        qe++;
      }
    }
  }
  if (inexact) x87Status.exc |= X_PE;
  const qlen = bitLength(q);
  if (q !== 0n && qe + qlen - 1 > f.emax) {
    x87Status.exc |= X_OE | X_PE;
    const toInf = rc === 0 || (rc === 1 && sign === 1) || (rc === 2 && sign === 0);
    x87Status.roundedUp = toInf;
    return toInf ? { sign, q: 0n, qe: 0, inf: true } : maxFinite(sign, f);
  }
  if (inexact && (q === 0n || qe + qlen - 1 < f.emin)) x87Status.exc |= X_UE;
  return { sign, q, qe, inf: false };
}

/** Packs a rounded value into the 80-bit register format. */
export function pack80(r: Rounded): F80 {
  const sbit = r.sign << 15;
  if (r.inf) return { mant: INT_BIT, se: sbit | 0x7fff };
  if (r.q === 0n) return { mant: 0n, se: sbit };
  const len = bitLength(r.q);
  const top = r.qe + len - 1;
  if (top < 1 - BIAS) return { mant: r.q << BigInt(r.qe - (1 - BIAS - 63)), se: sbit };
  return { mant: (r.q << BigInt(64 - len)) & MASK64, se: sbit | (top + BIAS) };
}

/** Packs a rounded value into binary64 bits. */
export function pack64(r: Rounded): bigint {
  const s = BigInt(r.sign) << 63n;
  if (r.inf) return s | 0x7ff0000000000000n;
  if (r.q === 0n) return s;
  const len = bitLength(r.q);
  const top = r.qe + len - 1;
  if (top < -1022) return s | (r.q << BigInt(r.qe + 1074));
  const frac = (r.q << BigInt(53 - len)) & ((1n << 52n) - 1n);
  return s | (BigInt(top + 1023) << 52n) | frac;
}

/** Packs a rounded value into binary32 bits (as an unsigned number). */
export function pack32(r: Rounded): number {
  const s = r.sign * 0x80000000;
  if (r.inf) return s + 0x7f800000;
  if (r.q === 0n) return s;
  const len = bitLength(r.q);
  const top = r.qe + len - 1;
  if (top < -126) return s + Number(r.q << BigInt(r.qe + 149));
  const frac = Number((r.q << BigInt(24 - len)) & 0x7fffffn);
  return s + (top + 127) * 0x800000 + frac;
}

/** Rounds an exact value into a register at the given precision control bits. */
export function roundToReg(x: Exact, prec: number, rc: number): F80 {
  return pack80(roundTo(x, prec === 64 ? FMT_F80 : fmt80(prec), rc));
}

/** binary32 bits -> register (exact; NaNs keep their kind; notes a denormal source). */
export function fromF32(bits: number): F80 {
  const sign = bits >>> 31, e = (bits >>> 23) & 0xff, frac = bits & 0x7fffff;
  if (e === 0xff) {
    if (frac === 0) return { mant: INT_BIT, se: (sign << 15) | 0x7fff };
    // NaNs keep their quiet bit: the consuming instruction decides about IE and quieting.
    return { mant: INT_BIT | (BigInt(frac) << 40n), se: (sign << 15) | 0x7fff };
  }
  if (e === 0 && frac === 0) return { mant: 0n, se: sign << 15 };
  if (e === 0) x87Status.denormalSource = true;
  const m = e === 0 ? BigInt(frac) : BigInt(frac | 0x800000);
  return pack80(roundTo({ sign, m, e: (e === 0 ? 1 : e) - 127 - 23 }, FMT_F80, 0));
}

/** binary64 bits -> register. */
export function fromF64(bits: bigint): F80 {
  const sign = Number(bits >> 63n), e = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  if (e === 0x7ff) {
    if (frac === 0n) return { mant: INT_BIT, se: (sign << 15) | 0x7fff };
    return { mant: INT_BIT | (frac << 11n), se: (sign << 15) | 0x7fff };
  }
  if (e === 0 && frac === 0n) return { mant: 0n, se: sign << 15 };
  if (e === 0) x87Status.denormalSource = true;
  const m = e === 0 ? frac : frac | (1n << 52n);
  return pack80(roundTo({ sign, m, e: (e === 0 ? 1 : e) - 1023 - 52 }, FMT_F80, 0));
}

/** Register -> binary64 bits (fst m64): NaNs keep their top payload bits and become quiet. */
export function toF64(x: F80, rc: number): bigint {
  const k = kindOf(x);
  const s = BigInt(signOf(x)) << 63n;
  if (isNaNKind(k) || k === "unsupported") {
    if (k !== "qnan") x87Status.exc |= X_IE;
    if (k === "unsupported") return 0xfff8000000000000n;
    return s | 0x7ff8000000000000n | ((x.mant >> 11n) & ((1n << 52n) - 1n));
  }
  if (k === "inf") return s | 0x7ff0000000000000n;
  return pack64(roundTo(toExact(x), FMT_F64, rc));
}

/** Register -> binary32 bits (fst m32). */
export function toF32(x: F80, rc: number): number {
  const k = kindOf(x);
  const s = signOf(x) * 0x80000000;
  if (isNaNKind(k) || k === "unsupported") {
    if (k !== "qnan") x87Status.exc |= X_IE;
    if (k === "unsupported") return 0xffc00000;
    return s + 0x7fc00000 + Number((x.mant >> 40n) & 0x3fffffn);
  }
  if (k === "inf") return s + 0x7f800000;
  return pack32(roundTo(toExact(x), FMT_F32, rc));
}

/** A signed integer -> register (exact: every int64 fits the 64-bit significand). */
export function fromInt(v: bigint): F80 {
  if (v === 0n) return { mant: 0n, se: 0 };
  const sign = v < 0n ? 1 : 0;
  return pack80(roundTo({ sign, m: sign ? -v : v, e: 0 }, FMT_F80, 0));
}

/**
 * Register -> integer of `bits` width, rounded by rc (3 = truncate for fisttp). Returns null
 * (after setting IE) when the value is NaN, infinite or out of range: the caller stores the
 * integer indefinite.
 */
export function toInt(x: F80, bits: number, rc: number): bigint | null {
  const k = kindOf(x);
  if (isNaNKind(k) || k === "inf" || k === "unsupported") {
    x87Status.exc |= X_IE;
    return null;
  }
  if (k === "zero") return 0n;
  const r = roundToInteger(toExact(x), rc);
  const v = (r.sign ? -r.q : r.q) << BigInt(r.qe);
  const lim = 1n << BigInt(bits - 1);
  if (v < -lim || v >= lim) {
    x87Status.exc = (x87Status.exc & ~X_PE) | X_IE;
    x87Status.roundedUp = false;
    return null;
  }
  return v;
}

/** Rounds an exact value to an integer (quantum 1) under rc; sets PE and C1 but never UE. */
export function roundToInteger(x: Exact, rc: number): Rounded {
  const before = x87Status.exc & X_UE;
  const r = roundTo(x, { prec: 1 << 20, emin: -(1 << 20), emax: 1 << 20, qmin: 0 }, rc);
  x87Status.exc = (x87Status.exc & ~X_UE) | before;
  return r;
}

// ---------------------------------------------------------------------------------------------
// Arithmetic on exact values.

/** Adds two exact values; a far-smaller operand is replaced by a sticky bit (same rounding). */
export function addExact(a: Exact, b: Exact, rc: number): Exact {
  if (a.m === 0n && b.m === 0n) {
    // IEEE: x + y of zeros is -0 only if both are -0 (or round-down with opposite signs).
    const sign = a.sign === b.sign ? a.sign : rc === 1 ? 1 : 0;
    return { sign, m: 0n, e: 0 };
  }
  if (a.m === 0n) return b;
  if (b.m === 0n) return a;
  let [big, small] = a.e + bitLength(a.m) >= b.e + bitLength(b.m) ? [a, b] : [b, a];
  const gap = big.e + bitLength(big.m) - (small.e + bitLength(small.m));
  if (gap > 140) {
    // Put big at a fine enough exponent, and small as one sticky unit below everything kept.
    const shift = 140 - bitLength(big.m);
    big = { sign: big.sign, m: big.m << BigInt(Math.max(shift, 0)), e: big.e - Math.max(shift, 0) };
    small = { sign: small.sign, m: 1n, e: big.e - 4 };
  }
  const e = Math.min(big.e, small.e);
  const ma = big.m << BigInt(big.e - e), mb = small.m << BigInt(small.e - e);
  let s = (big.sign ? -ma : ma) + (small.sign ? -mb : mb);
  if (s === 0n) return { sign: rc === 1 ? 1 : 0, m: 0n, e: 0 };
  const sign = s < 0n ? 1 : 0;
  if (sign) s = -s;
  return { sign, m: s, e };
}

export function mulExact(a: Exact, b: Exact): Exact {
  return { sign: a.sign ^ b.sign, m: a.m * b.m, e: a.e + b.e };
}

/** a / b with enough quotient bits plus a sticky bit for correct rounding (b.m > 0). */
export function divExact(a: Exact, b: Exact): Exact {
  const sign = a.sign ^ b.sign;
  if (a.m === 0n) return { sign, m: 0n, e: 0 };
  const k = Math.max(0, 70 + bitLength(b.m) - bitLength(a.m));
  const num = a.m << BigInt(k);
  const q = num / b.m;
  const sticky = num % b.m !== 0n ? 1n : 0n;
  return { sign, m: (q << 1n) | sticky, e: a.e - b.e - k - 1 };
}

/** sqrt of a non-negative exact value, with a sticky bit. */
export function sqrtExact(a: Exact): Exact {
  if (a.m === 0n) return a;
  let m = a.m, e = a.e;
  const want = 2 * 70 - bitLength(m);
  if (want > 0) {
    m <<= BigInt(want);
    e -= want;
  }
  if (e & 1) {
    m <<= 1n;
    e -= 1;
  }
  const r = isqrt(m);
  const sticky = r * r !== m ? 1n : 0n;
  return { sign: 0, m: (r << 1n) | sticky, e: e / 2 - 1 };
}

/** Integer square root (floor) by Newton's method. */
export function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt((bitLength(n) >> 1) + 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** Compares two exact values: -1, 0, 1. */
export function cmpExact(a: Exact, b: Exact): number {
  const va = a.m === 0n ? 0 : a.sign ? -1 : 1, vb = b.m === 0n ? 0 : b.sign ? -1 : 1;
  if (va !== vb || va === 0) return Math.sign(va - vb);
  const e = Math.min(a.e, b.e);
  const ma = a.m << BigInt(a.e - e), mb = b.m << BigInt(b.e - e);
  const d = va * (ma > mb ? 1 : ma < mb ? -1 : 0);
  return d;
}

/** Converts a double (host number) to a register value exactly (used for approximations). */
export function fromNumber(v: number): F80 {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, v, true);
  return fromF64(buf.getBigUint64(0, true));
}

/** Register value as the nearest double (for transcendental approximations). */
export function toNumber(x: F80): number {
  const saved = { ...x87Status };
  const bits = toF64(x, 0);
  Object.assign(x87Status, saved);
  const buf = new DataView(new ArrayBuffer(8));
  buf.setBigUint64(0, bits, true);
  return buf.getFloat64(0, true);
}
