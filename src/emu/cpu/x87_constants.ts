/**
 * The x87 load-constant values (fldpi, fldl2e, ...), computed once with BigInt fixed-point series
 * to far more bits than the 64 kept, so every rounding mode rounds them correctly.
 */
import type { Exact } from "./x87_float80.ts";

const BITS = 200n;
const ONE = 1n << BITS;

/** atanh(1/n) or atan(1/n) in fixed point: sum of x^(2k+1)/(2k+1), alternating for atan. */
function series(n: bigint, alternating: boolean): bigint {
  let sum = 0n;
  let pow = ONE / n; // (1/n)^(2k+1)
  const n2 = n * n;
  for (let k = 0n; pow !== 0n; k++) {
    const term = pow / (2n * k + 1n);
    sum += alternating && k % 2n === 1n ? -term : term;
    pow /= n2;
  }
  return sum;
}

let cache: Record<string, Exact> | null = null;

/** The constants as exact values with 200 fraction bits. */
export function x87Constants(): Record<string, Exact> {
  if (cache) return cache;
  const ln2 = 2n * series(3n, false);
  const ln10 = 3n * ln2 + 2n * series(9n, false); // ln(10) = 3 ln 2 + ln(5/4)
  const pi = 16n * series(5n, true) - 4n * series(239n, true);
  const fx = (m: bigint): Exact => ({ sign: 0, m, e: -Number(BITS) });
  cache = {
    l2t: fx((ln10 << BITS) / ln2),
    l2e: fx((ONE << BITS) / ln2),
    pi: fx(pi),
    lg2: fx((ln2 << BITS) / ln10),
    ln2: fx(ln2),
  };
  return cache;
}
