/**
 * A decoded x86-64 instruction and the execution context its handler gets. Instructions are
 * decoded once, cached in blocks, and executed by calling `handler(ctx, insn)`.
 */
import type { Memory } from "../mem/memory.ts";
import type { FaultKind } from "./cpu_api.ts";
import type { SimdState } from "./simd_state.ts";

/** Prefix bits in `Insn.prefixes`. */
export const P_OPSIZE = 1; // 66
export const P_ADDRSIZE = 2; // 67
export const P_REP = 4; // F3 (REP/REPE, or SSE mandatory prefix)
export const P_REPNE = 8; // F2 (REPNE, or SSE mandatory prefix)
export const P_LOCK = 16; // F0
export const P_FS = 32; // 64
export const P_GS = 64; // 65

/** Opcode maps, the high byte of `Insn.op`. */
export const MAP_PRIMARY = 0x000; // one-byte opcodes
export const MAP_0F = 0x100;
export const MAP_0F38 = 0x200;
export const MAP_0F3A = 0x300;

/** `Insn.base` value for RIP-relative addressing. */
export const BASE_RIP = 16;
/** `Insn.base` / `Insn.index` value for "none". */
export const NO_REG = -1;

export type Handler = (ctx: ExecContext, i: Insn) => void;

export class Insn {
  /** Address of the first byte. */
  addr = 0;
  /** Length in bytes (1..15). */
  len = 0;
  /** Map | opcode byte, e.g. 0x001 (add Ev,Gv), 0x158 (0F 58 addps/addpd/addss/addsd). */
  op = 0;
  /** P_* bits. */
  prefixes = 0;
  /** The REX byte (0x40..0x4f) or 0. */
  rex = 0;
  /** Operand size in bytes for integer instructions: 1, 2, 4 or 8 (from REX.W / 66 / opcode). */
  opsize = 4;
  /** Raw ModRM byte, or -1 when the instruction has none. */
  modrm = -1;
  /** ModRM.mod (3 = register operand). */
  mod = 0;
  /** ModRM.reg extended by REX.R (0..15); for group opcodes the /digit is `reg & 7`. */
  reg = 0;
  /** ModRM.rm extended by REX.B (0..15) when mod = 3. */
  rm = 0;
  /** Memory operand: base register (0..15, BASE_RIP, or NO_REG). */
  base = NO_REG;
  /** Memory operand: index register (0..15 or NO_REG). */
  index = NO_REG;
  /** Memory operand: scale factor 1, 2, 4 or 8. */
  scale = 1;
  /** Memory operand: sign-extended 32-bit displacement. */
  disp = 0;
  /** Immediate, low 32 bits (sign-extended to int32 where the encoding says so). */
  imm = 0;
  /** Immediate, high 32 bits (imm64 of `mov r64, imm64`, or sign extension of imm). */
  immHi = 0;
  /** Second immediate (enter's imm8), else 0. */
  imm2 = 0;
  /** The handler that executes this instruction. */
  handler: Handler = () => {};
}

/**
 * What an instruction handler can touch. The CPU class implements it; handlers in separate files
 * (integer, SSE, x87) depend only on this.
 *
 * Conventions: while a handler runs, `rip` already holds the address of the *next* instruction
 * (branches overwrite it). Handlers do every memory read that can fault before changing any
 * state, so a MemFault thrown mid-handler leaves the instruction un-executed (precise faults);
 * the CPU then resets rip to `insn.addr`.
 */
export interface ExecContext {
  readonly mem: Memory;
  /** GPRs as int32 pairs: register n has its low half at [2n] and high half at [2n+1]. */
  readonly regs: Int32Array;
  readonly simd: SimdState;
  rip: number;
  /** Effective address of the memory operand (segment base applied, 32-bit wrap under 67). */
  ea(i: Insn): number;
  getRflags(): number;
  setRflags(value: number): void;
  /** Raises a precise fault for the current instruction (e.g. "invalid_opcode"); never returns. */
  raise(kind: FaultKind): never;
}
