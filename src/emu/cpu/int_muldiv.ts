/**
 * Multiply and divide: mul/imul (one, two and three operands) and div/idiv at every size.
 * 32×32 and 64×64 products are built from exact 16/32-bit partial products (no BigInt); only
 * divisions whose dividend exceeds 2^53 fall back to BigInt.
 */
import type { Cpu } from "./cpu.ts";
import type { Insn } from "./insn.ts";
import { CF, OF } from "./flags.ts";
import { trunc } from "./int_alu.ts";

const TWO32 = 0x100000000;

/** Product words, least significant first (int32 each). */
let w0 = 0, w1 = 0, w2 = 0, w3 = 0;

/** Unsigned 32×32 → 64: low in w0, high in w1. */
function umul32(a: number, b: number): void {
  const aL = a & 0xffff, aH = a >>> 16, bL = b & 0xffff, bH = b >>> 16;
  const ll = aL * bL, lh = aL * bH, hl = aH * bL, hh = aH * bH;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  w0 = (ll & 0xffff) | (mid << 16);
  w1 = (hh + (lh >>> 16) + (hl >>> 16) + Math.floor(mid / 0x10000)) | 0;
}

/** Unsigned 64×64 → 128 into w0..w3. */
function umul64(a0: number, a1: number, b0: number, b1: number): void {
  umul32(a0, b0);
  const p00l = w0, p00h = w1;
  umul32(a0, b1);
  const p01l = w0, p01h = w1;
  umul32(a1, b0);
  const p10l = w0, p10h = w1;
  umul32(a1, b1);
  const p11l = w0, p11h = w1;
  const t1 = (p00h >>> 0) + (p01l >>> 0) + (p10l >>> 0);
  const c1 = Math.floor(t1 / TWO32);
  const t2 = (p01h >>> 0) + (p10h >>> 0) + (p11l >>> 0) + c1;
  const c2 = Math.floor(t2 / TWO32);
  w0 = p00l;
  w1 = t1 | 0;
  w2 = t2 | 0;
  w3 = (p11h + c2) | 0;
}

/** Signed 64×64 → 128 into w0..w3. */
function smul64(a0: number, a1: number, b0: number, b1: number): void {
  umul64(a0, a1, b0, b1);
  // Two's-complement correction of the high half: subtract b if a < 0 and a if b < 0.
  if (a1 < 0) subHigh(b0, b1);
  if (b1 < 0) subHigh(a0, a1);
}

function subHigh(lo: number, hi: number): void {
  const d = (w2 >>> 0) - (lo >>> 0);
  w2 = d | 0;
  w3 = (w3 - hi - (d < 0 ? 1 : 0)) | 0;
}

/** Signed 32×32 → 64 into w0 (low), w1 (high). */
function smul32(a: number, b: number): void {
  umul32(a, b);
  let h = w1;
  if (a < 0) h -= b;
  if (b < 0) h -= a;
  w1 = h | 0;
}

/**
 * Computes the product of a×b (stored forms) at size; signed selects imul. Leaves the low part
 * in w0 (and w1 for size 8) and the high part in w1 (w2/w3 for size 8); returns whether the
 * high part is significant (CF=OF).
 */
function multiply(
  size: number,
  signed: boolean,
  a: number,
  aHi: number,
  b: number,
  bHi: number,
): boolean {
  switch (size) {
    case 1:
    case 2: {
      const bits = size * 8;
      const sa = signed ? (a << (32 - bits)) >> (32 - bits) : a;
      const sb = signed ? (b << (32 - bits)) >> (32 - bits) : b;
      const p = sa * sb; // exact: |p| < 2^32
      w0 = trunc(size, p);
      w1 = trunc(size, p >> bits);
      const back = signed ? (w0 << (32 - bits)) >> (32 - bits) : w0;
      return back !== p;
    }
    case 4:
      if (signed) {
        smul32(a, b);
        return w1 !== (w0 >> 31);
      }
      umul32(a, b);
      return w1 !== 0;
    default:
      if (signed) {
        smul64(a, aHi, b, bHi);
        const ext = w1 >> 31;
        return w2 !== ext || w3 !== ext;
      }
      umul64(a, aHi, b, bHi);
      return (w2 | w3) !== 0;
  }
}

function mulFlags(cpu: Cpu, size: number, over: boolean, lo: number, hi: number): void {
  cpu.flags.setResult(size, lo, size === 8 ? hi : 0, over ? CF | OF : 0);
}

/** F6/F7 /4 /5: mul/imul with the accumulator (AX, DX:AX, EDX:EAX, RDX:RAX). */
export function mulAcc(cpu: Cpu, i: Insn): void {
  const size = i.opsize;
  const signed = (i.reg & 7) === 5;
  const b = cpu.readRm(i, size);
  const bHi = size === 8 ? cpu.hi : 0;
  const a = cpu.readReg(0, size, 0);
  const aHi = size === 8 ? cpu.hi : 0;
  const over = multiply(size, signed, a, aHi, b, bHi);
  if (size === 1) {
    cpu.writeReg(0, 2, 0, (w1 << 8) | w0, 0);
    mulFlags(cpu, 1, over, w0, 0);
  } else if (size === 8) {
    const lo0 = w0, lo1 = w1;
    cpu.writeReg(0, 8, 0, lo0, lo1);
    cpu.writeReg(2, 8, 0, w2, w3);
    mulFlags(cpu, 8, over, lo0, lo1);
  } else {
    cpu.writeReg(0, size, 0, w0, 0);
    cpu.writeReg(2, size, 0, w1, 0);
    mulFlags(cpu, size, over, w0, 0);
  }
}

function imulInto(cpu: Cpu, i: Insn, a: number, aHi: number, b: number, bHi: number): void {
  const size = i.opsize;
  const over = multiply(size, true, a, aHi, b, bHi);
  const lo = w0, hi = size === 8 ? w1 : 0;
  cpu.writeReg(i.reg, size, i.rex, lo, hi);
  mulFlags(cpu, size, over, lo, hi);
}

/** 0F AF: imul Gv, Ev. */
export function imulGE(cpu: Cpu, i: Insn): void {
  const size = i.opsize;
  const b = cpu.readRm(i, size);
  const bHi = size === 8 ? cpu.hi : 0;
  const a = cpu.readReg(i.reg, size, i.rex);
  imulInto(cpu, i, a, size === 8 ? cpu.hi : 0, b, bHi);
}

/** 69/6B: imul Gv, Ev, imm. */
export function imulGEI(cpu: Cpu, i: Insn): void {
  const size = i.opsize;
  const a = cpu.readRm(i, size);
  const aHi = size === 8 ? cpu.hi : 0;
  imulInto(cpu, i, a, aHi, trunc(size, i.imm), size === 8 ? i.immHi : 0);
}

/** Division result (quotient, remainder) as int32 pairs. */
let qLo = 0, qHi = 0, rLo = 0, rHi = 0;

/** Unsigned 128/64 (or 64/32) division via BigInt; false on overflow. */
function divideBig(n: bigint, d: bigint, signed: boolean, bits: number): boolean {
  let q = n / d;
  const r = n - q * d;
  if (signed) {
    if (q !== BigInt.asIntN(bits, q)) return false;
  } else if (q !== BigInt.asUintN(bits, q)) return false;
  q = BigInt.asUintN(64, q);
  const ru = BigInt.asUintN(64, r);
  qLo = Number(q & 0xffffffffn) | 0;
  qHi = Number(q >> 32n) | 0;
  rLo = Number(ru & 0xffffffffn) | 0;
  rHi = Number(ru >> 32n) | 0;
  return true;
}

function pairToBig(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/** F6/F7 /6 /7: div/idiv. Raises #DE on a zero divisor or an overflowing quotient. */
export function divAcc(cpu: Cpu, i: Insn): void {
  const size = i.opsize;
  const signed = (i.reg & 7) === 7;
  const d = cpu.readRm(i, size);
  const dHi = size === 8 ? cpu.hi : 0;
  if ((d | dHi) === 0) cpu.raise("divide");
  const regs = cpu.regs;
  switch (size) {
    case 1: {
      const n = regs[0] & 0xffff;
      const nn = signed ? (n << 16) >> 16 : n;
      const dd = signed ? (d << 24) >> 24 : d;
      const q = Math.trunc(nn / dd);
      if (signed ? q < -128 || q > 127 : q > 0xff) cpu.raise("divide");
      const r = nn - q * dd;
      cpu.writeReg(0, 2, 0, ((r & 0xff) << 8) | (q & 0xff), 0);
      return;
    }
    case 2: {
      const n = ((regs[4] & 0xffff) << 16) | (regs[0] & 0xffff);
      const nn = signed ? n : n >>> 0;
      const dd = signed ? (d << 16) >> 16 : d;
      const q = Math.trunc(nn / dd);
      if (signed ? q < -32768 || q > 32767 : q > 0xffff) cpu.raise("divide");
      const r = nn - q * dd;
      cpu.writeReg(0, 2, 0, q, 0);
      cpu.writeReg(2, 2, 0, r, 0);
      return;
    }
    case 4: {
      const nLo = regs[0], nHi = regs[4];
      if (!signed && nHi === 0) {
        const q = Math.floor((nLo >>> 0) / (d >>> 0));
        const r = (nLo >>> 0) - q * (d >>> 0);
        cpu.writeReg(0, 4, 0, q, 0);
        cpu.writeReg(2, 4, 0, r, 0);
        return;
      }
      const n = pairToBig(nLo, nHi);
      const ok = signed
        ? divideBig(BigInt.asIntN(64, n), BigInt(d), true, 32)
        : divideBig(n, BigInt(d >>> 0), false, 32);
      if (!ok) cpu.raise("divide");
      cpu.writeReg(0, 4, 0, qLo, 0);
      cpu.writeReg(2, 4, 0, rLo, 0);
      return;
    }
    default: {
      const nLo = regs[0], nHi = regs[1], xLo = regs[4], xHi = regs[5];
      if (!signed && (xLo | xHi) === 0 && nHi >>> 0 < 0x200000 && dHi >>> 0 < 0x200000) {
        const n = (nHi >>> 0) * TWO32 + (nLo >>> 0);
        const dv = (dHi >>> 0) * TWO32 + (d >>> 0);
        const q = Math.floor(n / dv);
        const r = n - q * dv;
        cpu.writeReg(0, 8, 0, q | 0, Math.floor(q / TWO32) | 0);
        cpu.writeReg(2, 8, 0, r | 0, Math.floor(r / TWO32) | 0);
        return;
      }
      const n = (pairToBig(xLo, xHi) << 64n) | pairToBig(nLo, nHi);
      const dv = pairToBig(d, dHi);
      const ok = signed
        ? divideBig(BigInt.asIntN(128, n), BigInt.asIntN(64, dv), true, 64)
        : divideBig(n, dv, false, 64);
      if (!ok) cpu.raise("divide");
      cpu.writeReg(0, 8, 0, qLo, qHi);
      cpu.writeReg(2, 8, 0, rLo, rHi);
    }
  }
}
