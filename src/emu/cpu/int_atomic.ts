/**
 * Compare-and-exchange and exchange-add: cmpxchg, cmpxchg8b/16b, xadd. There is one guest
 * thread per CPU object, so "atomic" is simply "in one handler".
 */
import type { Cpu } from "./cpu.ts";
import type { Insn } from "./insn.ts";
import { ZF } from "./flags.ts";
import { commitFlags, compute, resHi } from "./int_alu.ts";

/** 0F B0/B1: cmpxchg Eb/Ev, Gb/Gv. */
export function cmpxchg(cpu: Cpu, i: Insn): void {
  const size = i.opsize;
  const acc = cpu.readReg(0, size, 0);
  const accHi = size === 8 ? cpu.hi : 0;
  const src = cpu.readReg(i.reg, size, i.rex);
  const srcHi = size === 8 ? cpu.hi : 0;
  const addr = i.mod === 3 ? -1 : cpu.ea(i);
  const d = addr < 0 ? cpu.readReg(i.rm, size, i.rex) : cpu.load(addr, size);
  const dHi = size === 8 ? cpu.hi : 0;
  const r = compute(cpu, 7, size, acc, accHi, d, dHi);
  const rHi = resHi;
  const equal = (r | rHi) === 0;
  if (addr < 0) {
    if (equal) cpu.writeReg(i.rm, size, i.rex, src, srcHi);
    else cpu.writeReg(0, size, 0, d, dHi);
  } else {
    // The memory form always writes (the old value back on failure).
    if (equal) cpu.store(addr, size, src, srcHi);
    else {
      cpu.store(addr, size, d, dHi);
      cpu.writeReg(0, size, 0, d, dHi);
    }
  }
  commitFlags(cpu, size, acc, accHi, d, dHi, r, rHi);
}

/** 0F C0/C1: xadd Eb/Ev, Gb/Gv. */
export function xadd(cpu: Cpu, i: Insn): void {
  const size = i.opsize;
  const src = cpu.readReg(i.reg, size, i.rex);
  const srcHi = size === 8 ? cpu.hi : 0;
  const addr = i.mod === 3 ? -1 : cpu.ea(i);
  const d = addr < 0 ? cpu.readReg(i.rm, size, i.rex) : cpu.load(addr, size);
  const dHi = size === 8 ? cpu.hi : 0;
  const r = compute(cpu, 0, size, d, dHi, src, srcHi);
  const rHi = resHi;
  if (addr < 0) {
    cpu.writeReg(i.reg, size, i.rex, d, dHi);
    cpu.writeReg(i.rm, size, i.rex, r, rHi);
  } else {
    cpu.store(addr, size, r, rHi);
    cpu.writeReg(i.reg, size, i.rex, d, dHi);
  }
  commitFlags(cpu, size, d, dHi, src, srcHi, r, rHi);
}

/** 0F C7 /1: cmpxchg8b m64 / cmpxchg16b m128 (REX.W; needs 16-byte alignment). */
export function cmpxchg8b16b(cpu: Cpu, i: Insn): void {
  const regs = cpu.regs;
  const addr = cpu.ea(i);
  if (i.opsize === 8) {
    if (addr % 16 !== 0) cpu.raiseGp();
    const m0 = cpu.load(addr, 8), m1 = cpu.hi;
    const m2 = cpu.load(addr + 8, 8), m3 = cpu.hi;
    if (m0 === regs[0] && m1 === regs[1] && m2 === regs[4] && m3 === regs[5]) {
      cpu.mem.checkWritable(addr, 16);
      cpu.store(addr, 8, regs[6], regs[7]);
      cpu.store(addr + 8, 8, regs[2], regs[3]);
      cpu.flags.setBits(ZF, ZF);
    } else {
      cpu.mem.checkWritable(addr, 16);
      cpu.store(addr, 8, m0, m1);
      cpu.store(addr + 8, 8, m2, m3);
      regs[0] = m0;
      regs[1] = m1;
      regs[4] = m2;
      regs[5] = m3;
      cpu.flags.setBits(ZF, 0);
    }
    return;
  }
  const lo = cpu.load(addr, 8), hi = cpu.hi;
  if (lo === regs[0] && hi === regs[4]) {
    cpu.store(addr, 8, regs[6], regs[2]);
    cpu.flags.setBits(ZF, ZF);
  } else {
    cpu.store(addr, 8, lo, hi);
    regs[0] = lo;
    regs[1] = 0;
    regs[4] = hi;
    regs[5] = 0;
    cpu.flags.setBits(ZF, 0);
  }
}
