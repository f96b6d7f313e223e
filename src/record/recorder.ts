/**
 * The recorder: a KernelObserver that buffers events per table in columns (small segments,
 * table_buffer.ts) and writes them as Parquet chunk files (chunk_sink.ts, in a worker or inline) (`<dir>/<table>/part-NNNNN.parquet`), keeping `manifest.json` current so an
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
import { ChunkSink, type WrittenChunk } from "./chunk_sink.ts";
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

/**
 * Rows per segment in background mode: the column sets the guest thread fills stay small and are
 * recycled as soon as the worker has copied them, so recording touches little fresh memory.
 */
export const DEFAULT_SEGMENT_ROWS = 2048;

export interface RecorderOptions {
  /** Rows per table after which a chunk file is written (default 65536). */
  chunkRows?: number;
  /** Remove an existing trace in `dir` first instead of refusing. */
  overwrite?: boolean;
  /**
   * Gather, encode and write chunks in a worker while recording continues (call `settle()` before
   * `finish()`). Small traces never start the worker.
   */
  background?: boolean;
  /** Background mode: rows handed to the worker at a time (default 2048, at most chunkRows). */
  segmentRows?: number;
}

export class Recorder implements KernelObserver {
  /** The kernel decodes every syscall into the args_text column. */
  readonly decodeArgs = true;
  readonly dir: string;
  readonly #segmentRows: number;
  readonly #buffers: Record<TableName, TableBuffer>;
  /** The buffers of the per-round-trip tables, without a lookup by name. */
  readonly #syscalls: TableBuffer;
  readonly #signals: TableBuffer;
  readonly #sigreturns: TableBuffer;
  #manifest: Manifest;
  #hostCallIdx = 0;
  /** Rows handed to a sink (inline or worker) per table, whether or not on disk yet. */
  readonly #taken = perTableOf(() => 0);
  /** Writes chunks on this thread: always without background, and for traces too small for it. */
  readonly #inline: ChunkSink;
  readonly #writer: BackgroundWriter | null;
  /** Segments sent to the worker since the last completed flush. */
  #unflushed = 0;
  #closed = false;
  readonly #rows = new EventRows();

  private constructor(
    dir: string,
    manifest: Manifest,
    chunkRows: number,
    background: boolean,
    segmentRows: number,
  ) {
    this.dir = dir;
    this.#manifest = manifest;
    this.#inline = new ChunkSink(dir, chunkRows);
    this.#writer = background
      ? new BackgroundWriter(dir, chunkRows, (chunks) => this.#noteWritten(chunks, true))
      : null;
    this.#segmentRows = background ? Math.min(segmentRows, chunkRows) : chunkRows;
    this.#buffers = perTableOf(() => null) as unknown as Record<TableName, TableBuffer>;
    for (const t of TABLE_NAMES) this.#buffers[t] = new TableBuffer(t);
    this.#syscalls = this.#buffers.syscalls;
    this.#signals = this.#buffers.signals;
    this.#sigreturns = this.#buffers.sigreturns;
  }

  /** Creates the trace directory and writes an `incomplete` manifest right away. */
  static create(dir: string, base: ManifestBase, options: RecorderOptions = {}): Recorder {
    const chunkRows = options.chunkRows ?? DEFAULT_CHUNK_ROWS;
    const segmentRows = options.segmentRows ?? DEFAULT_SEGMENT_ROWS;
    for (const [name, n] of [["chunkRows", chunkRows], ["segmentRows", segmentRows]] as const) {
      if (!Number.isInteger(n) || n < 1) {
        throw new RangeError(`${name} must be a positive integer, got ${n}`);
      }
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
    return new Recorder(dir, manifest, chunkRows, options.background ?? false, segmentRows);
  }

  /** The manifest as last written (counts include only flushed rows until finish). */
  get manifest(): Manifest {
    return structuredClone(this.#manifest);
  }

  /** Rows recorded so far per table, buffered ones included. */
  get counts(): Record<TableName, number> {
    const out = perTableOf(() => 0);
    for (const t of TABLE_NAMES) out[t] = this.#taken[t] + this.#buffers[t].length;
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

  /**
   * Background mode: hands the buffered rows over and waits until every row is in a chunk file
   * on disk and in the manifest. A trace too small to have started the worker is written here.
   */
  async settle(): Promise<void> {
    const writer = this.#writer;
    if (!writer || this.#closed) return;
    if (!writer.started) {
      this.#flushInline();
      writeManifest(this.dir, this.#manifest);
      return;
    }
    for (const t of TABLE_NAMES) {
      if (this.#buffers[t].length > 0) this.#handOver(t);
    }
    const sent = this.#unflushed;
    try {
      await writer.flush();
    } catch (err) {
      throw new TraceError("io", `${this.dir}: cannot write chunk (${messageOf(err)})`);
    }
    this.#unflushed -= sent;
    if (!this.#closed) writeManifest(this.dir, this.#manifest);
  }

  /** Flushes everything, makes sure every table has a chunk, marks the trace complete. */
  finish(exit: ManifestExit): Manifest {
    if (this.#closed) throw new TraceError("io", `${this.dir}: recorder already closed`);
    if (this.#unflushed > 0) {
      throw new TraceError("io", `${this.dir}: chunks still being written; await settle() first`);
    }
    this.#writer?.close();
    this.#flushInline();
    for (const t of TABLE_NAMES) {
      if (this.#manifest.chunks[t].length === 0) this.#noteWritten([this.#inline.writeEmpty(t)]);
    }
    this.#manifest.status = "complete";
    this.#manifest.exit = exit;
    writeManifest(this.dir, this.#manifest);
    this.#closed = true;
    return this.manifest;
  }

  /**
   * Saves what was recorded and leaves the trace `incomplete` with the reason (SIGINT, crash).
   * Never throws for a write failure: it is called on paths that are already failing. In
   * background mode, rows still in the worker are lost unless `settle()` ran first.
   */
  abort(reason: string): Manifest {
    if (this.#closed) return this.manifest;
    this.#writer?.close();
    this.#manifest.abort_reason = reason;
    try {
      this.#flushInline();
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

  /** Hands a full segment over: to the worker, or (inline) straight into a chunk file. */
  #afterAppend(table: TableName, buffer: TableBuffer): void {
    if (buffer.length < this.#segmentRows) return;
    if (this.#writer) this.#handOver(table);
    else {
      this.#taken[table] += buffer.length;
      this.#noteWritten(this.#inline.segment(table, buffer.take()));
      writeManifest(this.dir, this.#manifest);
    }
  }

  #handOver(table: TableName): void {
    const segment = this.#buffers[table].take();
    this.#taken[table] += segment.rows;
    this.#unflushed++;
    this.#writer!.segment(table, segment);
  }

  /** Writes every buffered row on this thread, after any chunks the worker wrote. */
  #flushInline(): void {
    for (const t of TABLE_NAMES) {
      const buffer = this.#buffers[t];
      if (buffer.length === 0) continue;
      this.#inline.startAt(t, this.#manifest.chunks[t].length);
      this.#taken[t] += buffer.length;
      this.#noteWritten(this.#inline.segment(t, buffer.take(), true));
    }
    this.#noteWritten(this.#inline.flush());
  }

  /** Lists chunk files now on disk in the manifest (written to disk by the caller or here). */
  #noteWritten(chunks: readonly WrittenChunk[], save = false): void {
    if (chunks.length === 0 || this.#closed) return;
    for (const c of chunks) {
      this.#manifest.chunks[c.table].push(c.name);
      this.#manifest.counts[c.table] += c.rows;
    }
    if (save) writeManifest(this.dir, this.#manifest);
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
