/**
 * Column buffers for one table. Required 64/32-bit columns live in growable typed arrays (no
 * per-value allocation, and BigInt64Array stores a bigint as its two's complement for free);
 * nullable, string and byte columns are plain arrays.
 */
import type { ColumnData } from "./chunk_file.ts";
import type { ColumnKind, TableName } from "./schema.ts";
import { tableColumns } from "./schema.ts";

type Store = BigInt64Array | Int32Array | unknown[];

const INITIAL_CAPACITY = 256;
const I64 = 0, I32 = 1, I64_NULLABLE = 2, OTHER = 3;

export class TableBuffer {
  readonly kinds: readonly ColumnKind[];
  #stores: Store[];
  /** Kinds as small integers: the append loop runs per value, so it avoids string compares. */
  readonly #codes: Uint8Array;
  #capacity = INITIAL_CAPACITY;
  length = 0;

  constructor(readonly table: TableName) {
    this.kinds = tableColumns(table).map(([, kind]) => kind);
    this.#stores = this.kinds.map((k) => newStore(k, this.#capacity));
    this.#codes = Uint8Array.from(
      this.kinds,
      (k) => (k === "i64" ? I64 : k === "i32" ? I32 : k === "i64?" ? I64_NULLABLE : OTHER),
    );
  }

  /**
   * Appends one row; `values` are in schema order. i64 columns take bigint (any 64-bit value,
   * stored as two's complement) or a safe integer number.
   */
  append(values: readonly unknown[]): void {
    if (this.length === this.#capacity) this.#grow();
    const i = this.length;
    const codes = this.#codes;
    const stores = this.#stores;
    for (let c = 0; c < codes.length; c++) {
      const v = values[c];
      const code = codes[c];
      if (code === I64) {
        (stores[c] as BigInt64Array)[i] = typeof v === "bigint" ? v : BigInt(v as number);
      } else if (code === I32) {
        (stores[c] as Int32Array)[i] = v as number;
      } else if (code === I64_NULLABLE && v != null) {
        (stores[c] as unknown[])[i] = BigInt.asIntN(
          64,
          typeof v === "bigint" ? v : BigInt(v as number),
        );
      } else {
        (stores[c] as unknown[])[i] = v ?? null;
      }
    }
    this.length = i + 1;
  }

  /** The buffered columns trimmed to `length` (views, valid until the next append or clear). */
  columns(): ColumnData[] {
    return this.#stores.map((s) =>
      Array.isArray(s)
        ? (s.length === this.length ? s : s.slice(0, this.length))
        : s.subarray(0, this.length)
    );
  }

  /** Copies of the buffered columns that the caller owns (e.g. to transfer to a worker). */
  takeColumns(): ColumnData[] {
    return this.#stores.map((s) => s.slice(0, this.length));
  }

  /** Drops the rows; keeps the grown typed arrays for reuse. */
  clear(): void {
    this.length = 0;
    this.#stores = this.#stores.map((s) => (Array.isArray(s) ? [] : s));
  }

  #grow(): void {
    this.#capacity *= 2;
    this.#stores = this.#stores.map((s) => {
      if (Array.isArray(s)) return s;
      const bigger = s instanceof BigInt64Array
        ? new BigInt64Array(this.#capacity)
        : new Int32Array(this.#capacity);
      bigger.set(s as never);
      return bigger;
    });
  }
}

function newStore(kind: ColumnKind, capacity: number): Store {
  if (kind === "i64") return new BigInt64Array(capacity);
  if (kind === "i32") return new Int32Array(capacity);
  return [];
}
