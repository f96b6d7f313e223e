/**
 * Bit instructions: bt/bts/btr/btc (register and immediate bit offsets, with the memory
 * bit-string addressing of the register form) and bsf/bsr (also reached through the F3-prefixed
 * tzcnt/lzcnt encodings, since BMI1/LZCNT are not advertised).
 */
import type { Cpu } from "./cpu.ts";
import type { Insn } from "./insn.ts";
import { ARITH_FLAGS, CF, PF, ZF } from "./flags.ts";

/** Applies op (0 bt, 1 bts, 2 btr, 3 btc) to bit `bit` of (lo, hi); returns new lo, hi in outHi. */
let outHi = 0;
function apply(op: number, lo: number, hi: number, bit: number): number {
  outHi = hi;
  if (op === 0) return lo;
  if (bit >= 32) {
    const m = 1 << (bit - 32);
    outHi = op === 1 ? hi | m : op === 2 ? hi & ~m : hi ^ m;
    return lo;
  }
  const m = 1 << bit;
  return op === 1 ? lo | m : op === 2 ? lo & ~m : lo ^ m;
}

function bitOp(
  cpu: Cpu,
  i: Insn,
  op: number,
  offLo: number,
  offHi: number,
  fromReg: boolean,
): void {
  const size = i.opsize;
  const bits = size * 8;
  if (i.mod === 3) {
    const bit = offLo & (bits - 1);
    const v = cpu.readReg(i.rm, size, i.rex);
    const vHi = size === 8 ? cpu.hi : 0;
    const cf = bit >= 32 ? (vHi >>> (bit - 32)) & 1 : (v >>> bit) & 1;
    const r = apply(op, v, vHi, bit);
    if (op !== 0) cpu.writeReg(i.rm, size, i.rex, r, outHi);
    cpu.flags.setBits(CF, cf);
    return;
  }
  let addr = cpu.ea(i);
  let bit: number;
  if (fromReg) {
    // The register offset is a signed bit index relative to the operand address.
    let off: number;
    if (size === 8) off = offHi * 0x100000000 + (offLo >>> 0);
    else if (size === 4) off = offLo;
    else off = (offLo << 16) >> 16;
    const unit = Math.floor(off / bits);
    addr += unit * size;
    bit = off - unit * bits;
    addr = cpu.stackAddr(addr);
  } else bit = offLo & (bits - 1);
  const v = cpu.load(addr, size);
  const vHi = size === 8 ? cpu.hi : 0;
  const cf = bit >= 32 ? (vHi >>> (bit - 32)) & 1 : (v >>> bit) & 1;
  const r = apply(op, v, vHi, bit);
  if (op !== 0) cpu.store(addr, size, r, outHi);
  cpu.flags.setBits(CF, cf);
}

/** 0F A3/AB/B3/BB: bt/bts/btr/btc Ev, Gv. */
export function btReg(cpu: Cpu, i: Insn): void {
  const op = ((i.op & 0xff) >> 3) & 3; // A3→0, AB→1, B3→2, BB→3
  const off = cpu.readReg(i.reg, i.opsize, i.rex);
  bitOp(cpu, i, op, off, i.opsize === 8 ? cpu.hi : 0, true);
}

/** 0F BA /4../7: bt/bts/btr/btc Ev, imm8. */
export function btImm(cpu: Cpu, i: Insn): void {
  const d = i.reg & 7;
  if (d < 4) cpu.raise("invalid_opcode");
  bitOp(cpu, i, d - 4, i.imm & 0xff, 0, false);
}

/** 0F BC bsf / 0F BD bsr: a zero source sets ZF and leaves the destination unchanged. */
export function bitScan(cpu: Cpu, i: Insn): void {
  const size = i.opsize;
  const v = cpu.readRm(i, size);
  const vHi = size === 8 ? cpu.hi : 0;
  // Flags as the host (AMD) leaves them: like a logic op on the index; ZF = source was zero.
  if ((v | vHi) === 0) {
    cpu.flags.setBits(ARITH_FLAGS, ZF | PF);
    return;
  }
  let idx: number;
  if ((i.op & 0xff) === 0xbc) {
    idx = v !== 0 ? 31 - Math.clz32(v & -v) : 32 + 31 - Math.clz32(vHi & -vHi);
  } else {
    idx = vHi !== 0 ? 63 - Math.clz32(vHi) : 31 - Math.clz32(v);
  }
  cpu.writeReg(i.reg, size, i.rex, idx, 0);
  cpu.flags.setBits(ARITH_FLAGS, (0x9669 >> ((idx ^ (idx >> 4)) & 15)) & 1 ? PF : 0);
}
