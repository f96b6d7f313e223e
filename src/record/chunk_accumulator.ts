/**
 * Builds one table's chunk from the small segments the recorder hands over (see table_buffer.ts).
 * The recorder fills small, recycled column sets so that the thread running the guest touches
 * little fresh memory (a first-touch page fault costs ~15 µs on our VMs: a 16 MB set is ~60 ms);
 * this side, usually the writer worker, copies segments into its own reused arrays until a chunk
 * is full. Dictionary codes are per segment and are re-coded into the chunk's dictionary here.
 */
import type { PackedChunk, PackedColumn } from "./chunk_file.ts";
import type { ColumnKind, TableName } from "./schema.ts";
import { tableColumns } from "./schema.ts";

const INITIAL_CAPACITY = 1024;

/** One column's accumulated values, in arrays reused across chunks. */
interface ColumnStore {
  kind: ColumnKind;
  data: BigInt64Array | Int32Array | Uint8Array | null;
  valid: Uint8Array | null;
  /** Dictionary columns: the chunk's strings and their codes. */
  dict: string[] | null;
  codes: Map<string, number> | null;
  values: unknown[] | null;
}

export class ChunkAccumulator {
  rows = 0;
  #capacity = 0;
  readonly #columns: ColumnStore[] = [];

  constructor(readonly table: TableName) {
    for (const [, kind] of tableColumns(table)) {
      this.#columns.push({
        kind,
        data: null,
        valid: null,
        dict: null,
        codes: null,
        values: kind === "bytes" || kind === "str" || kind === "str?" ? [] : null,
      });
    }
  }

  /**
   * Appends rows [from, from + count) of a segment. Dictionary and plain columns are recognised
   * by the segment's shape (codes with `dict`, or `values`), as table_buffer.ts packs them.
   */
  append(segment: PackedChunk, from: number, count: number): void {
    if (count <= 0) return;
    this.#reserve(this.rows + count);
    const at = this.rows;
    segment.columns.forEach((src, c) => {
      const dst = this.#columns[c];
      if (src.values) {
        const out = dst.values ??= [];
        out.length = at;
        for (let i = 0; i < count; i++) out.push(src.values[from + i] ?? null);
        return;
      }
      const data = src.data!;
      if (src.dict) {
        this.#appendCodes(dst, data as Int32Array, src.dict, from, count, at);
        return;
      }
      this.#typed(dst, data).set(data.subarray(from, from + count) as never, at);
      if (src.valid) {
        dst.valid ??= new Uint8Array(this.#capacity);
        dst.valid.set(src.valid.subarray(from, from + count), at);
      }
    });
    this.rows += count;
  }

  /** The accumulated rows as a chunk for the encoder; call `reset()` once it is encoded. */
  chunk(): PackedChunk {
    const rows = this.rows;
    const columns = this.#columns.map((s): PackedColumn => {
      if (s.codes) return { kind: s.kind, data: s.data ?? new Int32Array(0), dict: s.dict! };
      if (s.values) return { kind: s.kind, values: s.values.slice(0, rows) };
      return { kind: s.kind, data: s.data ?? undefined, valid: s.valid ?? undefined };
    });
    return { rows, columns };
  }

  /** Empties the accumulator, keeping its arrays. */
  reset(): void {
    this.rows = 0;
    for (const s of this.#columns) {
      if (s.codes) {
        s.codes.clear();
        s.dict = [];
      }
      if (s.values) s.values.length = 0;
    }
  }

  #appendCodes(
    dst: ColumnStore,
    codes: Int32Array,
    segmentDict: readonly string[],
    from: number,
    count: number,
    at: number,
  ): void {
    const chunkCodes = dst.codes ??= new Map();
    const dict = dst.dict ??= [];
    const out = (dst.data ??= new Int32Array(this.#capacity)) as Int32Array;
    // Segment dictionaries are small: map each entry once, then re-code the rows.
    const remap = new Int32Array(segmentDict.length);
    for (let k = 0; k < segmentDict.length; k++) {
      const s = segmentDict[k];
      let code = chunkCodes.get(s);
      if (code === undefined) {
        code = dict.length;
        dict.push(s);
        chunkCodes.set(s, code);
      }
      remap[k] = code;
    }
    for (let i = 0; i < count; i++) {
      const code = codes[from + i];
      out[at + i] = code < 0 ? -1 : remap[code];
    }
  }

  /** The column's typed array, created like the segment's on first use. */
  #typed(dst: ColumnStore, like: BigInt64Array | Int32Array | Uint8Array) {
    if (!dst.data) {
      const n = this.#capacity;
      dst.data = like instanceof BigInt64Array
        ? new BigInt64Array(n)
        : like instanceof Int32Array
        ? new Int32Array(n)
        : new Uint8Array(n);
    }
    return dst.data;
  }

  #reserve(rows: number): void {
    if (rows <= this.#capacity) return;
    let n = Math.max(this.#capacity, INITIAL_CAPACITY);
    while (n < rows) n *= 2;
    this.#capacity = n;
    for (const s of this.#columns) {
      if (s.data) s.data = grown(s.data, n, this.rows);
      if (s.valid) s.valid = grown(s.valid, n, this.rows);
    }
  }
}

function grown<T extends BigInt64Array | Int32Array | Uint8Array>(
  a: T,
  n: number,
  keep: number,
): T {
  const out = a instanceof BigInt64Array
    ? new BigInt64Array(n)
    : a instanceof Int32Array
    ? new Int32Array(n)
    : new Uint8Array(n);
  out.set(a.subarray(0, keep) as never);
  return out as T;
}
