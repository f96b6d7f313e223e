/**
 * The native DuckDB engine (@duckdb/node-api, in memory) with one view per trace table.
 * Needs --allow-ffi (and --allow-read for the chunk files).
 */
import { DuckDBInstance } from "@duckdb/node-api";
import type { DuckDBConnection } from "@duckdb/node-api";
import { join } from "node:path";
import { checkChunkFile } from "../record/chunk_file.ts";
import { TABLE_NAMES, type TableName } from "../record/schema.ts";
import { openTrace } from "../record/trace_reader.ts";
import { messageOf, oneLine, TraceError } from "../record/trace_error.ts";
import { type QueryEngine, QueryError, type QueryResult, type QueryValue } from "./engine.ts";
import { createViewsSql, sqlString, traceNames, type TraceSource } from "./views.ts";

/**
 * Opens one or more traces for SQL. Tables are views named like the trace tables (`syscalls`,
 * `signals`, ...) with an added `trace` column; several traces are unioned.
 * Unusable traces (bad manifest, damaged chunk) reject with a one-line QueryError.
 */
export async function openQuery(dirs: string[]): Promise<QueryEngine> {
  if (dirs.length === 0) throw new QueryError("no trace given: pass at least one trace directory");
  const names = traceNames(dirs);
  const sources: TraceSource[] = dirs.map((dir, i) => {
    try {
      const trace = openTrace(dir);
      const chunks = {} as Record<TableName, string[]>;
      for (const table of TABLE_NAMES) {
        chunks[table] = trace.chunks(table);
        for (const c of chunks[table]) checkChunkFile(join(dir, table, c));
      }
      return { dir, name: names[i], chunks, status: trace.manifest.status };
    } catch (err) {
      if (err instanceof TraceError) throw new QueryError(`trace ${names[i]}: ${err.message}`);
      throw err;
    }
  });

  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  try {
    instance = await DuckDBInstance.create(":memory:");
    connection = await instance.connect();
  } catch (err) {
    throw new QueryError(`cannot start DuckDB: ${messageOf(err)} (run with --allow-ffi)`);
  }
  const engine = new DuckDBEngine(instance, connection, names, sources);
  try {
    for (const sql of [...createViewsSql(sources), ...HELPER_MACROS]) await connection.run(sql);
  } catch (err) {
    const culprit = await findUnreadableChunk(connection, sources);
    engine.close();
    throw new QueryError(culprit ?? `cannot open ${names.join(", ")}: ${messageOf(err)}`);
  }
  return engine;
}

/**
 * DuckDB's Parquet errors do not always name the file; on failure, read each chunk alone to find
 * the one that is damaged. Only runs on the error path.
 */
async function findUnreadableChunk(
  connection: DuckDBConnection,
  sources: TraceSource[],
): Promise<string | undefined> {
  for (const source of sources) {
    for (const table of TABLE_NAMES) {
      for (const chunk of source.chunks[table]) {
        const path = join(source.dir, table, chunk);
        try {
          await connection.run(`SELECT * FROM read_parquet(${sqlString(path)})`);
        } catch (err) {
          return `trace ${source.name}: ${path}: DuckDB cannot read this Parquet chunk ` +
            `(${messageOf(err)}); re-record the trace, or delete this chunk to query the rest`;
        }
      }
    }
  }
  return undefined;
}

/** Errors that come from the data rather than from the SQL text. */
function isDataError(message: string): boolean {
  return /^(IO|Invalid|Internal|Serialization) Error/.test(message) || /parquet/i.test(message);
}

/**
 * SQL helpers for the signed INT64 encoding: `u64(x)` gives the unsigned 64-bit value (UBIGINT;
 * a plain cast rejects negatives), `hex64(x)` the two's complement hex digits with 0x.
 */
const HELPER_MACROS = [
  "CREATE OR REPLACE MACRO u64(x) AS " +
  "(x::HUGEINT + CASE WHEN x < 0 THEN 18446744073709551616::HUGEINT ELSE 0 END)::UBIGINT",
  "CREATE OR REPLACE MACRO hex64(x) AS printf('0x%x', x)",
];

class DuckDBEngine implements QueryEngine {
  #closed = false;

  constructor(
    readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    readonly traceNames: string[],
    readonly sources: TraceSource[],
  ) {}

  async run(sql: string): Promise<QueryResult> {
    if (this.#closed) throw new QueryError("query engine is closed");
    let reader;
    try {
      reader = await this.connection.runAndReadAll(sql);
    } catch (err) {
      const message = oneLine(messageOf(err));
      if (isDataError(message)) {
        const culprit = await findUnreadableChunk(this.connection, this.sources);
        if (culprit) throw new QueryError(culprit);
      }
      const where = this.traceNames.length === 1 ? "trace" : "traces";
      throw new QueryError(`query failed on ${where} ${this.traceNames.join(", ")}: ${message}`);
    }
    const names = reader.columnNames();
    const types = reader.columnTypes();
    return {
      columns: names.map((name, i) => ({ name, type: types[i].toString() })),
      rows: reader.getRowsJS().map((row) => row.map(toQueryValue)),
    };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** DuckDB's JS values narrowed to QueryValue; anything exotic becomes its string form. */
function toQueryValue(v: unknown): QueryValue {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case "bigint":
    case "number":
    case "string":
    case "boolean":
      return v;
  }
  // Copy out of node's Buffer subclass so callers get a plain Uint8Array.
  if (v instanceof Uint8Array) return new Uint8Array(v);
  if (Array.isArray(v)) return v.map(toQueryValue);
  if (v instanceof Date) return v.toISOString();
  return typeof v === "object"
    ? JSON.stringify(v, (_k, x) => typeof x === "bigint" ? x.toString() : x)
    : String(v);
}
