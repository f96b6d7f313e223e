/**
 * Worker side of background chunk writing: encodes a table's columns to Parquet and writes the
 * chunk atomically, off the thread that runs the guest (the machines have two cores).
 */
import { encodePackedChunk, type PackedChunk, writeChunkAtomically } from "./chunk_file.ts";
import type { TableName } from "./schema.ts";
import { messageOf } from "./trace_error.ts";

/** A chunk to write. */
export interface ChunkJob {
  id: number;
  dir: string;
  table: TableName;
  name: string;
  chunk: PackedChunk;
}

/** The answer for one job. */
export interface ChunkDone {
  id: number;
  error: string | null;
}

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<ChunkJob>) => void) | null;
  postMessage(message: ChunkDone): void;
};

scope.onmessage = (e) => {
  const job = e.data;
  try {
    writeChunkAtomically(
      job.dir,
      job.table,
      job.name,
      encodePackedChunk(job.table, job.chunk),
    );
    scope.postMessage({ id: job.id, error: null });
  } catch (err) {
    scope.postMessage({ id: job.id, error: messageOf(err) });
  }
};
