/**
 * Where recorded segments become chunk files: one accumulator per table, chunk files named in
 * order and written atomically once `chunkRows` rows are together (or at `flush()`). Used inline
 * by the recorder, or inside the writer worker (chunk_worker.ts) so encoding runs on the other
 * core. Every segment's arrays are released back to the recorder as soon as they are copied.
 */
import { ChunkAccumulator } from "./chunk_accumulator.ts";
import {
  chunkFileName,
  encodePackedChunk,
  type PackedChunk,
  releaseChunk,
  writeChunkAtomically,
} from "./chunk_file.ts";
import { TABLE_NAMES, type TableName } from "./schema.ts";

/** A chunk file now on disk. */
export interface WrittenChunk {
  table: TableName;
  name: string;
  rows: number;
}

export class ChunkSink {
  readonly #accumulators = new Map<TableName, ChunkAccumulator>();
  readonly #nextChunk = new Map<TableName, number>();

  constructor(readonly dir: string, readonly chunkRows: number) {}

  /**
   * Takes a segment's rows; returns the chunks that became full and were written. `last` says no
   * rows of the table follow before the next flush, so a segment that starts a chunk is written
   * as it is.
   */
  segment(table: TableName, segment: PackedChunk, last = false): WrittenChunk[] {
    const written: WrittenChunk[] = [];
    try {
      const acc = this.#accumulator(table);
      if (acc.rows === 0 && (segment.rows === this.chunkRows || (last && segment.rows > 0))) {
        // A whole chunk in one segment (the inline recorder's case): encode it where it is.
        written.push(this.#write(table, segment));
        return written;
      }
      let from = 0;
      while (from < segment.rows) {
        const count = Math.min(segment.rows - from, this.chunkRows - acc.rows);
        acc.append(segment, from, count);
        from += count;
        if (acc.rows === this.chunkRows) written.push(this.#writeAccumulated(acc));
      }
      return written;
    } finally {
      releaseChunk(segment);
    }
  }

  /** Writes every table's partial chunk; returns them in table order. */
  flush(): WrittenChunk[] {
    const written: WrittenChunk[] = [];
    for (const table of TABLE_NAMES) {
      const acc = this.#accumulators.get(table);
      if (acc && acc.rows > 0) written.push(this.#writeAccumulated(acc));
    }
    return written;
  }

  /** Continues a table's chunk numbering at `index` (chunks written elsewhere come first). */
  startAt(table: TableName, index: number): void {
    if (index > (this.#nextChunk.get(table) ?? 0)) this.#nextChunk.set(table, index);
  }

  /** Rows taken but not yet in a chunk file, per table. */
  pendingRows(table: TableName): number {
    return this.#accumulators.get(table)?.rows ?? 0;
  }

  /** Writes an empty chunk (the schema only) for a table. */
  writeEmpty(table: TableName): WrittenChunk {
    return this.#write(table, { rows: 0, columns: new ChunkAccumulator(table).chunk().columns });
  }

  #accumulator(table: TableName): ChunkAccumulator {
    let acc = this.#accumulators.get(table);
    if (!acc) {
      acc = new ChunkAccumulator(table);
      this.#accumulators.set(table, acc);
    }
    return acc;
  }

  #writeAccumulated(acc: ChunkAccumulator): WrittenChunk {
    try {
      return this.#write(acc.table, acc.chunk());
    } finally {
      acc.reset();
    }
  }

  #write(table: TableName, chunk: PackedChunk): WrittenChunk {
    const index = this.#nextChunk.get(table) ?? 0;
    this.#nextChunk.set(table, index + 1);
    const name = chunkFileName(index);
    const rows = chunk.rows;
    writeChunkAtomically(this.dir, table, name, encodePackedChunk(table, chunk));
    return { table, name, rows };
  }
}
