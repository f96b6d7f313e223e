import assert from "node:assert/strict";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { encodeChunk, encodePackedChunk } from "./chunk_file.ts";
import { fastDecode } from "./parquet_columns.ts";
import { type ColumnKind, TABLE_NAMES, tableColumns, type TableName } from "./schema.ts";
import { TableBuffer } from "./table_buffer.ts";
import { TableColumns } from "./table_columns.ts";

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const I64_EDGES = [
  -(2n ** 63n),
  2n ** 63n - 1n,
  -1n,
  0n,
  1n,
  2n ** 51n - 1n,
  2n ** 51n,
  -(2n ** 51n),
  -(2n ** 51n) - 1n,
  2n ** 53n + 1n,
  0xc000003en,
  -4095n,
];
const I32_EDGES = [-(2 ** 31), 2 ** 31 - 1, -1, 0, 1, 0x7fff];
const STR_EDGES = ["", "read", "wr\u00efte", "\u{1f600} x", "x".repeat(300), "a\u0000b"];

/** How a column's values vary down the rows. */
const SHAPES = ["const", "few", "many", "counter", "jumps", "edges"] as const;
type Shape = (typeof SHAPES)[number];

function value(kind: ColumnKind, shape: Shape, i: number, r: () => number, k: number): unknown {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const few = <T>(xs: readonly T[]) => xs[(k + Math.floor(r() * 3)) % xs.length];
  switch (kind) {
    case "i64":
    case "i64?": {
      const random = () =>
        BigInt.asIntN(64, (BigInt(Math.floor(r() * 2 ** 32)) << 32n) | BigInt(r() * 2 ** 32 >>> 0));
      if (shape === "const") return I64_EDGES[k % I64_EDGES.length];
      if (shape === "few") return few(I64_EDGES);
      if (shape === "many") return random();
      if (shape === "counter") return BigInt(1000 + 3 * i + (r() < 0.1 ? 1 : 0) + k);
      if (shape === "jumps") return BigInt.asIntN(64, BigInt(i) * 0x123456789abcdn + BigInt(k));
      return pick(I64_EDGES);
    }
    case "i32":
    case "i32?":
      if (shape === "const") return I32_EDGES[k % I32_EDGES.length];
      if (shape === "few") return few(I32_EDGES);
      if (shape === "many") return (r() * 2 ** 32) | 0;
      if (shape === "counter") return i + k;
      if (shape === "jumps") return Math.imul(i, 0x12345679);
      return pick(I32_EDGES);
    case "bool":
      return shape === "const" ? k % 2 === 0 : r() < 0.5;
    case "str":
    case "str?":
      if (shape === "const") return STR_EDGES[k % STR_EDGES.length];
      if (shape === "few" || shape === "edges") return few(STR_EDGES);
      return `v${i}-${Math.floor(r() * 1e9)}`;
    case "bytes": {
      const n = shape === "const" ? k % 3 : Math.floor(r() * 20);
      return Uint8Array.from({ length: n }, (_, j) => shape === "const" ? j : (r() * 256) | 0);
    }
  }
}

/** Rows of `table`; nullable columns get nulls at `nullRate`. */
function makeRows(
  table: TableName,
  rows: number,
  shape: Shape,
  nullRate: number,
  seed: number,
): Record<string, unknown>[] {
  const r = rng(seed);
  const defs = tableColumns(table);
  return Array.from({ length: rows }, (_, i) => {
    const row: Record<string, unknown> = {};
    defs.forEach(([name, kind], k) => {
      row[name] = kind.endsWith("?") && r() < nullRate ? null : value(kind, shape, i, r, k);
    });
    return row;
  });
}

function columnsOf(table: TableName, rows: Record<string, unknown>[]): unknown[][] {
  return tableColumns(table).map(([name]) => rows.map((row) => row[name]));
}

/** hyparquet's rows, the fast column reader's rows (no fallback allowed), and the statistics. */
async function readBoth(
  table: TableName,
  bytes: Uint8Array,
): Promise<{ generic: unknown[]; fast: unknown[] }> {
  const file = bytes.slice().buffer;
  const metadata = parquetMetadata(file);
  assert.equal(metadata.key_value_metadata?.[0].value, table);
  const generic = await parquetReadObjects({ file, metadata, utf8: false });
  const fast = new TableColumns(table, fastDecode(new Uint8Array(file), metadata, table)).toRows();
  return { generic, fast };
}

function checkStatistics(table: TableName, bytes: Uint8Array, rows: Record<string, unknown>[]) {
  const metadata = parquetMetadata(bytes.slice().buffer);
  for (const group of metadata.row_groups) {
    for (const c of group.columns) {
      const name = c.meta_data!.path_in_schema[0];
      const stats = c.meta_data!.statistics;
      if (!["seq", "idx", "tid", "icount"].includes(name)) {
        assert.equal(stats, undefined, `${table}.${name} has no statistics`);
        continue;
      }
      const vals = rows.map((row) => row[name] as bigint | number);
      const sorted = vals.toSorted((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      assert.equal(stats?.min_value, sorted[0], `${table}.${name} min`);
      assert.equal(stats?.max_value, sorted.at(-1), `${table}.${name} max`);
    }
  }
}

Deno.test("chunks of every table read back equal with hyparquet and the fast reader", async () => {
  let seed = 1;
  for (const table of TABLE_NAMES) {
    for (const rows of [0, 1, 2, 9, 300, 1100]) {
      for (const shape of SHAPES) {
        for (const nullRate of [0, 0.3, 1]) {
          const expected = makeRows(table, rows, shape, nullRate, seed++);
          const what = `${table} ${rows} rows, ${shape}, nulls ${nullRate}`;
          // As the recorder hands chunks over (typed arrays, dictionary codes)...
          const buffer = new TableBuffer(table);
          for (const row of expected) buffer.append(Object.values(row));
          const packed = encodePackedChunk(table, buffer.take());
          // ...and from value arrays.
          const fromValues = encodeChunk(table, columnsOf(table, expected), rows);
          for (const bytes of [packed, fromValues]) {
            const { generic, fast } = await readBoth(table, bytes);
            assert.deepEqual(generic, expected, `${what}: hyparquet`);
            assert.deepEqual(fast, expected, `${what}: fast reader`);
            checkStatistics(table, bytes, expected);
          }
        }
      }
    }
  }
});

Deno.test("DuckDB reads the encoded chunks with the same values", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "sudtrace-encode-" });
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    let seed = 100;
    for (const table of TABLE_NAMES) {
      for (const shape of SHAPES) {
        for (const rows of [1, 1000]) {
          const expected = makeRows(table, rows, shape, 0.3, seed++);
          const buffer = new TableBuffer(table);
          for (const row of expected) buffer.append(Object.values(row));
          const path = join(dir, `${table}-${shape}-${rows}.parquet`);
          Deno.writeFileSync(path, encodePackedChunk(table, buffer.take()));
          const reader = await connection.runAndReadAll(`SELECT * FROM read_parquet('${path}')`);
          const got = reader.getRowObjectsJS().map((row) => {
            const out: Record<string, unknown> = {};
            for (const [k, v] of Object.entries(row)) {
              // BLOBs come as Node Buffers: compare their bytes.
              out[k] = v instanceof Uint8Array ? new Uint8Array(v) : v;
            }
            return out;
          });
          assert.deepEqual(got, expected, `${table} ${shape} ${rows}`);
        }
      }
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("encodings: dictionaries for repeated values, delta for counters, plain for noise", () => {
  const rows = makeRows("signals", 5000, "const", 0, 7);
  const r = rng(3);
  rows.forEach((row, i) => {
    row.seq = BigInt(2 * i);
    row.rbx = BigInt(i); // counter
    row.rbp = BigInt.asIntN(64, BigInt(Math.floor(r() * 2 ** 32)) << 31n); // noise
    row.rcx = [5n, 7n][i % 2]; // two values
  });
  const bytes = encodeChunk("signals", columnsOf("signals", rows), rows.length);
  const metadata = parquetMetadata(bytes.slice().buffer);
  const encodings = Object.fromEntries(
    metadata.row_groups[0].columns.map((c) => [
      c.meta_data!.path_in_schema[0],
      c.meta_data!.encodings.join(","),
    ]),
  );
  assert.equal(encodings.seq, "DELTA_BINARY_PACKED");
  assert.equal(encodings.rbx, "DELTA_BINARY_PACKED");
  assert.equal(encodings.rbp, "PLAIN");
  assert.equal(encodings.rcx, "PLAIN,RLE_DICTIONARY");
  assert.equal(encodings.cause, "PLAIN,RLE_DICTIONARY");
  assert.equal(encodings.on_altstack, "RLE");
  assert.equal(encodings.frame_addr, "PLAIN,RLE_DICTIONARY,RLE");
  // Constant columns cost a few dozen bytes each.
  assert.ok(bytes.length < 40_000 + 8 * 5000, `${bytes.length} bytes`);
});
