/**
 * SQL that exposes trace tables as views: one `read_parquet` per trace and table, typed empty
 * selects where a table has no chunk (an interrupted recording), and a `trace` column naming the
 * source directory so several traces can be unioned and compared.
 */
import { basename, resolve } from "node:path";
import { type ColumnKind, TABLE_NAMES, tableColumns, type TableName } from "../record/schema.ts";

const SQL_TYPE: Record<ColumnKind, string> = {
  "i64": "BIGINT",
  "i64?": "BIGINT",
  "i32": "INTEGER",
  "i32?": "INTEGER",
  "str": "VARCHAR",
  "str?": "VARCHAR",
  "bool": "BOOLEAN",
  "bytes": "BLOB",
};

export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

export function sqlIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Short unique names for traces: the directory name, suffixed when two share it. */
export function traceNames(dirs: string[]): string[] {
  const seen = new Map<string, number>();
  return dirs.map((d) => {
    const base = basename(resolve(d)) || d;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  });
}

/** The SELECT for one table of one trace; `chunks` are the files that exist. */
export function tableSelect(
  dir: string,
  table: TableName,
  traceName: string,
  chunks: string[],
): string {
  const columns = tableColumns(table);
  if (chunks.length === 0) {
    const typed = columns.map(([name, kind]) =>
      `CAST(NULL AS ${SQL_TYPE[kind]}) AS ${sqlIdent(name)}`
    );
    return `SELECT ${typed.join(", ")}, ${sqlString(traceName)} AS trace WHERE false`;
  }
  // List the files rather than glob, so only finished chunks are read and a stray file is ignored.
  const files = chunks.map((c) => sqlString(`${resolve(dir)}/${table}/${c}`)).join(", ");
  const cols = columns.map(([name, kind]) =>
    `CAST(${sqlIdent(name)} AS ${SQL_TYPE[kind]}) AS ${sqlIdent(name)}`
  );
  return `SELECT ${cols.join(", ")}, ${sqlString(traceName)} AS trace ` +
    `FROM read_parquet([${files}], union_by_name = true)`;
}

export interface TraceSource {
  dir: string;
  name: string;
  /** Chunk files per table that the views should read. */
  chunks: Record<TableName, string[]>;
  status: "complete" | "incomplete";
}

/** CREATE VIEW statements: one per table over every trace, plus `traces` listing the traces. */
export function createViewsSql(traces: TraceSource[]): string[] {
  const tables = TABLE_NAMES.map((table) => {
    const parts = traces.map((t) => tableSelect(t.dir, table, t.name, t.chunks[table]));
    return `CREATE OR REPLACE VIEW ${sqlIdent(table)} AS ${parts.join(" UNION ALL ")}`;
  });
  const rows = traces.map((t) =>
    `(${sqlString(t.name)}, ${sqlString(resolve(t.dir))}, ${sqlString(t.status)})`
  );
  return [
    ...tables,
    `CREATE OR REPLACE VIEW traces AS SELECT * FROM (VALUES ${
      rows.join(", ")
    }) t(trace, dir, status)`,
  ];
}
