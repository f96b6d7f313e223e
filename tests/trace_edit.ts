/** Test helper: rewrite one table of a complete trace (for tampering tests). */
import { encodeChunk, writeChunkAtomically } from "../src/record/chunk_file.ts";
import { writeManifest } from "../src/record/manifest.ts";
import { readManifest } from "../src/record/manifest_read.ts";
import { tableColumns, type TableName } from "../src/record/schema.ts";
import { openTrace } from "../src/record/trace_reader.ts";

/** Reads every row of `table`, lets `edit` change them, and writes them back as one chunk. */
export async function editTable(
  dir: string,
  table: TableName,
  edit: (rows: Record<string, unknown>[]) => void,
): Promise<void> {
  const rows = await openTrace(dir).read(table) as Record<string, unknown>[];
  edit(rows);
  const columns = tableColumns(table).map(([name, kind]) => {
    const values = rows.map((r) => r[name]);
    return kind === "i64" ? BigInt64Array.from(values as bigint[]) : values;
  });
  for (const name of readManifest(dir).chunks[table]) Deno.removeSync(`${dir}/${table}/${name}`);
  writeChunkAtomically(dir, table, "part-00000.parquet", encodeChunk(table, columns, rows.length));
  const manifest = readManifest(dir);
  manifest.chunks[table] = ["part-00000.parquet"];
  manifest.counts[table] = rows.length;
  writeManifest(dir, manifest);
}
