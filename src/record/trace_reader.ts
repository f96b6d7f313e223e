/**
 * Reading a trace back in pure JavaScript (hyparquet; no DuckDB), for replay and tests.
 * INT64 columns come back as bigint (signed; see schema.ts), rows in seq (or idx) order.
 *
 * A complete trace is read from the chunks its manifest lists. An incomplete one (the recorder was
 * interrupted) is read from every finished chunk on disk, since the manifest may lag one chunk.
 */
import { type FileMetaData, parquetMetadata, parquetReadObjects } from "hyparquet";
import { join } from "node:path";
import { listChunkFiles, readChunkFile } from "./chunk_file.ts";
import { decodeHostJson } from "./host_json.ts";
import type { Manifest } from "./manifest.ts";
import { readManifest } from "./manifest_read.ts";
import { orderColumn, type Row, tableColumns, type TableName } from "./schema.ts";
import { messageOf, TraceError } from "./trace_error.ts";
import { decodeChunkColumns } from "./parquet_columns.ts";
import { type RowPart, TableColumns } from "./table_columns.ts";

export { TraceError } from "./trace_error.ts";
export { TableColumns } from "./table_columns.ts";

/** A decoded host call of the replay tape. */
export interface HostCall {
  idx: number;
  method: string;
  args: unknown;
  result: unknown;
}

export interface TraceHandle {
  readonly dir: string;
  readonly manifest: Manifest;
  /** Chunk files that hold a table (names relative to `<dir>/<table>/`). */
  chunks(table: TableName): string[];
  /** Every row of a table, in seq (host_calls: idx) order. */
  read<T extends TableName>(table: T): Promise<Row<T>[]>;
  /**
   * Every row of a table column by column, without row objects (same checks and TraceErrors as
   * `read()`, same order, the same values through `rowAt`).
   */
  readColumns(table: TableName): Promise<TableColumns>;
  /** The host-call tape with its JSON decoded (bytes as Uint8Array, tagged bigints as bigint). */
  hostCalls(): Promise<HostCall[]>;
}

/** Opens a trace directory; manifest problems throw a one-line TraceError. */
export function openTrace(dir: string): TraceHandle {
  const manifest = readManifest(dir);
  const chunks = (table: TableName): string[] =>
    manifest.status === "complete" ? [...manifest.chunks[table]] : listChunkFiles(dir, table);

  const checkCount = (table: TableName, rows: number): void => {
    if (manifest.status === "complete" && rows !== manifest.counts[table]) {
      throw new TraceError(
        "corrupt",
        `${join(dir, table)}: ${rows} rows on disk but the manifest says ${
          manifest.counts[table]
        }; the trace was modified, re-record it`,
      );
    }
  };

  const read = async <T extends TableName>(table: T): Promise<Row<T>[]> => {
    const rows: Row<T>[] = [];
    for (const name of chunks(table)) {
      const part = await readChunk(join(dir, table, name), table);
      for (const row of part) rows.push(row as Row<T>);
    }
    checkCount(table, rows.length);
    sortIfNeeded(rows as Record<string, unknown>[], orderColumn(table));
    return rows;
  };

  const readColumns = async (table: TableName): Promise<TableColumns> => {
    const parts: RowPart[] = [];
    for (const name of chunks(table)) {
      const path = join(dir, table, name);
      const { file, metadata } = openChunk(path, table);
      try {
        for (const part of await decodeChunkColumns(file, metadata, table)) parts.push(part);
      } catch (err) {
        throw corruptChunk(path, err);
      }
    }
    const columns = new TableColumns(table, parts);
    checkCount(table, columns.rows);
    return columns.sorted();
  };

  const hostCalls = async (): Promise<HostCall[]> => {
    const rows = await read("host_calls");
    return rows.map((r) => {
      try {
        return {
          idx: Number(r.idx),
          method: r.method,
          args: decodeHostJson(r.args),
          result: decodeHostJson(r.result),
        };
      } catch (err) {
        throw new TraceError(
          "corrupt",
          `${join(dir, "host_calls")}: host call ${r.idx} has invalid JSON (${messageOf(err)})`,
        );
      }
    });
  };

  return { dir, manifest, chunks, read, readColumns, hostCalls };
}

/** A chunk's bytes and footer, with every column of the table present (else a TraceError). */
function openChunk(path: string, table: TableName): { file: ArrayBuffer; metadata: FileMetaData } {
  const bytes = readChunkFile(path);
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  let metadata: FileMetaData;
  try {
    metadata = parquetMetadata(file as ArrayBuffer);
  } catch (err) {
    throw corruptChunk(path, err);
  }
  const present = new Set(metadata.schema.slice(1).map((e) => e.name));
  const missing = tableColumns(table).map(([name]) => name).find((c) => !present.has(c));
  if (missing !== undefined) {
    throw new TraceError(
      "corrupt",
      `${path}: chunk has no column "${missing}"; it was not written by this trace format version`,
    );
  }
  return { file: file as ArrayBuffer, metadata };
}

function corruptChunk(path: string, err: unknown): TraceError {
  if (err instanceof TraceError) return err;
  return new TraceError(
    "corrupt",
    `${path}: corrupt Parquet chunk (${
      messageOf(err)
    }); re-record the trace, or delete this chunk to read the rest`,
  );
}

async function readChunk(path: string, table: TableName): Promise<Record<string, unknown>[]> {
  const { file, metadata } = openChunk(path, table);
  try {
    // utf8: false keeps BLOB columns as bytes; UTF8-annotated columns still decode to strings.
    return await parquetReadObjects({
      file,
      metadata,
      columns: tableColumns(table).map(([name]) => name),
      utf8: false,
    });
  } catch (err) {
    throw corruptChunk(path, err);
  }
}

/** Chunks are written in event order, so this is a check; it sorts only if a file was reordered. */
function sortIfNeeded(rows: Record<string, unknown>[], key: string): void {
  for (let i = 1; i < rows.length; i++) {
    if ((rows[i - 1][key] as bigint) > (rows[i][key] as bigint)) {
      rows.sort((a, b) => {
        const x = a[key] as bigint, y = b[key] as bigint;
        return x < y ? -1 : x > y ? 1 : 0;
      });
      return;
    }
  }
}
