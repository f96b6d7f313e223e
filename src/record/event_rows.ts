/**
 * Kernel events as table rows (values in the column order of schema.ts). Shared by the recorder,
 * which stores them, and the replay verifier, which compares live events with stored rows.
 */
import type {
  ExitEvent,
  MemWriteEvent,
  SignalEvent,
  SigreturnEvent,
  SudConfigEvent,
  SyscallEvent,
} from "../emu/linux/events.ts";
import { errnoOf } from "./schema.ts";

export class EventRows {
  /** Per tid: seq of the last syscall that was turned into a signal, until that signal arrives. */
  private readonly pendingSudSignal = new Map<number, number>();

  syscall(e: SyscallEvent): unknown[] {
    if (e.decision === "dispatch" || e.decision.startsWith("kill_")) {
      this.pendingSudSignal.set(e.tid, e.seq);
    }
    const [a0, a1, a2, a3, a4, a5] = e.args;
    return [
      e.seq,
      e.tid,
      e.icount,
      e.pc,
      e.nr,
      e.name,
      a0,
      a1,
      a2,
      a3,
      a4,
      a5,
      e.decision,
      e.selectorAddr,
      e.selectorValue,
      e.ret,
      errnoOf(e.ret),
      e.handlerDepth,
      e.argsText ?? null,
    ];
  }

  signal(e: SignalEvent): unknown[] {
    let syscallSeq: number | null = null;
    if (e.cause.startsWith("sud")) {
      syscallSeq = this.pendingSudSignal.get(e.tid) ?? null;
      this.pendingSudSignal.delete(e.tid);
    }
    const r = e.regs;
    return [
      e.seq,
      e.tid,
      e.icount,
      e.signo,
      e.code,
      e.errno,
      e.addr,
      e.siSyscall,
      e.siArch,
      e.cause,
      e.action,
      e.handler,
      e.restorer,
      e.saFlags,
      e.frameAddr,
      e.onAltstack,
      e.maskBefore,
      e.maskInHandler,
      syscallSeq,
      r.rax,
      r.rbx,
      r.rcx,
      r.rdx,
      r.rsi,
      r.rdi,
      r.rbp,
      r.rsp,
      r.r8,
      r.r9,
      r.r10,
      r.r11,
      r.r12,
      r.r13,
      r.r14,
      r.r15,
      r.rip,
      r.eflags,
    ];
  }

  sigreturn(e: SigreturnEvent): unknown[] {
    return [
      e.seq,
      e.tid,
      e.icount,
      e.frameAddr,
      e.signalSeq,
      e.rip,
      e.rsp,
      e.rax,
      e.eflags,
      e.maskAfter,
      e.changed.join(","),
    ];
  }

  sudConfig(e: SudConfigEvent): unknown[] {
    return [
      e.seq,
      e.tid,
      e.icount,
      e.mode,
      e.offset,
      e.len,
      e.selector,
      e.result,
    ];
  }

  memWrite(e: MemWriteEvent): unknown[] {
    // Copy: the kernel may reuse its buffer after the event.
    return [e.seq, e.addr, e.bytes.length, e.bytes.slice()];
  }

  exit(e: ExitEvent): unknown[] {
    return [e.seq, e.tid, e.icount, e.status, e.signal, e.core];
  }
}
