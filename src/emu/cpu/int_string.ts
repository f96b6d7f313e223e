/**
 * String instructions movs/cmps/stos/lods/scas at every size, with rep/repe/repne. Registers are
 * updated as iterations complete, so a fault mid-way leaves a restartable state (rip stays at
 * the instruction). rep movs/stos with DF=0 copy page-sized chunks directly.
 */
import type { Cpu } from "./cpu.ts";
import { type Insn, P_ADDRSIZE, P_FS, P_GS, P_REP, P_REPNE } from "./insn.ts";
import { DF } from "./flags.ts";
import { commitFlags, compute, resHi } from "./int_alu.ts";
import { PAGE_SIZE } from "../mem/memory.ts";

const TWO32 = 0x100000000;

/** Reads register n as an address-sized unsigned count/pointer. */
function regValue(cpu: Cpu, n: number, wide: boolean): number {
  const regs = cpu.regs;
  return wide ? regs[2 * n + 1] * TWO32 + (regs[2 * n] >>> 0) : regs[2 * n] >>> 0;
}

function setRegValue(cpu: Cpu, n: number, wide: boolean, v: number): void {
  const regs = cpu.regs;
  if (wide) {
    regs[2 * n] = v | 0;
    regs[2 * n + 1] = Math.floor(v / TWO32) | 0;
  } else {
    regs[2 * n] = v | 0;
    regs[2 * n + 1] = 0;
  }
}

function segBase(cpu: Cpu, i: Insn): number {
  return (i.prefixes & P_FS) ? cpu.fsBaseNum : (i.prefixes & P_GS) ? cpu.gsBaseNum : 0;
}

/** Turns a pointer register value into a checked linear address. */
function linear(cpu: Cpu, v: number, wide: boolean, base: number): number {
  let a = wide ? v : v % TWO32;
  if (!wide && a < 0) a += TWO32;
  a += base;
  return cpu.stackAddr(a);
}

/** Wraps a pointer after adding delta (64-bit: signed number; 32-bit: mod 2^32). */
function advance(v: number, delta: number, wide: boolean): number {
  const r = v + delta;
  if (wide) return r;
  return ((r % TWO32) + TWO32) % TWO32;
}

/** Rep count of the instruction: rcx (ecx under 67), or 1 without a rep prefix. */
function repCount(cpu: Cpu, i: Insn, wide: boolean): number {
  if (!(i.prefixes & (P_REP | P_REPNE))) return -1;
  const regs = cpu.regs;
  return wide ? (regs[3] >>> 0) * TWO32 + (regs[2] >>> 0) : regs[2] >>> 0;
}

/** A4/A5: movs. */
export function movs(cpu: Cpu, i: Insn): void {
  const size = i.opsize;
  const wide = !(i.prefixes & P_ADDRSIZE);
  const step = (cpu.flags.other & DF) ? -size : size;
  const base = segBase(cpu, i);
  let count = repCount(cpu, i, wide);
  if (count === 0) return;
  const rep = count > 0;
  if (!rep) count = 1;
  let si = wide ? cpu.signedReg(6) : regValue(cpu, 6, false);
  let di = wide ? cpu.signedReg(7) : regValue(cpu, 7, false);
  try {
    while (count > 0) {
      if (step > 0 && count * size >= 64 && wide) {
        const done = bulkCopy(
          cpu,
          linear(cpu, si, true, base),
          linear(cpu, di, true, 0),
          count,
          size,
        );
        if (done > 0) {
          si += done * size;
          di += done * size;
          count -= done;
          continue;
        }
      }
      const v = cpu.load(linear(cpu, si, wide, base), size);
      cpu.store(linear(cpu, di, wide, 0), size, v, cpu.hi);
      si = advance(si, step, wide);
      di = advance(di, step, wide);
      count--;
    }
  } finally {
    setRegValue(cpu, 6, wide, si);
    setRegValue(cpu, 7, wide, di);
    if (rep) setRegValue(cpu, 1, wide, count);
  }
}

/** AA/AB: stos. */
export function stos(cpu: Cpu, i: Insn): void {
  const size = i.opsize;
  const wide = !(i.prefixes & P_ADDRSIZE);
  const step = (cpu.flags.other & DF) ? -size : size;
  let count = repCount(cpu, i, wide);
  if (count === 0) return;
  const rep = count > 0;
  if (!rep) count = 1;
  const v = cpu.readReg(0, size, 0);
  const vHi = cpu.hi;
  let di = wide ? cpu.signedReg(7) : regValue(cpu, 7, false);
  try {
    while (count > 0) {
      if (step > 0 && count * size >= 64 && wide) {
        const done = bulkFill(cpu, linear(cpu, di, true, 0), count, size, v, vHi);
        if (done > 0) {
          di += done * size;
          count -= done;
          continue;
        }
      }
      cpu.store(linear(cpu, di, wide, 0), size, v, vHi);
      di = advance(di, step, wide);
      count--;
    }
  } finally {
    setRegValue(cpu, 7, wide, di);
    if (rep) setRegValue(cpu, 1, wide, count);
  }
}

/** AC/AD: lods. */
export function lods(cpu: Cpu, i: Insn): void {
  const size = i.opsize;
  const wide = !(i.prefixes & P_ADDRSIZE);
  const step = (cpu.flags.other & DF) ? -size : size;
  const base = segBase(cpu, i);
  let count = repCount(cpu, i, wide);
  if (count === 0) return;
  const rep = count > 0;
  if (!rep) count = 1;
  let si = wide ? cpu.signedReg(6) : regValue(cpu, 6, false);
  try {
    while (count > 0) {
      const v = cpu.load(linear(cpu, si, wide, base), size);
      cpu.writeReg(0, size, 0, v, cpu.hi);
      si = advance(si, step, wide);
      count--;
    }
  } finally {
    setRegValue(cpu, 6, wide, si);
    if (rep) setRegValue(cpu, 1, wide, count);
  }
}

/** A6/A7 cmps and AE/AF scas: compare and set flags, with repe (F3) / repne (F2). */
function compareString(cpu: Cpu, i: Insn, scan: boolean): void {
  const size = i.opsize;
  const wide = !(i.prefixes & P_ADDRSIZE);
  const step = (cpu.flags.other & DF) ? -size : size;
  const base = segBase(cpu, i);
  let count = repCount(cpu, i, wide);
  if (count === 0) return;
  const rep = count > 0;
  const untilEqual = (i.prefixes & P_REPNE) !== 0;
  if (!rep) count = 1;
  let si = scan ? 0 : wide ? cpu.signedReg(6) : regValue(cpu, 6, false);
  let di = wide ? cpu.signedReg(7) : regValue(cpu, 7, false);
  const acc = scan ? cpu.readReg(0, size, 0) : 0;
  const accHi = scan && size === 8 ? cpu.hi : 0;
  try {
    while (count > 0) {
      let a: number, aHi: number, b: number, bHi: number;
      if (scan) {
        a = acc;
        aHi = accHi;
        b = cpu.load(linear(cpu, di, wide, 0), size);
        bHi = size === 8 ? cpu.hi : 0;
      } else {
        a = cpu.load(linear(cpu, si, wide, base), size);
        aHi = size === 8 ? cpu.hi : 0;
        b = cpu.load(linear(cpu, di, wide, 0), size);
        bHi = size === 8 ? cpu.hi : 0;
        si = advance(si, step, wide);
      }
      di = advance(di, step, wide);
      count--;
      const r = compute(cpu, 7, size, a, aHi, b, bHi);
      commitFlags(cpu, size, a, aHi, b, bHi, r, resHi);
      if (rep) {
        const equal = cpu.flags.zf() === 1;
        if (equal === untilEqual) break;
      }
    }
  } finally {
    if (!scan) setRegValue(cpu, 6, wide, si);
    setRegValue(cpu, 7, wide, di);
    if (rep) setRegValue(cpu, 1, wide, count);
  }
}

export function cmps(cpu: Cpu, i: Insn): void {
  compareString(cpu, i, false);
}

export function scas(cpu: Cpu, i: Insn): void {
  compareString(cpu, i, true);
}

/**
 * Copies whole elements forward within one source and one destination page; returns how many
 * (0 when the next element straddles a page or the ranges overlap in a way that needs the
 * element-by-element semantics).
 */
function bulkCopy(cpu: Cpu, src: number, dst: number, count: number, size: number): number {
  const mem = cpu.mem;
  const srcRoom = PAGE_SIZE - (src & (PAGE_SIZE - 1));
  const dstRoom = PAGE_SIZE - (dst & (PAGE_SIZE - 1));
  const n = Math.min(Math.floor(Math.min(srcRoom, dstRoom) / size), count);
  if (n === 0) return 0;
  const bytes = n * size;
  // Forward copy with dst inside [src, src+bytes) replicates data: leave it to the slow path.
  if (dst > src && dst < src + bytes) return 0;
  mem.checkReadable(src, bytes);
  mem.checkWritable(dst, bytes);
  const sp = mem.page(src)!, dp = mem.page(dst)!;
  const so = src & (PAGE_SIZE - 1), d0 = dst & (PAGE_SIZE - 1);
  if (sp === dp) dp.data.copyWithin(d0, so, so + bytes);
  else dp.data.set(sp.data.subarray(so, so + bytes), d0);
  return n;
}

/** Fills whole elements forward within one destination page; returns how many. */
function bulkFill(
  cpu: Cpu,
  dst: number,
  count: number,
  size: number,
  v: number,
  vHi: number,
): number {
  const mem = cpu.mem;
  const room = PAGE_SIZE - (dst & (PAGE_SIZE - 1));
  const n = Math.min(Math.floor(room / size), count);
  if (n === 0) return 0;
  const bytes = n * size;
  mem.checkWritable(dst, bytes);
  const data = mem.page(dst)!.data;
  const off = dst & (PAGE_SIZE - 1);
  if (size === 1 || (v === 0 && vHi === 0)) {
    data.fill(v & 0xff, off, off + bytes);
    if (size !== 1) data.fill(0, off, off + bytes);
    return n;
  }
  for (let k = 0; k < n; k++) {
    const o = off + k * size;
    for (let b = 0; b < size; b++) {
      data[o + b] = (b < 4 ? v >>> (8 * b) : vHi >>> (8 * (b - 4))) & 0xff;
    }
  }
  return n;
}
