/**
 * Recorder per-row cost on SUD-shaped traffic: each round trip is the 4 rows a SIGSYS round trip
 * records (dispatched syscall, signal with 18 registers, rt_sigreturn syscall, sigreturn), built
 * fresh per event as the kernel builds them, fed through a background Recorder set up like
 * `record()` does. Prints main-thread ns/row (recorder only: event construction is measured
 * separately and subtracted) and the wall time until every chunk is on disk.
 * Run: deno run -A bench/recorder_rows.ts [roundTrips=100000] [repeats=3]
 */
import { Recorder } from "../src/record/recorder.ts";
import { EventRows } from "../src/record/event_rows.ts";
import { TableBuffer } from "../src/record/table_buffer.ts";
import { encodePackedChunk, type PackedChunk } from "../src/record/chunk_file.ts";
import { SYNTHETIC_BASE } from "../src/record/synthetic_events.ts";
import type { TableName } from "../src/record/schema.ts";
import { registerWordsOf } from "../src/emu/linux/signal_frame.ts";
import type { KernelObserver, SavedRegisters } from "../src/emu/linux/events.ts";

const SELECTOR = 0x408130n;
const HANDLER = 0x401240n;
const FRAME = 0x7fffffffe878n;

function regs(i: number): SavedRegisters {
  return {
    rax: 0x1234n,
    rbx: BigInt(i),
    rcx: 0x4010efn,
    rdx: 0n,
    rsi: 0n,
    rdi: 0n,
    rbp: 0x7fffffffe9a0n,
    rsp: 0x7fffffffe940n,
    r8: 0n,
    r9: 0n,
    r10: 0n,
    r11: 0x246n,
    r12: 0x408130n,
    r13: BigInt(100000 - i),
    r14: 0n,
    r15: 0xffffffffffffffffn,
    rip: 0x4010efn,
    eflags: 0x246n,
  };
}

/** Emits `n` round trips to `o`; returns the number of rows. */
export function emitRoundTrips(o: KernelObserver, n: number, seq0 = 0): number {
  let seq = seq0;
  let icount = 1000;
  for (let i = 0; i < n; i++) {
    const dispatchSeq = seq;
    o.syscall?.({
      seq: seq++,
      tid: 1,
      icount,
      pc: 0x4010edn,
      nr: 0x1234n,
      name: `syscall_${"0x1234"}`,
      args: [0n, 0n, 0n, 0n, 0n, 0n],
      decision: "dispatch",
      selectorAddr: SELECTOR,
      selectorValue: 1,
      ret: null,
      handlerDepth: 0,
      argsText: `syscall_0x1234(${0}, 0, 0, 0, 0, 0)`,
    });
    const signalSeq = seq;
    o.signal?.({
      seq: seq++,
      tid: 1,
      icount,
      signo: 31,
      code: 2,
      errno: 0,
      addr: 0x4010efn,
      siSyscall: 0x1234,
      siArch: 0xc000003e,
      cause: "sud",
      action: "handler",
      handler: HANDLER,
      restorer: 0x401300n,
      saFlags: 0x4000004n,
      frameAddr: FRAME,
      onAltstack: false,
      maskBefore: 0n,
      maskInHandler: 0x40000000n,
      regWords: registerWordsOf(regs(i)),
    });
    icount += 8;
    o.syscall?.({
      seq: seq++,
      tid: 1,
      icount,
      pc: 0x401250n,
      nr: 15n,
      name: "rt_sigreturn",
      args: [0n, 0n, 0n, 0n, 0n, 0n],
      decision: "selector_allow",
      selectorAddr: SELECTOR,
      selectorValue: 0,
      ret: 42n,
      handlerDepth: 1,
      argsText: `rt_sigreturn({mask=[]}) = ${42}`,
    });
    o.sigreturn?.({
      seq: seq++,
      tid: 1,
      icount,
      frameAddr: FRAME,
      signalSeq: dispatchSeq === signalSeq ? null : signalSeq,
      rip: 0x4010efn,
      rsp: 0x7fffffffe940n,
      rax: 42n,
      eflags: 0x246n,
      maskAfter: 0n,
      changed: ["rax"],
    });
    icount += 13;
  }
  return seq - seq0;
}

/** Keeps every event alive past the call, so event construction is not optimised away. */
let lastEvent: unknown = null;
const SINK: KernelObserver = {
  syscall: (e) => lastEvent = e,
  signal: (e) => lastEvent = e,
  sigreturn: (e) => lastEvent = e,
};

export interface RowsResult {
  rows: number;
  /** Main thread: feeding the events, minus building them. */
  nsPerRow: number;
  /** Until every chunk is on disk and the trace is finished. */
  wallSeconds: number;
}

export async function measureRecorderRows(roundTrips: number, dir: string): Promise<RowsResult> {
  // Event construction alone, so that only the recorder's share is reported.
  const t0 = performance.now();
  const rows = emitRoundTrips(SINK, roundTrips);
  const buildMs = performance.now() - t0;

  const rec = Recorder.create(dir, SYNTHETIC_BASE, {
    overwrite: true,
    background: true,
    chunkRows: 16384,
  });
  const t1 = performance.now();
  emitRoundTrips(rec, roundTrips);
  const mainMs = performance.now() - t1;
  await rec.settle();
  rec.finish({ status: 0, signal: null, core: false, icount: 0, error: null });
  const wallMs = performance.now() - t1;
  if (lastEvent === null) throw new Error("no events built");
  return { rows, nsPerRow: ((mainMs - buildMs) * 1e6) / rows, wallSeconds: wallMs / 1000 };
}

/**
 * The packed chunks of `roundTrips` round trips per per-round-trip table, `chunkRows` rows each
 * (the last one of a table partial), as the recorder's column buffers hand them over.
 */
export function roundTripChunks(
  roundTrips: number,
  chunkRows: number,
): [TableName, PackedChunk][] {
  const buffers = {
    syscalls: new TableBuffer("syscalls"),
    signals: new TableBuffer("signals"),
    sigreturns: new TableBuffer("sigreturns"),
  };
  const rows = new EventRows();
  const chunks: [TableName, PackedChunk][] = [];
  const full = (t: keyof typeof buffers) => {
    if (buffers[t].length === chunkRows) chunks.push([t, buffers[t].take()]);
  };
  emitRoundTrips({
    syscall: (e) => (rows.writeSyscall(buffers.syscalls, e), full("syscalls")),
    signal: (e) => (rows.writeSignal(buffers.signals, e), full("signals")),
    sigreturn: (e) => (rows.writeSigreturn(buffers.sigreturns, e), full("sigreturns")),
  }, roundTrips);
  for (const t of ["syscalls", "signals", "sigreturns"] as const) {
    chunks.push([t, buffers[t].take()]);
  }
  return chunks;
}

/**
 * The worker's share, measured on this thread: Parquet-encoding the chunks of `roundTrips` round
 * trips (16384-row chunks). Returns ns per row.
 */
export function measureEncode(roundTrips: number): number {
  const chunks = roundTripChunks(roundTrips, 16384);
  const n = chunks.reduce((sum, [, c]) => sum + c.rows, 0);
  const t0 = performance.now();
  for (const [t, chunk] of chunks) encodePackedChunk(t, chunk);
  return ((performance.now() - t0) * 1e6) / n;
}

if (import.meta.main) {
  const roundTrips = Number(Deno.args[0] ?? 100_000);
  const repeats = Number(Deno.args[1] ?? 3);
  const dir = Deno.makeTempDirSync({ prefix: "sudtrace-bench-" });
  try {
    for (let r = 0; r < repeats; r++) {
      const { rows, nsPerRow, wallSeconds } = await measureRecorderRows(roundTrips, dir);
      console.log(
        `${rows} rows: recorder main thread ${nsPerRow.toFixed(0)} ns/row, ` +
          `wall incl. worker flush ${wallSeconds.toFixed(3)} s`,
      );
    }
    for (let r = 0; r < repeats; r++) {
      console.log(
        `Parquet encoding (the worker's job): ${measureEncode(roundTrips).toFixed(0)} ns/row`,
      );
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}
