/**
 * Events the kernel layer emits while a guest runs. Observers (the recorder, the replay verifier,
 * a live printer) subscribe to them; the kernel never knows how they are stored.
 *
 * Every event carries `seq` (one global order across all kinds) and `icount` (instructions retired
 * by the thread when the event happened). 64-bit guest values are bigint (unsigned, 0..2^64-1).
 */

/** What the kernel decided for one syscall attempt (spec/linux-sud.md §3). */
export type Decision =
  | "no_sud" // SUD not armed for the thread: executed
  | "region" // armed, call came from the allowed region (or INCLUSIVE: from outside): executed
  | "selector_allow" // armed, selector byte 0 (ALLOW): executed
  | "dispatch" // armed, selector NULL or byte 1 (BLOCK): not executed, SIGSYS queued
  | "kill_bad_selector" // selector byte not 0/1: group killed by SIGSYS
  | "kill_unreadable_selector"; // selector read faulted: group killed by SIGSEGV

export const DECISIONS: readonly Decision[] = [
  "no_sud",
  "region",
  "selector_allow",
  "dispatch",
  "kill_bad_selector",
  "kill_unreadable_selector",
];

/** One `syscall` instruction that reached the kernel, dispatched or not. */
export interface SyscallEvent {
  seq: number;
  tid: number;
  icount: number;
  /** Address of the `syscall` instruction itself (si_call_addr - 2). */
  pc: bigint;
  /** Full 64-bit rax at the instruction. */
  nr: bigint;
  /** Table name for the low 32 bits of nr, or "syscall_<nr>" when unknown. */
  name: string;
  args: [bigint, bigint, bigint, bigint, bigint, bigint];
  decision: Decision;
  /** Selector address when SUD is armed (0n for a NULL selector), else null. */
  selectorAddr: bigint | null;
  /** The selector byte the kernel read, or null when it was not read. */
  selectorValue: number | null;
  /** Return value (rax after the call) when executed, else null. */
  ret: bigint | null;
  /** Signal-handler nesting depth of the thread at the attempt (0 = not in a handler). */
  handlerDepth: number;
  /**
   * The call as strace prints it (`write(1, "hi\n", 3) = 3`; no `= …` when not executed), set only
   * when an observer asks for it with `decodeArgs`.
   */
  argsText?: string | null;
}

/** Registers saved into a signal frame (the interrupted context). */
export interface SavedRegisters {
  rax: bigint;
  rbx: bigint;
  rcx: bigint;
  rdx: bigint;
  rsi: bigint;
  rdi: bigint;
  rbp: bigint;
  rsp: bigint;
  r8: bigint;
  r9: bigint;
  r10: bigint;
  r11: bigint;
  r12: bigint;
  r13: bigint;
  r14: bigint;
  r15: bigint;
  rip: bigint;
  eflags: bigint;
}

/** One signal delivery (to a handler) or fatal action. */
export interface SignalEvent {
  seq: number;
  tid: number;
  icount: number;
  signo: number;
  code: number;
  errno: number;
  /** si_addr / si_call_addr (0 when the signal has none). */
  addr: bigint;
  /** si_syscall for SIGSYS (low 32 bits of rax, signed), else null. */
  siSyscall: number | null;
  /** si_arch for SIGSYS, else null. */
  siArch: number | null;
  /** Why: "sud", "fault", "kill" (sent by a syscall), "sud_bad_selector", "sud_unreadable_selector", "frame_fault". */
  cause: string;
  /** What happened: "handler", "terminate", "core", "ignore", or "frame_fault" (the frame could not be written: SIGSEGV follows). */
  action: string;
  handler: bigint;
  restorer: bigint;
  saFlags: bigint;
  /** Address of the rt_sigframe (rsp at handler entry), null when no frame was built. */
  frameAddr: bigint | null;
  onAltstack: boolean;
  maskBefore: bigint;
  maskInHandler: bigint;
  /**
   * Registers at delivery (the context saved in the frame). The interrupted registers as sigcontext words (int32 lo/hi pairs in the frame's order: r8..r15,
   * rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags), valid only during the callback: the
   * recorder copies them into its columns without making BigInts. `signalRegisters()` in
   * signal_frame.ts gives them as named 64-bit values.
   */
  regWords: Int32Array;
}

/** One rt_sigreturn that restored a frame. */
export interface SigreturnEvent {
  seq: number;
  tid: number;
  icount: number;
  frameAddr: bigint;
  /** seq of the signal delivery whose frame this was, or null if unknown. */
  signalSeq: number | null;
  rip: bigint;
  rsp: bigint;
  rax: bigint;
  eflags: bigint;
  maskAfter: bigint;
  /** Names of saved registers the handler changed in the frame (e.g. ["rax"]). */
  changed: string[];
}

/** A prctl(PR_SET_SYSCALL_USER_DISPATCH) (or ptrace SUD config) attempt. */
export interface SudConfigEvent {
  seq: number;
  tid: number;
  icount: number;
  mode: bigint;
  offset: bigint;
  len: bigint;
  selector: bigint;
  /** 0 or -errno. */
  result: number;
}

/** Bytes the kernel side wrote into guest memory while executing the syscall with this seq. */
export interface MemWriteEvent {
  seq: number;
  addr: bigint;
  bytes: Uint8Array;
}

/** A thread or process end. */
export interface ExitEvent {
  seq: number;
  tid: number;
  icount: number;
  /** Exit status (0..255) when exited normally, else null. */
  status: number | null;
  /** Terminating signal, else null. */
  signal: number | null;
  core: boolean;
}

/** Subscribers to kernel events. Every method is optional. */
export interface KernelObserver {
  /** Ask the kernel to decode each syscall into `SyscallEvent.argsText` (costs time; off by default). */
  decodeArgs?: boolean;
  syscall?(e: SyscallEvent): void;
  signal?(e: SignalEvent): void;
  sigreturn?(e: SigreturnEvent): void;
  sudConfig?(e: SudConfigEvent): void;
  memWrite?(e: MemWriteEvent): void;
  exit?(e: ExitEvent): void;
}
