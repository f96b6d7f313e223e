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
import { errnoOf, tableColumns, type TableName } from "./schema.ts";
import { savedRegistersOf, SIGCONTEXT_ORDER } from "../emu/linux/signal_frame.ts";
import type { TableBuffer } from "./table_buffer.ts";

/** Column positions by name, so the direct writers below follow schema.ts. */
function positions(table: TableName): Record<string, number> {
  return Object.fromEntries(tableColumns(table).map(([name], i) => [name, i]));
}
const SY = positions("syscalls");
const SG = positions("signals");
const SR = positions("sigreturns");
const SG_RAX = SG.rax;
/**
 * Sigcontext slot (signal_frame.ts order) of each register column, in schema order: the signals
 * table ends with its 18 register columns, from rax on.
 */
const REGISTER_SLOTS = tableColumns("signals").slice(SG_RAX).map(([name]) =>
  SIGCONTEXT_ORDER.indexOf(name as (typeof SIGCONTEXT_ORDER)[number])
);
if (REGISTER_SLOTS.length !== SIGCONTEXT_ORDER.length || REGISTER_SLOTS.includes(-1)) {
  throw new Error("signals: register columns do not match the sigcontext registers");
}

/** The `changed` column: register names joined by commas (one name needs no join). */
function changedText(changed: readonly string[]): string {
  return changed.length === 1 ? changed[0] : changed.join(",");
}

export class EventRows {
  /** Per tid: seq of the last syscall that was turned into a signal, until that signal arrives. */
  private readonly pendingSudSignal = new Map<number, number>();

  #noteSyscall(e: SyscallEvent): void {
    if (e.decision === "dispatch" || e.decision.startsWith("kill_")) {
      this.pendingSudSignal.set(e.tid, e.seq);
    }
  }

  #syscallSeqOf(e: SignalEvent): number | null {
    if (!e.cause.startsWith("sud")) return null;
    const seq = this.pendingSudSignal.get(e.tid);
    if (seq === undefined || seq < 0) return null;
    // Mark consumed rather than delete: a delete/set cycle per round trip makes the Map rehash.
    this.pendingSudSignal.set(e.tid, -1);
    return seq;
  }

  syscall(e: SyscallEvent): unknown[] {
    this.#noteSyscall(e);
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
    const syscallSeq = this.#syscallSeqOf(e);
    const r = savedRegistersOf(e.regWords);
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
      changedText(e.changed),
    ];
  }

  // The recorder's paths: the same values as the row methods above, written straight into the
  // column buffers with each column's type known (no row array, no per-value type test).

  writeSyscall(buf: TableBuffer, e: SyscallEvent): void {
    this.#noteSyscall(e);
    const i = buf.reserve();
    buf.setNum64(SY.seq, i, e.seq);
    buf.setI32(SY.tid, i, e.tid);
    buf.setNum64(SY.icount, i, e.icount);
    buf.setBig(SY.pc, i, e.pc);
    buf.setBig(SY.nr, i, e.nr);
    buf.setStr(SY.name, i, e.name);
    const a = e.args;
    buf.setBig(SY.a0, i, a[0]);
    buf.setBig(SY.a1, i, a[1]);
    buf.setBig(SY.a2, i, a[2]);
    buf.setBig(SY.a3, i, a[3]);
    buf.setBig(SY.a4, i, a[4]);
    buf.setBig(SY.a5, i, a[5]);
    buf.setStr(SY.decision, i, e.decision);
    buf.setBigOpt(SY.selector_addr, i, e.selectorAddr);
    buf.setI32Opt(SY.selector_value, i, e.selectorValue);
    buf.setBigOpt(SY.ret, i, e.ret);
    // errnoOf() without a bigint: ret in [-4095, -1] has high word -1 and a low word in range.
    let errno: number | null = null;
    if (e.ret !== null && buf.high(SY.ret, i) === -1) {
      const low = buf.low(SY.ret, i);
      if (low >= -4095 && low <= -1) errno = -low;
    }
    buf.setI32Opt(SY.errno, i, errno);
    buf.setI32(SY.handler_depth, i, e.handlerDepth);
    buf.setStr(SY.args_text, i, e.argsText ?? null);
    buf.commit(i);
  }

  writeSignal(buf: TableBuffer, e: SignalEvent): void {
    const syscallSeq = this.#syscallSeqOf(e);
    const i = buf.reserve();
    buf.setNum64(SG.seq, i, e.seq);
    buf.setI32(SG.tid, i, e.tid);
    buf.setNum64(SG.icount, i, e.icount);
    buf.setI32(SG.signo, i, e.signo);
    buf.setI32(SG.code, i, e.code);
    buf.setI32(SG.errno, i, e.errno);
    buf.setBig(SG.addr, i, e.addr);
    buf.setI32Opt(SG.si_syscall, i, e.siSyscall);
    buf.setNum64Opt(SG.si_arch, i, e.siArch);
    buf.setStr(SG.cause, i, e.cause);
    buf.setStr(SG.action, i, e.action);
    buf.setBig(SG.handler, i, e.handler);
    buf.setBig(SG.restorer, i, e.restorer);
    buf.setBig(SG.sa_flags, i, e.saFlags);
    buf.setBigOpt(SG.frame_addr, i, e.frameAddr);
    buf.setBool(SG.on_altstack, i, e.onAltstack);
    buf.setBig(SG.mask_before, i, e.maskBefore);
    buf.setBig(SG.mask_in_handler, i, e.maskInHandler);
    buf.setNum64Opt(SG.syscall_seq, i, syscallSeq);
    // The registers straight from the frame words into the i64 columns' words: no BigInts.
    const w = e.regWords;
    for (let k = 0; k < REGISTER_SLOTS.length; k++) {
      const slot = REGISTER_SLOTS[k];
      buf.setWords(SG_RAX + k, i, w[2 * slot], w[2 * slot + 1]);
    }
    buf.commit(i);
  }

  writeSigreturn(buf: TableBuffer, e: SigreturnEvent): void {
    const i = buf.reserve();
    buf.setNum64(SR.seq, i, e.seq);
    buf.setI32(SR.tid, i, e.tid);
    buf.setNum64(SR.icount, i, e.icount);
    buf.setBig(SR.frame_addr, i, e.frameAddr);
    buf.setNum64Opt(SR.signal_seq, i, e.signalSeq);
    buf.setBig(SR.rip, i, e.rip);
    buf.setBig(SR.rsp, i, e.rsp);
    buf.setBig(SR.rax, i, e.rax);
    buf.setBig(SR.eflags, i, e.eflags);
    buf.setBig(SR.mask_after, i, e.maskAfter);
    buf.setStr(SR.changed, i, changedText(e.changed));
    buf.commit(i);
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
