import assert from "node:assert/strict";
import { join } from "node:path";
import { Recorder } from "./recorder.ts";
import { openTrace } from "./trace_reader.ts";
import { readManifest } from "./manifest_read.ts";
import { TraceError } from "./trace_error.ts";
import {
  emitTo,
  SYNTHETIC_BASE,
  SYNTHETIC_HOST_CALLS,
  syntheticEvents,
} from "./synthetic_events.ts";
import type { SyscallEvent } from "../emu/linux/events.ts";

const EXIT = { status: 3, signal: null, core: false, icount: 91, error: null };

function recordSynthetic(dir: string, chunkRows?: number): Recorder {
  const rec = Recorder.create(dir, SYNTHETIC_BASE, { chunkRows });
  emitTo(rec, syntheticEvents());
  for (const [m, a, r] of SYNTHETIC_HOST_CALLS) rec.recordHostCall(m, a, r);
  return rec;
}

Deno.test("create writes an incomplete manifest immediately", () => {
  const dir = Deno.makeTempDirSync();
  Recorder.create(dir, SYNTHETIC_BASE);
  const m = readManifest(dir);
  assert.equal(m.status, "incomplete");
  assert.equal(m.created, SYNTHETIC_BASE.created);
  assert.deepEqual(m.chunks.syscalls, []);
});

Deno.test("syscall rows round-trip through Parquet, 64-bit values as signed INT64", async () => {
  const dir = Deno.makeTempDirSync();
  const manifest = recordSynthetic(dir).finish(EXIT);
  assert.equal(manifest.status, "complete");
  assert.deepEqual(manifest.exit, EXIT);
  const events = syntheticEvents().filter((e) => e.kind === "syscall").map((e) =>
    e.e as SyscallEvent
  );
  assert.equal(manifest.counts.syscalls, events.length);

  const rows = await openTrace(dir).read("syscalls");
  assert.equal(rows.length, events.length);
  const s = (v: bigint) => BigInt.asIntN(64, v);
  for (const [i, e] of events.entries()) {
    assert.deepEqual(rows[i], {
      seq: BigInt(e.seq),
      tid: e.tid,
      icount: BigInt(e.icount),
      pc: s(e.pc),
      nr: s(e.nr),
      name: e.name,
      a0: s(e.args[0]),
      a1: s(e.args[1]),
      a2: s(e.args[2]),
      a3: s(e.args[3]),
      a4: s(e.args[4]),
      a5: s(e.args[5]),
      decision: e.decision,
      selector_addr: e.selectorAddr === null ? null : s(e.selectorAddr),
      selector_value: e.selectorValue,
      ret: e.ret === null ? null : s(e.ret),
      errno: e.ret !== null && s(e.ret) < 0n ? Number(-s(e.ret)) : null,
      handler_depth: e.handlerDepth,
      args_text: e.argsText ?? null,
    });
  }
  // Edge values, spelled out: >= 2^63 stays recoverable, -ENOENT gets errno 2.
  assert.equal(rows[0].a5, -1n);
  assert.equal(BigInt.asUintN(64, rows[0].a3), 0xffff_ffff_ffff_f000n);
  const open = rows.find((r) => r.name === "open")!;
  assert.equal(open.ret, -2n);
  assert.equal(open.errno, 2);
  assert.equal(rows.find((r) => r.decision === "dispatch")!.nr, -0x1_0000_0000n + 0x27n);
});

Deno.test("signal, sigreturn, mem_write, sud_config, exit and host calls round-trip", async () => {
  const dir = Deno.makeTempDirSync();
  recordSynthetic(dir).finish(EXIT);
  const trace = openTrace(dir);

  const [sig] = await trace.read("signals");
  assert.equal(sig.signo, 31);
  assert.equal(sig.si_arch, 0xc000_003en);
  assert.equal(sig.syscall_seq, 5n, "SIGSYS is linked to the dispatched syscall");
  assert.equal(sig.rax, -38n);
  assert.equal(sig.r15, BigInt.asIntN(64, 0xffff_ffff_ffff_f000n));
  assert.equal(sig.on_altstack, false);
  assert.equal(sig.mask_in_handler, 1n << 30n);

  const [ret] = await trace.read("sigreturns");
  assert.deepEqual([ret.signal_seq, ret.rax, ret.changed], [6n, 100n, "rax,r11"]);

  const [mw] = await trace.read("mem_writes");
  assert.deepEqual(mw.bytes, new Uint8Array([104, 105, 0, 255]));
  assert.equal(mw.len, 4);

  const [cfg] = await trace.read("sud_configs");
  assert.deepEqual([cfg.mode, cfg.selector, cfg.result], [1n, 0x4000_1000n, 0]);

  const [ex] = await trace.read("exits");
  assert.deepEqual([ex.status, ex.signal, ex.core], [3, null, false]);

  const calls = await trace.hostCalls();
  assert.deepEqual(
    calls.map((c) => [c.method, c.args, c.result]),
    SYNTHETIC_HOST_CALLS,
  );
  assert.deepEqual(calls.map((c) => c.idx), [0, 1]);
});

Deno.test("empty tables get a 0-row chunk with the schema", async () => {
  const dir = Deno.makeTempDirSync();
  const rec = Recorder.create(dir, SYNTHETIC_BASE);
  emitTo(rec, syntheticEvents().slice(0, 1));
  const m = rec.finish(EXIT);
  assert.deepEqual(m.chunks.host_calls, ["part-00000.parquet"]);
  assert.equal(m.counts.host_calls, 0);
  assert.deepEqual(await openTrace(dir).read("host_calls"), []);
  assert.deepEqual(await openTrace(dir).read("signals"), []);
});

Deno.test("tables are split into chunks of chunkRows and read back in seq order", async () => {
  const dir = Deno.makeTempDirSync();
  const m = recordSynthetic(dir, 3).finish(EXIT);
  assert.deepEqual(m.chunks.syscalls, [
    "part-00000.parquet",
    "part-00001.parquet",
    "part-00002.parquet",
  ]);
  const seqs = (await openTrace(dir).read("syscalls")).map((r) => r.seq);
  assert.deepEqual(seqs, [0n, 2n, 3n, 4n, 5n, 7n, 9n]);
});

Deno.test("a full chunk is on disk and in the manifest before finish", () => {
  const dir = Deno.makeTempDirSync();
  const rec = Recorder.create(dir, SYNTHETIC_BASE, { chunkRows: 2 });
  emitTo(rec, syntheticEvents().slice(0, 4)); // 3 syscalls
  const m = readManifest(dir);
  assert.deepEqual(m.chunks.syscalls, ["part-00000.parquet"]);
  assert.equal(m.counts.syscalls, 2);
  assert.equal(rec.counts.syscalls, 3);
});

Deno.test("abort keeps everything recorded and leaves the trace incomplete", async () => {
  const dir = Deno.makeTempDirSync();
  const rec = Recorder.create(dir, SYNTHETIC_BASE, { chunkRows: 4 });
  emitTo(rec, syntheticEvents().slice(0, 7));
  const m = rec.abort("SIGINT");
  assert.equal(m.status, "incomplete");
  assert.equal(m.abort_reason, "SIGINT");
  assert.equal(readManifest(dir).abort_reason, "SIGINT");
  const trace = openTrace(dir);
  assert.equal((await trace.read("syscalls")).length, 5);
  assert.deepEqual(await trace.read("exits"), []);
  // Events after abort are ignored rather than thrown at the kernel.
  emitTo(rec, syntheticEvents().slice(7));
  assert.equal(rec.counts.exits, 0);
});

Deno.test("a crash mid-recording leaves a readable trace of the finished chunks", async () => {
  const dir = Deno.makeTempDirSync();
  const rec = Recorder.create(dir, SYNTHETIC_BASE, { chunkRows: 2 });
  emitTo(rec, syntheticEvents()); // no finish, no abort: the process "died"
  // A half-written temporary file, as a crash during a chunk write would leave.
  Deno.writeFileSync(join(dir, "syscalls", "part-00099.parquet.tmp"), new Uint8Array([1, 2]));
  const rows = await openTrace(dir).read("syscalls");
  assert.deepEqual(rows.map((r) => r.seq), [0n, 2n, 3n, 4n, 5n, 7n]);
});

Deno.test("recording into an existing trace is refused unless overwrite is set", async () => {
  const dir = Deno.makeTempDirSync();
  recordSynthetic(dir).finish(EXIT);
  assert.throws(() => Recorder.create(dir, SYNTHETIC_BASE), /already holds a trace/);
  const rec = Recorder.create(dir, SYNTHETIC_BASE, { overwrite: true });
  rec.finish(EXIT);
  assert.deepEqual(await openTrace(dir).read("syscalls"), []);
});

Deno.test("finish twice is an error, not a silent second trace", () => {
  const dir = Deno.makeTempDirSync();
  const rec = recordSynthetic(dir);
  rec.finish(EXIT);
  assert.throws(() => rec.finish(EXIT), TraceError);
});

Deno.test("background mode writes full chunks from a worker and they read back in order", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "sudtrace-bg-" });
  const rec = Recorder.create(dir, SYNTHETIC_BASE, { chunkRows: 100, background: true });
  const event = (syntheticEvents().find((e) => e.kind === "syscall") as { e: SyscallEvent }).e;
  for (let i = 0; i < 1050; i++) rec.syscall({ ...event, seq: i, icount: i * 3 });
  assert.throws(() => rec.finish(EXIT), TraceError); // chunks still in the worker
  await rec.settle();
  const m = rec.finish(EXIT);
  assert.equal(m.counts.syscalls, 1050);
  assert.equal(m.chunks.syscalls.length, 11);
  const rows = await openTrace(dir).read("syscalls");
  assert.deepEqual(rows.map((r) => Number(r.seq)), [...Array(1050).keys()]);
  assert.deepEqual(rows.slice(0, 3).map((r) => Number(r.icount)), [0, 3, 6]);
});

Deno.test("background segments give the same tables and chunk layout as inline recording", async () => {
  const record = async (background: boolean) => {
    const dir = Deno.makeTempDirSync({ prefix: "sudtrace-seg-" });
    const rec = Recorder.create(dir, SYNTHETIC_BASE, { chunkRows: 10, background, segmentRows: 3 });
    for (let i = 0; i < 40; i++) {
      emitTo(rec, syntheticEvents());
      for (const [m, a, r] of SYNTHETIC_HOST_CALLS) rec.recordHostCall(m, a, r);
    }
    await rec.settle();
    const m = rec.finish(EXIT);
    const trace = openTrace(dir);
    const tables: Record<string, unknown> = {};
    for (const t of Object.keys(m.counts)) tables[t] = await trace.read(t as never);
    return { m, tables };
  };
  const inline = await record(false);
  const background = await record(true);
  assert.deepEqual(background.m.counts, inline.m.counts);
  assert.deepEqual(background.m.chunks, inline.m.chunks);
  assert.ok(inline.m.counts.syscalls > 100);
  assert.deepEqual(background.tables, inline.tables);
});
