/**
 * A trace table held column by column, for readers that compare rather than list (the replay
 * verifier): per chunk, each column is its distinct stored values plus one small code per row.
 * Row objects are built only on request (`rowAt`), with the same values `TraceHandle.read()` gives.
 */
import { type ColumnKind, orderColumn, tableColumns, type TableName } from "./schema.ts";

const TWO_32 = 4294967296;

/**
 * One column of one chunk. Row r holds value `codes[r]`, or null when `codes[r] === nullCode`;
 * `codes` null means row r holds value r (no nulls, no dictionary).
 * Values live in one array by kind: i64 as [low, high] 32-bit words of the two's complement
 * (`words`, 2 per value), i32 and bool (0/1) in `ints`, strings and bytes in `objects`.
 */
export class ColumnPart {
  constructor(
    readonly kind: ColumnKind,
    readonly codes: Uint8Array | Uint16Array | Int32Array | null,
    readonly nullCode: number,
    readonly words: Int32Array,
    readonly ints: Int32Array,
    readonly objects: readonly unknown[],
  ) {}

  /** Row r's value as `read()` returns it: bigint, number, boolean, string, bytes or null. */
  valueAt(r: number): unknown {
    const code = this.codes === null ? r : this.codes[r];
    if (code === this.nullCode) return null;
    switch (this.kind) {
      case "i64":
      case "i64?":
        return int64Of(this.words, code);
      case "i32":
      case "i32?":
        return this.ints[code];
      case "bool":
        return this.ints[code] === 1;
      default:
        return this.objects[code];
    }
  }
}

/** The bigint of value `code` in a words array. */
function int64Of(words: Int32Array, code: number): bigint {
  return (BigInt(words[2 * code + 1]) << 32n) | BigInt(words[2 * code] >>> 0);
}

/** Row codes in the narrowest array that holds `count` values plus a null code. */
export function narrowCodes(
  codes: Int32Array,
  count: number,
): { codes: Uint8Array | Uint16Array | Int32Array; nullCode: number } {
  if (count < 0xff) {
    return { codes: narrowTo(new Uint8Array(codes.length), codes, 0xff), nullCode: 0xff };
  }
  if (count < 0xffff) {
    return { codes: narrowTo(new Uint16Array(codes.length), codes, 0xffff), nullCode: 0xffff };
  }
  return { codes, nullCode: -1 };
}

function narrowTo<T extends Uint8Array | Uint16Array>(
  out: T,
  codes: Int32Array,
  nullCode: number,
): T {
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    out[i] = c < 0 ? nullCode : c;
  }
  return out;
}

/** A column part from one value per row (null for null), as hyparquet or a row list gives them. */
export function columnPartFromValues(kind: ColumnKind, values: ArrayLike<unknown>): ColumnPart {
  const n = values.length;
  const codes = new Int32Array(n);
  const big = kind.startsWith("i64") ? new BigInt64Array(n) : new BigInt64Array(0);
  const ints = kind.startsWith("i32") || kind === "bool" ? new Int32Array(n) : new Int32Array(0);
  const objects: unknown[] = [];
  let count = 0;
  for (let r = 0; r < n; r++) {
    const v = values[r];
    if (v === null || v === undefined) {
      codes[r] = -1;
      continue;
    }
    switch (kind) {
      case "i64":
      case "i64?":
        big[count] = BigInt(v as bigint | number);
        break;
      case "i32":
      case "i32?":
        ints[count] = Number(v);
        break;
      case "bool":
        ints[count] = v ? 1 : 0;
        break;
      default:
        objects.push(v);
    }
    codes[r] = count++;
  }
  const narrow = count === n ? null : narrowCodes(codes, count);
  return new ColumnPart(
    kind,
    narrow?.codes ?? null,
    narrow?.nullCode ?? -1,
    new Int32Array(big.buffer),
    ints,
    objects,
  );
}

/** A run of rows (one chunk, or one row group of it) with its columns in schema order. */
export interface RowPart {
  rows: number;
  columns: ColumnPart[];
}

/** One table, column by column, rows in seq (host_calls: idx) order. */
export class TableColumns {
  /** Total rows. */
  readonly rows: number;
  /** The order column (seq / idx) of every row, as a number. */
  readonly order: Float64Array;
  /** First row of each part. */
  readonly starts: number[];
  readonly names: readonly string[];

  /** The non-empty parts, in row order. */
  readonly parts: readonly RowPart[];

  constructor(readonly table: TableName, parts: readonly RowPart[]) {
    // Empty chunks hold nothing to compare; dropping them keeps every part's row 0 real.
    this.parts = parts = parts.filter((p) => p.rows > 0);
    const columns = tableColumns(table);
    this.names = columns.map(([name]) => name);
    this.starts = [];
    let rows = 0;
    for (const p of parts) {
      this.starts.push(rows);
      rows += p.rows;
    }
    this.rows = rows;
    const key = this.names.indexOf(orderColumn(table));
    this.order = new Float64Array(rows);
    parts.forEach((p, k) => {
      const col = p.columns[key];
      const base = this.starts[k];
      const codes = col.codes;
      for (let r = 0; r < p.rows; r++) {
        const code = codes === null ? r : codes[r];
        this.order[base + r] = code === col.nullCode
          ? NaN
          : col.words[2 * code + 1] * TWO_32 + (col.words[2 * code] >>> 0);
      }
    });
  }

  /** Builds a table from row objects (tests, and re-sorting a reordered trace). */
  static fromRows(table: TableName, rows: readonly Record<string, unknown>[]): TableColumns {
    const columns = tableColumns(table).map(([name, kind]) =>
      columnPartFromValues(kind, rows.map((r) => r[name]))
    );
    return new TableColumns(table, rows.length ? [{ rows: rows.length, columns }] : []);
  }

  /** True when rows are in non-decreasing order-column order. */
  isSorted(): boolean {
    const o = this.order;
    for (let i = 1; i < o.length; i++) if (!(o[i - 1] <= o[i])) return false;
    return true;
  }

  /** The part holding row i. */
  partOf(i: number): number {
    let lo = 0, hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Row i as an object in column order, exactly as `read()` returns it. */
  rowAt(i: number): Record<string, unknown> {
    const k = this.partOf(i);
    const part = this.parts[k];
    const r = i - this.starts[k];
    const row: Record<string, unknown> = {};
    this.names.forEach((name, c) => row[name] = part.columns[c].valueAt(r));
    return row;
  }

  /** Every row as objects (small tables, tests). */
  toRows(): Record<string, unknown>[] {
    const rows: Record<string, unknown>[] = [];
    for (let i = 0; i < this.rows; i++) rows.push(this.rowAt(i));
    return rows;
  }

  /** The same rows stably sorted by the order column (for chunks that were reordered on disk). */
  sorted(): TableColumns {
    if (this.isSorted()) return this;
    const key = orderColumn(this.table);
    const rows = this.toRows();
    rows.sort((a, b) => {
      const x = a[key] as bigint, y = b[key] as bigint;
      return x < y ? -1 : x > y ? 1 : 0;
    });
    return TableColumns.fromRows(this.table, rows);
  }
}
