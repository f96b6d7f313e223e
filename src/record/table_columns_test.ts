/**
 * The columnar reader (parquet_columns.ts, table_columns.ts) must give exactly the rows of the
 * row reader (hyparquet's parquetReadObjects), for our writer's layouts and for any other.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { parquetWriteBuffer } from "hyparquet-writer";
import { chunkFileName, encodeChunk, writeChunkAtomically } from "./chunk_file.ts";
import { writeManifest } from "./manifest.ts";
import { readManifest } from "./manifest_read.ts";
import { decodeChunkColumns } from "./parquet_columns.ts";
import { Recorder } from "./recorder.ts";
import { TABLE_NAMES, tableColumns } from "./schema.ts";
import {
  emitTo,
  SYNTHETIC_BASE,
  type SyntheticEvent,
  syntheticEvents,
} from "./synthetic_events.ts";
import { TableColumns } from "./table_columns.ts";
import { openTrace } from "./trace_reader.ts";
import { TraceError } from "./trace_error.ts";

const EXIT = { status: 0, signal: null, core: false, icount: 91, error: null };

function recordSynthetic(events: SyntheticEvent[], chunkRows?: number): string {
  const dir = Deno.makeTempDirSync();
  const rec = Recorder.create(dir, SYNTHETIC_BASE, { chunkRows });
  emitTo(rec, events);
  rec.finish(EXIT);
  return dir;
}

/** The synthetic run repeated `n` times with fresh seqs (several chunks, repeated values). */
function repeated(n: number): SyntheticEvent[] {
  const out: SyntheticEvent[] = [];
  const base = syntheticEvents().filter((ev) => ev.kind !== "exit");
  for (let k = 0; k < n; k++) {
    for (const ev of base) {
      const e = { ...ev.e, seq: ev.e.seq + 10 * k } as typeof ev.e;
      // Vary one column so both dictionary and plain pages appear.
      if (ev.kind === "syscall" && k % 3 === 0) (e as typeof ev.e).icount += k;
      out.push({ ...ev, e } as SyntheticEvent);
    }
  }
  return out;
}

async function assertSameRows(dir: string): Promise<void> {
  const trace = openTrace(dir);
  for (const table of TABLE_NAMES) {
    const rows = await trace.read(table);
    const columns = await trace.readColumns(table);
    assert.equal(columns.rows, rows.length, table);
    assert.deepEqual(columns.toRows(), rows.map((r) => ({ ...r })), table);
  }
}

Deno.test("readColumns gives read()'s rows: nulls, values >= 2^63, bytes, booleans", async () => {
  await assertSameRows(recordSynthetic(syntheticEvents()));
});

Deno.test("readColumns gives read()'s rows across many small chunks", async () => {
  const dir = recordSynthetic(repeated(300), 97);
  assert.ok(readManifest(dir).chunks.syscalls.length > 5);
  await assertSameRows(dir);
});

Deno.test("readColumns sorts chunks that were reordered on disk, as read() does", async () => {
  const dir = recordSynthetic(repeated(40), 50);
  const manifest = readManifest(dir);
  manifest.chunks.syscalls.reverse();
  writeManifest(dir, manifest);
  const columns = await openTrace(dir).readColumns("syscalls");
  assert.ok(columns.isSorted());
  await assertSameRows(dir);
});

Deno.test("layouts our writer does not produce are read through hyparquet", async () => {
  // Strings as DELTA_BYTE_ARRAY, an i32 as BYTE_STREAM_SPLIT, seqs past 2^53 delta-packed,
  // uncompressed pages: the fast decoder declines and the generic path must agree with hyparquet.
  const seq = [1n, 2n ** 60n, 2n ** 60n + 5n, -(2n ** 62n)];
  const buffer = parquetWriteBuffer({
    columnData: [
      {
        name: "seq",
        data: BigInt64Array.from(seq),
        type: "INT64",
        encoding: "DELTA_BINARY_PACKED",
      },
      {
        name: "tid",
        data: Int32Array.from([1, 2, 3, 4]),
        type: "INT32",
        encoding: "BYTE_STREAM_SPLIT",
      },
      { name: "icount", data: BigInt64Array.from([9n, 8n, 7n, 6n]), type: "INT64" },
      { name: "status", data: [0, null, 255, null], type: "INT32", nullable: true },
      { name: "signal", data: [null, 9, null, 11], type: "INT32", nullable: true },
      { name: "core", data: [false, true, false, true], type: "BOOLEAN" },
    ],
    codec: "UNCOMPRESSED",
  });
  const metadata = parquetMetadata(buffer);
  const parts = await decodeChunkColumns(buffer, metadata, "exits");
  const fromColumns = new TableColumns("exits", parts).toRows();
  const expected = await parquetReadObjects({ file: buffer, metadata, utf8: false });
  assert.deepEqual(fromColumns, expected);
  assert.equal(fromColumns[3].seq, -(2n ** 62n));
});

Deno.test("plain, dictionary and null-heavy pages of every kind decode like hyparquet", async () => {
  const n = 700;
  const rows = Array.from({ length: n }, (_, i) => ({
    seq: BigInt(i),
    tid: i % 7 === 0 ? -5 : 100,
    icount: BigInt(i * 3),
    pc: i % 2 ? 2n ** 63n + BigInt(i) : BigInt(-i),
    nr: BigInt(i % 3),
    name: i % 5 ? "read" : "wr\u00efte",
    a0: BigInt(i),
    a1: 0n,
    a2: -1n,
    a3: 2n ** 62n,
    a4: BigInt(i % 300),
    a5: BigInt(i * 1000003),
    decision: "no_sud",
    selector_addr: i % 4 ? null : BigInt(i),
    selector_value: i % 9 ? null : i % 2,
    ret: i % 11 ? BigInt(-i) : null,
    errno: null,
    handler_depth: i % 2,
    args_text: i % 6 ? `call ${i}` : null,
  }));
  const columns = tableColumns("syscalls").map(([name, kind]) => {
    const values = rows.map((r) => (r as Record<string, unknown>)[name]);
    return kind === "i64" ? BigInt64Array.from(values as bigint[]) : values;
  });
  const buffer = encodeChunk("syscalls", columns, n).slice().buffer;
  const metadata = parquetMetadata(buffer);
  const fromColumns = new TableColumns(
    "syscalls",
    await decodeChunkColumns(buffer, metadata, "syscalls"),
  ).toRows();
  assert.deepEqual(fromColumns, await parquetReadObjects({ file: buffer, metadata, utf8: false }));
});

Deno.test("readColumns reports damaged chunks with read()'s TraceErrors", async () => {
  const damages: ((dir: string) => void)[] = [
    (dir) => Deno.writeFileSync(join(dir, "syscalls", chunkFileName(0)), new Uint8Array(3)),
    (dir) => Deno.removeSync(join(dir, "syscalls", chunkFileName(0))),
    (dir) =>
      Deno.copyFileSync(
        join(dir, "exits", chunkFileName(0)),
        join(dir, "syscalls", chunkFileName(0)),
      ),
    (dir) => {
      const m = readManifest(dir);
      m.counts.syscalls += 1;
      writeManifest(dir, m);
    },
    (dir) => {
      // Page data cut short while the footer stays intact.
      const path = join(dir, "syscalls", chunkFileName(0));
      const bytes = Deno.readFileSync(path);
      const footerLen = new DataView(bytes.buffer).getUint32(bytes.length - 8, true);
      const footer = bytes.slice(bytes.length - 8 - footerLen);
      const cut = new Uint8Array(4 + footer.length);
      cut.set(bytes.subarray(0, 4));
      cut.set(footer, 4);
      writeChunkAtomically(dir, "syscalls", chunkFileName(0), cut);
    },
  ];
  for (const damage of damages) {
    const dir = recordSynthetic(syntheticEvents());
    damage(dir);
    const trace = openTrace(dir);
    const rowError = await trace.read("syscalls").then(() => null, (e) => e);
    const columnError = await trace.readColumns("syscalls").then(() => null, (e) => e);
    assert.ok(
      columnError instanceof TraceError,
      `damage ${damages.indexOf(damage)}: ${columnError}`,
    );
    if (rowError instanceof TraceError) {
      assert.equal(columnError.kind, rowError.kind);
      assert.equal(columnError.message.split(" (")[0], rowError.message.split(" (")[0]);
    }
    assert.ok(!columnError.message.includes("\n"));
  }
});
