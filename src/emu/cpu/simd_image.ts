/**
 * The 512-byte FXSAVE image of x87/SSE state (also the start of a signal frame's fpstate), and
 * the architectural reset state.
 */
import type { SimdState } from "./simd_state.ts";

/** MXCSR bits this CPU lets software set (DAZ included), as FXSAVE's mxcsr_mask reports. */
export const MXCSR_MASK = 0xffff;

/** The FXSAVE image of `s`, written into `img` (512 bytes from its start) when given. */
export function fxsaveImage(s: SimdState, img: Uint8Array = new Uint8Array(512)): Uint8Array {
  const v = new DataView(img.buffer, img.byteOffset, 512);
  img.fill(0, 0, 160); // FIP/FDP, reserved bytes and register padding are zero in the image
  v.setUint16(0, s.fcw, true);
  v.setUint16(2, s.fsw, true);
  img[4] = s.ftw & 0xff;
  v.setUint16(6, s.fop & 0x7ff, true);
  v.setUint32(24, s.mxcsr, true);
  v.setUint32(28, MXCSR_MASK, true);
  const top = (s.fsw >> 11) & 7;
  const mant = s.fpMantWords;
  for (let i = 0; i < 8; i++) {
    const r = (top + i) & 7; // the image holds ST(i), not R(i)
    v.setUint32(32 + 16 * i, mant[2 * r], true);
    v.setUint32(32 + 16 * i + 4, mant[2 * r + 1], true);
    v.setUint16(32 + 16 * i + 8, s.fpSignExp[r], true);
  }
  img.set(s.xmmU8, 160);
  return img;
}

/** Loads state from an FXSAVE image; reserved MXCSR bits are dropped (the kernel checks them). */
export function fxrstorImage(s: SimdState, img: Uint8Array): void {
  if (img.length < 416) throw new RangeError(`fxrstor image too short: ${img.length} bytes`);
  const v = new DataView(img.buffer, img.byteOffset, img.byteLength);
  s.fcw = v.getUint16(0, true);
  s.fsw = v.getUint16(2, true);
  s.ftw = img[4];
  s.fop = v.getUint16(6, true) & 0x7ff;
  s.mxcsr = v.getUint32(24, true) & MXCSR_MASK;
  const top = (s.fsw >> 11) & 7;
  const mant = s.fpMantWords;
  for (let i = 0; i < 8; i++) {
    const r = (top + i) & 7;
    mant[2 * r] = v.getUint32(32 + 16 * i, true);
    mant[2 * r + 1] = v.getUint32(32 + 16 * i + 4, true);
    s.fpSignExp[r] = v.getUint16(32 + 16 * i + 8, true);
  }
  s.xmmU8.set(img.subarray(160, 416));
}

/** Init state: FCW 0x37f, FSW 0, all tags empty, MXCSR 0x1f80, registers zero. */
export function resetSimd(s: SimdState): void {
  s.fcw = 0x37f;
  s.fsw = 0;
  s.ftw = 0;
  s.fop = 0;
  s.mxcsr = 0x1f80;
  s.fpMant.fill(0n);
  s.fpSignExp.fill(0);
  s.xmmU8.fill(0);
}
