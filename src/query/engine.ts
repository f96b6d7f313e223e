/**
 * The query layer's engine contract: SQL in, named columns and rows out. Kept small so a second
 * engine (duckdb-wasm where FFI is forbidden) can be added behind it.
 */

export interface QueryColumn {
  name: string;
  /** The engine's type name, e.g. "BIGINT", "VARCHAR". */
  type: string;
}

/**
 * Cell values: bigint for 64-bit integers, number, string, boolean, Uint8Array for BLOBs, null.
 * Other engine types (dates, decimals, lists) arrive as their string or array forms.
 */
export type QueryValue = bigint | number | string | boolean | Uint8Array | null | QueryValue[];

export interface QueryResult {
  columns: QueryColumn[];
  rows: QueryValue[][];
}

export interface QueryEngine {
  /** Runs one or more SQL statements; the result is the last one's. Bad SQL rejects with QueryError. */
  run(sql: string): Promise<QueryResult>;
  close(): void;
}

/** A failed query or unusable trace, with a one-line message fit for a terminal. */
export class QueryError extends Error {
  override readonly name = "QueryError";
}
