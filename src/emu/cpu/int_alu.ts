/**
 * Integer arithmetic and logic: add/or/adc/sbb/and/sub/xor/cmp in all encodings, test, inc, dec,
 * neg, not. Results are computed first and flags recorded only after the destination write
 * succeeded, so a faulting store leaves the flags untouched (adc/sbb re-execute correctly).
 */
import type { Cpu } from "./cpu.ts";
import type { Insn } from "./insn.ts";
import { CC_ADC, CC_ADD, CC_DEC, CC_INC, CC_LOGIC, CC_SBB, CC_SUB } from "./flags.ts";

/** Truncates v to size bytes in the stored form (zero-extended below 4, int32 at 4 and 8). */
export function trunc(size: number, v: number): number {
  return size === 1 ? v & 0xff : size === 2 ? v & 0xffff : v | 0;
}

/** High half of the last computed result (size 8 only). */
export let resHi = 0;
/** Flag kind of the last `compute`. */
let resKind = CC_ADD;

/** ALU op (0 add, 1 or, 2 adc, 3 sbb, 4 and, 5 sub, 6 xor, 7 cmp) on stored-form operands. */
export function compute(
  cpu: Cpu,
  op: number,
  size: number,
  a: number,
  aHi: number,
  b: number,
  bHi: number,
): number {
  let cin = 0;
  switch (op) {
    case 2:
      cin = cpu.flags.cf();
      /* falls through */
    case 0:
      resKind = cin ? CC_ADC : CC_ADD;
      if (size === 8) {
        const s = (a >>> 0) + (b >>> 0) + cin;
        resHi = (aHi + bHi + (s > 0xffffffff ? 1 : 0)) | 0;
        return s | 0;
      }
      resHi = 0;
      return trunc(size, a + b + cin);
    case 3:
      cin = cpu.flags.cf();
      /* falls through */
    case 5:
    case 7:
      resKind = cin ? CC_SBB : CC_SUB;
      if (size === 8) {
        const d = (a >>> 0) - (b >>> 0) - cin;
        resHi = (aHi - bHi - (d < 0 ? 1 : 0)) | 0;
        return d | 0;
      }
      resHi = 0;
      return trunc(size, a - b - cin);
    case 1:
      resKind = CC_LOGIC;
      resHi = aHi | bHi;
      return a | b;
    case 4:
      resKind = CC_LOGIC;
      resHi = aHi & bHi;
      return a & b;
    default:
      resKind = CC_LOGIC;
      resHi = aHi ^ bHi;
      return a ^ b;
  }
}

/** Records the flags of the last `compute`. */
export function commitFlags(
  cpu: Cpu,
  size: number,
  a: number,
  aHi: number,
  b: number,
  bHi: number,
  res: number,
  rHi: number,
): void {
  if (resKind === CC_LOGIC) cpu.flags.setLogic(size, res, rHi);
  else cpu.flags.set(resKind, size, a, aHi, b, bHi, res, rHi);
}

/** Applies ALU op to the r/m operand with source (b, bHi); cmp does not write. */
function aluRm(cpu: Cpu, i: Insn, op: number, size: number, b: number, bHi: number): void {
  let a: number, aHi = 0;
  if (i.mod === 3) {
    a = cpu.readReg(i.rm, size, i.rex);
    if (size === 8) aHi = cpu.hi;
    const r = compute(cpu, op, size, a, aHi, b, bHi);
    const rHi = resHi;
    if (op !== 7) cpu.writeReg(i.rm, size, i.rex, r, rHi);
    commitFlags(cpu, size, a, aHi, b, bHi, r, rHi);
  } else {
    const addr = cpu.ea(i);
    a = cpu.load(addr, size);
    if (size === 8) aHi = cpu.hi;
    const r = compute(cpu, op, size, a, aHi, b, bHi);
    const rHi = resHi;
    if (op !== 7) cpu.store(addr, size, r, rHi);
    commitFlags(cpu, size, a, aHi, b, bHi, r, rHi);
  }
}

/** 00/01 08/09 …: op Eb/Ev, Gb/Gv. */
export function aluEG(cpu: Cpu, i: Insn): void {
  const size = i.opsize;
  const b = cpu.readReg(i.reg, size, i.rex);
  aluRm(cpu, i, (i.op >> 3) & 7, size, b, size === 8 ? cpu.hi : 0);
}

/** 02/03 0A/0B …: op Gb/Gv, Eb/Ev. */
export function aluGE(cpu: Cpu, i: Insn): void {
  const size = i.opsize;
  const op = (i.op >> 3) & 7;
  const b = cpu.readRm(i, size);
  const bHi = size === 8 ? cpu.hi : 0;
  const a = cpu.readReg(i.reg, size, i.rex);
  const aHi = size === 8 ? cpu.hi : 0;
  const r = compute(cpu, op, size, a, aHi, b, bHi);
  const rHi = resHi;
  if (op !== 7) cpu.writeReg(i.reg, size, i.rex, r, rHi);
  commitFlags(cpu, size, a, aHi, b, bHi, r, rHi);
}

/** 04/05 0C/0D …: op AL/eAX, imm. */
export function aluAccImm(cpu: Cpu, i: Insn): void {
  const size = i.opsize;
  const op = (i.op >> 3) & 7;
  const a = cpu.readReg(0, size, 0);
  const aHi = size === 8 ? cpu.hi : 0;
  const b = trunc(size, i.imm);
  const bHi = size === 8 ? i.immHi : 0;
  const r = compute(cpu, op, size, a, aHi, b, bHi);
  const rHi = resHi;
  if (op !== 7) cpu.writeReg(0, size, 0, r, rHi);
  commitFlags(cpu, size, a, aHi, b, bHi, r, rHi);
}

/** 80/81/83: group 1, op Eb/Ev, imm. */
export function aluGroup1(cpu: Cpu, i: Insn): void {
  const size = i.opsize;
  aluRm(cpu, i, i.reg & 7, size, trunc(size, i.imm), size === 8 ? i.immHi : 0);
}

/** 84/85: test Eb/Ev, Gb/Gv. */
export function testEG(cpu: Cpu, i: Insn): void {
  const size = i.opsize;
  const a = cpu.readRm(i, size);
  const aHi = cpu.hi;
  const b = cpu.readReg(i.reg, size, i.rex);
  cpu.flags.setLogic(size, a & b, size === 8 ? aHi & cpu.hi : 0);
}

/** A8/A9: test AL/eAX, imm. */
export function testAccImm(cpu: Cpu, i: Insn): void {
  const size = i.opsize;
  const a = cpu.readReg(0, size, 0);
  cpu.flags.setLogic(size, a & trunc(size, i.imm), size === 8 ? cpu.hi & i.immHi : 0);
}

/** F6/F7 /0 /1: test Eb/Ev, imm. */
export function testRmImm(cpu: Cpu, i: Insn): void {
  const size = i.opsize;
  const a = cpu.readRm(i, size);
  cpu.flags.setLogic(size, a & trunc(size, i.imm), size === 8 ? cpu.hi & i.immHi : 0);
}

/** Reads the r/m operand for a read-modify-write; returns the address or -1 for a register. */
function rmwRead(cpu: Cpu, i: Insn, size: number): number {
  if (i.mod === 3) {
    rmwValue = cpu.readReg(i.rm, size, i.rex);
    rmwHi = size === 8 ? cpu.hi : 0;
    return -1;
  }
  const addr = cpu.ea(i);
  rmwValue = cpu.load(addr, size);
  rmwHi = size === 8 ? cpu.hi : 0;
  return addr;
}
let rmwValue = 0;
let rmwHi = 0;

function rmwWrite(cpu: Cpu, i: Insn, addr: number, size: number, lo: number, hi: number): void {
  if (i.mod === 3) cpu.writeReg(i.rm, size, i.rex, lo, hi);
  else cpu.store(addr, size, lo, hi);
}

/** FE/FF /0 /1: inc/dec Eb/Ev (CF survives). */
export function incDecRm(cpu: Cpu, i: Insn): void {
  const size = i.opsize;
  const dec = (i.reg & 7) === 1;
  const addr = rmwRead(cpu, i, size);
  const a = rmwValue, aHi = rmwHi;
  const r = compute(cpu, dec ? 5 : 0, size, a, aHi, 1, 0);
  const rHi = resHi;
  const cf = cpu.flags.cf();
  rmwWrite(cpu, i, addr, size, r, rHi);
  cpu.flags.set(dec ? CC_DEC : CC_INC, size, a, aHi, 1, 0, r, rHi);
  cpu.flags.aux = cf;
}

/** F6/F7 /2: not (no flags). */
export function notRm(cpu: Cpu, i: Insn): void {
  const size = i.opsize;
  const addr = rmwRead(cpu, i, size);
  rmwWrite(cpu, i, addr, size, trunc(size, ~rmwValue), ~rmwHi);
}

/** F6/F7 /3: neg (flags of 0 - x). */
export function negRm(cpu: Cpu, i: Insn): void {
  const size = i.opsize;
  const addr = rmwRead(cpu, i, size);
  const b = rmwValue, bHi = rmwHi;
  const r = compute(cpu, 5, size, 0, 0, b, bHi);
  const rHi = resHi;
  rmwWrite(cpu, i, addr, size, r, rHi);
  cpu.flags.set(CC_SUB, size, 0, 0, b, bHi, r, rHi);
}
