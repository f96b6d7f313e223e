import assert from "node:assert/strict";
import { join } from "node:path";
import { Recorder } from "./recorder.ts";
import { openTrace } from "./trace_reader.ts";
import { TraceError } from "./trace_error.ts";
import { emitTo, SYNTHETIC_BASE, syntheticEvents } from "./synthetic_events.ts";

const EXIT = { status: 0, signal: null, core: false, icount: 91, error: null };

function completeTrace(): string {
  const dir = Deno.makeTempDirSync();
  const rec = Recorder.create(dir, SYNTHETIC_BASE);
  emitTo(rec, syntheticEvents());
  rec.finish(EXIT);
  return dir;
}

async function readError(dir: string): Promise<TraceError> {
  try {
    await openTrace(dir).read("syscalls");
  } catch (err) {
    assert.ok(err instanceof TraceError, `expected TraceError, got ${err}`);
    assert.ok(!err.message.includes("\n"), "one-line message");
    return err;
  }
  throw new Error("read succeeded on a damaged trace");
}

const chunkPath = (dir: string) => join(dir, "syscalls", "part-00000.parquet");

Deno.test("a truncated chunk is a one-line TraceError naming the file", async () => {
  const dir = completeTrace();
  const bytes = Deno.readFileSync(chunkPath(dir));
  Deno.writeFileSync(chunkPath(dir), bytes.subarray(0, bytes.length - 30));
  const err = await readError(dir);
  assert.equal(err.kind, "corrupt");
  assert.match(err.message, /syscalls\/part-00000\.parquet: truncated or corrupt/);
  assert.match(err.message, /re-record/);
});

Deno.test("a chunk cut to a few bytes is reported as truncated", async () => {
  const dir = completeTrace();
  Deno.writeFileSync(chunkPath(dir), new Uint8Array([0x50, 0x41]));
  assert.match((await readError(dir)).message, /truncated Parquet chunk \(2 bytes\)/);
});

Deno.test("a chunk whose footer metadata is garbage is a TraceError", async () => {
  const dir = completeTrace();
  const bytes = Deno.readFileSync(chunkPath(dir));
  const footerLen = new DataView(bytes.buffer).getUint32(bytes.length - 8, true);
  // Overwrite the footer's thrift metadata but keep its length and magic intact.
  bytes.fill(0xff, bytes.length - 8 - footerLen, bytes.length - 8);
  Deno.writeFileSync(chunkPath(dir), bytes);
  const err = await readError(dir);
  assert.equal(err.kind, "corrupt");
  assert.match(err.message, /corrupt Parquet chunk/);
});

Deno.test("a chunk that is not Parquet at all is rejected", async () => {
  const dir = completeTrace();
  Deno.writeTextFileSync(chunkPath(dir), "this is not a parquet file at all, really");
  assert.match((await readError(dir)).message, /not a Parquet file/);
});

Deno.test("a chunk missing from a complete trace is reported", async () => {
  const dir = completeTrace();
  Deno.removeSync(chunkPath(dir));
  const err = await readError(dir);
  assert.equal(err.kind, "missing");
  assert.match(err.message, /listed in the manifest is missing/);
});

Deno.test("a chunk from another table is caught by the column check", async () => {
  const dir = completeTrace();
  Deno.copyFileSync(join(dir, "exits", "part-00000.parquet"), chunkPath(dir));
  assert.match((await readError(dir)).message, /has no column "pc"/);
});

Deno.test("rows disagreeing with the manifest count are reported", async () => {
  const dir = completeTrace();
  const m = JSON.parse(Deno.readTextFileSync(join(dir, "manifest.json")));
  m.counts.syscalls += 1;
  Deno.writeTextFileSync(join(dir, "manifest.json"), JSON.stringify(m));
  assert.match((await readError(dir)).message, /7 rows on disk but the manifest says 8/);
});

Deno.test("a bad chunk of one table does not stop reading the others", async () => {
  const dir = completeTrace();
  Deno.writeFileSync(chunkPath(dir), new Uint8Array(3));
  const exits = await openTrace(dir).read("exits");
  assert.equal(exits.length, 1);
});
