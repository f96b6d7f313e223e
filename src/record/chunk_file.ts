/**
 * One Parquet chunk file per table per flush: encoding column buffers (parquet_encode.ts),
 * writing atomically, and a cheap structural check used before reading or querying.
 */
import { join } from "node:path";
import { encodePacked } from "./parquet_encode.ts";
import type { ColumnKind, TableName } from "./schema.ts";
import { tableColumns } from "./schema.ts";
import { messageOf, TraceError } from "./trace_error.ts";

/** Column data as the writer gets it: typed arrays for required numbers, arrays otherwise. */
export type ColumnData = BigInt64Array | Int32Array | unknown[];

/**
 * One column as the recorder hands it over (see table_buffer.ts): typed arrays, whose buffers are
 * transferred to the writer worker, plus small per-chunk string dictionaries.
 */
export interface PackedColumn {
  kind: ColumnKind;
  /**
   * i64: BigInt64Array; i32 and dictionary codes (-1 = null): Int32Array; bool: Uint8Array. May
   * be longer than the chunk (reused buffers): only the first `rows` entries count.
   */
  data?: BigInt64Array | Int32Array | Uint8Array;
  /** Nullable numbers: 1 where the row has a value. */
  valid?: Uint8Array;
  /** Dictionary-coded strings: the strings the codes in `data` index. */
  dict?: string[];
  /** Other strings and bytes, one entry per row. */
  values?: unknown[];
}

export interface PackedChunk {
  rows: number;
  columns: PackedColumn[];
  /** Shared flag set to 0 once the arrays may be reused by the recorder (see releaseChunk). */
  release?: Int32Array;
}

/** Gives the chunk's arrays back to the recorder; call once they are no longer read. */
export function releaseChunk(chunk: PackedChunk): void {
  if (chunk.release) Atomics.store(chunk.release, 0, 0);
}

/** A packed chunk as the Parquet writer takes it (nullable values as arrays with nulls). */
export function unpackColumns(chunk: PackedChunk): ColumnData[] {
  const rows = chunk.rows;
  return chunk.columns.map((c): ColumnData => {
    if (c.values) return c.values;
    const data = c.data!;
    if (c.dict) {
      const dict = c.dict;
      const out: (string | null)[] = new Array(rows);
      for (let i = 0; i < rows; i++) {
        const code = data[i] as number;
        out[i] = code < 0 ? null : dict[code];
      }
      return out;
    }
    if (c.kind === "bool") {
      const out: boolean[] = new Array(rows);
      for (let i = 0; i < rows; i++) out[i] = data[i] === 1;
      return out;
    }
    if (c.valid) {
      const valid = c.valid;
      const out: unknown[] = new Array(rows);
      for (let i = 0; i < rows; i++) out[i] = valid[i] ? data[i] : null;
      return out;
    }
    return (data as BigInt64Array | Int32Array).subarray(0, rows);
  });
}

/** Encodes a packed chunk as a Parquet file (see parquet_encode.ts), then releases its arrays. */
export function encodePackedChunk(table: TableName, chunk: PackedChunk): Uint8Array {
  try {
    return encodePacked(table, chunk);
  } finally {
    releaseChunk(chunk);
  }
}

export function isNullable(kind: ColumnKind): boolean {
  return kind.endsWith("?");
}

export function chunkFileName(index: number): string {
  return `part-${String(index).padStart(5, "0")}.parquet`;
}

/**
 * Encodes one chunk given as values (tests, trace edits); `columns` are in schema order and all
 * have `rows` entries: i64 as BigInt64Array or bigint/number/null arrays, i32 as Int32Array or
 * number/null arrays, bools as boolean arrays, strings and bytes as arrays.
 */
export function encodeChunk(table: TableName, columns: ColumnData[], rows: number): Uint8Array {
  const defs = tableColumns(table);
  const packed = defs.map(([name, kind], c): PackedColumn => {
    const data = columns[c];
    if (data.length < rows) {
      throw new Error(`column ${name}: ${data.length} values for ${rows} rows`);
    }
    const nullable = isNullable(kind);
    if (kind === "i64" || kind === "i64?") {
      if (data instanceof BigInt64Array) return { kind, data };
      const out = new BigInt64Array(rows);
      const valid = fillChecked(name, data, rows, nullable, (i, v) => {
        const b = typeof v === "bigint" ? v : BigInt(v as number);
        if (BigInt.asIntN(64, b) !== b) {
          throw new RangeError(`column ${name}: ${b} is not an int64`);
        }
        out[i] = b;
      });
      return { kind, data: out, valid: nullable ? valid : undefined };
    }
    if (kind === "i32" || kind === "i32?") {
      if (data instanceof Int32Array) return { kind, data };
      const out = new Int32Array(rows);
      const valid = fillChecked(name, data, rows, nullable, (i, v) => {
        if (typeof v !== "number" || (v | 0) !== v) {
          throw new RangeError(`column ${name}: ${v} is not an int32`);
        }
        out[i] = v;
      });
      return { kind, data: out, valid: nullable ? valid : undefined };
    }
    if (kind === "bool") {
      const out = new Uint8Array(rows);
      for (let i = 0; i < rows; i++) out[i] = data[i] ? 1 : 0;
      return { kind, data: out };
    }
    return { kind, values: Array.from(data as ArrayLike<unknown>).slice(0, rows) };
  });
  return encodePacked(table, { rows, columns: packed });
}

/**
 * Stores each non-null value of `data` through `put` (which range-checks it) and returns the
 * validity bytes; a null in a required column is an error.
 */
function fillChecked(
  name: string,
  data: ColumnData,
  rows: number,
  nullable: boolean,
  put: (i: number, v: unknown) => void,
): Uint8Array {
  const valid = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    const v = (data as ArrayLike<unknown>)[i];
    if (v === null || v === undefined) {
      if (!nullable) throw new Error(`column ${name}: null in a required column`);
      continue;
    }
    put(i, v);
    valid[i] = 1;
  }
  return valid;
}

/** Writes `<dir>/<table>/<name>` via a `.tmp` file and rename, so readers never see half a file. */
export function writeChunkAtomically(
  dir: string,
  table: TableName,
  name: string,
  bytes: Uint8Array,
): void {
  const path = join(dir, table, name);
  try {
    Deno.mkdirSync(join(dir, table), { recursive: true });
    Deno.writeFileSync(`${path}.tmp`, bytes);
    Deno.renameSync(`${path}.tmp`, path);
  } catch (err) {
    throw new TraceError("io", `${path}: cannot write chunk (${messageOf(err)})`);
  }
}

const MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1"

/**
 * Structural check of a chunk file without decoding it: magic at both ends and a footer length
 * that fits. Catches truncation (the common crash/copy failure) with a clear message.
 */
export function checkChunkBytes(path: string, bytes: Uint8Array): void {
  const n = bytes.length;
  checkChunkParts(path, n, bytes.subarray(0, 4), bytes.subarray(Math.max(0, n - 8)));
}

/** The check on the first 4 and last 8 bytes of a file of `size` bytes. */
function checkChunkParts(path: string, size: number, head: Uint8Array, tail: Uint8Array): void {
  const advice = "re-record the trace, or delete this chunk to read the rest";
  if (size < 12) {
    throw new TraceError("corrupt", `${path}: truncated Parquet chunk (${size} bytes); ${advice}`);
  }
  const magicAt = (b: Uint8Array, o: number) => MAGIC.every((m, i) => b[o + i] === m);
  if (!magicAt(head, 0)) {
    throw new TraceError("corrupt", `${path}: not a Parquet file (bad header magic); ${advice}`);
  }
  if (!magicAt(tail, 4)) {
    throw new TraceError(
      "corrupt",
      `${path}: truncated or corrupt Parquet chunk (no footer magic); ${advice}`,
    );
  }
  const footerLen = new DataView(tail.buffer, tail.byteOffset, 4).getUint32(0, true);
  if (footerLen + 12 > size) {
    throw new TraceError(
      "corrupt",
      `${path}: corrupt Parquet chunk (footer length ${footerLen} exceeds file size ${size}); ${advice}`,
    );
  }
}

/** Reads a chunk file's bytes and runs the structural check. */
export function readChunkFile(path: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = Deno.readFileSync(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new TraceError(
        "missing",
        `${path}: chunk listed in the manifest is missing; the trace was moved or damaged`,
      );
    }
    throw new TraceError("io", `${path}: cannot read chunk (${messageOf(err)})`);
  }
  checkChunkBytes(path, bytes);
  return bytes;
}

/**
 * The same structural check reading only the first 4 and last 8 bytes, for callers (the query
 * layer) that hand the file to another reader and must not load it whole.
 */
export function checkChunkFile(path: string): void {
  let head: Uint8Array, tail: Uint8Array, size: number;
  try {
    using file = Deno.openSync(path, { read: true });
    size = file.statSync().size;
    head = new Uint8Array(Math.min(4, size));
    tail = new Uint8Array(Math.min(8, size));
    readFully(file, head, 0);
    readFully(file, tail, Math.max(0, size - 8));
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new TraceError(
        "missing",
        `${path}: chunk listed in the manifest is missing; the trace was moved or damaged`,
      );
    }
    throw new TraceError("io", `${path}: cannot read chunk (${messageOf(err)})`);
  }
  checkChunkParts(path, size, head, tail);
}

function readFully(file: Deno.FsFile, into: Uint8Array, at: number): void {
  file.seekSync(at, Deno.SeekMode.Start);
  let done = 0;
  while (done < into.length) {
    const n = file.readSync(into.subarray(done));
    if (n === null) throw new Error("unexpected end of file");
    done += n;
  }
}

/** Chunk files present on disk for a table, sorted; in-progress `.tmp` files are ignored. */
export function listChunkFiles(dir: string, table: TableName): string[] {
  const names: string[] = [];
  try {
    for (const entry of Deno.readDirSync(join(dir, table))) {
      if (entry.isFile && /^part-\d{5,}\.parquet$/.test(entry.name)) names.push(entry.name);
    }
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return [];
    throw new TraceError("io", `${join(dir, table)}: cannot list chunks (${messageOf(err)})`);
  }
  return names.sort(compareChunkNames);
}

function compareChunkNames(a: string, b: string): number {
  return Number(a.slice(5, -8)) - Number(b.slice(5, -8));
}
