/**
 * SSE and x87 register state. One ArrayBuffer holds the 16 xmm registers so that integer, float
 * and double views alias the same bytes, as the hardware registers do.
 */
export class SimdState {
  /** 16 xmm registers × 16 bytes. */
  readonly xmmBuffer = new ArrayBuffer(256);
  readonly xmmU8 = new Uint8Array(this.xmmBuffer);
  readonly xmmI32 = new Int32Array(this.xmmBuffer);
  readonly xmmF32 = new Float32Array(this.xmmBuffer);
  readonly xmmF64 = new Float64Array(this.xmmBuffer);
  /** More views of the same bytes, for packed-integer lanes. */
  readonly xmmI8 = new Int8Array(this.xmmBuffer);
  readonly xmmI16 = new Int16Array(this.xmmBuffer);
  readonly xmmU16 = new Uint16Array(this.xmmBuffer);
  mxcsr = 0x1f80;
  /** x87 control word. */
  fcw = 0x37f;
  /** x87 status word (TOP lives in bits 11..13). */
  fsw = 0;
  /** x87 abridged tag word as FXSAVE stores it (bit set = register valid). */
  ftw = 0;
  /**
   * x87 data registers R0..R7 by *physical* index (ST(i) is R[(TOP + i) & 7]), in the 80-bit
   * extended format: the 64-bit significand (explicit integer bit) ...
   */
  readonly fpMant = new BigUint64Array(8);
  /** The same significands as little-endian 32-bit word pairs (FXSAVE images without BigInts). */
  readonly fpMantWords = new Uint32Array(this.fpMant.buffer);
  /** ... and sign (bit 15) | 15-bit biased exponent. */
  readonly fpSignExp = new Uint16Array(8);
  /** Last x87 opcode (11 bits) for FXSAVE/FNSTENV; instruction/data pointers are kept at 0. */
  fop = 0;
}
