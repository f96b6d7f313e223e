/**
 * The x87 transcendentals (f2xm1, fyl2x, fyl2xp1, fpatan, fsin, fcos, fsincos, fptan) to full
 * 64-bit precision. Each function returns the mathematical result as an `Exact` carrying at least
 * GUARD bits beyond the 64-bit significand, so one rounding by the caller gives the correctly
 * rounded value, which is what the FPU produces for the arguments libm passes (checked against the
 * host FPU in x87_golden_test.ts). The arithmetic is BigInt fixed point with F fraction bits; F
 * grows with small arguments so relative precision is kept down to the denormals.
 */
import { bitLength, type Exact } from "./x87_float80.ts";

/** Bits kept beyond the significand: enough that rounding is exact except in freak cases. */
const GUARD = 160;
const BASE = 64 + GUARD;

/** Exponent of the leading bit of a non-zero exact value. */
export function topOf(x: Exact): number {
  return x.e + bitLength(x.m) - 1;
}

/** Fraction bits for an argument: more for small ones so the result keeps relative precision. */
function fracFor(x: Exact, extra: number): number {
  return BASE + Math.max(0, -topOf(x)) + extra;
}

/**
 * Runs a computation at growing precision until its result is not ambiguous for rounding to 64
 * bits: a tail of exactly zero or exactly one half means the series was cut above the first
 * non-zero term (sin x = x - x^3/6 for tiny x), and then rounding and C1 would be wrong.
 */
export function refine(compute: (extra: number) => Exact, scale: number): Exact {
  let r = compute(0);
  for (let extra = 2 * (scale + BASE); extra < 8 * (scale + BASE) + 1; extra *= 2) {
    const len = bitLength(r.m);
    if (len === 0) return r;
    if (len > 66) {
      const s = BigInt(len - 64);
      const tail = r.m & ((1n << s) - 1n);
      if (tail !== 0n && tail !== 1n << (s - 1n)) return r;
    }
    r = compute(extra);
  }
  return r;
}

/** The `scale` for refine(): how far below 1 the argument's leading bit is. */
export function scaleOf(x: Exact): number {
  return Math.max(0, -topOf(x));
}

/** |x| as a fixed-point BigInt with F fraction bits (truncated when x has finer bits). */
function toFixed(x: Exact, f: number): bigint {
  const s = x.e + f;
  return s >= 0 ? x.m << BigInt(s) : x.m >> BigInt(-s);
}

function fixedExact(sign: number, v: bigint, f: number): Exact {
  return v < 0n ? { sign: sign ^ 1, m: -v, e: -f } : { sign, m: v, e: -f };
}

/** atan(z) or atanh(z) of a fixed-point |z| <= 1/2 by its Taylor series. */
function atanSeries(z: bigint, f: number, hyperbolic: boolean): bigint {
  if (z < 0n) return -atanSeries(-z, f, hyperbolic); // both are odd; >> of negatives floors
  const F = BigInt(f);
  const z2 = (z * z) >> F;
  let term = z, sum = 0n;
  for (let k = 1n; term !== 0n; k += 2n) {
    const t = term / k;
    sum += hyperbolic || (k & 2n) === 0n ? t : -t;
    term = (term * z2) >> F;
  }
  return sum;
}

/** A constant computed once at the next multiple of 512 bits and truncated to f bits. */
function cachedConstant(cache: Map<number, bigint>, f: number, compute: (g: number) => bigint) {
  const g = Math.ceil((f + 8) / 512) * 512;
  let v = cache.get(g);
  if (v === undefined) {
    v = compute(g + 8) >> 8n;
    cache.set(g, v);
  }
  return v >> BigInt(g - f);
}

const ln2Cache = new Map<number, bigint>();
/** ln 2 with f fraction bits: 2 atanh(1/3). */
function ln2(f: number): bigint {
  return cachedConstant(ln2Cache, f, (g) => 2n * atanSeries((1n << BigInt(g)) / 3n, g, true));
}

const piCache = new Map<number, bigint>();
/** pi with f fraction bits (Machin: 16 atan(1/5) - 4 atan(1/239)). */
export function piFixed(f: number): bigint {
  return cachedConstant(piCache, f, (g) => {
    const one = 1n << BigInt(g);
    return 16n * atanSeries(one / 5n, g, false) - 4n * atanSeries(one / 239n, g, false);
  });
}

/** ln(m * 2^k) for a fixed-point mantissa fm in [1, 2) (f fraction bits): fixed point. */
function lnNormalised(fm: bigint, k: number, f: number): bigint {
  const one = 1n << BigInt(f);
  // Keep the mantissa in [sqrt(1/2), sqrt(2)) so the atanh argument stays below 0.172.
  if (fm * fm > 2n * one * one) {
    fm >>= 1n;
    k++;
  }
  const z = ((fm - one) << BigInt(f)) / (fm + one);
  return BigInt(k) * ln2(f) + 2n * atanSeries(z, f, true);
}

/** log2(x) for finite x > 0, fixed point with f fraction bits. */
function log2Fixed(x: Exact, f: number): bigint {
  const top = topOf(x);
  const fm = toFixed({ sign: 0, m: x.m, e: x.e - top }, f); // x / 2^top in [1, 2)
  const ln = lnNormalised(fm, top, f);
  return (ln << BigInt(f)) / ln2(f);
}

/** fyl2x: y * log2(x) for finite x > 0 and finite y. */
export function yl2x(y: Exact, x: Exact, extra = 0): Exact {
  const f = BASE + 16 + extra;
  const l = log2Fixed(x, f);
  const p = l * y.m;
  return p < 0n ? { sign: y.sign ^ 1, m: -p, e: y.e - f } : { sign: y.sign, m: p, e: y.e - f };
}

/** fyl2xp1: y * log2(1 + x) for finite non-zero |x| < 1/2 and finite y. */
export function yl2xp1(y: Exact, x: Exact, extra = 0): Exact {
  const f = fracFor(x, extra) + 16;
  const F = BigInt(f), one = 1n << F;
  const xv = x.sign ? -toFixed(x, f) : toFixed(x, f);
  // ln(1+x) = 2 atanh(x / (2 + x)), |x / (2 + x)| < 1/3: keeps relative precision for tiny x.
  const ln = 2n * atanSeries((xv << F) / (2n * one + xv), f, true);
  const l = (ln << F) / ln2(f);
  const p = l * y.m;
  return p < 0n ? { sign: y.sign ^ 1, m: -p, e: y.e - f } : { sign: y.sign, m: p, e: y.e - f };
}

/** f2xm1: 2^x - 1 for finite non-zero |x| <= 1 (Taylor series of expm1(x ln 2)). */
export function exp2m1(x: Exact, extra = 0): Exact {
  const f = fracFor(x, extra) + 8;
  const F = BigInt(f);
  const t = (toFixed(x, f) * ln2(f)) >> F;
  const tv = x.sign ? -t : t;
  let term = tv, sum = 0n;
  for (let n = 2n; term !== 0n; n++) {
    sum += term;
    term = ((term * tv) >> F) / n;
  }
  return fixedExact(0, sum, f);
}

/** atan(r) for a fixed-point 0 <= r <= 1 (f fraction bits): halve the angle twice, then series. */
function atanFixed(r: bigint, f: number): bigint {
  const F = BigInt(f), one = 1n << F;
  let v = r;
  for (let k = 0; k < 2; k++) {
    const s = sqrtFixed(one * one + v * v); // sqrt(1 + v^2) with f fraction bits
    v = (v << F) / (one + s);
  }
  return 4n * atanSeries(v, f, false);
}

function sqrtFixed(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(bitLength(n) / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/**
 * fpatan: atan2(y, x) for finite values, not both zero (the caller handles zeros, infinities and
 * NaNs of the IEEE table). The quadrant comes from the signs.
 */
export function atan2Exact(y: Exact, x: Exact, extra = 0): Exact {
  // r = min/max of |y|, |x| as a fixed-point fraction in (0, 1].
  const swap = topOf(y) > topOf(x) || (topOf(y) === topOf(x) && cmpMag(y, x) > 0);
  const num = swap ? x : y, den = swap ? y : x;
  const rTop = topOf(num) - topOf(den);
  const f = BASE + 16 + Math.max(0, -rTop) + extra;
  // num/den with f fraction bits: align exponents first.
  const shift = num.e - den.e + f;
  const r = shift >= 0 ? (num.m << BigInt(shift)) / den.m : num.m / (den.m << BigInt(-shift));
  let a = atanFixed(r, f);
  if (swap) a = (piFixed(f) >> 1n) - a;
  if (x.sign) a = piFixed(f) - a;
  return { sign: y.sign, m: a, e: -f };
}

function cmpMag(a: Exact, b: Exact): number {
  const e = Math.min(a.e, b.e);
  const ma = a.m << BigInt(a.e - e), mb = b.m << BigInt(b.e - e);
  return ma > mb ? 1 : ma < mb ? -1 : 0;
}

/**
 * sin and cos of a finite non-zero x with |x| < 2^63: reduced by the FPU's 66-bit pi/2, then
 * Taylor series. Returned as exact values with at least GUARD extra bits.
 */
export function sinCosExact(x: Exact, extra = 0): { sin: Exact; cos: Exact } {
  const f = fracFor(x, extra) + 16;
  const F = BigInt(f);
  const top = Math.max(0, topOf(x) + 1);
  // The FPU reduces by multiples of a 66-bit pi (as Intel documents; this AMD host does too):
  // the reduction is exact with that constant, so results drift from the true sin by k times
  // its error, and the emulator drifts the same way.
  const g = f + top + 8;
  let k = 0n, rv = toFixed(x, f);
  if (topOf(x) >= -1) {
    const halfPi = (piFixed(64) << BigInt(g - 64)) >> 1n;
    const fx = toFixed(x, g);
    k = (fx + (halfPi >> 1n)) / halfPi;
    let r = fx - k * halfPi;
    if (r > halfPi >> 1n) {
      k++;
      r -= halfPi;
    }
    rv = r >> BigInt(g - f); // |r| <= pi/4 with f fraction bits
  }
  const r2 = (rv * rv) >> F;
  let s = 0n, c = 0n;
  let term = rv;
  for (let n = 1n; term !== 0n; n += 2n) {
    s += term;
    term = -((term * r2) >> F) / ((n + 1n) * (n + 2n));
  }
  term = 1n << F;
  for (let n = 0n; term !== 0n; n += 2n) {
    c += term;
    term = -((term * r2) >> F) / ((n + 1n) * (n + 2n));
  }
  const q = Number(k & 3n);
  let sv = q === 0 ? s : q === 1 ? c : q === 2 ? -s : -c;
  const cv = q === 0 ? c : q === 1 ? -s : q === 2 ? -c : s;
  if (x.sign) sv = -sv;
  return { sin: fixedExact(0, sv, f), cos: fixedExact(0, cv, f) };
}

/** tan as the quotient of sinCosExact's values, with the same precision. */
export function tanExact(x: Exact, extra = 0): Exact {
  const { sin, cos } = sinCosExact(x, extra);
  const f = BASE + 16 + extra;
  const shift = sin.e - cos.e + f + Math.max(0, -topOf(sin) + topOf(cos));
  const q = shift >= 0 ? (sin.m << BigInt(shift)) / cos.m : sin.m / (cos.m << BigInt(-shift));
  return { sign: sin.sign ^ cos.sign, m: q, e: -(shift - sin.e + cos.e) };
}
