/**
 * The x86-64 rt_sigframe (spec §7): placement, the exact bytes a delivery writes, and parsing it
 * back for rt_sigreturn. Bytes the kernel leaves untouched stay untouched.
 */
import type { Memory } from "../mem/memory.ts";
import type { SavedRegisters } from "./events.ts";

/** sizeof(struct rt_sigframe): pretcode + ucontext (304) + siginfo (128). */
export const RT_SIGFRAME_SIZE = 440;
/** XSAVE image size for xfeatures x87|SSE: 512 legacy + 64 header. */
export const XSTATE_USER_SIZE = 576;
/** user_size + the 4-byte FP_XSTATE_MAGIC2. */
export const XSTATE_SIGFRAME_SIZE = XSTATE_USER_SIZE + 4;
/** AT_MINSIGSTKSZ consistent with this frame (Linux adds 940 bytes to the fpstate size). */
export const MIN_SIGSTACK_SIZE = Math.ceil((XSTATE_SIGFRAME_SIZE + 940) / 16) * 16;

export const FP_XSTATE_MAGIC1 = 0x46505853;
export const FP_XSTATE_MAGIC2 = 0x46505845;
export const UC_FP_XSTATE = 1, UC_SIGCONTEXT_SS = 2, UC_STRICT_RESTORE_SS = 4;
export const XFEATURES = 3; // x87 | SSE

/** Offsets inside the frame (relative to the frame start = rsp at handler entry). */
export const OFF_PRETCODE = 0;
export const OFF_UC = 8;
export const OFF_UC_FLAGS = 8;
export const OFF_UC_LINK = 16;
export const OFF_SS_SP = 24;
export const OFF_SS_FLAGS = 32;
export const OFF_SS_SIZE = 40;
export const OFF_MCONTEXT = 48;
export const OFF_UC_SIGMASK = 304;
export const OFF_SIGINFO = 312;
/** fpstate - frame (fpstate is 64-aligned and the frame is fpstate - 456). */
export const FPSTATE_GAP = 456;

/** sigcontext register order (r8..r15, rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags). */
export const SIGCONTEXT_ORDER: readonly (keyof SavedRegisters)[] = [
  "r8",
  "r9",
  "r10",
  "r11",
  "r12",
  "r13",
  "r14",
  "r15",
  "rdi",
  "rsi",
  "rbp",
  "rbx",
  "rdx",
  "rax",
  "rcx",
  "rsp",
  "rip",
  "eflags",
];
/** Offset of cs/gs/fs/ss, err, trapno, oldmask, cr2, fpstate inside the frame. */
export const OFF_CS = OFF_MCONTEXT + 144;
export const OFF_ERR = OFF_MCONTEXT + 152;
export const OFF_TRAPNO = OFF_MCONTEXT + 160;
export const OFF_OLDMASK = OFF_MCONTEXT + 168;
export const OFF_CR2 = OFF_MCONTEXT + 176;
export const OFF_FPSTATE = OFF_MCONTEXT + 184;

export interface AltStack {
  sp: bigint;
  flags: number;
  size: bigint;
}

/** `on_sig_stack`: sp is within the configured altstack (never true with SS_AUTODISARM). */
export function onSigStack(alt: AltStack, sp: bigint): boolean {
  if (alt.flags & 0x80000000) return false;
  return rawOnSigStack(alt, sp);
}

function rawOnSigStack(alt: AltStack, sp: bigint): boolean {
  return sp > alt.sp && sp - alt.sp <= alt.size;
}

/** `sas_ss_flags(sp)`: SS_DISABLE without an altstack, SS_ONSTACK when on it, else 0. */
export function sasSsFlags(alt: AltStack, sp: bigint): number {
  if (alt.size === 0n) return 2;
  return onSigStack(alt, sp) ? 1 : 0;
}

export interface Placement {
  frame: bigint;
  fpstate: bigint;
  /** The frame is on the alternate stack (switched to or already on it). */
  onAltstack: boolean;
}

/**
 * get_sigframe(): where the frame goes, or null when it would overflow the altstack (the
 * delivery then fails with SIGSEGV).
 */
export function placeFrame(rsp: bigint, onstackFlag: boolean, alt: AltStack): Placement | null {
  const nested = onSigStack(alt, rsp);
  let sp = rsp - 128n; // red zone
  let entering = false;
  if (onstackFlag && sasSsFlags(alt, sp) === 0) {
    sp = alt.sp + alt.size;
    entering = true;
  }
  const fpstate = ((sp - BigInt(XSTATE_SIGFRAME_SIZE)) / 64n) * 64n;
  const frame = (((fpstate - BigInt(RT_SIGFRAME_SIZE)) / 16n) * 16n) - 8n;
  if ((nested || entering) && !rawOnSigStack(alt, frame)) return null;
  return { frame, fpstate, onAltstack: nested || entering };
}

/**
 * The registers a frame saves, as the CPU holds them: int32 (lo, hi) pairs by register number
 * (cpu_api.ts numbering), rip and eflags. Frames are copied through these words, no BigInts.
 */
export interface FrameRegisters {
  gprs: Int32Array;
  rip: number;
  eflags: number;
}

/** The CPU register number held by each sigcontext slot r8..rsp (rip and eflags follow). */
const SLOT_REG = [8, 9, 10, 11, 12, 13, 14, 15, 7, 6, 5, 3, 2, 0, 1, 4];
/** Words (int32) of the 18 sigcontext registers. */
export const FRAME_REG_WORDS = 36;
const TWO32 = 4294967296;

export interface FrameContents {
  regs: FrameRegisters;
  restorer: bigint;
  /** The siginfo to write, or null without SA_SIGINFO (the area is then left untouched). */
  siginfo: SigInfo | null;
  altstack: AltStack;
  savedMask: bigint;
  err: bigint;
  trapno: bigint;
  cr2: bigint;
  /** The 512-byte FXSAVE image of the interrupted FPU/SSE state. */
  fxsave: Uint8Array;
}

const M64 = (1n << 64n) - 1n;

// The frame and its fpstate are one region [frame, fpstate + 580): read from the guest, filled
// in, and written back in one copy each way, so the bytes the kernel leaves alone ([36,40),
// [240,304), the siginfo without SA_SIGINFO, the gap before the fpstate, fxsave bytes 416..463)
// keep their values. DataView's 64-bit setters wrap bigints modulo 2^64, like u64 stores.
const REGION_SIZE = FPSTATE_GAP + XSTATE_SIGFRAME_SIZE;
const region = new Uint8Array(REGION_SIZE);
const regionView = new DataView(region.buffer);
const regionWords = new Int32Array(region.buffer);
/** The fpstate's software-reserved bytes 464..511 and XSAVE header 512..575: constant. */
const FP_SW_AND_HEADER = (() => {
  const b = new Uint8Array(XSTATE_USER_SIZE - 464);
  const v = new DataView(b.buffer);
  v.setUint32(0, FP_XSTATE_MAGIC1, true);
  v.setUint32(4, XSTATE_SIGFRAME_SIZE, true);
  v.setBigUint64(8, BigInt(XFEATURES), true);
  v.setUint32(16, XSTATE_USER_SIZE, true);
  b[512 - 464] = XFEATURES; // XSTATE_BV after the kernel ORs in FP|SSE
  return b;
})();

/**
 * Writes the frame and the fpstate. Checks that every byte is writable first, so a failing
 * delivery (MemFault thrown) writes nothing.
 */
export function writeFrame(mem: Memory, place: Placement, c: FrameContents): void {
  const frame = place.frame, fp = place.fpstate;
  const f = Number(frame);
  // placeFrame puts the fpstate exactly FPSTATE_GAP above the frame.
  if (fp - frame !== BigInt(FPSTATE_GAP)) throw new RangeError("fpstate is not frame + 456");
  mem.checkWritable(f, REGION_SIZE);
  mem.readInto(f, region); // writable pages are readable on x86

  // fpstate: the XSAVE image. Hardware leaves legacy bytes 416..463 alone.
  region.set(c.fxsave.subarray(0, 416), FPSTATE_GAP);
  region.set(FP_SW_AND_HEADER, FPSTATE_GAP + 464);
  const v = regionView;
  v.setUint32(FPSTATE_GAP + XSTATE_USER_SIZE, FP_XSTATE_MAGIC2, true);

  v.setBigUint64(OFF_PRETCODE, c.restorer, true);
  v.setUint32(OFF_UC_FLAGS, UC_FP_XSTATE | UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS, true);
  v.setUint32(OFF_UC_FLAGS + 4, 0, true);
  v.setBigUint64(OFF_UC_LINK, 0n, true);
  v.setBigUint64(OFF_SS_SP, c.altstack.sp, true);
  v.setInt32(OFF_SS_FLAGS, c.altstack.flags | 0, true);
  v.setBigUint64(OFF_SS_SIZE, c.altstack.size, true);
  putRegisterWords(regionWords, OFF_MCONTEXT / 4, c.regs);
  v.setUint16(OFF_CS, 0x33, true);
  v.setUint16(OFF_CS + 2, 0, true); // gs
  v.setUint16(OFF_CS + 4, 0, true); // fs
  v.setUint16(OFF_CS + 6, 0x2b, true); // ss
  v.setBigUint64(OFF_ERR, c.err, true);
  v.setBigUint64(OFF_TRAPNO, c.trapno, true);
  v.setBigUint64(OFF_OLDMASK, c.savedMask, true);
  v.setBigUint64(OFF_CR2, c.cr2, true);
  v.setBigUint64(OFF_FPSTATE, fp, true);
  v.setBigUint64(OFF_UC_SIGMASK, c.savedMask, true);
  if (c.siginfo) encodeSigInfoInto(c.siginfo, region, OFF_SIGINFO);
  mem.writeBytes(f, region);
}

const readScratch = new Uint8Array(RT_SIGFRAME_SIZE);
const readScratchView = new DataView(readScratch.buffer);
const readWords = new Int32Array(readScratch.buffer, OFF_MCONTEXT, FRAME_REG_WORDS);

/** Stores the registers as sigcontext words at `at` (an int32 index). */
function putRegisterWords(w: Int32Array, at: number, r: FrameRegisters): void {
  for (let slot = 0; slot < 16; slot++) {
    const reg = SLOT_REG[slot];
    w[at + 2 * slot] = r.gprs[2 * reg];
    w[at + 2 * slot + 1] = r.gprs[2 * reg + 1];
  }
  w[at + 32] = r.rip % TWO32;
  w[at + 33] = Math.floor(r.rip / TWO32);
  w[at + 34] = r.eflags;
  w[at + 35] = 0;
}

/** The sigcontext words of `r` into `out` (FRAME_REG_WORDS int32s): what a frame holds. */
export function registerWords(r: FrameRegisters, out: Int32Array): Int32Array {
  putRegisterWords(out, 0, r);
  return out;
}

/** Copies the 16 general registers from sigcontext words into a CPU register file. */
export function loadGprs(words: Int32Array, gprs: Int32Array): void {
  for (let slot = 0; slot < 16; slot++) {
    const reg = SLOT_REG[slot];
    gprs[2 * reg] = words[2 * slot];
    gprs[2 * reg + 1] = words[2 * slot + 1];
  }
}

/** Named 64-bit registers as sigcontext words (the inverse of savedRegistersOf). */
export function registerWordsOf(r: SavedRegisters): Int32Array {
  const words = new Int32Array(FRAME_REG_WORDS);
  SIGCONTEXT_ORDER.forEach((name, slot) => {
    const v = BigInt.asUintN(64, r[name]);
    words[2 * slot] = Number(v & 0xffffffffn) | 0;
    words[2 * slot + 1] = Number(v >> 32n) | 0;
  });
  return words;
}

/** sigcontext words as named 64-bit values (for events, reports and tests). */
export function savedRegistersOf(words: Int32Array): SavedRegisters {
  const u64 = (slot: number) =>
    (BigInt(words[2 * slot + 1] >>> 0) << 32n) | BigInt(words[2 * slot] >>> 0);
  const r = {} as SavedRegisters;
  SIGCONTEXT_ORDER.forEach((name, slot) => r[name] = u64(slot));
  return r;
}

/** What rt_sigreturn reads back from a frame. */
export interface ParsedFrame {
  ucFlags: bigint;
  mask: bigint;
  /** The 18 sigcontext registers as int32 words (valid until the next readFrame). */
  words: Int32Array;
  cs: number;
  ss: number;
  fpstate: bigint;
  altstack: AltStack;
}

/** Reads the frame at `frame` (rsp - 8 at rt_sigreturn). Throws MemFault when unreadable. */
export function readFrame(mem: Memory, frame: bigint): ParsedFrame {
  mem.readInto(Number(frame), readScratch);
  const v = readScratchView;
  return {
    ucFlags: v.getBigUint64(OFF_UC_FLAGS, true),
    mask: v.getBigUint64(OFF_UC_SIGMASK, true),
    words: readWords,
    cs: v.getUint16(OFF_CS, true),
    ss: v.getUint16(OFF_CS + 6, true),
    fpstate: v.getBigUint64(OFF_FPSTATE, true),
    altstack: {
      sp: v.getBigUint64(OFF_SS_SP, true),
      flags: v.getInt32(OFF_SS_FLAGS, true),
      size: v.getBigUint64(OFF_SS_SIZE, true),
    },
  };
}

/** Encodes a siginfo_t (128 bytes, zero-filled). */
export interface SigInfo {
  signo: number;
  errno: number;
  code: number;
  /** si_addr / si_call_addr, or si_pid | si_uid << 32 for kill-style signals. */
  addr: bigint;
  /** si_syscall and si_arch for SIGSYS. */
  syscall?: number;
  arch?: number;
  pid?: number;
  uid?: number;
  /** The 128 bytes a sender supplied (rt_sigqueueinfo), used as they are. */
  raw?: Uint8Array;
}

export function encodeSigInfo(info: SigInfo): Uint8Array {
  return encodeSigInfoInto(info, new Uint8Array(128), 0).slice();
}

/** Writes the 128 siginfo bytes into `out` at `at` (zero-filled first); returns that range. */
export function encodeSigInfoInto(info: SigInfo, out: Uint8Array, at: number): Uint8Array {
  const bytes = out.subarray(at, at + 128);
  if (info.raw) {
    bytes.fill(0);
    bytes.set(info.raw.subarray(0, 128));
    return bytes;
  }
  bytes.fill(0);
  const v = new DataView(out.buffer, out.byteOffset + at, 128);
  v.setInt32(0, info.signo, true);
  v.setInt32(4, info.errno, true);
  v.setInt32(8, info.code, true);
  if (info.pid !== undefined) {
    v.setInt32(16, info.pid, true);
    v.setUint32(20, info.uid ?? 0, true);
  } else v.setBigUint64(16, info.addr & M64, true);
  if (info.syscall !== undefined) {
    v.setInt32(24, info.syscall, true);
    v.setUint32(28, info.arch ?? 0, true);
  }
  return bytes;
}
