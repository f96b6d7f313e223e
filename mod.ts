/**
 * sudtrace: run a static x86-64 Linux program inside an emulator written in TypeScript, record
 * every syscall attempt, Syscall User Dispatch decision and signal frame into a Parquet trace,
 * replay the trace deterministically, and query it with SQL.
 *
 * @example Record the bundled demo, replay it, and count its dispatched syscalls
 * ```ts
 * import { query, record, replay } from "./mod.ts";
 *
 * const { dir, exit } = await record({
 *   program: "tests/guests/bin/demo_compat.musl",
 *   out: "traces/example",
 *   overwrite: true,
 * });
 * console.log(exit.status); // 0
 * const verdict = await replay(dir);
 * console.log(verdict.ok); // true
 * const result = await query([dir], "SELECT count(*) FROM syscalls WHERE decision = 'dispatch'");
 * console.log(result.rows[0][0]); // 7n
 * ```
 *
 * @module
 */

/** Run a guest under the emulator and write its trace. */
export { record, type RecordOptions, type RecordResult } from "./src/record/record_session.ts";
/** Re-execute a trace with no host syscalls and verify every event. */
export { replay, type ReplayOptions, type ReplayResult } from "./src/replay/replay.ts";
export { Divergence } from "./src/replay/divergence.ts";
/** Read a trace directory (manifest and tables) without DuckDB. */
export { openTrace, type TraceHandle } from "./src/record/trace_reader.ts";
export { TraceError } from "./src/record/trace_error.ts";
export type { Manifest } from "./src/record/manifest.ts";
/** SQL over traces with DuckDB. */
export { query } from "./src/query/query.ts";
export { openQuery } from "./src/query/duckdb_engine.ts";
export { listReports } from "./src/query/reports.ts";
export { formatResult, type OutputFormat } from "./src/query/format.ts";
export { QueryError, type QueryResult } from "./src/query/engine.ts";
/** The emulator itself, for embedding: run a guest with your own host and observers. */
export { type GuestExit, type GuestRunOptions, runGuest } from "./src/emu/linux/kernel.ts";
export type { Host } from "./src/emu/host.ts";
export { RealHost } from "./src/emu/host.ts";
export type * from "./src/emu/linux/events.ts";
