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

export interface FrameContents {
  regs: SavedRegisters;
  restorer: bigint;
  /** 128 siginfo bytes, or null without SA_SIGINFO (the area is then left untouched). */
  siginfo: Uint8Array | null;
  altstack: AltStack;
  savedMask: bigint;
  err: bigint;
  trapno: bigint;
  cr2: bigint;
  /** The 512-byte FXSAVE image of the interrupted FPU/SSE state. */
  fxsave: Uint8Array;
}

const M64 = (1n << 64n) - 1n;

// The frame is assembled in one scratch buffer and copied out in the ranges the kernel writes,
// so the bytes it leaves alone ([36,40), [240,304), the siginfo without SA_SIGINFO) stay as they
// were. DataView's 64-bit setters wrap bigints modulo 2^64, like the kernel's u64 stores.
const scratch = new Uint8Array(RT_SIGFRAME_SIZE);
const scratchView = new DataView(scratch.buffer);
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
  mem.checkWritable(f, Number(fp - frame) + XSTATE_SIGFRAME_SIZE);

  // fpstate: the XSAVE image. Hardware leaves legacy bytes 416..463 alone.
  const fpn = Number(fp);
  mem.writeBytes(fpn, c.fxsave.subarray(0, 416));
  mem.writeBytes(fpn + 464, FP_SW_AND_HEADER);
  mem.write32(fpn + XSTATE_USER_SIZE, FP_XSTATE_MAGIC2);

  const v = scratchView;
  v.setBigUint64(OFF_PRETCODE, c.restorer, true);
  v.setBigUint64(
    OFF_UC_FLAGS,
    BigInt(UC_FP_XSTATE | UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS),
    true,
  );
  v.setBigUint64(OFF_UC_LINK, 0n, true);
  v.setBigUint64(OFF_SS_SP, c.altstack.sp, true);
  v.setInt32(OFF_SS_FLAGS, c.altstack.flags | 0, true);
  v.setBigUint64(OFF_SS_SIZE, c.altstack.size, true);
  for (let i = 0; i < SIGCONTEXT_ORDER.length; i++) {
    v.setBigUint64(OFF_MCONTEXT + i * 8, c.regs[SIGCONTEXT_ORDER[i]], true);
  }
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
  mem.writeBytes(f, scratch.subarray(0, OFF_SS_FLAGS + 4));
  mem.writeBytes(f + OFF_SS_SIZE, scratch.subarray(OFF_SS_SIZE, OFF_FPSTATE + 8));
  mem.writeBytes(f + OFF_UC_SIGMASK, scratch.subarray(OFF_UC_SIGMASK, OFF_UC_SIGMASK + 8));
  if (c.siginfo) mem.writeBytes(f + OFF_SIGINFO, c.siginfo);
}

/** What rt_sigreturn reads back from a frame. */
export interface ParsedFrame {
  ucFlags: bigint;
  mask: bigint;
  regs: SavedRegisters;
  cs: number;
  ss: number;
  fpstate: bigint;
  altstack: AltStack;
}

/** Reads the frame at `frame` (rsp - 8 at rt_sigreturn). Throws MemFault when unreadable. */
export function readFrame(mem: Memory, frame: bigint): ParsedFrame {
  const bytes = mem.readBytes(Number(frame), RT_SIGFRAME_SIZE);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const regs = {} as SavedRegisters;
  for (let i = 0; i < SIGCONTEXT_ORDER.length; i++) {
    regs[SIGCONTEXT_ORDER[i]] = v.getBigUint64(OFF_MCONTEXT + i * 8, true);
  }
  return {
    ucFlags: v.getBigUint64(OFF_UC_FLAGS, true),
    mask: v.getBigUint64(OFF_UC_SIGMASK, true),
    regs,
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
  if (info.raw) return info.raw.slice(0, 128);
  const out = new Uint8Array(128);
  const v = new DataView(out.buffer);
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
  return out;
}
