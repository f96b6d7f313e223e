import assert from "node:assert/strict";
import { fxrstorImage, fxsaveImage, MXCSR_MASK, resetSimd } from "./simd_image.ts";
import { SimdState } from "./simd_state.ts";

function sampleState(): SimdState {
  const s = new SimdState();
  s.fcw = 0x27f;
  s.fsw = (6 << 11) | 0x21; // TOP = 6, PE|IE
  s.ftw = 0b1100_0000; // R6 and R7 valid
  s.fpMant[6] = 0xc90fdaa22168c235n; // ST0 = pi
  s.fpSignExp[6] = 0x4000;
  s.fpMant[7] = 0x8000000000000000n; // ST1 = -1
  s.fpSignExp[7] = 0xbfff;
  s.mxcsr = 0x3fa0;
  for (let k = 0; k < 256; k++) s.xmmU8[k] = (k * 7 + 3) & 0xff;
  return s;
}

Deno.test("fxsave image has the architectural layout with registers in ST order", () => {
  const img = fxsaveImage(sampleState());
  const v = new DataView(img.buffer);
  assert.equal(img.length, 512);
  assert.equal(v.getUint16(0, true), 0x27f);
  assert.equal(v.getUint16(2, true), (6 << 11) | 0x21);
  assert.equal(img[4], 0b1100_0000); // abridged tags stay indexed by physical register
  assert.equal(v.getUint32(24, true), 0x3fa0);
  assert.equal(v.getUint32(28, true), MXCSR_MASK);
  assert.equal(v.getBigUint64(32, true), 0xc90fdaa22168c235n); // ST0 at offset 32
  assert.equal(v.getUint16(40, true), 0x4000);
  assert.equal(v.getBigUint64(48, true), 0x8000000000000000n); // ST1 at offset 48
  assert.equal(v.getUint16(56, true), 0xbfff);
  assert.equal(img[160], 3);
  assert.equal(img[160 + 255], (255 * 7 + 3) & 0xff);
});

Deno.test("fxrstor of an fxsave image restores the same state", () => {
  const a = sampleState();
  const b = new SimdState();
  fxrstorImage(b, fxsaveImage(a));
  assert.deepEqual(fxsaveImage(b), fxsaveImage(a));
  assert.equal(b.fpMant[6], 0xc90fdaa22168c235n);
  assert.deepEqual(b.xmmU8, a.xmmU8);
});

Deno.test("fxrstor drops reserved MXCSR bits and rejects short images", () => {
  const img = fxsaveImage(new SimdState());
  new DataView(img.buffer).setUint32(24, 0xffff1f80, true);
  const s = new SimdState();
  fxrstorImage(s, img);
  assert.equal(s.mxcsr, 0x1f80);
  assert.throws(() => fxrstorImage(s, new Uint8Array(100)), RangeError);
});

Deno.test("resetSimd gives the init state", () => {
  const s = sampleState();
  resetSimd(s);
  assert.equal(s.fcw, 0x37f);
  assert.equal(s.fsw, 0);
  assert.equal(s.ftw, 0);
  assert.equal(s.mxcsr, 0x1f80);
  assert.ok(s.xmmU8.every((b) => b === 0));
  assert.ok(s.fpMant.every((m) => m === 0n));
});
