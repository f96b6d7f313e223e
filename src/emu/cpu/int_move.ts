/**
 * Data movement: mov in all forms, movzx/movsx/movsxd, lea, xchg, cmovcc, setcc, bswap,
 * cbw/cwde/cdqe, cwd/cdq/cqo, xlat.
 */
import type { Cpu } from "./cpu.ts";
import { type Insn, P_ADDRSIZE, P_FS, P_GS } from "./insn.ts";
import { trunc } from "./int_alu.ts";

/** 88/89: mov Eb/Ev, Gb/Gv. */
export function movEG(cpu: Cpu, i: Insn): void {
  const size = i.opsize;
  const v = cpu.readReg(i.reg, size, i.rex);
  cpu.writeRm(i, size, v, cpu.hi);
}

/** 8A/8B: mov Gb/Gv, Eb/Ev. */
export function movGE(cpu: Cpu, i: Insn): void {
  const size = i.opsize;
  const v = cpu.readRm(i, size);
  cpu.writeReg(i.reg, size, i.rex, v, cpu.hi);
}

/** C6/C7 /0: mov Eb/Ev, imm. */
export function movEI(cpu: Cpu, i: Insn): void {
  if ((i.reg & 7) !== 0) cpu.raise("invalid_opcode");
  cpu.writeRm(i, i.opsize, i.imm, i.immHi);
}

/** B0..B7: mov r8, imm8. */
export function movRegImm8(cpu: Cpu, i: Insn): void {
  cpu.writeReg((i.op & 7) | ((i.rex & 1) << 3), 1, i.rex, i.imm, 0);
}

/** B8..BF: mov r, imm16/32/64. */
export function movRegImm(cpu: Cpu, i: Insn): void {
  cpu.writeReg((i.op & 7) | ((i.rex & 1) << 3), i.opsize, i.rex, i.imm, i.immHi);
}

/** 8D: lea Gv, M (the address without segment base, truncated to the operand size). */
export function lea(cpu: Cpu, i: Insn): void {
  if (i.mod === 3) cpu.raise("invalid_opcode");
  const regs = cpu.regs;
  const size = i.opsize;
  let lo = i.disp, hi = i.disp >> 31;
  const base = i.base;
  if (base >= 0) {
    if (base === 16) {
      const a = i.addr + i.len;
      const bl = a | 0, bh = Math.floor(a / 0x100000000) | 0;
      const s = (lo >>> 0) + (bl >>> 0);
      hi = (hi + bh + (s > 0xffffffff ? 1 : 0)) | 0;
      lo = s | 0;
    } else {
      const s = (lo >>> 0) + (regs[2 * base] >>> 0);
      hi = (hi + regs[2 * base + 1] + (s > 0xffffffff ? 1 : 0)) | 0;
      lo = s | 0;
    }
  }
  const index = i.index;
  if (index >= 0) {
    let xl = regs[2 * index], xh = regs[2 * index + 1];
    const sh = i.scale === 1 ? 0 : i.scale === 2 ? 1 : i.scale === 4 ? 2 : 3;
    if (sh > 0) {
      xh = (xh << sh) | (xl >>> (32 - sh));
      xl = xl << sh;
    }
    const s = (lo >>> 0) + (xl >>> 0);
    hi = (hi + xh + (s > 0xffffffff ? 1 : 0)) | 0;
    lo = s | 0;
  }
  if (i.prefixes & P_ADDRSIZE) hi = 0;
  cpu.writeReg(i.reg, size, i.rex, trunc(size, lo), size === 8 ? hi : 0);
}

/** 0F B6/B7: movzx Gv, Eb/Ew. */
export function movzx(cpu: Cpu, i: Insn): void {
  const v = cpu.readRm(i, (i.op & 1) ? 2 : 1);
  cpu.writeReg(i.reg, i.opsize, i.rex, trunc(i.opsize, v), 0);
}

/** 0F BE/BF: movsx Gv, Eb/Ew. */
export function movsx(cpu: Cpu, i: Insn): void {
  const word = (i.op & 1) !== 0;
  const raw = cpu.readRm(i, word ? 2 : 1);
  const v = word ? (raw << 16) >> 16 : (raw << 24) >> 24;
  cpu.writeReg(i.reg, i.opsize, i.rex, trunc(i.opsize, v), v >> 31);
}

/** 63: movsxd Gv, Ed. */
export function movsxd(cpu: Cpu, i: Insn): void {
  const v = cpu.readRm(i, 4);
  cpu.writeReg(i.reg, i.opsize, i.rex, trunc(i.opsize, v), v >> 31);
}

/** 86/87: xchg Eb/Ev, Gb/Gv (the memory form is atomic anyway here). */
export function xchgEG(cpu: Cpu, i: Insn): void {
  const size = i.opsize;
  const r = cpu.readReg(i.reg, size, i.rex);
  const rHi = cpu.hi;
  if (i.mod === 3) {
    const m = cpu.readReg(i.rm, size, i.rex);
    const mHi = cpu.hi;
    cpu.writeReg(i.rm, size, i.rex, r, rHi);
    cpu.writeReg(i.reg, size, i.rex, m, mHi);
  } else {
    const addr = cpu.ea(i);
    const m = cpu.load(addr, size);
    const mHi = cpu.hi;
    cpu.store(addr, size, r, rHi);
    cpu.writeReg(i.reg, size, i.rex, m, mHi);
  }
}

/** 90..97: xchg rAX, r (90 without REX.B is nop; F3 90 is pause). */
export function xchgAcc(cpu: Cpu, i: Insn): void {
  const n = (i.op & 7) | ((i.rex & 1) << 3);
  if (n === 0) return;
  const size = i.opsize;
  const a = cpu.readReg(0, size, 0);
  const aHi = cpu.hi;
  const b = cpu.readReg(n, size, i.rex);
  cpu.writeReg(0, size, 0, b, cpu.hi);
  cpu.writeReg(n, size, i.rex, a, aHi);
}

/** 0F 40..4F: cmovcc Gv, Ev (the source is read even when false; 32-bit always zero-extends). */
export function cmov(cpu: Cpu, i: Insn): void {
  const size = i.opsize;
  const v = cpu.readRm(i, size);
  const vHi = cpu.hi;
  if (cpu.flags.cond(i.op & 15)) cpu.writeReg(i.reg, size, i.rex, v, vHi);
  else if (size === 4) cpu.regs[2 * i.reg + 1] = 0;
}

/** 0F 90..9F: setcc Eb. */
export function setcc(cpu: Cpu, i: Insn): void {
  cpu.writeRm(i, 1, cpu.flags.cond(i.op & 15) ? 1 : 0, 0);
}

function swap32(v: number): number {
  return ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
}

/** 0F C8..CF: bswap r32/r64 (the 16-bit form zeroes the word, as hardware does). */
export function bswap(cpu: Cpu, i: Insn): void {
  const n = (i.op & 7) | ((i.rex & 1) << 3);
  const regs = cpu.regs;
  if (i.opsize === 8) {
    const lo = regs[2 * n], hi = regs[2 * n + 1];
    regs[2 * n] = swap32(hi);
    regs[2 * n + 1] = swap32(lo);
  } else if (i.opsize === 2) {
    regs[2 * n] &= ~0xffff;
  } else {
    regs[2 * n] = swap32(regs[2 * n]);
    regs[2 * n + 1] = 0;
  }
}

/** 98: cbw/cwde/cdqe. */
export function signExtendAcc(cpu: Cpu, i: Insn): void {
  const regs = cpu.regs;
  switch (i.opsize) {
    case 2:
      regs[0] = (regs[0] & ~0xffff) | (((regs[0] << 24) >> 24) & 0xffff);
      return;
    case 4:
      regs[0] = (regs[0] << 16) >> 16;
      regs[1] = 0;
      return;
    default:
      regs[1] = regs[0] >> 31;
  }
}

/** 99: cwd/cdq/cqo. */
export function signExtendIntoDx(cpu: Cpu, i: Insn): void {
  const regs = cpu.regs;
  switch (i.opsize) {
    case 2:
      regs[4] = (regs[4] & ~0xffff) | (((regs[0] << 16) >> 31) & 0xffff);
      return;
    case 4:
      regs[4] = regs[0] >> 31;
      regs[5] = 0;
      return;
    default:
      regs[4] = regs[5] = regs[1] >> 31;
  }
}

/** Absolute address of a moffs operand (A0..A3) with segment base. */
function moffs(cpu: Cpu, i: Insn): number {
  let a = (i.immHi >>> 0) * 0x100000000 + (i.imm >>> 0);
  if (i.prefixes & P_FS) a += cpu.fsBaseNum;
  else if (i.prefixes & P_GS) a += cpu.gsBaseNum;
  if (a >= 0x800000000000) cpu.raiseGp();
  return a;
}

/** A0/A1: mov AL/rAX, moffs. */
export function movAccMoffs(cpu: Cpu, i: Insn): void {
  const v = cpu.load(moffs(cpu, i), i.opsize);
  cpu.writeReg(0, i.opsize, 0, v, cpu.hi);
}

/** A2/A3: mov moffs, AL/rAX. */
export function movMoffsAcc(cpu: Cpu, i: Insn): void {
  const v = cpu.readReg(0, i.opsize, 0);
  cpu.store(moffs(cpu, i), i.opsize, v, cpu.hi);
}

/** D7: xlat (al = [rbx + al]). */
export function xlat(cpu: Cpu, i: Insn): void {
  const regs = cpu.regs;
  let a = regs[7] * 0x100000000 + (regs[6] >>> 0) + (regs[0] & 0xff);
  if (i.prefixes & P_ADDRSIZE) a = ((regs[6] >>> 0) + (regs[0] & 0xff)) % 0x100000000;
  if (i.prefixes & P_FS) a += cpu.fsBaseNum;
  else if (i.prefixes & P_GS) a += cpu.gsBaseNum;
  const v = cpu.load(cpu.stackAddr(a), 1);
  cpu.writeReg(0, 1, 0, v, 0);
}
