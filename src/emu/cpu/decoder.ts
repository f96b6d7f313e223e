/**
 * The x86-64 instruction decoder: prefixes, REX, the one-byte/0F/0F38/0F3A maps, ModRM/SIB,
 * displacements and immediates. It knows the length of every opcode (integer, SSE, x87) so that
 * blocks decode correctly even where the handler is missing; handlers come from `HANDLERS`.
 */
import {
  BASE_RIP,
  type Handler,
  Insn,
  MAP_0F,
  MAP_0F38,
  MAP_0F3A,
  NO_REG,
  P_ADDRSIZE,
  P_FS,
  P_GS,
  P_LOCK,
  P_OPSIZE,
  P_REP,
  P_REPNE,
} from "./insn.ts";
import { HANDLERS } from "./handler_table.ts";
import type { FaultKind } from "./cpu_api.ts";

/** Immediate kinds. */
const I_NONE = 0;
const I_8 = 1; // imm8, sign-extended
const I_16 = 2; // imm16, zero-extended (ret/enter)
const I_Z = 3; // imm16 or imm32 by operand size, sign-extended
const I_V = 4; // imm16/imm32/imm64 by operand size (mov r, imm)
const I_MOFFS = 5; // 8-byte (4 with 67) absolute address
const I_ENTER = 6; // imm16 then imm8
const I_REL32 = 7; // rel32 always (near branches ignore 66 in 64-bit mode)
const I_GRP3 = 8; // F6/F7: immediate only for /0 and /1

/** Per opcode (primary + 0F maps, 512 entries): bit 0x80 = has ModRM, low bits = immediate kind. */
const INFO = new Uint8Array(0x400);
/** Opcodes that are invalid in 64-bit mode (raise #UD without further decoding). */
const INVALID = new Uint8Array(0x400);
/** Opcodes on which operand size is 1 byte. */
const BYTE_OP = new Uint8Array(0x400);
/** Opcodes that end a decoded block (control flow, syscalls, traps). */
export const ENDS_BLOCK = new Uint8Array(0x400);

const M = 0x80;

function fill(from: number, to: number, v: number): void {
  for (let o = from; o <= to; o++) INFO[o] = v;
}

(function buildTables() {
  // One-byte map.
  for (let row = 0; row < 0x40; row += 8) {
    INFO[row] =
      INFO[row + 1] =
      INFO[row + 2] =
      INFO[row + 3] =
        M;
    INFO[row + 4] = I_8;
    INFO[row + 5] = I_Z;
    BYTE_OP[row] = BYTE_OP[row + 2] = BYTE_OP[row + 4] = 1;
  }
  for (const o of [0x06, 0x07, 0x0e, 0x16, 0x17, 0x1e, 0x1f, 0x27, 0x2f, 0x37, 0x3f]) {
    INVALID[o] = 1;
  }
  for (const o of [0x60, 0x61, 0x62, 0x82, 0x9a, 0xc4, 0xc5, 0xce, 0xd4, 0xd5, 0xd6, 0xea]) {
    INVALID[o] = 1;
  }
  INFO[0x63] = M;
  INFO[0x68] = I_Z;
  INFO[0x69] = M | I_Z;
  INFO[0x6a] = I_8;
  INFO[0x6b] = M | I_8;
  fill(0x70, 0x7f, I_8);
  INFO[0x80] = M | I_8;
  INFO[0x81] = M | I_Z;
  INFO[0x83] = M | I_8;
  fill(0x84, 0x8f, M);
  INFO[0xa0] =
    INFO[0xa1] =
    INFO[0xa2] =
    INFO[0xa3] =
      I_MOFFS;
  INFO[0xa8] = I_8;
  INFO[0xa9] = I_Z;
  fill(0xb0, 0xb7, I_8);
  fill(0xb8, 0xbf, I_V);
  INFO[0xc0] = INFO[0xc1] = M | I_8;
  INFO[0xc2] = INFO[0xca] = I_16;
  INFO[0xc6] = M | I_8;
  INFO[0xc7] = M | I_Z;
  INFO[0xc8] = I_ENTER;
  INFO[0xcd] = I_8;
  fill(0xd0, 0xd3, M);
  fill(0xd8, 0xdf, M);
  fill(0xe0, 0xe7, I_8);
  INFO[0xe8] = INFO[0xe9] = I_REL32;
  INFO[0xeb] = I_8;
  INFO[0xf6] = INFO[0xf7] = M | I_GRP3;
  INFO[0xfe] = INFO[0xff] = M;
  for (
    const o of [
      0x80,
      0x84,
      0x86,
      0x88,
      0x8a,
      0xa0,
      0xa2,
      0xa4,
      0xa6,
      0xa8,
      0xaa,
      0xac,
      0xae,
      0xc0,
      0xc6,
      0xd0,
      0xd2,
      0xf6,
      0xfe,
    ]
  ) BYTE_OP[o] = 1;
  for (let o = 0xb0; o <= 0xb7; o++) BYTE_OP[o] = 1;
  for (
    const o of [
      0x70,
      0x71,
      0x72,
      0x73,
      0x74,
      0x75,
      0x76,
      0x77,
      0x78,
      0x79,
      0x7a,
      0x7b,
      0x7c,
      0x7d,
      0x7e,
      0x7f,
      0xc2,
      0xc3,
      0xca,
      0xcb,
      0xcc,
      0xcd,
      0xcf,
      0xe0,
      0xe1,
      0xe2,
      0xe3,
      0xe8,
      0xe9,
      0xeb,
      0xf4,
      0xf1,
    ]
  ) ENDS_BLOCK[o] = 1;
  // 0xff (call/jmp indirect) ends a block in all its forms; cheap and simple.
  ENDS_BLOCK[0xff] = 1;
  // popf may set TF/AC; ending the block keeps the flag state simple to observe.
  ENDS_BLOCK[0x9d] = 1;

  // 0F map: ModRM everywhere except the listed opcodes.
  fill(MAP_0F, MAP_0F + 0xff, M);
  for (
    const o of [
      0x04,
      0x05,
      0x06,
      0x07,
      0x08,
      0x09,
      0x0a,
      0x0b,
      0x0c,
      0x0e,
      0x30,
      0x31,
      0x32,
      0x33,
      0x34,
      0x35,
      0x36,
      0x37,
      0x77,
      0xa0,
      0xa1,
      0xa2,
      0xa8,
      0xa9,
      0xaa,
    ]
  ) INFO[MAP_0F + o] = 0;
  fill(MAP_0F + 0xc8, MAP_0F + 0xcf, 0);
  fill(MAP_0F + 0x80, MAP_0F + 0x8f, I_REL32);
  for (const o of [0x0f, 0x70, 0x71, 0x72, 0x73, 0xa4, 0xac, 0xba, 0xc2, 0xc4, 0xc5, 0xc6]) {
    INFO[MAP_0F + o] = M | I_8;
  }
  for (
    const o of [0x04, 0x0a, 0x0c, 0x24, 0x25, 0x26, 0x27, 0x36, 0x39, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f]
  ) {
    INVALID[MAP_0F + o] = 1;
  }
  BYTE_OP[MAP_0F + 0xb0] = BYTE_OP[MAP_0F + 0xc0] = 1;
  for (let o = 0x90; o <= 0x9f; o++) BYTE_OP[MAP_0F + o] = 1;
  for (let o = 0x80; o <= 0x8f; o++) ENDS_BLOCK[MAP_0F + o] = 1;
  for (
    const o of [0x05, 0x07, 0x0b, 0x31, 0x34, 0x35, 0xa2, 0xaa, 0x06, 0x08, 0x09, 0x30, 0x32, 0x33]
  ) {
    ENDS_BLOCK[MAP_0F + o] = 1;
  }
  // 0F38 and 0F3A: every opcode has ModRM; 0F3A always has imm8.
  fill(MAP_0F38, MAP_0F38 + 0xff, M);
  fill(MAP_0F3A, MAP_0F3A + 0xff, M | I_8);
})();

/** Reads instruction bytes through the executable-page check (may throw MemFault). */
export interface CodeReader {
  byte(addr: number): number;
}

/** Why decoding stopped without an instruction. */
export type DecodeFailure = FaultKind | null;

const MAX_LEN = 15;

function raiser(kind: FaultKind): Handler {
  return (ctx) => ctx.raise(kind);
}
/** Handler of an encoding that is invalid on this CPU. */
export const INVALID_HANDLER: Handler = raiser("invalid_opcode");
/** Handler of a valid encoding this emulator does not implement. */
export const UNIMPLEMENTED_HANDLER: Handler = raiser("unimplemented");

/**
 * Decodes one instruction at addr into `out`. Encodings that are invalid or too long get
 * INVALID_HANDLER, opcodes without a registered handler UNIMPLEMENTED_HANDLER. Throws only
 * MemFault (an unreadable code byte).
 */
export function decodeInsn(code: CodeReader, addr: number, out: Insn): void {
  let p = addr;
  let prefixes = 0;
  let rex = 0;
  let b = code.byte(p++);
  // Legacy prefixes, then an optional REX that must directly precede the opcode.
  for (;;) {
    if (p - addr > MAX_LEN) return tooLong(out, addr, p - addr);
    switch (b) {
      case 0x66:
        prefixes |= P_OPSIZE;
        break;
      case 0x67:
        prefixes |= P_ADDRSIZE;
        break;
      case 0xf3:
        prefixes = (prefixes & ~P_REPNE) | P_REP;
        break;
      case 0xf2:
        prefixes = (prefixes & ~P_REP) | P_REPNE;
        break;
      case 0xf0:
        prefixes |= P_LOCK;
        break;
      case 0x64:
        prefixes = (prefixes & ~P_GS) | P_FS;
        break;
      case 0x65:
        prefixes = (prefixes & ~P_FS) | P_GS;
        break;
      case 0x2e:
      case 0x36:
      case 0x3e:
      case 0x26:
        break;
      default:
        if ((b & 0xf0) === 0x40) {
          rex = b;
          b = code.byte(p++);
          // A legacy prefix after REX cancels the REX.
          if (isLegacyPrefix(b)) {
            rex = 0;
            continue;
          }
        }
        return decodeOpcode(code, addr, p, b, prefixes, rex, out);
    }
    b = code.byte(p++);
  }
}

function isLegacyPrefix(b: number): boolean {
  return b === 0x66 || b === 0x67 || b === 0xf3 || b === 0xf2 || b === 0xf0 || b === 0x64 ||
    b === 0x65 || b === 0x2e || b === 0x36 || b === 0x3e || b === 0x26 || (b & 0xf0) === 0x40;
}

function tooLong(out: Insn, addr: number, len: number): void {
  out.addr = addr;
  out.len = Math.min(len, MAX_LEN);
  out.op = -1;
  out.handler = INVALID_HANDLER;
}

function decodeOpcode(
  code: CodeReader,
  addr: number,
  p: number,
  b: number,
  prefixes: number,
  rex: number,
  out: Insn,
): void {
  let op = b;
  if (b === 0x0f) {
    b = code.byte(p++);
    if (b === 0x38) op = MAP_0F38 | code.byte(p++);
    else if (b === 0x3a) op = MAP_0F3A | code.byte(p++);
    else op = MAP_0F | b;
  }
  out.addr = addr;
  out.op = op;
  out.prefixes = prefixes;
  out.rex = rex;
  out.modrm = -1;
  out.mod = 0;
  out.reg = 0;
  out.rm = 0;
  out.base = NO_REG;
  out.index = NO_REG;
  out.scale = 1;
  out.disp = 0;
  out.imm = 0;
  out.immHi = 0;
  out.imm2 = 0;
  const infoIndex = op < 0x200 ? op : op & 0x300;
  if (op >= 0x200) out.opsize = (rex & 8) ? 8 : (prefixes & P_OPSIZE) ? 2 : 4;
  else if (BYTE_OP[op]) out.opsize = 1;
  else out.opsize = (rex & 8) ? 8 : (prefixes & P_OPSIZE) ? 2 : 4;

  const info = op >= 0x200 ? INFO[infoIndex] : INFO[op];
  if (op < 0x200 && INVALID[op]) {
    out.len = p - addr;
    out.handler = INVALID_HANDLER;
    return;
  }
  if (info & M) {
    const modrm = code.byte(p++);
    const mod = modrm >> 6;
    out.modrm = modrm;
    out.mod = mod;
    out.reg = ((modrm >> 3) & 7) | ((rex & 4) << 1);
    const rmLow = modrm & 7;
    if (mod === 3) {
      out.rm = rmLow | ((rex & 1) << 3);
    } else {
      out.rm = rmLow | ((rex & 1) << 3);
      if (rmLow === 4) {
        const sib = code.byte(p++);
        const baseLow = sib & 7;
        const index = ((sib >> 3) & 7) | ((rex & 2) << 2);
        out.index = index === 4 ? NO_REG : index;
        out.scale = 1 << (sib >> 6);
        if (baseLow === 5 && mod === 0) {
          out.base = NO_REG;
          out.disp = readN(code, p, 4);
          p += 4;
        } else out.base = baseLow | ((rex & 1) << 3);
      } else if (rmLow === 5 && mod === 0) {
        out.base = BASE_RIP;
        out.disp = readN(code, p, 4);
        p += 4;
      } else out.base = rmLow | ((rex & 1) << 3);
      if (mod === 1) {
        out.disp = (code.byte(p++) << 24) >> 24;
      } else if (mod === 2) {
        out.disp = readN(code, p, 4);
        p += 4;
      }
    }
  }
  let immKind = info & 0x7f;
  if (immKind === I_GRP3) immKind = (out.reg & 6) === 0 ? (op === 0xf6 ? I_8 : I_Z) : I_NONE;
  switch (immKind) {
    case I_NONE:
      break;
    case I_8:
      out.imm = (code.byte(p++) << 24) >> 24;
      out.immHi = out.imm >> 31;
      break;
    case I_16:
      out.imm = readN(code, p, 2) & 0xffff;
      p += 2;
      break;
    case I_Z:
      if (out.opsize === 2) {
        out.imm = (readN(code, p, 2) << 16) >> 16;
        p += 2;
      } else {
        out.imm = readN(code, p, 4);
        p += 4;
      }
      out.immHi = out.imm >> 31;
      break;
    case I_REL32:
      out.imm = readN(code, p, 4);
      out.immHi = out.imm >> 31;
      p += 4;
      break;
    case I_V:
      if (out.opsize === 8) {
        out.imm = readN(code, p, 4);
        out.immHi = readN(code, p + 4, 4);
        p += 8;
      } else if (out.opsize === 2) {
        out.imm = readN(code, p, 2) & 0xffff;
        p += 2;
      } else {
        out.imm = readN(code, p, 4);
        p += 4;
      }
      break;
    case I_MOFFS:
      if (prefixes & P_ADDRSIZE) {
        out.imm = readN(code, p, 4);
        p += 4;
      } else {
        out.imm = readN(code, p, 4);
        out.immHi = readN(code, p + 4, 4);
        p += 8;
      }
      break;
    case I_ENTER:
      out.imm = readN(code, p, 2) & 0xffff;
      out.imm2 = code.byte(p + 2);
      p += 3;
      break;
  }
  const len = p - addr;
  if (len > MAX_LEN) return tooLong(out, addr, len);
  out.len = len;
  out.handler = HANDLERS[op] ?? UNIMPLEMENTED_HANDLER;
  if (prefixes & P_LOCK && !lockable(out)) out.handler = INVALID_HANDLER;
}

/** LOCK is valid only on these read-modify-write forms with a memory destination (else #UD). */
function lockable(i: Insn): boolean {
  if (i.modrm < 0 || i.mod === 3) return false;
  const op = i.op, r = i.reg & 7;
  if (op < 0x38) return (op & 7) <= 1; // add/or/adc/sbb/and/sub/xor Eb/Ev, Gb/Gv
  switch (op) {
    case 0x80:
    case 0x81:
    case 0x83:
      return r !== 7; // not cmp
    case 0x86:
    case 0x87: // xchg
    case MAP_0F + 0xab: // bts
    case MAP_0F + 0xb3: // btr
    case MAP_0F + 0xbb: // btc
    case MAP_0F + 0xb0:
    case MAP_0F + 0xb1: // cmpxchg
    case MAP_0F + 0xc0:
    case MAP_0F + 0xc1: // xadd
      return true;
    case 0xf6:
    case 0xf7:
      return r === 2 || r === 3; // not, neg
    case 0xfe:
      return r <= 1; // inc, dec
    case 0xff:
      return r <= 1;
    case MAP_0F + 0xba:
      return r >= 5; // bts/btr/btc imm8
    case MAP_0F + 0xc7:
      return r === 1; // cmpxchg8b/16b
  }
  return false;
}

/** Reads n (2 or 4) little-endian bytes as an int32 (the caller sign/zero extends). */
function readN(code: CodeReader, p: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) v |= code.byte(p + k) << (8 * k);
  return v;
}
