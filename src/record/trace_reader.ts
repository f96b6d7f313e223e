/**
 * Reading a trace back in pure JavaScript (hyparquet; no DuckDB), for replay and tests.
 * INT64 columns come back as bigint (signed; see schema.ts), rows in seq (or idx) order.
 *
 * A complete trace is read from the chunks its manifest lists. An incomplete one (the recorder was
 * interrupted) is read from every finished chunk on disk, since the manifest may lag one chunk.
 */
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { join } from "node:path";
import { listChunkFiles, readChunkFile } from "./chunk_file.ts";
import { decodeHostJson } from "./host_json.ts";
import { type Manifest, readManifest } from "./manifest.ts";
import { orderColumn, type Row, tableColumns, type TableName } from "./schema.ts";
import { messageOf, TraceError } from "./trace_error.ts";

export { TraceError } from "./trace_error.ts";

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
  /** The host-call tape with its JSON decoded (bytes as Uint8Array, tagged bigints as bigint). */
  hostCalls(): Promise<HostCall[]>;
}

/** Opens a trace directory; manifest problems throw a one-line TraceError. */
export function openTrace(dir: string): TraceHandle {
  const manifest = readManifest(dir);
  const chunks = (table: TableName): string[] =>
    manifest.status === "complete" ? [...manifest.chunks[table]] : listChunkFiles(dir, table);

  const read = async <T extends TableName>(table: T): Promise<Row<T>[]> => {
    const rows: Row<T>[] = [];
    for (const name of chunks(table)) {
      const part = await readChunk(join(dir, table, name), table);
      for (const row of part) rows.push(row as Row<T>);
    }
    if (manifest.status === "complete" && rows.length !== manifest.counts[table]) {
      throw new TraceError(
        "corrupt",
        `${join(dir, table)}: ${rows.length} rows on disk but the manifest says ${
          manifest.counts[table]
        }; the trace was modified, re-record it`,
      );
    }
    sortIfNeeded(rows as Record<string, unknown>[], orderColumn(table));
    return rows;
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

  return { dir, manifest, chunks, read, hostCalls };
}

async function readChunk(path: string, table: TableName): Promise<Record<string, unknown>[]> {
  const bytes = readChunkFile(path);
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const expected = tableColumns(table).map(([name]) => name);
  try {
    const metadata = parquetMetadata(file as ArrayBuffer);
    const present = new Set(metadata.schema.slice(1).map((e) => e.name));
    const missing = expected.find((c) => !present.has(c));
    if (missing !== undefined) {
      throw new TraceError(
        "corrupt",
        `${path}: chunk has no column "${missing}"; it was not written by this trace format version`,
      );
    }
    // utf8: false keeps BLOB columns as bytes; UTF8-annotated columns still decode to strings.
    return await parquetReadObjects({
      file: file as ArrayBuffer,
      metadata,
      columns: expected,
      utf8: false,
    });
  } catch (err) {
    if (err instanceof TraceError) throw err;
    throw new TraceError(
      "corrupt",
      `${path}: corrupt Parquet chunk (${
        messageOf(err)
      }); re-record the trace, or delete this chunk to read the rest`,
    );
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
