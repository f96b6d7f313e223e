import assert from "node:assert/strict";
import {
  addExact,
  bitLength,
  divExact,
  type F80,
  FMT_F80,
  fromF64,
  fromInt,
  isqrt,
  kindOf,
  pack80,
  roundTo,
  roundToReg,
  sqrtExact,
  toExact,
  toF32,
  toF64,
  toInt,
  x87Status,
  X_IE,
  X_PE,
} from "./x87_float80.ts";
import { x87Constants } from "./x87_constants.ts";

const f64 = (v: number) => {
  const d = new DataView(new ArrayBuffer(8));
  d.setFloat64(0, v);
  return fromF64(d.getBigUint64(0));
};
const num = (x: F80) => {
  const d = new DataView(new ArrayBuffer(8));
  d.setBigUint64(0, toF64(x, 0));
  return d.getFloat64(0);
};

Deno.test("1/3 in extended precision rounds the 64-bit significand to nearest", () => {
  const third = roundToReg(divExact(toExact(fromInt(1n)), toExact(fromInt(3n))), 64, 0);
  assert.equal(third.mant, 0xaaaaaaaaaaaaaaabn);
  assert.equal(third.se, 0x3ffd);
  const down = roundToReg(divExact(toExact(fromInt(1n)), toExact(fromInt(3n))), 64, 1);
  assert.equal(down.mant, 0xaaaaaaaaaaaaaaaan);
  // Precision control 53 bits gives the double nearest 1/3.
  assert.equal(num(roundToReg(divExact(toExact(fromInt(1n)), toExact(fromInt(3n))), 53, 0)), 1 / 3);
});

Deno.test("x87 constants match the documented FLDPI/FLDLN2 significands", () => {
  const c = x87Constants();
  assert.equal(pack80(roundTo(c.pi, FMT_F80, 0)).mant, 0xc90fdaa22168c235n);
  assert.equal(pack80(roundTo(c.pi, FMT_F80, 1)).mant, 0xc90fdaa22168c234n);
  assert.equal(pack80(roundTo(c.ln2, FMT_F80, 0)).mant, 0xb17217f7d1cf79acn);
});

Deno.test("double <-> extended conversions are exact both ways", () => {
  for (const v of [0.1, -2.5, 1e300, 5e-324, 2 ** -1022, Number.MAX_VALUE, -0]) {
    assert.ok(Object.is(num(f64(v)), v), `round trip ${v}`);
  }
  assert.equal(kindOf(f64(5e-324)), "normal"); // a double denormal is normal in 80 bits
});

Deno.test("sums of far-apart magnitudes round with a sticky bit", () => {
  const one = toExact(fromInt(1n));
  const tiny = toExact(f64(2 ** -200));
  assert.equal(roundToReg(addExact(one, tiny, 0), 64, 0).mant, 1n << 63n);
  assert.equal(roundToReg(addExact(one, tiny, 2), 64, 2).mant, (1n << 63n) + 1n);
  assert.equal(roundToReg(addExact(one, { ...tiny, sign: 1 }, 1), 64, 1).mant, (1n << 64n) - 1n);
});

Deno.test("store to float32/float64 rounds, overflows and flags like the FPU", () => {
  x87Status.exc = 0;
  assert.equal(toF32(f64(1 / 3), 0), 0x3eaaaaab);
  assert.ok(x87Status.exc & X_PE);
  x87Status.exc = 0;
  assert.equal(toF32(f64(1e300), 3), 0x7f7fffff); // toward zero: largest finite
  assert.equal(toF32(f64(1e300), 0), 0x7f800000);
});

Deno.test("integer conversions: rounding modes and the indefinite value", () => {
  assert.equal(toInt(f64(2.5), 32, 0), 2n);
  assert.equal(toInt(f64(3.5), 32, 0), 4n);
  assert.equal(toInt(f64(-2.5), 32, 1), -3n);
  assert.equal(toInt(f64(-2.5), 32, 3), -2n);
  x87Status.exc = 0;
  assert.equal(toInt(f64(2 ** 31), 32, 0), null);
  assert.ok(x87Status.exc & X_IE);
  assert.equal(toInt(f64(-(2 ** 63)), 64, 0), -(2n ** 63n));
});

Deno.test("square roots are correctly rounded", () => {
  assert.equal(isqrt(10n ** 40n), 10n ** 20n);
  assert.equal(num(roundToReg(sqrtExact(toExact(fromInt(2n))), 53, 0)), Math.SQRT2);
  const r = roundToReg(sqrtExact(toExact(fromInt(2n))), 64, 0);
  assert.equal(r.mant, 0xb504f333f9de6484n);
});

Deno.test("bitLength is exact at powers of two and their neighbours", () => {
  for (const k of [1, 2, 52, 53, 63, 64, 65, 200, 999, 1000, 1001, 1100]) {
    const p = 1n << BigInt(k);
    assert.equal(bitLength(p - 1n), k, `2^${k}-1`);
    assert.equal(bitLength(p), k + 1, `2^${k}`);
    assert.equal(bitLength(p + 1n), k + 1, `2^${k}+1`);
  }
  assert.equal(bitLength(0n), 0);
  assert.equal(bitLength(1n), 1);
});
