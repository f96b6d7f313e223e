/**
 * The writer worker's job, per table: Parquet-encoding the 16384-row chunks of SUD round trips
 * (bench/recorder_rows.ts traffic) with the chunk encoder (parquet_encode.ts) and, for
 * comparison, with hyparquet-writer's general writer as used before. Prints ms per chunk, ns per
 * row and bytes per chunk; then the writer worker's start-up time (spawn to first chunk on disk).
 * Run: deno run -A bench/encode_chunks.ts [roundTrips=100000] [repeats=5]
 */
import { parquetWriteBuffer } from "hyparquet-writer";
import type { ColumnSource } from "hyparquet-writer";
import { BackgroundWriter } from "../src/record/background_writer.ts";
import { type PackedChunk, unpackColumns } from "../src/record/chunk_file.ts";
import { encodePacked } from "../src/record/parquet_encode.ts";
import { tableColumns, type TableName } from "../src/record/schema.ts";
import { TableBuffer } from "../src/record/table_buffer.ts";
import { roundTripChunks } from "./recorder_rows.ts";

const CHUNK_ROWS = 16384;

/** The chunks of `roundTrips` round trips, per table (the last one partial). */
function buildChunks(roundTrips: number): [TableName, PackedChunk][] {
  return roundTripChunks(roundTrips, CHUNK_ROWS);
}

/** The previous encoder: hyparquet-writer's general writer on unpacked values. */
function legacyEncode(table: TableName, chunk: PackedChunk): Uint8Array {
  const columns = unpackColumns(chunk);
  const columnData: ColumnSource[] = tableColumns(table).map(([name, kind], i) => ({
    name,
    data: columns[i] as ColumnSource["data"],
    type: kind.startsWith("i64")
      ? "INT64"
      : kind.startsWith("i32")
      ? "INT32"
      : kind === "bool"
      ? "BOOLEAN"
      : kind === "bytes"
      ? "BYTE_ARRAY"
      : "STRING",
    nullable: kind.endsWith("?"),
    statistics: ["seq", "idx", "tid", "icount"].includes(name),
    ...(["seq", "idx", "icount"].includes(name)
      ? { encoding: "DELTA_BINARY_PACKED" as const }
      : {}),
  }));
  return new Uint8Array(parquetWriteBuffer({
    columnData,
    rowGroupSize: Math.max(chunk.rows, 1),
    pageSize: 0,
    createdBy: "sudtrace",
    kvMetadata: [{ key: "sudtrace.table", value: table }],
  }));
}

interface Totals {
  ms: number;
  chunks: number;
  rows: number;
  bytes: number;
}

function measure(
  chunks: [TableName, PackedChunk][],
  encode: (t: TableName, c: PackedChunk) => Uint8Array,
): Map<TableName, Totals> {
  const out = new Map<TableName, Totals>();
  for (const [table, chunk] of chunks) {
    const t0 = performance.now();
    const bytes = encode(table, chunk);
    const ms = performance.now() - t0;
    const t = out.get(table) ?? { ms: 0, chunks: 0, rows: 0, bytes: 0 };
    t.ms += ms;
    t.chunks++;
    t.rows += chunk.rows;
    t.bytes += bytes.length;
    out.set(table, t);
  }
  return out;
}

function report(label: string, totals: Map<TableName, Totals>): void {
  let ms = 0, bytes = 0;
  for (const [table, t] of totals) {
    ms += t.ms;
    bytes += t.bytes;
    console.log(
      `${label.padEnd(8)} ${table.padEnd(10)} ${
        (t.ms / t.chunks).toFixed(2).padStart(8)
      } ms/chunk ${(t.ms * 1e6 / t.rows).toFixed(0).padStart(6)} ns/row ${
        Math.round(t.bytes / t.chunks).toString().padStart(8)
      } B/chunk`,
    );
  }
  console.log(`${label.padEnd(8)} total      ${ms.toFixed(1).padStart(8)} ms, ${bytes} bytes`);
}

/** Spawn to first chunk written: the worker's module loading plus one small chunk. */
async function workerStartup(): Promise<number> {
  const dir = Deno.makeTempDirSync({ prefix: "sudtrace-bench-" });
  try {
    const buffer = new TableBuffer("exits");
    buffer.append([0n, 1, 0n, 0, null, false]);
    const writer = new BackgroundWriter(dir, 1, () => {});
    const t0 = performance.now();
    writer.segment("exits", buffer.take());
    await writer.flush();
    const ms = performance.now() - t0;
    writer.close();
    return ms;
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

if (import.meta.main) {
  const roundTrips = Number(Deno.args[0] ?? 100_000);
  const repeats = Number(Deno.args[1] ?? 5);
  const chunks = buildChunks(roundTrips);
  for (let r = 0; r < repeats; r++) {
    const last = r === repeats - 1;
    const legacy = measure(chunks, legacyEncode);
    const fast = measure(chunks, encodePacked);
    if (last || r === 0) {
      console.log(`# round ${r + 1}${r === 0 ? " (cold)" : ""}`);
      report("library", legacy);
      report("fast", fast);
    }
  }
  for (let r = 0; r < 3; r++) {
    console.log(`writer worker start-up: ${(await workerStartup()).toFixed(0)} ms`);
  }
}
