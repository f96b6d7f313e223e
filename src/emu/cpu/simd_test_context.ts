/**
 * Test helper for the SIMD/x87 handler tests: a minimal ExecContext over a real Memory, and a tiny
 * decoder for the few encodings the differential harnesses emit (legacy prefixes, REX, 0F map,
 * ModRM with register or [rdi+disp8] operands, optional imm8).
 */
import { Memory, PROT_READ, PROT_WRITE } from "../mem/memory.ts";
import type { FaultKind } from "./cpu_api.ts";
import { HANDLERS } from "./handler_table.ts";
import { type ExecContext, Insn, MAP_0F, P_OPSIZE, P_REP, P_REPNE } from "./insn.ts";
import { installSimdHandlers } from "./simd_handlers.ts";
import { SimdState } from "./simd_state.ts";

/** Thrown by the fake context's raise(). */
export class Raised extends Error {
  constructor(readonly kind: FaultKind) {
    super(`raised ${kind}`);
  }
}

/** Where the memory operand of every decoded test instruction points. */
export const SCRATCH = 0x10000;
export const OPERAND = SCRATCH + 32;

export class FakeContext implements ExecContext {
  readonly mem = new Memory();
  readonly regs = new Int32Array(32);
  readonly simd = new SimdState();
  rip = 0;
  rflags = 0x2;
  /** The address every memory operand resolves to. */
  operand = OPERAND;
  constructor() {
    this.mem.map(SCRATCH, 0x1000, PROT_READ | PROT_WRITE);
  }
  ea(_i: Insn): number {
    return this.operand;
  }
  getRflags(): number {
    return this.rflags;
  }
  setRflags(value: number): void {
    this.rflags = value | 2;
  }
  raise(kind: FaultKind): never {
    throw new Raised(kind);
  }
}

export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let k = 0; k < out.length; k++) out[k] = parseInt(hex.slice(2 * k, 2 * k + 2), 16);
  return out;
}
export function bytesToHex(b: Uint8Array): string {
  return Array.from(b, (v) => v.toString(16).padStart(2, "0")).join("");
}

/** Decodes one harness instruction (see testdata/*_harness.c for the encodings used). */
export function decodeTestInsn(code: Uint8Array): Insn {
  const i = new Insn();
  let k = 0;
  for (;; k++) {
    const b = code[k];
    if (b === 0x66) i.prefixes |= P_OPSIZE;
    else if (b === 0xf3) i.prefixes |= P_REP;
    else if (b === 0xf2) i.prefixes |= P_REPNE;
    else break;
  }
  if ((code[k] & 0xf0) === 0x40) i.rex = code[k++];
  i.opsize = i.rex & 8 ? 8 : i.prefixes & P_OPSIZE ? 2 : 4;
  if (code[k] === 0x0f) {
    i.op = MAP_0F | code[k + 1];
    k += 2;
  } else i.op = code[k++];
  const m = code[k++];
  i.modrm = m;
  i.mod = m >> 6;
  i.reg = ((m >> 3) & 7) | (i.rex & 4 ? 8 : 0);
  i.rm = (m & 7) | (i.rex & 1 ? 8 : 0);
  if (i.mod === 1) i.disp = code[k++];
  if (k < code.length) i.imm = code[k++];
  i.len = code.length;
  const h = HANDLERS[i.op];
  if (!h) throw new Error(`no handler for op 0x${i.op.toString(16)}`);
  i.handler = h;
  return i;
}

/** Decodes and executes one instruction given as hex. */
export function run(ctx: FakeContext, hex: string): void {
  const i = decodeTestInsn(hexToBytes(hex));
  i.handler(ctx, i);
}

let installed = false;
export function ensureHandlers(): void {
  if (!installed) installSimdHandlers();
  installed = true;
}
