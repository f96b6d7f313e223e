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

function put64(mem: Memory, addr: bigint, v: bigint): void {
  const x = v & M64;
  mem.write64(Number(addr), Number(x & 0xffffffffn) | 0, Number(x >> 32n) | 0);
}

/**
 * Writes the frame and the fpstate. Checks that every byte is writable first, so a failing
 * delivery (MemFault thrown) writes nothing.
 */
export function writeFrame(mem: Memory, place: Placement, c: FrameContents): void {
  const frame = place.frame, fp = place.fpstate;
  mem.checkWritable(Number(frame), Number(fp - frame) + XSTATE_SIGFRAME_SIZE);

  // fpstate: the XSAVE image. Hardware leaves legacy bytes 416..463 alone.
  const fpn = Number(fp);
  mem.writeBytes(fpn, c.fxsave.subarray(0, 416));
  const sw = new Uint8Array(48);
  const swv = new DataView(sw.buffer);
  swv.setUint32(0, FP_XSTATE_MAGIC1, true);
  swv.setUint32(4, XSTATE_SIGFRAME_SIZE, true);
  swv.setBigUint64(8, BigInt(XFEATURES), true);
  swv.setUint32(16, XSTATE_USER_SIZE, true);
  mem.writeBytes(fpn + 464, sw);
  const header = new Uint8Array(64);
  header[0] = XFEATURES; // XSTATE_BV after the kernel ORs in FP|SSE
  mem.writeBytes(fpn + 512, header);
  mem.write32(fpn + XSTATE_USER_SIZE, FP_XSTATE_MAGIC2);

  put64(mem, frame + BigInt(OFF_PRETCODE), c.restorer);
  put64(
    mem,
    frame + BigInt(OFF_UC_FLAGS),
    BigInt(UC_FP_XSTATE | UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS),
  );
  put64(mem, frame + BigInt(OFF_UC_LINK), 0n);
  put64(mem, frame + BigInt(OFF_SS_SP), c.altstack.sp);
  mem.write32(Number(frame) + OFF_SS_FLAGS, c.altstack.flags | 0);
  put64(mem, frame + BigInt(OFF_SS_SIZE), c.altstack.size);
  SIGCONTEXT_ORDER.forEach((name, i) =>
    put64(mem, frame + BigInt(OFF_MCONTEXT + i * 8), c.regs[name])
  );
  const f = Number(frame);
  mem.write16(f + OFF_CS, 0x33);
  mem.write16(f + OFF_CS + 2, 0); // gs
  mem.write16(f + OFF_CS + 4, 0); // fs
  mem.write16(f + OFF_CS + 6, 0x2b); // ss
  put64(mem, frame + BigInt(OFF_ERR), c.err);
  put64(mem, frame + BigInt(OFF_TRAPNO), c.trapno);
  put64(mem, frame + BigInt(OFF_OLDMASK), c.savedMask);
  put64(mem, frame + BigInt(OFF_CR2), c.cr2);
  put64(mem, frame + BigInt(OFF_FPSTATE), fp);
  put64(mem, frame + BigInt(OFF_UC_SIGMASK), c.savedMask);
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

function get64(mem: Memory, addr: number): bigint {
  const lo = mem.read64(addr);
  return (BigInt(mem.hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/** Reads the frame at `frame` (rsp - 8 at rt_sigreturn). Throws MemFault when unreadable. */
export function readFrame(mem: Memory, frame: bigint): ParsedFrame {
  const f = Number(frame);
  mem.checkReadable(f, RT_SIGFRAME_SIZE);
  const regs = {} as SavedRegisters;
  SIGCONTEXT_ORDER.forEach((name, i) => regs[name] = get64(mem, f + OFF_MCONTEXT + i * 8));
  return {
    ucFlags: get64(mem, f + OFF_UC_FLAGS),
    mask: get64(mem, f + OFF_UC_SIGMASK),
    regs,
    cs: mem.read16(f + OFF_CS),
    ss: mem.read16(f + OFF_CS + 6),
    fpstate: get64(mem, f + OFF_FPSTATE),
    altstack: {
      sp: get64(mem, f + OFF_SS_SP),
      flags: mem.read32(f + OFF_SS_FLAGS),
      size: get64(mem, f + OFF_SS_SIZE),
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
