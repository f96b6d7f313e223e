/**
 * Shifts and rotates: rol/ror/rcl/rcr/shl/shr/sar (by 1, imm8, cl) and shld/shrd. A masked count
 * of zero changes nothing, flags included. 64-bit shifts work on int32 pairs; the rare
 * rotate-through-carry and double shifts use BigInt.
 */
import type { Cpu } from "./cpu.ts";
import type { Insn } from "./insn.ts";
import { AF, CF, OF } from "./flags.ts";
import { trunc } from "./int_alu.ts";

let outHi = 0;

/** Bit n (0..63) of the pair (lo, hi). */
function bitOf(lo: number, hi: number, n: number): number {
  return n < 32 ? (lo >>> n) & 1 : (hi >>> (n - 32)) & 1;
}

function msb(size: number, lo: number, hi: number): number {
  return size === 8 ? hi >>> 31 : (lo >>> (size * 8 - 1)) & 1;
}

function toBig(size: number, lo: number, hi: number): bigint {
  return size === 8 ? (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0) : BigInt(lo >>> 0);
}

/**
 * Applies shift/rotate op (the /digit: 0 rol, 1 ror, 2 rcl, 3 rcr, 4 shl, 5 shr, 6 sal, 7 sar)
 * by masked count c (≥ 1) to (a, aHi); returns the result (hi in outHi) and records flags.
 */
function shiftOp(cpu: Cpu, op: number, size: number, a: number, aHi: number, c: number): number {
  const bits = size * 8;
  let r = 0, rHi = 0, cf = 0, of = 0;
  switch (op) {
    case 4:
    case 6: // shl/sal
      if (size === 8) {
        if (c < 32) {
          rHi = (aHi << c) | (a >>> (32 - c));
          r = a << c;
        } else {
          rHi = a << (c - 32);
          r = 0;
        }
        cf = bitOf(a, aHi, 64 - c);
      } else {
        r = trunc(size, a << c);
        cf = c <= bits ? (a >>> (bits - c)) & 1 : 0;
      }
      of = msb(size, r, rHi) ^ cf;
      break;
    case 5: // shr
      if (size === 8) {
        if (c < 32) {
          r = (a >>> c) | (aHi << (32 - c));
          rHi = aHi >>> c;
        } else {
          r = aHi >>> (c - 32);
          rHi = 0;
        }
        r |= 0;
        rHi |= 0;
        cf = bitOf(a, aHi, c - 1);
      } else {
        r = trunc(size, a >>> c);
        cf = c <= bits ? (a >>> (c - 1)) & 1 : 0;
      }
      // AMD: OF = top two result bits differ (equals the original MSB when the count is 1).
      of = msb(size, r, rHi) ^ (size === 8 ? (rHi >>> 30) & 1 : (r >>> (bits - 2)) & 1);
      break;
    case 7: // sar
      if (size === 8) {
        if (c < 32) {
          r = ((a >>> c) | (aHi << (32 - c))) | 0;
          rHi = aHi >> c;
        } else {
          r = aHi >> (c - 32);
          rHi = aHi >> 31;
        }
        cf = bitOf(a, aHi, c - 1);
      } else {
        const sa = (a << (32 - bits)) >> (32 - bits);
        r = trunc(size, sa >> c);
        cf = (sa >> (c - 1)) & 1;
      }
      break;
    default:
      return rotate(cpu, op, size, a, aHi, c);
  }
  outHi = rHi;
  // The host (AMD) sets AF on every shl/shr/sar with a non-zero count.
  cpu.flags.setResult(size, r, rHi, (cf ? CF : 0) | (of ? OF : 0) | AF);
  return r;
}

function rotate(cpu: Cpu, op: number, size: number, a: number, aHi: number, c: number): number {
  const bits = size * 8;
  let r: number, rHi = 0, cf: number, of: number;
  if (op <= 1) {
    const n = c % bits;
    const left = op === 0 ? n : (bits - n) % bits;
    if (size === 8) {
      let lo = a, hi = aHi;
      let k = left;
      if (k >= 32) {
        const t = lo;
        lo = hi;
        hi = t;
        k -= 32;
      }
      if (k > 0) {
        const nlo = (lo << k) | (hi >>> (32 - k));
        hi = (hi << k) | (lo >>> (32 - k));
        lo = nlo;
      }
      r = lo;
      rHi = hi;
    } else {
      r = left === 0 ? a : trunc(size, (a << left) | (a >>> (bits - left)));
    }
    if (op === 0) {
      cf = r & 1;
      of = msb(size, r, rHi) ^ cf;
    } else {
      cf = msb(size, r, rHi);
      of = cf ^ (size === 8 ? (rHi >>> 30) & 1 : (r >>> (bits - 2)) & 1);
    }
  } else {
    // Rotate through carry: a (bits+1)-bit rotation of CF:value.
    const n = size <= 2 ? c % (bits + 1) : c;
    const cin = cpu.flags.cf();
    const width = BigInt(bits + 1);
    const v = (BigInt(cin) << BigInt(bits)) | toBig(size, a, aHi);
    const mask = (1n << width) - 1n;
    const nb = BigInt(n);
    const rot = op === 2
      ? ((v << nb) | (v >> (width - nb))) & mask
      : ((v >> nb) | (v << (width - nb))) & mask;
    cf = Number(rot >> BigInt(bits)) & 1;
    const res = rot & ((1n << BigInt(bits)) - 1n);
    r = Number(res & 0xffffffffn) | 0;
    rHi = size === 8 ? Number(res >> 32n) | 0 : 0;
    if (size < 4) r = trunc(size, r);
    if (op === 2) of = msb(size, r, rHi) ^ cf;
    else of = msb(size, r, rHi) ^ (size === 8 ? (rHi >>> 30) & 1 : (r >>> (bits - 2)) & 1);
  }
  outHi = rHi;
  cpu.flags.setBits(CF | OF, (cf ? CF : 0) | (of ? OF : 0));
  return r;
}

function shiftRm(cpu: Cpu, i: Insn, count: number): void {
  const size = i.opsize;
  const c = count & (size === 8 ? 63 : 31);
  const op = i.reg & 7;
  if (i.mod === 3) {
    const a = cpu.readReg(i.rm, size, i.rex);
    const aHi = size === 8 ? cpu.hi : 0;
    if (c === 0) {
      // A 32-bit register destination is still written (zero-extended), flags untouched.
      if (size === 4) cpu.regs[2 * i.rm + 1] = 0;
      return;
    }
    const r = shiftOp(cpu, op, size, a, aHi, c);
    cpu.writeReg(i.rm, size, i.rex, r, outHi);
  } else {
    const addr = cpu.ea(i);
    const a = cpu.load(addr, size);
    const aHi = size === 8 ? cpu.hi : 0;
    if (c === 0) return;
    // Compute on a snapshot so a faulting store leaves the flags as they were.
    const f = cpu.flags;
    const kind = f.kind, fsize = f.size, res = f.res, resHi = f.resHi, fa = f.a, faHi = f.aHi;
    const fb = f.b, fbHi = f.bHi, aux = f.aux;
    const r = shiftOp(cpu, op, size, a, aHi, c);
    try {
      cpu.store(addr, size, r, outHi);
    } catch (e) {
      f.set(kind, fsize, fa, faHi, fb, fbHi, res, resHi);
      f.aux = aux;
      throw e;
    }
  }
}

/** D0/D1: shift group by 1. */
export function shiftBy1(cpu: Cpu, i: Insn): void {
  shiftRm(cpu, i, 1);
}
/** D2/D3: shift group by CL. */
export function shiftByCl(cpu: Cpu, i: Insn): void {
  shiftRm(cpu, i, cpu.regs[2] & 0xff);
}
/** C0/C1: shift group by imm8. */
export function shiftByImm(cpu: Cpu, i: Insn): void {
  shiftRm(cpu, i, i.imm & 0xff);
}

/** 0F A4/A5 shld and 0F AC/AD shrd (imm8 or CL count). */
export function doubleShift(cpu: Cpu, i: Insn): void {
  const size = i.opsize;
  const bits = size * 8;
  const count = (i.op & 1) ? cpu.regs[2] & 0xff : i.imm & 0xff;
  const c = count & (size === 8 ? 63 : 31);
  const left = (i.op & 0xff) < 0xa8;
  const src = cpu.readReg(i.reg, size, i.rex);
  const srcHi = size === 8 ? cpu.hi : 0;
  const addr = i.mod === 3 ? -1 : cpu.ea(i);
  const a = addr < 0 ? cpu.readReg(i.rm, size, i.rex) : cpu.load(addr, size);
  const aHi = size === 8 ? cpu.hi : 0;
  if (c === 0) {
    if (size === 4 && addr < 0) cpu.regs[2 * i.rm + 1] = 0;
    return;
  }
  const d = toBig(size, a, aHi), s = toBig(size, src, srcHi);
  const B = BigInt(bits), C = BigInt(c);
  const maskB = (1n << B) - 1n;
  let res: bigint, cf: number;
  if (left) {
    // dest:src:dest as a pattern so counts above the width (16-bit forms) stay defined.
    const wide = (d << (2n * B)) | (s << B) | d;
    res = (wide >> (2n * B - C)) & maskB;
    cf = Number((wide >> (3n * B - C)) & 1n);
  } else {
    const wide = (d << (2n * B)) | (s << B) | d;
    res = (wide >> C) & maskB;
    cf = Number((wide >> (C - 1n)) & 1n);
  }
  const r = trunc(size, Number(res & 0xffffffffn));
  const rHi = size === 8 ? Number(res >> 32n) | 0 : 0;
  // AMD: shld's OF follows shl (MSB ^ CF), shrd's follows shr (top two result bits).
  const of = left
    ? msb(size, r, rHi) ^ cf
    : msb(size, r, rHi) ^ (size === 8 ? (rHi >>> 30) & 1 : (r >>> (bits - 2)) & 1);
  if (addr < 0) cpu.writeReg(i.rm, size, i.rex, r, rHi);
  else cpu.store(addr, size, r, rHi);
  cpu.flags.setResult(size, r, rHi, (cf ? CF : 0) | (of ? OF : 0) | AF);
}
