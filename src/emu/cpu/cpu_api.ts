/**
 * The contract between the machine layer (the CPU) and the kernel layer. The kernel only talks to
 * the CPU through this interface, so it never depends on interpreter internals.
 */
import type { Memory } from "../mem/memory.ts";

/** GPR indices in x86 encoding order. */
export const RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7;
export const R8 = 8, R9 = 9, R10 = 10, R11 = 11, R12 = 12, R13 = 13, R14 = 14, R15 = 15;
export const GPR_NAMES = [
  "rax",
  "rcx",
  "rdx",
  "rbx",
  "rsp",
  "rbp",
  "rsi",
  "rdi",
  "r8",
  "r9",
  "r10",
  "r11",
  "r12",
  "r13",
  "r14",
  "r15",
] as const;

/** Why `run()` returned. */
export type StopReason =
  /** A `syscall` instruction retired: rip is the address after it, rcx/r11 are already set. */
  | "syscall"
  /** A precise fault: see `Cpu.fault`; rip is the faulting instruction (after it for int3). */
  | "fault"
  /** The instruction budget ran out between two instructions. */
  | "budget"
  /** `hlt` in user mode (a #GP really; reported separately for clear messages). */
  | "halt";

/** The kinds of precise fault the CPU raises; the kernel maps them to signals. */
export type FaultKind =
  | "page" // #PF: trapno 14, SIGSEGV MAPERR/ACCERR
  | "invalid_opcode" // #UD: trapno 6, SIGILL ILL_ILLOPN
  | "unimplemented" // an opcode the emulator does not implement: the guest sees #UD
  | "divide" // #DE: trapno 0, SIGFPE FPE_INTDIV
  | "breakpoint" // int3: trapno 3, SIGTRAP (rip after the int3)
  | "general_protection" // #GP: trapno 13, SIGSEGV SI_KERNEL
  | "simd"; // #XM: unmasked SSE exception, trapno 19, SIGFPE

export interface CpuFault {
  kind: FaultKind;
  /** Address of the faulting instruction (the kernel-reported rip). */
  rip: number;
  /** Faulting data address for page faults (cr2), else 0. */
  addr: number;
  /** Hardware error code (page faults), else 0. */
  errorCode: number;
  /** x86 trap number (14, 6, 0, 3, 13, 19). */
  trapno: number;
  /** Up to 15 instruction bytes at rip, for reports (may be shorter near unmapped memory). */
  bytes: Uint8Array;
  /** One line for humans: what and where. */
  message: string;
}

/** What the kernel layer needs from a CPU. */
export interface GuestCpu {
  readonly mem: Memory;
  rip: number;
  /** fs/gs segment bases (arch_prctl). */
  fsBase: bigint;
  gsBase: bigint;
  /** Instructions retired so far (the determinism clock). */
  icount: number;
  /** Set when run() returns "fault". */
  fault: CpuFault | null;

  /**
   * The register file as int32 (lo, hi) pairs by register number: the kernel copies signal
   * frames through it without making BigInts.
   */
  readonly regs: Int32Array;
  /** Full 64-bit register value. */
  getReg(index: number): bigint;
  setReg(index: number, value: bigint): void;
  /** Register value as a number, for addresses and small values (exact below 2^53). */
  getRegNumber(index: number): number;
  /** Materialised RFLAGS (bit 1 always set). */
  getRflags(): number;
  setRflags(value: number): void;

  /** The 512-byte FXSAVE image of x87/SSE state (what the signal frame's fpstate begins with). */
  fxsave(into?: Uint8Array): Uint8Array;
  /** Loads x87/SSE state from a 512-byte FXSAVE image. */
  fxrstor(image: Uint8Array): void;
  /** Resets x87/SSE state to init (FCW 0x37f, MXCSR 0x1f80, registers zero), as at signal entry. */
  resetFpu(): void;

  /** Runs until a syscall, a fault, or `budget` more instructions have retired. */
  run(budget: number): StopReason;
  /** Drops cached decoded code overlapping [addr, addr+len). */
  invalidateCode(addr: number, len: number): void;
}
