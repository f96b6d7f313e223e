/**
 * The recorder: a KernelObserver that buffers events per table in columns and writes them as
 * Parquet chunk files (`<dir>/<table>/part-NNNNN.parquet`), keeping `manifest.json` current so an
 * interrupted recording is still a readable (incomplete) trace.
 *
 * Empty tables: `finish()` writes a 0-row chunk with the full schema for every table that has no
 * chunk yet, so every table of a complete trace is queryable by any Parquet reader.
 */
import type {
  ExitEvent,
  KernelObserver,
  MemWriteEvent,
  SignalEvent,
  SigreturnEvent,
  SudConfigEvent,
  SyscallEvent,
} from "../emu/linux/events.ts";
import { chunkFileName, encodePackedChunk, writeChunkAtomically } from "./chunk_file.ts";
import { encodeHostJson } from "./host_json.ts";
import {
  type Manifest,
  MANIFEST_FILE,
  type ManifestBase,
  type ManifestExit,
  perTableOf,
  writeManifest,
} from "./manifest.ts";
import { TABLE_NAMES, type TableName } from "./schema.ts";
import { TableBuffer } from "./table_buffer.ts";
import { EventRows } from "./event_rows.ts";
import { BackgroundWriter } from "./background_writer.ts";
import { messageOf, TraceError } from "./trace_error.ts";

export const DEFAULT_CHUNK_ROWS = 65536;

export interface RecorderOptions {
  /** Rows per table after which a chunk file is written (default 65536). */
  chunkRows?: number;
  /** Remove an existing trace in `dir` first instead of refusing. */
  overwrite?: boolean;
  /**
   * Encode and write full chunks in a worker while recording continues (call `settle()` before
   * `finish()`). Small traces never start the worker.
   */
  background?: boolean;
}

export class Recorder implements KernelObserver {
  /** The kernel decodes every syscall into the args_text column. */
  readonly decodeArgs = true;
  readonly dir: string;
  readonly #chunkRows: number;
  readonly #buffers: Record<TableName, TableBuffer>;
  /** The buffers of the per-round-trip tables, without a lookup by name. */
  readonly #syscalls: TableBuffer;
  readonly #signals: TableBuffer;
  readonly #sigreturns: TableBuffer;
  #manifest: Manifest;
  #hostCallIdx = 0;
  readonly #nextChunk = perTableOf(() => 0);
  readonly #writer: BackgroundWriter | null;
  #closed = false;
  readonly #rows = new EventRows();

  private constructor(dir: string, manifest: Manifest, chunkRows: number, background: boolean) {
    this.dir = dir;
    this.#writer = background ? new BackgroundWriter() : null;
    this.#manifest = manifest;
    this.#chunkRows = chunkRows;
    this.#buffers = perTableOf(() => null) as unknown as Record<TableName, TableBuffer>;
    for (const t of TABLE_NAMES) this.#buffers[t] = new TableBuffer(t);
    this.#syscalls = this.#buffers.syscalls;
    this.#signals = this.#buffers.signals;
    this.#sigreturns = this.#buffers.sigreturns;
  }

  /** Creates the trace directory and writes an `incomplete` manifest right away. */
  static create(dir: string, base: ManifestBase, options: RecorderOptions = {}): Recorder {
    const chunkRows = options.chunkRows ?? DEFAULT_CHUNK_ROWS;
    if (!Number.isInteger(chunkRows) || chunkRows < 1) {
      throw new RangeError(`chunkRows must be a positive integer, got ${chunkRows}`);
    }
    prepareDirectory(dir, options.overwrite ?? false);
    const manifest: Manifest = {
      format: "sudtrace-trace",
      format_version: 1,
      tool_version: base.tool_version,
      created: base.created,
      guest: base.guest,
      cpu_profile: base.cpu_profile,
      status: "incomplete",
      abort_reason: null,
      int64_encoding: "twos_complement",
      chunk_rows: chunkRows,
      counts: perTableOf(() => 0),
      exit: null,
      chunks: perTableOf((): string[] => []),
    };
    writeManifest(dir, manifest);
    return new Recorder(dir, manifest, chunkRows, options.background ?? false);
  }

  /** The manifest as last written (counts include only flushed rows until finish). */
  get manifest(): Manifest {
    return structuredClone(this.#manifest);
  }

  /** Rows recorded so far per table, buffered ones included. */
  get counts(): Record<TableName, number> {
    const out = perTableOf(() => 0);
    for (const t of TABLE_NAMES) out[t] = this.#manifest.counts[t] + this.#buffers[t].length;
    return out;
  }

  syscall(e: SyscallEvent): void {
    if (this.#closed) return;
    this.#rows.writeSyscall(this.#syscalls, e);
    this.#afterAppend("syscalls", this.#syscalls);
  }

  signal(e: SignalEvent): void {
    if (this.#closed) return;
    this.#rows.writeSignal(this.#signals, e);
    this.#afterAppend("signals", this.#signals);
  }

  sigreturn(e: SigreturnEvent): void {
    if (this.#closed) return;
    this.#rows.writeSigreturn(this.#sigreturns, e);
    this.#afterAppend("sigreturns", this.#sigreturns);
  }

  sudConfig(e: SudConfigEvent): void {
    this.#append("sud_configs", this.#rows.sudConfig(e));
  }

  memWrite(e: MemWriteEvent): void {
    this.#append("mem_writes", this.#rows.memWrite(e));
  }

  exit(e: ExitEvent): void {
    this.#append("exits", this.#rows.exit(e));
  }

  /** One answer of the host interface, for replay (the tape). */
  recordHostCall(method: string, args: unknown, result: unknown): void {
    this.#append("host_calls", [
      this.#hostCallIdx++,
      method,
      encodeHostJson(args),
      encodeHostJson(result),
    ]);
  }

  /** Writes a chunk for every table with buffered rows, then the manifest. */
  flush(): void {
    if (this.#closed) return;
    for (const t of TABLE_NAMES) this.#flushTable(t);
    writeManifest(this.dir, this.#manifest);
  }

  /**
   * Writes the buffered rows and waits until every chunk handed to the background writer is on
   * disk. The partial last chunks are encoded here while the worker drains its queue (in
   * parallel, on the other core); they join the manifest after the worker's chunks, in order.
   */
  async settle(): Promise<void> {
    if (!this.#writer) return;
    const tails: [TableName, string, number][] = [];
    if (!this.#closed) {
      for (const t of TABLE_NAMES) {
        const buffer = this.#buffers[t];
        if (buffer.length === 0) continue;
        const name = chunkFileName(this.#nextChunk[t]++);
        const chunk = buffer.take();
        writeChunkAtomically(this.dir, t, name, encodePackedChunk(t, chunk));
        tails.push([t, name, chunk.rows]);
      }
    }
    try {
      await this.#writer.settle();
    } catch (err) {
      throw new TraceError("io", `${this.dir}: cannot write chunk (${messageOf(err)})`);
    }
    if (tails.length === 0 || this.#closed) return;
    for (const [t, name, rows] of tails) {
      this.#manifest.chunks[t].push(name);
      this.#manifest.counts[t] += rows;
    }
    writeManifest(this.dir, this.#manifest);
  }

  /** Flushes everything, makes sure every table has a chunk, marks the trace complete. */
  finish(exit: ManifestExit): Manifest {
    if (this.#closed) throw new TraceError("io", `${this.dir}: recorder already closed`);
    if (this.#writer?.pending) {
      throw new TraceError("io", `${this.dir}: chunks still being written; await settle() first`);
    }
    this.#writer?.close();
    for (const t of TABLE_NAMES) {
      this.#flushTable(t);
      if (this.#manifest.chunks[t].length === 0) this.#writeChunk(t);
    }
    this.#manifest.status = "complete";
    this.#manifest.exit = exit;
    writeManifest(this.dir, this.#manifest);
    this.#closed = true;
    return this.manifest;
  }

  /**
   * Saves what was recorded and leaves the trace `incomplete` with the reason (SIGINT, crash).
   * Never throws for a write failure: it is called on paths that are already failing.
   */
  abort(reason: string): Manifest {
    if (this.#closed) return this.manifest;
    // Chunks still in the worker are abandoned; they are written atomically, so none is half-on-disk.
    this.#writer?.close();
    this.#manifest.abort_reason = reason;
    try {
      for (const t of TABLE_NAMES) this.#flushTable(t);
    } catch (err) {
      this.#manifest.abort_reason = `${reason}; flush failed: ${messageOf(err)}`;
    }
    try {
      writeManifest(this.dir, this.#manifest);
    } catch {
      // Nothing more can be saved; the chunks on disk are still readable.
    }
    this.#closed = true;
    return this.manifest;
  }

  #append(table: TableName, values: readonly unknown[]): void {
    if (this.#closed) return;
    const buffer = this.#buffers[table];
    buffer.append(values);
    this.#afterAppend(table, buffer);
  }

  /** Writes or hands over the table's chunk once it is full. */
  #afterAppend(table: TableName, buffer: TableBuffer): void {
    if (buffer.length >= this.#chunkRows) {
      if (this.#writer) this.#submitChunk(table);
      else {
        this.#flushTable(table);
        writeManifest(this.dir, this.#manifest);
      }
    }
  }

  #flushTable(table: TableName): void {
    if (this.#buffers[table].length > 0) this.#writeChunk(table);
  }

  /** Hands a full buffer to the background writer; the manifest lists it once it is on disk. */
  #submitChunk(table: TableName): void {
    const buffer = this.#buffers[table];
    const chunk = buffer.take();
    const name = chunkFileName(this.#nextChunk[table]++);
    const rows = chunk.rows;
    this.#writer!.submit(this.dir, table, name, chunk, (error) => {
      if (error || this.#closed) return;
      this.#manifest.chunks[table].push(name);
      this.#manifest.counts[table] += rows;
      writeManifest(this.dir, this.#manifest);
    });
  }

  #writeChunk(table: TableName): void {
    const buffer = this.#buffers[table];
    const name = chunkFileName(this.#nextChunk[table]++);
    const chunk = buffer.take();
    writeChunkAtomically(this.dir, table, name, encodePackedChunk(table, chunk));
    this.#manifest.chunks[table].push(name);
    this.#manifest.counts[table] += chunk.rows;
  }
}

function prepareDirectory(dir: string, overwrite: boolean): void {
  try {
    Deno.mkdirSync(dir, { recursive: true });
    const leftovers = [...Deno.readDirSync(dir)].filter((e) =>
      e.name === MANIFEST_FILE || (TABLE_NAMES as string[]).includes(e.name)
    );
    if (leftovers.length === 0) return;
    if (!overwrite) {
      throw new TraceError(
        "io",
        `${dir}: already holds a trace; choose another directory or remove it first`,
      );
    }
    for (const e of leftovers) Deno.removeSync(`${dir}/${e.name}`, { recursive: true });
  } catch (err) {
    if (err instanceof TraceError) throw err;
    throw new TraceError("io", `${dir}: cannot create trace directory (${messageOf(err)})`);
  }
}
