/**
 * The emulated Linux kernel for single-threaded static processes: runs the CPU, services
 * syscalls (after the SUD decision), turns CPU faults into signals, delivers signals with
 * kernel-identical frames and emits events for every step. One Kernel is one process; fork makes
 * another (process_table.ts schedules them, sys_wait.ts creates and reaps them).
 */
import { MemFault, Memory, PAGE_SIZE, PROT_READ, PROT_WRITE } from "../mem/memory.ts";
import { type GuestCpu, RAX, RDI, RDX, RSI, RSP } from "../cpu/cpu_api.ts";
import { Cpu } from "../cpu/cpu.ts";
import type { Host } from "../host.ts";
import type { KernelObserver, SignalEvent, SyscallEvent } from "./events.ts";
import { BadElfError, loadElf, MMAP_BASE } from "./elf_loader.ts";
import { startImage } from "./sys_exec.ts";
import { STACK_LIMIT, STACK_TOP } from "./initial_stack.ts";
import {
  type AltStack,
  FRAME_REG_WORDS,
  placeFrame,
  registerWords,
  type SigInfo,
  writeFrame,
} from "./signal_frame.ts";
import { newSudState, restartRewrite, sudDecide, type SudState } from "./sud.ts";
import {
  AUDIT_ARCH_X86_64,
  BUS_ADRERR,
  defaultAction,
  EFAULT,
  ENOSYS,
  FPE_INTDIV,
  ILL_ILLOPN,
  SA_NODEFER,
  SA_ONSTACK,
  SA_RESETHAND,
  SA_RESTART,
  SA_RESTORER,
  SA_SIGINFO,
  SEGV_ACCERR,
  SEGV_MAPERR,
  SI_KERNEL,
  SIG_DFL,
  SIG_IGN,
  sigBit,
  SIGBUS,
  SIGCONT,
  SIGFPE,
  SIGILL,
  SIGRTMIN,
  SIGSEGV,
  SIGSYS,
  SIGTRAP,
  SYNCHRONOUS_MASK,
  SYS_USER_DISPATCH,
  UNBLOCKABLE,
} from "./constants.ts";
import { FdTable } from "./fd_table.ts";
import { NO_RETURN, syscallName, SYSCALLS } from "./syscall_table.ts";
import { beginDecode } from "./syscall_decode.ts";
import { ITimers } from "./sys_timer.ts";
import { type BlockedOn, type ExitRecord, ProcessTable } from "./process_table.ts";
import { processExited } from "./sys_wait.ts";
import {
  CLD_CONTINUED,
  JobState,
  notifyParent,
  prepareSignal,
  stopProcess,
} from "./job_control.ts";

export interface GuestRunOptions {
  image: Uint8Array;
  programPath: string;
  argv: string[];
  env: string[];
  host: Host;
  observer?: KernelObserver;
  maxInstructions?: number;
  onWarning?: (message: string) => void;
  /** Called once the CPU exists, e.g. so a replay verifier can show registers at a divergence. */
  onCpu?: (cpu: GuestCpu) => void;
}

export interface GuestExit {
  status: number | null;
  signal: number | null;
  core: boolean;
  icount: number;
  error: {
    kind:
      | "unimplemented_instruction"
      | "instruction_limit"
      | "interrupted"
      | "bad_elf"
      | "internal";
    message: string;
  } | null;
}

/** One sigaction slot. */
export interface SigAction {
  handler: bigint;
  flags: bigint;
  restorer: bigint;
  mask: bigint;
}

interface PendingSignal {
  info: SigInfo;
  cause: string;
}

/** A delivered frame the handler has not returned from yet. */
interface ActiveFrame {
  frame: bigint;
  signalSeq: number;
  /** The sigcontext register words as delivered (rt_sigreturn reports what changed). */
  words: Int32Array;
}

const M64 = (1n << 64n) - 1n;
const SA_RESETHAND_BIG = BigInt(SA_RESETHAND);
/** runProcess: this process blocked or forked; the scheduler picks who runs next. */
export const SWITCHED: unique symbol = Symbol("switched");
const RUN_CHUNK = 1_000_000;
const DF = 0x400, TF = 0x100, RF = 0x10000;

export class Kernel {
  readonly mem: Memory;
  readonly cpu: GuestCpu;
  readonly host: Host;
  readonly observer: KernelObserver;
  /** The running image's path (execve replaces it). */
  programPath: string;
  readonly pid: number;
  readonly tid: number;
  readonly uid: number;
  readonly gid: number;
  /** Every process of the run (shared by all of them). */
  readonly procs: ProcessTable;
  /** The parent process, or null for the initial one (its parent is the host's). */
  parent: Kernel | null = null;
  /** Signal sent to the parent at exit (clone's low byte; SIGCHLD for fork), 0 for none. */
  exitSignal = 0;
  /** Exited and not yet reaped by wait4/waitid. */
  zombie = false;
  /** How it ended, once it has (for wait4/waitid and SIGCHLD). */
  ended: ExitRecord | null = null;
  /** The syscall this process is blocked in (it completes when the process resumes), or null. */
  blockedOn: BlockedOn | null = null;
  /** Stopped by a stop signal, and what wait4/waitid/SIGCHLD still have to report (job_control.ts). */
  readonly job = new JobState();
  /** Set while a blocked syscall is re-run because a signal interrupted the wait. */
  private interruptBlocked = false;

  // Signals.
  readonly actions: SigAction[] = Array.from(
    { length: 65 },
    () => ({ handler: 0n, flags: 0n, restorer: 0n, mask: 0n }),
  );
  blocked = 0n;
  /** Pending signals: one instance for a standard signal, a FIFO queue for a real-time one. */
  readonly pending = new Map<number, PendingSignal[]>();
  /** The mask to restore after rt_sigsuspend/pause (TIF_RESTORE_SIGMASK), or null. */
  savedMask: bigint | null = null;
  altstack: AltStack = { sp: 0n, flags: 0, size: 0n };
  /** alarm/setitimer state; the run loop stops at its check points (sys_timer.ts). */
  readonly itimers = new ITimers();
  /** thread.{error_code, trap_nr, cr2}: stale values are what later frames show. */
  faultErr = 0n;
  faultTrapno = 0n;
  faultCr2 = 0n;
  readonly frames: ActiveFrame[] = [];
  /** Register-word buffers per frame depth, reused from one delivery to the next. */
  private readonly frameWords: Int32Array[] = [];

  // SUD and the syscall in progress.
  readonly sud: SudState = newSudState();
  /** orig_ax of the syscall the thread is returning from, or -1 (no restart processing). */
  origAx = M64;
  /** seq of the syscall being executed (mem writes are tagged with it). */
  currentSeq = -1;
  private deferred: (() => void)[] = [];

  // Process resources.
  readonly fds: FdTable = new FdTable();
  brkStart = 0;
  brk = 0;
  stackLow = 0;
  mmapTop = MMAP_BASE;
  threadName = "";
  cwdPath = "/";

  exitState: GuestExit | null = null;
  private unimplemented: string | null = null;
  private readonly warned: Set<number> = new Set<number>();
  private readonly onWarning: (message: string) => void;

  constructor(
    cpu: GuestCpu,
    host: Host,
    opts: {
      observer?: KernelObserver;
      programPath: string;
      onWarning?: (m: string) => void;
      /** fork(): the parent, whose table, identity and warnings the child shares. */
      forkOf?: { parent: Kernel; pid: number; fds: FdTable };
    },
  ) {
    this.cpu = cpu;
    this.mem = cpu.mem;
    this.host = host;
    this.observer = opts.observer ?? {};
    this.programPath = opts.programPath;
    this.onWarning = opts.onWarning ?? (() => {});
    const fork = opts.forkOf;
    if (fork) {
      // No host calls: the child's identity comes from the parent (the tape stays unchanged).
      const p = fork.parent;
      this.pid = this.tid = fork.pid;
      this.uid = p.uid;
      this.gid = p.gid;
      this.cwdPath = p.cwdPath;
      this.procs = p.procs;
      this.parent = p;
      this.fds = fork.fds;
      this.warned = p.warned;
      return;
    }
    this.pid = host.pid();
    this.tid = this.pid;
    this.uid = host.uid();
    this.gid = host.gid();
    this.cwdPath = host.cwd();
    this.procs = new ProcessTable(this);
    for (const fd of [0, 1, 2]) {
      this.fds.setAt(fd, { kind: "std", stdFd: fd, flags: fd === 0 ? 0 : 1, refs: 0 }, false);
    }
  }

  /** The absolute program path (/proc/self/exe). */
  exePath(): string {
    if (this.programPath.startsWith("/")) return this.programPath;
    const parts: string[] = [];
    for (const p of `${this.cwdPath}/${this.programPath}`.split("/")) {
      if (p === "" || p === ".") continue;
      if (p === "..") parts.pop();
      else parts.push(p);
    }
    return "/" + parts.join("/");
  }

  nextSeq(): number {
    return this.procs.seq++;
  }

  warnOnce(key: number, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.onWarning(message);
  }

  /** Runs something after the current syscall's event (keeps emission in seq order). */
  defer(fn: () => void): void {
    if (this.currentSeq >= 0) this.deferred.push(fn);
    else fn();
  }

  // -------------------------------------------------------------------------------------------
  // Guest memory access for syscall handlers.

  /** Writes bytes into guest memory on behalf of the current syscall and reports them. */
  writeGuest(addr: number | bigint, bytes: Uint8Array): void {
    const a = toAddr(addr);
    this.mem.writeBytes(a, bytes);
    if (this.observer.memWrite && bytes.length > 0) {
      this.observer.memWrite({ seq: this.currentSeq, addr: BigInt(a), bytes: bytes.slice() });
    }
  }

  write64(addr: number | bigint, value: bigint | number): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(value) & M64, true);
    this.writeGuest(addr, b);
  }

  write32(addr: number | bigint, value: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, value >>> 0, true);
    this.writeGuest(addr, b);
  }

  readGuest(addr: number | bigint, len: number): Uint8Array {
    return this.mem.readBytes(toAddr(addr), len);
  }

  read64(addr: number | bigint): bigint {
    const b = this.readGuest(addr, 8);
    return new DataView(b.buffer).getBigUint64(0, true);
  }

  read32(addr: number | bigint): number {
    const b = this.readGuest(addr, 4);
    return new DataView(b.buffer).getUint32(0, true);
  }

  readString(addr: number | bigint, max = 4096): string {
    return new TextDecoder().decode(this.mem.readCString(toAddr(addr), max));
  }

  // -------------------------------------------------------------------------------------------
  // The run loop.

  run(maxInstructions?: number): GuestExit {
    for (;;) {
      const exit = this.runSlice(maxInstructions, Infinity);
      if (exit) return exit;
      sleepNs(this.host, this.takeWait()); // blocks: nothing else runs meanwhile
    }
  }

  /**
   * A syscall blocks for `ns` nanoseconds of real time (nanosleep, a poll timeout). The result is
   * already in rax; the wait happens after the syscall, when the current run slice ends, so that
   * the async runner can keep watching for Ctrl-C while the guest sleeps.
   */
  waitFor(ns: number): void {
    if (ns > 0) this.procs.waitNs += ns;
  }

  /** Returns and clears the pending wait (ns; 0 when none). */
  takeWait(): number {
    const ns = this.procs.waitNs;
    this.procs.waitNs = 0;
    return ns;
  }

  /**
   * Runs until the guest ends (returns its exit) or until about `slice` more instructions have
   * retired (returns null), so a caller can yield to the event loop between slices.
   */
  runSlice(maxInstructions: number | undefined, slice: number): GuestExit | null {
    const procs = this.procs;
    if (procs.all.length === 1 && !this.blockedOn) {
      const r = this.runProcess(maxInstructions, slice); // no other process: no scheduling
      if (r !== SWITCHED) return r;
    }
    for (;;) {
      if (this.exitState) return this.exitState;
      const cur = procs.pick();
      if (!cur) {
        this.internal(
          `every process is blocked or stopped (${procs.describeBlocked()}): natively a hang`,
        );
        return this.exitState;
      }
      if (cur.blockedOn) cur.resumeBlocked();
      if (!cur.blockedOn && !cur.exitState) {
        const r = cur.runProcess(maxInstructions, slice);
        if (r === null) return null; // slice end or a real-time wait: the caller comes back
      }
      if (cur !== this && cur.exitState) {
        const err = cur.exitState.error;
        if (err && err.kind !== "unimplemented_instruction") {
          // An emulator limit in a child ends the whole run, like one in the initial process.
          this.exitState = { ...cur.exitState, icount: this.cpu.icount };
          return this.exitState;
        }
        if (err) this.onWarning(`pid ${cur.pid}: ${err.message}`);
        processExited(cur);
      }
    }
  }

  /**
   * Runs this process until it ends (its exit), blocks or forks (SWITCHED), or the slice or a
   * real-time wait stops it (null).
   */
  runProcess(
    maxInstructions: number | undefined,
    slice: number,
  ): GuestExit | null | typeof SWITCHED {
    const sliceEnd = this.cpu.icount + slice;
    const timers = this.itimers;
    const procs = this.procs;
    while (!this.exitState) {
      if (this.blockedOn || procs.current !== this || this.job.stoppedBy) return SWITCHED;
      if (this.cpu.icount >= sliceEnd) return null;
      // Timer checks happen at fixed icounts (the budget stops there), the same under replay.
      if (this.cpu.icount >= timers.nextStop) timers.tick(this);
      this.deliverSignals();
      if (this.exitState) break;
      if (this.job.stoppedBy) return SWITCHED; // not scheduled until SIGCONT or SIGKILL
      if (timers.realAwaitingDequeue) timers.afterDelivery(this);
      const icount = this.cpu.icount;
      let budget = Math.min(RUN_CHUNK, sliceEnd - icount, timers.nextStop - icount);
      if (maxInstructions !== undefined) {
        const left = maxInstructions - this.cpu.icount;
        if (left <= 0) return this.stopForLimit(maxInstructions);
        budget = Math.min(budget, left);
      }
      const reason = this.cpu.run(budget);
      if (reason === "syscall") {
        this.handleSyscall();
        timers.afterSyscall();
        if (procs.waitNs > 0 && !this.exitState) return null; // the caller waits (takeWait)
      } else if (reason === "fault") this.handleFault();
      else if (reason === "halt") {
        this.setFaultState(0n, 13n, this.faultCr2);
        this.forceSignal({ signo: SIGSEGV, errno: 0, code: SI_KERNEL, addr: 0n }, "fault");
      }
    }
    return this.exitState;
  }

  /** Ends the run from outside the guest (e.g. Ctrl-C while recording). */
  stopFromOutside(reason: string): GuestExit {
    this.exitState = {
      status: null,
      signal: null,
      core: false,
      icount: this.cpu.icount,
      error: { kind: "interrupted", message: `${reason} at rip 0x${this.cpu.rip.toString(16)}` },
    };
    return this.exitState;
  }

  private stopForLimit(limit: number): GuestExit {
    this.exitState = {
      status: null,
      signal: null,
      core: false,
      icount: this.cpu.icount,
      error: {
        kind: "instruction_limit",
        message: `stopped after ${limit} instructions at rip 0x${this.cpu.rip.toString(16)}`,
      },
    };
    return this.exitState;
  }

  // -------------------------------------------------------------------------------------------
  // Syscalls.

  /** The selector byte, or null when unreadable (one closure for the kernel's lifetime). */
  private readonly readSelector = (addr: bigint): number | null => {
    try {
      return addr < 0x800000000000n ? this.mem.read8(Number(addr)) : null;
    } catch (e) {
      if (e instanceof MemFault) return null;
      throw e;
    }
  };

  private handleSyscall(): void {
    const cpu = this.cpu;
    const next = BigInt(cpu.rip);
    const nr = cpu.getReg(RAX);
    const args: [bigint, bigint, bigint, bigint, bigint, bigint] = [
      cpu.getReg(7),
      cpu.getReg(6),
      cpu.getReg(2),
      cpu.getReg(10),
      cpu.getReg(8),
      cpu.getReg(9),
    ];
    this.origAx = nr;
    const seq = this.nextSeq();
    this.currentSeq = seq;
    const verdict = sudDecide(this.sud, next, this.readSelector);
    const nr32 = Number(nr & 0xffffffffn);
    const executes = verdict.decision === "no_sud" || verdict.decision === "region" ||
      verdict.decision === "selector_allow";
    const event: SyscallEvent = {
      seq,
      tid: this.tid,
      icount: cpu.icount,
      pc: (next - 2n) & M64,
      nr,
      name: syscallName(nr32),
      args,
      decision: verdict.decision,
      selectorAddr: this.sud.armed ? this.sud.selector : null,
      selectorValue: verdict.selectorValue,
      ret: null,
      handlerDepth: this.frames.length,
    };
    const decode = this.observer.decodeArgs
      ? beginDecode(this.mem, nr, args, cpu.getReg(RSP))
      : null;
    if (executes) {
      const ret = this.execute(nr32, args);
      if (this.blockedOn) {
        // Blocked: no event yet. The call completes (and takes its seq) when the process resumes.
        this.procs.seq = seq;
        this.currentSeq = -1;
        this.deferred = [];
        cpu.setReg(RAX, nr);
        return;
      }
      if (ret !== NO_RETURN) {
        const value = BigInt(ret) & M64;
        cpu.setReg(RAX, value);
        event.ret = value;
      }
    }
    this.currentSeq = -1;
    if (decode) event.argsText = decode.finish(event.ret, executes);
    this.observer.syscall?.(event);
    if (this.deferred.length > 0) {
      const later = this.deferred;
      this.deferred = [];
      for (const fn of later) fn();
    }
    if (this.exitState) return;

    switch (verdict.decision) {
      case "dispatch":
        // rax keeps the full original value (syscall_rollback); SIGSYS is forced.
        this.forceSignal({
          signo: SIGSYS,
          errno: 0,
          code: SYS_USER_DISPATCH,
          addr: next,
          syscall: Number(BigInt.asIntN(32, nr)),
          arch: AUDIT_ARCH_X86_64,
        }, "sud");
        break;
      case "kill_bad_selector":
        this.fatal(
          SIGSYS,
          { signo: SIGSYS, errno: 0, code: SI_KERNEL, addr: 0n },
          "sud_bad_selector",
        );
        break;
      case "kill_unreadable_selector":
        this.fatal(
          SIGSEGV,
          { signo: SIGSEGV, errno: 0, code: SI_KERNEL, addr: 0n },
          "sud_unreadable_selector",
        );
        break;
    }
  }

  private execute(nr32: number, args: bigint[]): number | bigint | typeof NO_RETURN {
    const entry = SYSCALLS.get(nr32);
    if (!entry) {
      this.warnOnce(nr32, `unimplemented syscall ${nr32} (returned -ENOSYS)`);
      return -ENOSYS;
    }
    try {
      return entry.handler(this, args);
    } catch (e) {
      if (e instanceof MemFault) return -EFAULT;
      throw e;
    }
  }

  /**
   * Blocks the current syscall until `on.ready()` (the handler returns what this returns). The
   * syscall is re-run from the start when the process resumes, so a handler must block before it
   * changes anything. Re-run because a signal interrupted the wait, it returns -ERESTARTSYS.
   */
  block(on: BlockedOn): typeof NO_RETURN | number {
    if (this.interruptBlocked) return -512; // ERESTARTSYS
    this.blockedOn = on;
    return NO_RETURN;
  }

  /** Completes the syscall this process blocked in (it may block again). */
  resumeBlocked(): void {
    const on = this.blockedOn!;
    this.blockedOn = null;
    this.interruptBlocked = !on.ready();
    try {
      this.handleSyscall();
    } finally {
      this.interruptBlocked = false;
    }
  }

  /** exit_group / exit: the process ends with this status. */
  exitGroup(status: number): typeof NO_RETURN {
    this.exitState = {
      status: status & 0xff,
      signal: null,
      core: false,
      icount: this.cpu.icount,
      error: null,
    };
    this.ended = { code: status & 0xff, signal: null, core: false };
    this.defer(() => this.emitExit(status & 0xff, null, false));
    return NO_RETURN;
  }

  /** Run once when the process ends (exit_group or a fatal signal): e.g. shared mappings flush. */
  readonly exitHooks: (() => void)[] = [];

  private emitExit(status: number | null, signal: number | null, core: boolean): void {
    for (const hook of this.exitHooks.splice(0)) {
      try {
        hook();
      } catch (e) {
        if (!(e instanceof MemFault)) throw e;
      }
    }
    this.observer.exit?.({
      seq: this.nextSeq(),
      tid: this.tid,
      icount: this.cpu.icount,
      status,
      signal,
      core,
    });
  }

  // -------------------------------------------------------------------------------------------
  // Faults.

  private setFaultState(err: bigint, trapno: bigint, cr2: bigint): void {
    this.faultErr = err;
    this.faultTrapno = trapno;
    this.faultCr2 = cr2;
  }

  private handleFault(): void {
    const f = this.cpu.fault;
    if (!f) {
      this.internal("CPU stopped with a fault but reported none");
      return;
    }
    const rip = BigInt(f.rip);
    switch (f.kind) {
      case "page": {
        if (this.growStack(f.addr, f.errorCode)) return;
        this.setFaultState(BigInt(f.errorCode), 14n, BigInt(f.addr));
        if (this.mem.page(f.addr)?.beyondEof) {
          // A file mapping's page past the end of the file: SIGBUS BUS_ADRERR, not SIGSEGV.
          this.forceSignal(
            { signo: SIGBUS, errno: 0, code: BUS_ADRERR, addr: BigInt(f.addr) },
            "fault",
          );
          return;
        }
        // ACCERR when a mapping exists (its PTE may be absent: P=0 in the error code).
        const code = this.mem.page(f.addr) ? SEGV_ACCERR : SEGV_MAPERR;
        this.forceSignal({ signo: SIGSEGV, errno: 0, code, addr: BigInt(f.addr) }, "fault");
        return;
      }
      case "unimplemented":
        this.unimplemented = f.message ||
          `unimplemented instruction at 0x${f.rip.toString(16)}: ${hex(f.bytes)}`;
        this.setFaultState(0n, 6n, this.faultCr2);
        this.forceSignal({ signo: SIGILL, errno: 0, code: ILL_ILLOPN, addr: rip }, "fault");
        return;
      case "invalid_opcode":
        this.setFaultState(0n, 6n, this.faultCr2);
        this.forceSignal({ signo: SIGILL, errno: 0, code: ILL_ILLOPN, addr: rip }, "fault");
        return;
      case "divide":
        this.setFaultState(0n, 0n, this.faultCr2);
        this.forceSignal({ signo: SIGFPE, errno: 0, code: FPE_INTDIV, addr: rip }, "fault");
        return;
      case "breakpoint":
        this.setFaultState(0n, 3n, this.faultCr2);
        this.forceSignal({ signo: SIGTRAP, errno: 0, code: SI_KERNEL, addr: 0n }, "fault");
        return;
      case "general_protection":
        this.setFaultState(BigInt(f.errorCode), 13n, this.faultCr2);
        this.forceSignal({ signo: SIGSEGV, errno: 0, code: SI_KERNEL, addr: 0n }, "fault");
        return;
      case "simd":
        this.setFaultState(0n, 19n, this.faultCr2);
        this.forceSignal({ signo: SIGFPE, errno: 0, code: this.simdFpeCode(), addr: rip }, "fault");
        return;
    }
  }

  /**
   * si_code of an #XM: the raised and unmasked MXCSR exceptions, in Linux's priority order
   * (fpu__exception_code): invalid, divide by zero, overflow, underflow/denormal, precision.
   */
  private simdFpeCode(): number {
    const img = this.cpu.fxsave(fxsaveScratch);
    const mxcsr = new DataView(img.buffer, img.byteOffset).getUint32(24, true);
    const err = ~(mxcsr >> 7) & mxcsr;
    if (err & 0x01) return 7; // FPE_FLTINV
    if (err & 0x04) return 3; // FPE_FLTDIV
    if (err & 0x08) return 4; // FPE_FLTOVF
    if (err & 0x12) return 5; // FPE_FLTUND
    if (err & 0x20) return 6; // FPE_FLTRES
    return 0;
  }

  /** Grows the main stack downwards on a fault just below it (up to RLIMIT_STACK). */
  private growStack(addr: number, errorCode: number): boolean {
    if (errorCode & 1 || this.mem.page(addr)) return false; // a protection fault
    if (addr >= this.stackLow || addr < STACK_TOP - STACK_LIMIT) return false;
    const start = Math.floor(addr / PAGE_SIZE) * PAGE_SIZE;
    for (let a = start; a < this.stackLow; a += PAGE_SIZE) {
      if (this.mem.page(a)) return false; // something else is mapped in the way
    }
    this.mem.map(start, this.stackLow - start, PROT_READ | PROT_WRITE, "[stack]");
    this.stackLow = start;
    return true;
  }

  // -------------------------------------------------------------------------------------------
  // Signals.

  /** force_sig_info: a blocked or ignored signal is reset to SIG_DFL (and unblocked). */
  forceSignal(info: SigInfo, cause: string): void {
    const act = this.actions[info.signo];
    const blocked = (this.blocked & sigBit(info.signo)) !== 0n;
    if (blocked || act.handler === SIG_IGN) {
      act.handler = SIG_DFL;
      if (blocked) this.blocked &= ~sigBit(info.signo);
    }
    this.queue(info, cause);
  }

  /** Adds a pending instance: standard signals are not queued twice, real-time ones are. */
  private queue(info: SigInfo, cause: string): void {
    const list = this.pending.get(info.signo);
    if (!list) this.pending.set(info.signo, [{ info, cause }]);
    else if (info.signo >= SIGRTMIN) list.push({ info, cause });
  }

  /** A signal that can be delivered now under the blocked mask (0 when none). */
  hasDeliverable(): boolean {
    return this.nextDeliverable() !== 0;
  }

  /** send_signal for kill/tgkill to self: dropped when ignored, else queued (once per signal). */
  sendSignal(info: SigInfo, cause: string): void {
    const sig = info.signo;
    prepareSignal(this, sig); // SIGCONT continues even when blocked or ignored
    const act = this.actions[sig];
    const blocked = (this.blocked & sigBit(sig)) !== 0n;
    const ignored = act.handler === SIG_IGN ||
      (act.handler === SIG_DFL && defaultAction(sig) === "ignore");
    if (ignored && !blocked) return;
    this.queue(info, cause);
  }

  /** Drops pending instances of a signal whose action became "ignore". */
  flushIgnored(sig: number): void {
    const act = this.actions[sig];
    if (act.handler === SIG_IGN || (act.handler === SIG_DFL && defaultAction(sig) === "ignore")) {
      this.pending.delete(sig);
    }
  }

  private nextDeliverable(): number {
    let best = 0;
    for (const sig of this.pending.keys()) {
      if (this.blocked & sigBit(sig)) continue;
      const sync = (SYNCHRONOUS_MASK & sigBit(sig)) !== 0n;
      const bestSync = best !== 0 && (SYNCHRONOUS_MASK & sigBit(best)) !== 0n;
      if (best === 0 || (sync && !bestSync) || (sync === bestSync && sig < best)) best = sig;
    }
    return best;
  }

  /** Delivers every deliverable pending signal (nested frames), or takes a fatal action. */
  deliverSignals(): void {
    const job = this.job;
    // A signal was dequeued (get_signal ran): a syscall it interrupted without a handler restarts.
    let dequeued = job.resumeDelivery;
    if (dequeued || job.notifyContinued) {
      job.resumeDelivery = false;
      // Continued: the parent hears of it when this process runs again, as natively.
      if (job.notifyContinued) notifyParent(this, CLD_CONTINUED, SIGCONT);
    }
    // Most loop turns have nothing pending: skip the scan (a Map key iterator per turn).
    while (this.pending.size > 0 && !this.exitState) {
      const sig = this.nextDeliverable();
      if (sig === 0) break;
      dequeued = true;
      const list = this.pending.get(sig)!;
      const { info, cause } = list.shift()!;
      if (list.length === 0) this.pending.delete(sig);
      const act = this.actions[sig];
      if (act.handler === SIG_IGN) continue;
      if (act.handler === SIG_DFL) {
        const da = defaultAction(sig);
        if (da === "stop" && stopProcess(this, sig)) {
          // Stopped inside delivery: the rest (restart, saved mask) happens once continued.
          this.actionEvent(sig, info, cause, "stop");
          return;
        }
        if (da === "ignore" || da === "stop") continue;
        this.fatal(sig, info, cause);
        return;
      }
      // SA_RESETHAND resets the action, but this delivery still uses the handler.
      const used = act.flags & SA_RESETHAND_BIG ? { ...act } : act;
      if (used !== act) act.handler = SIG_DFL;
      this.setupFrame(sig, info, cause, used);
    }
    if (dequeued) this.restartWithoutHandler();
    this.origAx = M64;
    // No handler ran after rt_sigsuspend: the temporary mask ends here (restore_saved_sigmask).
    if (this.savedMask !== null) {
      this.blocked = this.savedMask;
      this.savedMask = null;
    }
  }

  private setupFrame(sig: number, info: SigInfo, cause: string, act: SigAction): void {
    const cpu = this.cpu;
    const flags = Number(act.flags & 0xffffffffn);
    // The x86 restart rewrite happens on pt_regs before the frame is built.
    if (BigInt.asIntN(32, this.origAx) !== -1n) {
      const rw = restartRewrite(this.origAx, cpu.getReg(RAX), (flags & SA_RESTART) !== 0);
      cpu.setReg(RAX, rw.rax);
      cpu.rip -= rw.ripBack;
    }
    this.origAx = M64;
    const frameRegs = { gprs: cpu.regs, rip: cpu.rip, eflags: cpu.getRflags() };
    // sigmask_to_save(): after rt_sigsuspend the frame keeps the mask from before the call.
    const maskBefore = this.savedMask ?? this.blocked;
    const place = flags & SA_RESTORER
      ? placeFrame(cpu.getReg(RSP), (flags & SA_ONSTACK) !== 0, this.altstack)
      : null;
    let ok = place !== null;
    if (place) {
      try {
        writeFrame(this.mem, place, {
          regs: frameRegs,
          restorer: act.restorer,
          siginfo: flags & SA_SIGINFO ? info : null,
          altstack: this.altstack,
          savedMask: maskBefore,
          err: this.faultErr,
          trapno: this.faultTrapno,
          cr2: this.faultCr2,
          fxsave: cpu.fxsave(fxsaveScratch),
        });
      } catch (e) {
        if (!(e instanceof MemFault)) throw e;
        ok = false;
      }
    }
    const observed = this.observer.signal !== undefined;
    // The delivered registers as frame words: copied by whoever observes, so the delivery reuses
    // one buffer per frame depth.
    const depth = this.frames.length;
    const words = registerWords(
      frameRegs,
      this.frameWords[depth] ??= new Int32Array(FRAME_REG_WORDS),
    );
    const event = (
      action: SignalEvent["action"],
      seq: number,
      frameAddr: bigint | null,
      maskInHandler: bigint,
    ) =>
      this.emitSignal(seq, sig, info, cause, action, act, {
        frameAddr,
        onAltstack: place?.onAltstack ?? false,
        maskBefore,
        maskInHandler,
        regWords: words,
      });
    if (!ok || !place) {
      // signal_setup_done(failed) -> force_sigsegv: a failing SIGSEGV frame is fatal.
      const seq = this.nextSeq(); // numbered whether or not anyone observes: replay relies on it
      if (observed) event("frame_fault", seq, null, maskBefore);
      if (sig === SIGSEGV) this.actions[SIGSEGV].handler = SIG_DFL;
      this.forceSignal({ signo: SIGSEGV, errno: 0, code: SI_KERNEL, addr: 0n }, "frame_fault");
      return;
    }
    const frame = place.frame;
    cpu.setReg(RDI, BigInt(sig));
    cpu.setReg(RSI, frame + 312n);
    cpu.setReg(RDX, frame + 8n);
    cpu.setReg(RAX, 0n);
    cpu.setReg(RSP, frame);
    cpu.rip = Number(act.handler);
    cpu.setRflags(cpu.getRflags() & ~(DF | TF | RF));
    cpu.resetFpu();
    let mask = this.blocked | act.mask;
    if (!(flags & SA_NODEFER)) mask |= sigBit(sig);
    this.blocked = mask & ~UNBLOCKABLE;
    this.savedMask = null;
    if (this.altstack.flags & 0x80000000) this.altstack = { sp: 0n, flags: 2, size: 0n };
    const seq = this.nextSeq();
    this.frames.push({ frame, signalSeq: seq, words });
    if (observed) event("handler", seq, frame, this.blocked);
  }

  /** Pops the delivery record of a frame being returned from. */
  popFrame(frame: bigint): ActiveFrame | null {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      if (this.frames[i].frame === frame) {
        const f = this.frames[i];
        this.frames.length = i;
        return f;
      }
    }
    return null;
  }

  /**
   * No handler ran for the signals just dequeued: an interrupted syscall restarts (x86
   * arch_do_signal_or_restart). ERESTART_RESTARTBLOCK is never returned here (no restart_syscall).
   */
  private restartWithoutHandler(): void {
    if (BigInt.asIntN(32, this.origAx) === -1n) return;
    const err = BigInt.asIntN(64, this.cpu.getReg(RAX));
    if (err === -512n || err === -513n || err === -514n) {
      this.cpu.setReg(RAX, this.origAx);
      this.cpu.rip -= 2;
    }
  }

  /** Kills the process with a signal (default action terminate/core, or a forced exit). */
  fatal(sig: number, info: SigInfo, cause: string): void {
    const core = defaultAction(sig) === "core";
    this.actionEvent(sig, info, cause, core ? "core" : "terminate");
    let error: GuestExit["error"] = null;
    if (sig === SIGILL && this.unimplemented) {
      error = { kind: "unimplemented_instruction", message: this.unimplemented };
    }
    this.exitState = { status: null, signal: sig, core, icount: this.cpu.icount, error };
    this.ended = { code: null, signal: sig, core };
    this.emitExit(null, sig, core);
  }

  /** A default action taken without a frame (terminate, core, stop), as a signal event. */
  private actionEvent(sig: number, info: SigInfo, cause: string, action: string): void {
    if (!this.observer.signal) return;
    const cpu = this.cpu;
    this.emitSignal(this.nextSeq(), sig, info, cause, action, this.actions[sig], {
      frameAddr: null,
      onAltstack: false,
      maskBefore: this.blocked,
      maskInHandler: this.blocked,
      regWords: registerWords(
        { gprs: cpu.regs, rip: cpu.rip, eflags: cpu.getRflags() },
        new Int32Array(FRAME_REG_WORDS),
      ),
    });
  }

  /** One signal event: the siginfo and action fields, plus what the delivery adds. */
  private emitSignal(
    seq: number,
    sig: number,
    info: SigInfo,
    cause: string,
    action: string,
    act: SigAction,
    delivery: Pick<
      SignalEvent,
      "frameAddr" | "onAltstack" | "maskBefore" | "maskInHandler" | "regWords"
    >,
  ): void {
    this.observer.signal?.({
      seq,
      tid: this.tid,
      icount: this.cpu.icount,
      signo: sig,
      code: info.code,
      errno: info.errno,
      addr: info.pid !== undefined ? 0n : info.addr & M64,
      siSyscall: info.syscall ?? null,
      siArch: info.arch ?? null,
      cause,
      action,
      handler: act.handler,
      restorer: act.restorer,
      saFlags: act.flags,
      // Named, not spread: this runs once per SUD round trip.
      frameAddr: delivery.frameAddr,
      onAltstack: delivery.onAltstack,
      maskBefore: delivery.maskBefore,
      maskInHandler: delivery.maskInHandler,
      regWords: delivery.regWords,
    });
  }

  internal(message: string): void {
    this.exitState = {
      status: null,
      signal: null,
      core: false,
      icount: this.cpu.icount,
      error: { kind: "internal", message },
    };
  }
}

/** Reused for the FXSAVE image a signal frame or an #XM needs (never kept past the call). */
const fxsaveScratch = new Uint8Array(512);

function toAddr(addr: number | bigint): number {
  if (typeof addr === "number") return addr;
  // Addresses at or above 2^47 are never mapped; keep them out of the exact range.
  return addr >= 0x800000000000n ? Number.MAX_SAFE_INTEGER : Number(addr);
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join(" ");
}

/** Loads and runs a static x86-64 program to completion (synchronous). */
export function runGuest(opts: GuestRunOptions): GuestExit {
  const started = startGuest(opts);
  if (!(started instanceof Kernel)) return started;
  return guarded(started, () => started.run(opts.maxInstructions));
}

/**
 * Like runGuest, but yields to the event loop every `slice` instructions so that timers and
 * signal listeners run; `stopRequested` is polled between slices and ends the run with an
 * "interrupted" error when it returns a reason.
 */
export async function runGuestAsync(
  opts: GuestRunOptions & { stopRequested?: () => string | null },
  slice = 5_000_000,
): Promise<GuestExit> {
  const started = startGuest(opts);
  if (!(started instanceof Kernel)) return started;
  const yieldNow = () => new Promise((resolve) => setTimeout(resolve, 0));
  let lastYield = performance.now();
  for (;;) {
    const exit = guarded(started, () => started.runSlice(opts.maxInstructions, slice));
    if (exit) return exit;
    const waitNs = started.takeWait();
    // A guest wait runs against a deadline in blocking steps of at most WAIT_STEP_MS. The event
    // loop (Ctrl-C) gets a turn at every slice end and at least every WAIT_STEP_MS of waiting, but
    // not after each short sleep: a yield costs milliseconds, a usleep(10) loop would crawl.
    const deadline = performance.now() + waitNs / 1e6;
    for (;;) {
      let left = deadline - performance.now();
      if (left > 0) sleepNs(started.host, Math.min(left, WAIT_STEP_MS) * 1e6);
      if (waitNs === 0 || performance.now() - lastYield >= WAIT_STEP_MS) {
        await yieldNow();
        lastYield = performance.now();
        const reason = opts.stopRequested?.();
        if (reason) return started.stopFromOutside(reason);
      }
      left = deadline - performance.now();
      if (left <= 0) break;
    }
  }
}

/** The longest blocking host sleep between two checks for a stop request while recording. */
const WAIT_STEP_MS = 50;

/** Sleeps ns nanoseconds through the host door (nothing for ns <= 0). */
function sleepNs(host: Host, ns: number): void {
  if (!(ns > 0)) return;
  const sec = Math.floor(ns / 1e9);
  host.sleep(sec, Math.max(0, Math.min(999_999_999, Math.ceil(ns - sec * 1e9))));
}

/** Runs `step`, turning an unexpected exception into an "internal" exit. */
function guarded<T>(kernel: Kernel, step: () => T): T | GuestExit {
  try {
    return step();
  } catch (e) {
    return internalExit(kernel.cpu.icount, e);
  }
}

/** Loads the program and builds the initial process; returns the exit on failure. */
function startGuest(opts: GuestRunOptions): Kernel | GuestExit {
  const mem = new Memory();
  let cpu: Cpu;
  try {
    cpu = new Cpu(mem);
  } catch (e) {
    return internalExit(0, e);
  }
  opts.onCpu?.(cpu);
  let kernel: Kernel | null = null;
  try {
    const elf = loadElf(mem, opts.image, opts.programPath);
    kernel = new Kernel(cpu, opts.host, opts);
    const sp = startImage(kernel, elf, opts.argv, opts.env, opts.programPath);
    for (let i = 0; i < 16; i++) cpu.setReg(i, 0n);
    cpu.setReg(RSP, BigInt(sp));
    cpu.rip = elf.entry;
    cpu.setRflags(0x202);
    return kernel;
  } catch (e) {
    if (e instanceof BadElfError || (e instanceof RangeError && !kernel)) {
      return {
        status: null,
        signal: null,
        core: false,
        icount: 0,
        error: { kind: "bad_elf", message: e.message },
      };
    }
    return internalExit(cpu.icount, e);
  }
}

function internalExit(icount: number, e: unknown): GuestExit {
  const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return { status: null, signal: null, core: false, icount, error: { kind: "internal", message } };
}
