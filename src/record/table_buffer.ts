/**
 * Column buffers for one table, kept in typed arrays so a recorded row allocates nothing and a
 * finished chunk goes to the writer worker as transferable buffers instead of being cloned value
 * by value:
 * - i64 / i64?: BigInt64Array (a bigint store is the two's complement for free; JS numbers are
 *   written as two 32-bit words through an Int32Array view, with no BigInt allocation);
 * - i32 / i32?: Int32Array; bool: Uint8Array; nullable numbers add a Uint8Array validity column;
 * - low-cardinality strings: Int32Array codes into a per-chunk dictionary (-1 = null);
 * - other strings and bytes: plain arrays.
 * Typed arrays are SharedArrayBuffer-backed and reused across chunks (see `take()`).
 *
 * Setters are monomorphic per column type (the event writers in event_rows.ts call them directly
 * with the column's type known); `append(values)` is the generic row path.
 */
import { type PackedChunk, type PackedColumn, releaseChunk } from "./chunk_file.ts";
import type { ColumnKind, TableName } from "./schema.ts";
import { tableColumns } from "./schema.ts";

const INITIAL_CAPACITY = 256;
const TWO_32 = 4294967296;

/** String columns with few distinct values per chunk: dictionary-coded while recording. */
const DICTIONARY_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  // args_text too: loops repeat the same calls, and codes travel to the worker as one typed
  // array where distinct strings would be cloned one by one.
  syscalls: ["name", "decision", "args_text"],
  signals: ["cause", "action"],
  sigreturns: ["changed"],
  host_calls: ["method"],
};

const NONE_I64 = new BigInt64Array(0);
const NONE_I32 = new Int32Array(0);
const NONE_U8 = new Uint8Array(0);

/** Storage class of a column. */
const Store = { I64: 0, I32: 1, Bool: 2, Dict: 3, Plain: 4 } as const;
type Store = (typeof Store)[keyof typeof Store];

/** Per-segment string dictionary of one column. */
class Dictionary {
  values: string[] = [];
  #codes = new Map<string, number>();
  // The last two strings and their codes: rows repeat one string, or alternate between two
  // (a SUD loop's dispatched call and its rt_sigreturn), often as the same string object.
  #a: string | null = null;
  #aCode = -1;
  #b: string | null = null;
  #bCode = -1;

  code(s: string): number {
    if (s === this.#a) return this.#aCode;
    if (s === this.#b) {
      const code = this.#bCode;
      this.#b = this.#a;
      this.#bCode = this.#aCode;
      this.#a = s;
      this.#aCode = code;
      return code;
    }
    let code = this.#codes.get(s);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(s);
      this.#codes.set(s, code);
    }
    this.#b = this.#a;
    this.#bCode = this.#aCode;
    this.#a = s;
    this.#aCode = code;
    return code;
  }

  reset(): void {
    this.values = [];
    this.#codes = new Map();
    this.#a = this.#b = null;
    this.#aCode = this.#bCode = -1;
  }
}

export class TableBuffer {
  readonly kinds: readonly ColumnKind[];
  readonly #store: Store[];
  #capacity = INITIAL_CAPACITY;
  /** Every set of arrays of the current capacity; `#current` is being filled. */
  #sets: ColumnSet[] = [];
  #current!: ColumnSet;
  length = 0;
  /** Per column (empty for columns of another type). */
  big: BigInt64Array[];
  words: Int32Array[];
  i32: Int32Array[];
  /** Validity of nullable numeric columns, and the values of bool columns. */
  bytes: Uint8Array[];
  readonly dicts: (Dictionary | null)[];
  plain: unknown[][];

  constructor(readonly table: TableName) {
    const defs = tableColumns(table);
    this.kinds = defs.map(([, kind]) => kind);
    const dictCols = DICTIONARY_COLUMNS[table] ?? [];
    this.#store = defs.map(([name, kind]) => storeOf(kind, dictCols.includes(name)));
    this.big = [];
    this.words = [];
    this.i32 = [];
    this.bytes = [];
    this.plain = this.#store.map(() => []);
    this.dicts = this.#store.map((s) => (s === Store.Dict ? new Dictionary() : null));
    this.#install(this.#newSet());
  }

  /** Index for a new row; write its columns, then `commit(i)`. */
  reserve(): number {
    if (this.length === this.#capacity) this.#grow();
    return this.length;
  }

  commit(i: number): void {
    this.length = i + 1;
  }

  setBig(c: number, i: number, v: bigint): void {
    this.big[c][i] = v;
  }

  /** An i64 column from its two 32-bit words (low, high). */
  setWords(c: number, i: number, lo: number, hi: number): void {
    const w = this.words[c];
    w[2 * i] = lo;
    w[2 * i + 1] = hi;
  }

  /** An i64 column from a safe integer (negative ones become their two's complement). */
  setNum64(c: number, i: number, n: number): void {
    const w = this.words[c];
    w[2 * i] = n;
    w[2 * i + 1] = Math.floor(n / TWO_32);
  }

  setBigOpt(c: number, i: number, v: bigint | null): void {
    if (v === null) this.bytes[c][i] = 0;
    else {
      this.big[c][i] = v;
      this.bytes[c][i] = 1;
    }
  }

  setNum64Opt(c: number, i: number, n: number | null): void {
    if (n === null) this.bytes[c][i] = 0;
    else {
      this.setNum64(c, i, n);
      this.bytes[c][i] = 1;
    }
  }

  setI32(c: number, i: number, n: number): void {
    this.i32[c][i] = n;
  }

  setI32Opt(c: number, i: number, n: number | null): void {
    if (n === null) this.bytes[c][i] = 0;
    else {
      this.i32[c][i] = n;
      this.bytes[c][i] = 1;
    }
  }

  setBool(c: number, i: number, b: boolean): void {
    this.bytes[c][i] = b ? 1 : 0;
  }

  /** A dictionary-coded string column. */
  setStr(c: number, i: number, s: string | null): void {
    this.i32[c][i] = s === null ? -1 : this.dicts[c]!.code(s);
  }

  setPlain(c: number, i: number, v: unknown): void {
    this.plain[c][i] = v ?? null;
  }

  /**
   * The low 32 bits (signed) of an i64 value in row i; with `high`, the two words recover the
   * signed value without allocating a bigint.
   */
  low(c: number, i: number): number {
    return this.words[c][2 * i];
  }

  high(c: number, i: number): number {
    return this.words[c][2 * i + 1];
  }

  /**
   * Appends one row; `values` are in schema order. i64 columns take bigint (any 64-bit value,
   * stored as two's complement) or a safe integer number.
   */
  append(values: readonly unknown[]): void {
    const i = this.reserve();
    const kinds = this.kinds;
    const store = this.#store;
    for (let c = 0; c < kinds.length; c++) {
      const v = values[c];
      const nullable = kinds[c].endsWith("?");
      switch (store[c]) {
        case Store.I64:
          if (nullable && v == null) this.bytes[c][i] = 0;
          else {
            if (typeof v === "bigint") this.setBig(c, i, v);
            else this.setNum64(c, i, checkedInteger(v));
            if (nullable) this.bytes[c][i] = 1;
          }
          break;
        case Store.I32:
          if (nullable) this.setI32Opt(c, i, (v ?? null) as number | null);
          else this.setI32(c, i, v as number);
          break;
        case Store.Bool:
          this.setBool(c, i, Boolean(v));
          break;
        case Store.Dict:
          this.setStr(c, i, (v ?? null) as string | null);
          break;
        default:
          this.setPlain(c, i, v);
      }
    }
    this.commit(i);
  }

  /**
   * Hands the buffered rows over and clears the buffer. The typed arrays themselves are handed
   * over (the first `rows` entries are the data): they live in SharedArrayBuffers, so the writer
   * worker reads them without a copy, and marks them free (`releaseChunk`) once encoded. The
   * buffer continues with a free set of arrays, or new ones: fresh memory is expensive (page
   * faults, GC pressure), and the main thread may not return to the event loop for the whole
   * run, so reuse must not depend on messages.
   */
  take(): PackedChunk {
    const rows = this.length;
    const columns: PackedColumn[] = this.kinds.map((kind, c) => {
      const nullable = kind.endsWith("?");
      switch (this.#store[c]) {
        case Store.I64:
          return { kind, data: this.big[c], valid: nullable ? this.bytes[c] : undefined };
        case Store.I32:
          return { kind, data: this.i32[c], valid: nullable ? this.bytes[c] : undefined };
        case Store.Bool:
          return { kind, data: this.bytes[c] };
        case Store.Dict: {
          const dict = this.dicts[c]!;
          const packed = { kind, data: this.i32[c], dict: dict.values };
          dict.reset();
          return packed;
        }
        default: {
          const values = this.plain[c];
          this.plain[c] = [];
          if (values.length > rows) values.length = rows;
          return { kind, values };
        }
      }
    });
    this.length = 0;
    const current = this.#current;
    Atomics.store(current.busy, 0, 1);
    this.#install(this.#sets.find((s) => Atomics.load(s.busy, 0) === 0) ?? this.#newSet());
    return { rows, columns, release: current.busy };
  }

  /** Marks the arrays of a chunk from `take()` free for reuse (the worker does it itself). */
  recycle(chunk: PackedChunk): void {
    releaseChunk(chunk);
  }

  /** Drops the rows; keeps the typed arrays for reuse. */
  clear(): void {
    this.recycle(this.take());
  }

  #grow(): void {
    const old = this.#current;
    this.#capacity *= 2;
    this.#sets = []; // all too small now
    this.#install(this.#newSet());
    for (let c = 0; c < this.#store.length; c++) {
      if (old.big[c].length) this.big[c].set(old.big[c]);
      if (old.i32[c].length) this.i32[c].set(old.i32[c]);
      if (old.bytes[c].length) this.bytes[c].set(old.bytes[c]);
    }
  }

  #newSet(): ColumnSet {
    const n = this.#capacity;
    // One SharedArrayBuffer per set, carved into the columns: allocating shared memory is slow
    // (tens of microseconds per buffer), and a set has up to ~40 columns.
    const align8 = (x: number) => Math.ceil(x / 8) * 8;
    let bytes = 8;
    this.#store.forEach((s, c) => {
      const valid = this.kinds[c].endsWith("?") && (s === Store.I64 || s === Store.I32);
      if (s === Store.I64) bytes += 8 * n;
      if (s === Store.I32 || s === Store.Dict) bytes += align8(4 * n);
      if (s === Store.Bool || valid) bytes += align8(n);
    });
    const buffer = shared(bytes);
    let at = 8;
    const take = (len: number) => {
      const start = at;
      at += align8(len);
      return start;
    };
    const set: ColumnSet = { big: [], i32: [], bytes: [], busy: new Int32Array(buffer, 0, 1) };
    this.#store.forEach((s, c) => {
      const valid = this.kinds[c].endsWith("?") && (s === Store.I64 || s === Store.I32);
      set.big.push(s === Store.I64 ? new BigInt64Array(buffer, take(8 * n), n) : NONE_I64);
      set.i32.push(
        s === Store.I32 || s === Store.Dict ? new Int32Array(buffer, take(4 * n), n) : NONE_I32,
      );
      set.bytes.push(s === Store.Bool || valid ? new Uint8Array(buffer, take(n), n) : NONE_U8);
    });
    this.#sets.push(set);
    return set;
  }

  #install(set: ColumnSet): void {
    this.#current = set;
    this.big = set.big;
    this.i32 = set.i32;
    this.bytes = set.bytes;
    this.words = set.big.map((b) =>
      b.length ? new Int32Array(b.buffer, b.byteOffset, 2 * b.length) : NONE_I32
    );
  }
}

function shared(bytes: number): SharedArrayBuffer {
  return new SharedArrayBuffer(bytes);
}

/** The typed arrays of one buffer's worth of rows (per column; empty for other types). */
interface ColumnSet {
  big: BigInt64Array[];
  i32: Int32Array[];
  bytes: Uint8Array[];
  /** 1 while a taken chunk still uses the set (shared with the worker). */
  busy: Int32Array;
}

function storeOf(kind: ColumnKind, dictionary: boolean): Store {
  switch (kind) {
    case "i64":
    case "i64?":
      return Store.I64;
    case "i32":
    case "i32?":
      return Store.I32;
    case "bool":
      return Store.Bool;
    case "str":
    case "str?":
      return dictionary ? Store.Dict : Store.Plain;
    default:
      return Store.Plain;
  }
}

function checkedInteger(v: unknown): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v)) {
    throw new TypeError(`i64 column needs a bigint or a safe integer, got ${String(v)}`);
  }
  return v;
}
