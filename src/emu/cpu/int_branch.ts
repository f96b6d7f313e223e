/**
 * Control transfer: jcc, jmp, call, ret, loop/jrcxz. While a handler runs `cpu.rip` already
 * holds the next instruction's address, so relative targets are `rip + rel`.
 */
import type { Cpu } from "./cpu.ts";
import { type Insn, P_ADDRSIZE } from "./insn.ts";

const TWO32 = 0x100000000;

/**
 * A branch to a non-canonical address raises #GP on the branch itself (nothing is pushed or
 * popped, rip stays at the branch): `hi` is the target's upper 32 bits.
 */
function checkTarget(cpu: Cpu, hi: number): void {
  const h = hi >>> 0;
  if (h >= 0x8000 && h < 0xffff8000) cpu.raiseGp();
}

/** 70..7F, 0F 80..8F: jcc rel. */
export function jcc(cpu: Cpu, i: Insn): void {
  if (cpu.flags.cond(i.op & 15)) cpu.rip += i.imm;
}

/** E9/EB: jmp rel. */
export function jmpRel(cpu: Cpu, i: Insn): void {
  cpu.rip += i.imm;
}

/** E8: call rel32. */
export function callRel(cpu: Cpu, i: Insn): void {
  const next = cpu.rip;
  cpu.push(8, next | 0, Math.floor(next / TWO32) | 0);
  cpu.rip = next + i.imm;
}

/** FF /2: call Ev (64-bit target). */
export function callRm(cpu: Cpu, i: Insn): void {
  const lo = cpu.readRm(i, 8);
  checkTarget(cpu, cpu.hi);
  const target = (cpu.hi >>> 0) * TWO32 + (lo >>> 0);
  const next = cpu.rip;
  cpu.push(8, next | 0, Math.floor(next / TWO32) | 0);
  cpu.rip = target;
}

/** FF /4: jmp Ev (64-bit target). */
export function jmpRm(cpu: Cpu, i: Insn): void {
  const lo = cpu.readRm(i, 8);
  checkTarget(cpu, cpu.hi);
  cpu.rip = (cpu.hi >>> 0) * TWO32 + (lo >>> 0);
}

/** C3: ret; C2: ret imm16. */
export function ret(cpu: Cpu, i: Insn): void {
  const lo = cpu.pop(8);
  const h = cpu.hi >>> 0;
  if (h >= 0x8000 && h < 0xffff8000) {
    cpu.setRsp(cpu.rspNumber() - 8); // the faulting ret pops nothing
    cpu.raiseGp();
  }
  cpu.rip = h * TWO32 + (lo >>> 0);
  if (i.op === 0xc2) cpu.setRsp(cpu.rspNumber() + i.imm);
}

/** E0 loopne, E1 loope, E2 loop, E3 jrcxz (ecx with 67). */
export function loop(cpu: Cpu, i: Insn): void {
  const regs = cpu.regs;
  const wide = (i.prefixes & P_ADDRSIZE) === 0;
  if (i.op === 0xe3) {
    if (regs[2] === 0 && (!wide || regs[3] === 0)) cpu.rip += i.imm;
    return;
  }
  // Decrement rcx/ecx without touching flags.
  let lo = regs[2], hi = wide ? regs[3] : 0;
  if (lo === 0 && wide) hi = (hi - 1) | 0;
  lo = (lo - 1) | 0;
  regs[2] = lo;
  regs[3] = hi;
  let take = (lo | hi) !== 0;
  if (i.op === 0xe0) take = take && cpu.flags.zf() === 0;
  else if (i.op === 0xe1) take = take && cpu.flags.zf() === 1;
  if (take) cpu.rip += i.imm;
}
