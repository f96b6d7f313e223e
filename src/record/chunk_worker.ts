/**
 * Worker side of background chunk writing: gathers the recorder's segments into chunks, encodes
 * them to Parquet and writes them atomically, off the thread that runs the guest (the machines
 * have two cores). Messages are handled in order, so chunks of a table are written in order.
 */
import type { PackedChunk } from "./chunk_file.ts";
import { ChunkSink, type WrittenChunk } from "./chunk_sink.ts";
import type { TableName } from "./schema.ts";
import { messageOf } from "./trace_error.ts";

/** What the recorder sends. */
export type WriterRequest =
  | { type: "open"; dir: string; chunkRows: number }
  | { type: "segment"; table: TableName; segment: PackedChunk }
  | { type: "flush"; id: number };

/** What the worker answers. */
export type WriterReply =
  | { type: "written"; chunks: WrittenChunk[] }
  | { type: "flushed"; id: number }
  | { type: "error"; message: string };

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<WriterRequest>) => void) | null;
  postMessage(message: WriterReply): void;
};

let sink: ChunkSink | null = null;

scope.onmessage = (e) => {
  const request = e.data;
  try {
    if (request.type === "open") {
      sink = new ChunkSink(request.dir, request.chunkRows);
      return;
    }
    if (!sink) throw new Error("chunk writer used before open");
    const chunks = request.type === "segment"
      ? sink.segment(request.table, request.segment)
      : sink.flush();
    if (chunks.length) scope.postMessage({ type: "written", chunks });
  } catch (err) {
    scope.postMessage({ type: "error", message: messageOf(err) });
  } finally {
    if (request.type === "flush") scope.postMessage({ type: "flushed", id: request.id });
  }
};
