/**
 * Background chunk writing: segments recorded while the guest runs go to a worker that gathers
 * them into chunks, encodes and writes them (chunk_worker.ts), so Parquet encoding overlaps with
 * emulation. The worker starts with the first segment: small traces never pay for it.
 */
import type { PackedChunk } from "./chunk_file.ts";
import type { WrittenChunk } from "./chunk_sink.ts";
import type { WriterReply, WriterRequest } from "./chunk_worker.ts";
import type { TableName } from "./schema.ts";

export class BackgroundWriter {
  #worker: Worker | null = null;
  #nextFlush = 0;
  readonly #flushes = new Map<number, () => void>();
  /** The first failure, kept so that flush() can report it. */
  #error: string | null = null;

  /** `onWritten` runs (on the event loop) for each batch of chunk files now on disk. */
  constructor(
    readonly dir: string,
    readonly chunkRows: number,
    private readonly onWritten: (chunks: WrittenChunk[]) => void,
  ) {}

  /** Whether any segment went to the worker (then it holds rows until the next flush). */
  get started(): boolean {
    return this.#worker !== null;
  }

  /**
   * Hands a segment over. Its typed arrays are shared, not copied: the worker releases them
   * (`releaseChunk`) once it has copied the rows.
   */
  segment(table: TableName, segment: PackedChunk): void {
    this.#post({ type: "segment", table, segment });
  }

  /**
   * Resolves once every segment handed over so far is in a chunk file on disk (partial chunks
   * are written too); rejects with the first failure.
   */
  flush(): Promise<void> {
    if (!this.#worker) {
      return this.#error ? Promise.reject(new Error(this.#error)) : Promise.resolve();
    }
    const id = this.#nextFlush++;
    const done = new Promise<void>((resolve) => this.#flushes.set(id, resolve));
    this.#post({ type: "flush", id });
    return done.then(() => {
      if (this.#error) throw new Error(this.#error);
    });
  }

  /** Whether a flush is still waiting for the worker. */
  get flushing(): boolean {
    return this.#flushes.size > 0;
  }

  /** Stops the worker; rows it has not written are lost (flush first). */
  close(): void {
    this.#worker?.terminate();
    this.#worker = null;
    for (const wake of this.#flushes.values()) wake();
    this.#flushes.clear();
  }

  #post(request: WriterRequest): void {
    if (!this.#worker) {
      this.#worker = this.#start();
      this.#worker.postMessage({ type: "open", dir: this.dir, chunkRows: this.chunkRows });
    }
    this.#worker.postMessage(request);
  }

  #start(): Worker {
    const worker = new Worker(new URL("./chunk_worker.ts", import.meta.url).href, {
      type: "module",
    });
    worker.onmessage = (e: MessageEvent<WriterReply>) => {
      const reply = e.data;
      if (reply.type === "written") this.onWritten(reply.chunks);
      else if (reply.type === "error") this.#error ??= reply.message;
      else {
        this.#flushes.get(reply.id)?.();
        this.#flushes.delete(reply.id);
      }
    };
    worker.onerror = (e) => {
      e.preventDefault();
      this.#error ??= `chunk writer failed: ${e.message}`;
      for (const wake of this.#flushes.values()) wake();
      this.#flushes.clear();
    };
    return worker;
  }
}
