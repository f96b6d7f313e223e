/**
 * Background chunk writing: full chunks produced while the guest runs are encoded and written by
 * a worker, so Parquet encoding overlaps with emulation. Jobs complete in submission order.
 */
import type { ChunkDone, ChunkJob } from "./chunk_worker.ts";
import type { PackedChunk } from "./chunk_file.ts";
import type { TableName } from "./schema.ts";

/** Called when a chunk is on disk or failed. */
type Done = (error: string | null) => void;

export class BackgroundWriter {
  #worker: Worker | null = null;
  #nextId = 0;
  readonly #pending = new Map<number, Done>();
  #idle: (() => void)[] = [];
  /** The first failure, kept so that settle() can report it. */
  #error: string | null = null;

  /** Number of chunks submitted but not yet on disk. */
  get pending(): number {
    return this.#pending.size;
  }

  /**
   * Queues a chunk. Its typed arrays are shared, not copied: the worker releases them
   * (`releaseChunk`) once encoded. `done` runs once the file is on disk (or failed).
   */
  submit(
    dir: string,
    table: TableName,
    name: string,
    chunk: PackedChunk,
    done: Done,
  ): void {
    const worker = this.#worker ??= this.#start();
    const id = this.#nextId++;
    this.#pending.set(id, done);
    const job: ChunkJob = { id, dir, table, name, chunk };
    worker.postMessage(job);
  }

  /** Resolves when every submitted chunk is on disk; rejects with the first failure. */
  settle(): Promise<void> {
    if (this.#pending.size === 0) {
      return this.#error ? Promise.reject(new Error(this.#error)) : Promise.resolve();
    }
    return new Promise<void>((resolve) => this.#idle.push(resolve)).then(() => this.settle());
  }

  /** Stops the worker (pending jobs are abandoned: call settle() first). */
  close(): void {
    this.#worker?.terminate();
    this.#worker = null;
  }

  #start(): Worker {
    const worker = new Worker(new URL("./chunk_worker.ts", import.meta.url).href, {
      type: "module",
    });
    worker.onmessage = (e: MessageEvent<ChunkDone>) => {
      const done = this.#pending.get(e.data.id);
      this.#pending.delete(e.data.id);
      if (e.data.error) this.#error ??= e.data.error;
      done?.(e.data.error);
      if (this.#pending.size === 0) { for (const wake of this.#idle.splice(0)) wake(); }
    };
    worker.onerror = (e) => {
      e.preventDefault();
      this.#error ??= `chunk writer failed: ${e.message}`;
      for (const [id, done] of this.#pending) {
        this.#pending.delete(id);
        done(this.#error);
      }
      for (const wake of this.#idle.splice(0)) wake();
    };
    return worker;
  }
}
