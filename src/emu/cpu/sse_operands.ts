/**
 * Operand plumbing shared by the SSE handlers: a 16-byte scratch register that sources are copied
 * into (so `op xmm0, xmm0` never reads half-updated lanes, and every memory read happens before any
 * state changes), typed views over the xmm file, and the mandatory-prefix dispatch.
 */
import { type ExecContext, type Handler, type Insn, P_OPSIZE, P_REP, P_REPNE } from "./insn.ts";

/** The source operand, as loaded by `loadSrc*`. */
export const SRC_BUFFER = new ArrayBuffer(16);
export const S8 = new Int8Array(SRC_BUFFER);
export const SU8 = new Uint8Array(SRC_BUFFER);
export const S16 = new Int16Array(SRC_BUFFER);
export const SU16 = new Uint16Array(SRC_BUFFER);
export const S32 = new Int32Array(SRC_BUFFER);
export const SF32 = new Float32Array(SRC_BUFFER);
export const SF64 = new Float64Array(SRC_BUFFER);

/** A second scratch register for results computed out of place (shuffles, packs, unpacks). */
export const TMP_BUFFER = new ArrayBuffer(16);
export const T8 = new Int8Array(TMP_BUFFER);
export const TU8 = new Uint8Array(TMP_BUFFER);
export const T16 = new Int16Array(TMP_BUFFER);
export const T32 = new Int32Array(TMP_BUFFER);

/** #GP for a misaligned 16-byte operand of an instruction that demands alignment. */
export function checkAligned(ctx: ExecContext, addr: number): void {
  if (addr % 16 !== 0) ctx.raise("general_protection");
}

/** Copies the 128-bit r/m operand (xmm or memory) into the source scratch register. */
export function loadSrc128(ctx: ExecContext, i: Insn, aligned: boolean): void {
  if (i.mod === 3) {
    const x = ctx.simd.xmmI32, r = i.rm * 4;
    S32[0] = x[r];
    S32[1] = x[r + 1];
    S32[2] = x[r + 2];
    S32[3] = x[r + 3];
    return;
  }
  const addr = ctx.ea(i);
  if (aligned) checkAligned(ctx, addr);
  const mem = ctx.mem;
  const lo = mem.read64(addr);
  const hi = mem.hi;
  S32[2] = mem.read64(addr + 8);
  S32[3] = mem.hi;
  S32[0] = lo;
  S32[1] = hi;
}

/** Loads the low 64 bits of the r/m operand into S32[0..1] (S32[2..3] zeroed). */
export function loadSrc64(ctx: ExecContext, i: Insn): void {
  if (i.mod === 3) {
    const x = ctx.simd.xmmI32;
    S32[0] = x[i.rm * 4];
    S32[1] = x[i.rm * 4 + 1];
  } else {
    const mem = ctx.mem;
    S32[0] = mem.read64(ctx.ea(i));
    S32[1] = mem.hi;
  }
  S32[2] = 0;
  S32[3] = 0;
}

/** Loads the low 32 bits of the r/m operand into S32[0] (the rest zeroed). */
export function loadSrc32(ctx: ExecContext, i: Insn): void {
  S32[0] = i.mod === 3 ? ctx.simd.xmmI32[i.rm * 4] : ctx.mem.read32(ctx.ea(i));
  S32[1] = 0;
  S32[2] = 0;
  S32[3] = 0;
}

/** Stores 16 bytes from the xmm file (starting at int32 index `at`) to memory, all or nothing. */
export function store128(ctx: ExecContext, addr: number, x: Int32Array, at: number): void {
  const mem = ctx.mem;
  if ((addr & 0xfff) > 0xff0) mem.checkWritable(addr, 16);
  mem.write64(addr, x[at], x[at + 1]);
  mem.write64(addr + 8, x[at + 2], x[at + 3]);
}

/** Reads a general register's low 32 bits / high 32 bits. */
export function gprLo(ctx: ExecContext, r: number): number {
  return ctx.regs[r * 2];
}
export function gprHi(ctx: ExecContext, r: number): number {
  return ctx.regs[r * 2 + 1];
}
/** Writes a 32-bit result to a GPR (zero-extending, as x86 does). */
export function setGpr32(ctx: ExecContext, r: number, v: number): void {
  ctx.regs[r * 2] = v;
  ctx.regs[r * 2 + 1] = 0;
}
export function setGpr64(ctx: ExecContext, r: number, lo: number, hi: number): void {
  ctx.regs[r * 2] = lo;
  ctx.regs[r * 2 + 1] = hi;
}

/** Mandatory prefix index: 0 none, 1 = 66, 2 = F3, 3 = F2 (F2/F3 win over 66). */
export function mandatoryPrefix(i: Insn): number {
  if (i.prefixes & P_REPNE) return 3;
  if (i.prefixes & P_REP) return 2;
  if (i.prefixes & P_OPSIZE) return 1;
  return 0;
}

/** Handlers per mandatory prefix; "mmx" marks MMX forms (valid, but not implemented). */
type Entry = Handler | "mmx" | undefined;
export type PrefixTable = [Entry, Entry, Entry, Entry];

/** One handler for an opcode that dispatches on the mandatory prefix. */
export function byPrefix(table: PrefixTable): Handler {
  return (ctx, i) => {
    const h = table[mandatoryPrefix(i)];
    if (h === undefined) return ctx.raise("invalid_opcode");
    if (h === "mmx") return ctx.raise("unimplemented");
    h(ctx, i);
  };
}

/** A handler valid only with a register (mod = 3) operand; memory forms are #UD. */
export function regOnly(h: Handler): Handler {
  return (ctx, i) => {
    if (i.mod !== 3) ctx.raise("invalid_opcode");
    h(ctx, i);
  };
}

/** A handler valid only with a memory operand; register forms are #UD. */
export function memOnly(h: Handler): Handler {
  return (ctx, i) => {
    if (i.mod === 3) ctx.raise("invalid_opcode");
    h(ctx, i);
  };
}
