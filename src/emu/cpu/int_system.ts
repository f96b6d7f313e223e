/**
 * System-level and miscellaneous instructions: syscall, cpuid, rdtsc, int3/int n, hlt, ud2, the
 * flag instructions (clc/stc/cmc/cld/std/lahf/sahf), fences and hint nops, and the 0F AE group
 * (fxsave/fxrstor/ldmxcsr/stmxcsr).
 */
import type { Cpu } from "./cpu.ts";
import { type Insn, P_REP, P_REPNE } from "./insn.ts";
import { AF, CF, DF, PF, SF, ZF } from "./flags.ts";
import { cpuidLeaf } from "./cpuid.ts";
import { fxrstorImage, fxsaveImage } from "./simd_image.ts";

/** rdtsc ticks per retired instruction (a deterministic clock). */
export const TSC_PER_INSN = 4;

/** 0F 05: syscall. rcx = next rip, r11 = rflags; the run loop stops with "syscall". */
export function syscall(cpu: Cpu, _i: Insn): void {
  const regs = cpu.regs;
  const next = cpu.rip;
  regs[2] = next | 0;
  regs[3] = Math.floor(next / 0x100000000) | 0;
  regs[22] = cpu.flags.get() & ~0x10000; // RF reads as 0
  regs[23] = 0;
  cpu.stopReason = "syscall";
}

/** 0F A2: cpuid. */
export function cpuid(cpu: Cpu, _i: Insn): void {
  const regs = cpu.regs;
  const [a, b, c, d] = cpuidLeaf(regs[0], regs[2]);
  regs[0] = a;
  regs[1] = 0;
  regs[6] = b;
  regs[7] = 0;
  regs[2] = c;
  regs[3] = 0;
  regs[4] = d;
  regs[5] = 0;
}

/** 0F 31: rdtsc, derived from the instruction count (always first in its block, so exact). */
export function rdtsc(cpu: Cpu, _i: Insn): void {
  const t = cpu.icount * TSC_PER_INSN;
  const regs = cpu.regs;
  regs[0] = t | 0;
  regs[1] = 0;
  regs[4] = Math.floor(t / 0x100000000) | 0;
  regs[5] = 0;
}

/** CC: int3. */
export function int3(cpu: Cpu, _i: Insn): void {
  cpu.raise("breakpoint");
}

/**
 * CD: int n. Vector 3 behaves as int3; everything else is #GP in user mode (int 0x80 too), with
 * the IDT-vector error code (n << 3) | 2 that Linux passes on in uc_mcontext.err.
 */
export function intN(cpu: Cpu, i: Insn): void {
  const n = i.imm & 0xff;
  if (n === 3) cpu.raise("breakpoint");
  cpu.raiseGp((n << 3) | 2);
}

/** F4: hlt (privileged: #GP, reported as "halt"). */
export function hlt(cpu: Cpu, _i: Insn): void {
  cpu.raiseHalt();
}

/** 0F 0B ud2, 0F B9 ud1, 0F FF ud0 and other deliberate #UD encodings. */
export function ud(cpu: Cpu, _i: Insn): void {
  cpu.raise("invalid_opcode");
}

/** FA cli, FB sti, and other privileged instructions: #GP. */
export function privileged(cpu: Cpu, _i: Insn): void {
  cpu.raiseGp();
}

/** Hint nops: 0F 18..1F (prefetch, nopl, endbr64), 0F 0D prefetchw, 90-family via xchg. */
export function nop(_cpu: Cpu, _i: Insn): void {}

/** F5 cmc, F8 clc, F9 stc. */
export function carryOp(cpu: Cpu, i: Insn): void {
  const f = cpu.flags;
  if (i.op === 0xf5) f.setBits(CF, f.cf() ^ 1);
  else f.setBits(CF, i.op === 0xf9 ? CF : 0);
}

/** FC cld, FD std. */
export function directionOp(cpu: Cpu, i: Insn): void {
  const f = cpu.flags;
  f.other = i.op === 0xfd ? f.other | DF : f.other & ~DF;
}

/** 9F: lahf (AH = SF:ZF:0:AF:0:PF:1:CF). */
export function lahf(cpu: Cpu, _i: Insn): void {
  const v = (cpu.flags.arith() & (SF | ZF | AF | PF | CF)) | 2;
  cpu.regs[0] = (cpu.regs[0] & ~0xff00) | (v << 8);
}

/** 9E: sahf. */
export function sahf(cpu: Cpu, _i: Insn): void {
  const mask = SF | ZF | AF | PF | CF;
  cpu.flags.setBits(mask, (cpu.regs[0] >> 8) & mask);
}

/** 8C: mov Ev, Sreg (the fixed user-mode selectors). */
export function movFromSreg(cpu: Cpu, i: Insn): void {
  const sel = [0, 0x33, 0x2b, 0, 0, 0][i.reg & 7];
  if (sel === undefined) cpu.raise("invalid_opcode");
  const size = i.mod === 3 ? i.opsize : 2;
  cpu.writeRm(i, size, sel, 0);
}

/** 0F AE: fences (register forms) and fxsave/fxrstor/ldmxcsr/stmxcsr/clflush (memory forms). */
export function group15(cpu: Cpu, i: Insn): void {
  const d = i.reg & 7;
  if (i.mod === 3) {
    // lfence/mfence/sfence; the F3-prefixed rd/wr fs/gs base forms are not advertised.
    if (d >= 5 && (i.prefixes & (P_REP | P_REPNE)) === 0) return;
    cpu.raise("invalid_opcode");
  }
  const addr = cpu.ea(i);
  switch (d) {
    case 0: {
      if (addr % 16 !== 0) cpu.raiseGp();
      const img = fxsaveImage(cpu.simd);
      cpu.mem.writeBytes(addr, img);
      return;
    }
    case 1: {
      if (addr % 16 !== 0) cpu.raiseGp();
      const img = cpu.mem.readBytes(addr, 512);
      const mx = img[24] | (img[25] << 8) | (img[26] << 16) | (img[27] << 24);
      if (mx & 0xffff0000) cpu.raiseGp();
      fxrstorImage(cpu.simd, img);
      return;
    }
    case 2: {
      const v = cpu.load(addr, 4);
      if (v & 0xffff0000) cpu.raiseGp();
      cpu.simd.mxcsr = v;
      return;
    }
    case 3:
      cpu.store(addr, 4, cpu.simd.mxcsr, 0);
      return;
    case 7: // clflush: check the address is readable, nothing else
      cpu.load(addr, 1);
      return;
    default: // xsave family: not advertised
      cpu.raise("invalid_opcode");
  }
}
