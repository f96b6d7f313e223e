/**
 * The `show` listing: the rows of a trace merged in seq order and printed like strace, plus what
 * strace cannot see — dispatched calls with their selector, SIGSYS deliveries with handler and
 * frame, each handler's syscalls indented by depth, the result the handler left in rax at
 * rt_sigreturn and the instructions the dispatch → sigreturn round trip cost.
 */
import type { Row } from "../record/schema.ts";
import { signalName } from "../emu/linux/syscall_decode_names.ts";
import { syscallName } from "../emu/linux/syscall_table.ts";
import { limitStrings } from "./string_limit.ts";

/** The recorded strace-like text keeps 32 bytes per string. */
export const RECORDED_STRING_LIMIT = 32;

export type LineKind = "call" | "error" | "dispatch" | "kill" | "signal" | "sigreturn" | "exit";

export interface ListingLine {
  seq: number;
  /** Thread (= process: single-threaded guests) the line belongs to. */
  tid: number;
  icount: number;
  /** Handler nesting depth (indentation). */
  depth: number;
  kind: LineKind;
  text: string;
}

export interface ListingInput {
  syscalls: Row<"syscalls">[];
  signals: Row<"signals">[];
  sigreturns: Row<"sigreturns">[];
  exits: Row<"exits">[];
}

export interface ListingOptions {
  /** Cut strings at this many bytes (only values below the recorded 32 change anything). */
  stringLimit?: number;
}

const M64 = (1n << 64n) - 1n;
const hex = (v: bigint): string => "0x" + (v & M64).toString(16);
const addr = (v: bigint): string => (v === 0n ? "NULL" : hex(v));

/** si_code names per signal (generic ones apply to all). */
function siCodeName(signo: number, code: number): string {
  const generic: Record<number, string> = { 0: "SI_USER", 0x80: "SI_KERNEL", [-6]: "SI_TKILL" };
  const specific: Record<number, Record<number, string>> = {
    4: { 1: "ILL_ILLOPC", 2: "ILL_ILLOPN" },
    5: { 1: "TRAP_BRKPT", 2: "TRAP_TRACE" },
    8: { 1: "FPE_INTDIV", 2: "FPE_INTOVF", 3: "FPE_FLTDIV", 7: "FPE_FLTINV" },
    11: { 1: "SEGV_MAPERR", 2: "SEGV_ACCERR" },
    31: { 2: "SYS_USER_DISPATCH", 1: "SYS_SECCOMP" },
  };
  if (code > 0 && code < 0x80) return specific[signo]?.[code] ?? String(code);
  return generic[code] ?? String(code);
}

/** `{si_signo=SIGSYS, si_code=SYS_USER_DISPATCH, si_call_addr=…, …}` like strace's `---` line. */
function siginfoText(s: Row<"signals">): string {
  const parts = [`si_signo=${signalName(s.signo)}`, `si_code=${siCodeName(s.signo, s.code)}`];
  if (s.errno) parts.push(`si_errno=${s.errno}`);
  if (s.si_syscall !== null) {
    const nr = s.si_syscall >>> 0;
    const name = syscallName(nr);
    parts.push(`si_call_addr=${addr(s.addr)}`);
    parts.push(`si_syscall=${name.startsWith("syscall_") ? nr : "__NR_" + name}`);
    const arch = s.si_arch === 0xc000003en ? "AUDIT_ARCH_X86_64" : hex(s.si_arch ?? 0n);
    parts.push(`si_arch=${arch}`);
  } else if ([4, 7, 8, 11].includes(s.signo) && s.code > 0 && s.code < 0x80) {
    parts.push(`si_addr=${addr(s.addr)}`);
  }
  return `{${parts.join(", ")}}`;
}

/** What a fatal kill decision does to the process. */
const KILLS: Record<string, string> = {
  kill_bad_selector: "killed by SIGSYS (selector byte is neither ALLOW nor BLOCK)",
  kill_unreadable_selector: "killed by SIGSEGV (selector unreadable)",
};

function selectorText(c: Row<"syscalls">): string {
  if (c.selector_addr === null) return "";
  if (c.selector_addr === 0n) return " sel=NULL";
  const v = c.selector_value === null ? "unreadable" : String(c.selector_value);
  return ` sel@${hex(c.selector_addr)}=${v}`;
}

/** Fallback for traces recorded without argument decoding. */
function rawCall(c: Row<"syscalls">): string {
  const args = [c.a0, c.a1, c.a2, c.a3, c.a4, c.a5].map((a) => (a === 0n ? "0" : hex(a)));
  const call = `${c.name}(${args.join(", ")})`;
  return c.ret === null ? call : `${call} = ${BigInt.asIntN(64, c.ret)}`;
}

/** Builds the listing lines in seq order. */
export function buildListing(input: ListingInput, opts: ListingOptions = {}): ListingLine[] {
  const limit = opts.stringLimit ?? RECORDED_STRING_LIMIT;
  const callText = (c: Row<"syscalls">): string => {
    const t = c.args_text ?? rawCall(c);
    return limit < RECORDED_STRING_LIMIT ? limitStrings(t, limit) : t;
  };
  const callsBySeq = new Map(input.syscalls.map((c) => [Number(c.seq), c]));
  const signalsBySeq = new Map(input.signals.map((s) => [Number(s.seq), s]));

  type Item =
    | { seq: number; kind: "syscall"; row: Row<"syscalls"> }
    | { seq: number; kind: "signal"; row: Row<"signals"> }
    | { seq: number; kind: "sigreturn"; row: Row<"sigreturns"> }
    | { seq: number; kind: "exit"; row: Row<"exits"> };
  const items: Item[] = [
    ...input.syscalls.map((row) => ({ seq: Number(row.seq), kind: "syscall" as const, row })),
    ...input.signals.map((row) => ({ seq: Number(row.seq), kind: "signal" as const, row })),
    ...input.sigreturns.map((row) => ({ seq: Number(row.seq), kind: "sigreturn" as const, row })),
    ...input.exits.map((row) => ({ seq: Number(row.seq), kind: "exit" as const, row })),
  ].sort((a, b) => a.seq - b.seq);

  const lines: ListingLine[] = [];
  // Handler nesting is per process (fork children have their own signal frames).
  const depths = new Map<number, number>();
  let depth = 0;
  for (const it of items) {
    const tid = it.row.tid;
    depth = depths.get(tid) ?? 0;
    const base = { seq: it.seq, tid, icount: Number(it.row.icount) };
    switch (it.kind) {
      case "syscall": {
        const c = it.row;
        depth = c.handler_depth;
        if (c.decision === "dispatch") {
          const text = `[dispatch${selectorText(c)}] ${callText(c)} → SIGSYS`;
          lines.push({ ...base, depth, kind: "dispatch", text });
        } else if (c.decision in KILLS) {
          const text = `[${c.decision}${selectorText(c)}] ${callText(c)} → ${KILLS[c.decision]}`;
          lines.push({ ...base, depth, kind: "kill", text });
        } else {
          const failed = c.errno !== null && c.name !== "rt_sigreturn";
          lines.push({ ...base, depth, kind: failed ? "error" : "call", text: callText(c) });
        }
        break;
      }
      case "signal": {
        const s = it.row;
        let tail: string;
        if (s.action === "handler") {
          const stack = s.on_altstack ? " (altstack)" : "";
          tail = ` handler=${hex(s.handler)} frame=${addr(s.frame_addr ?? 0n)}${stack}`;
        } else if (s.action === "frame_fault") tail = " frame could not be written";
        else if (s.action === "core" || s.action === "terminate") tail = ` fatal (${s.cause})`;
        else tail = ` ${s.action}`;
        const text = `--- ${signalName(s.signo)} ${siginfoText(s)}${tail} ---`;
        lines.push({ ...base, depth, kind: "signal", text });
        if (s.action === "handler") depth++;
        break;
      }
      case "sigreturn": {
        const r = it.row;
        const sig = r.signal_seq === null ? undefined : signalsBySeq.get(Number(r.signal_seq));
        const rax = BigInt.asIntN(64, r.rax);
        let text = `<-- sigreturn to ${hex(r.rip)}: rax=${rax} (${hex(r.rax)}) changed=[${
          r.changed.split(",").filter((x) => x).join(" ")
        }]`;
        const call = sig?.syscall_seq == null ? undefined : callsBySeq.get(Number(sig.syscall_seq));
        if (call) {
          const cost = Number(r.icount - call.icount);
          text += `; round trip ${cost} instructions since dispatch seq ${call.seq}`;
        } else if (sig) {
          text += `; ${Number(r.icount - sig.icount)} instructions in the handler`;
        }
        lines.push({ ...base, depth: Math.max(depth, 1), kind: "sigreturn", text });
        depth = Math.max(0, depth - 1);
        break;
      }
      case "exit": {
        const e = it.row;
        const text = e.signal !== null
          ? `+++ killed by ${signalName(e.signal)}${e.core ? " (core dumped)" : ""} +++`
          : `+++ exited with ${e.status} +++`;
        lines.push({ ...base, depth: 0, kind: "exit", text });
        break;
      }
    }
    depths.set(tid, depth);
  }
  return lines;
}
