/**
 * `manifest.json`: what a trace is (guest, CPU profile, tool version), whether recording finished,
 * and which chunk files hold each table. Written here (the recorder builds it, typed); every read
 * is validated with zod in manifest_read.ts.
 */
import { join } from "node:path";
import type { TableName } from "./schema.ts";
import { TABLE_NAMES } from "./schema.ts";
import { messageOf, TraceError } from "./trace_error.ts";

export const MANIFEST_FILE = "manifest.json";
export const TRACE_FORMAT = "sudtrace-trace";
export const TRACE_FORMAT_VERSION = 1;

export interface GuestInfo {
  /** The program's absolute path, as the guest saw it (/proc/self/exe, AT_EXECFN). */
  path: string;
  /** The program as given on the command line (may be relative to the recording's cwd); replay
   * falls back to it when `path` no longer exists, e.g. in a fresh clone. */
  file?: string | undefined;
  /** Lowercase hex sha256 of the program file. */
  sha256: string;
  argv: string[];
  /** "KEY=VALUE" strings in the order the guest sees them. */
  env: string[];
  cwd: string;
}

export interface ManifestExit {
  /** Exit status 0..255 when the guest exited normally. */
  status: number | null;
  /** Terminating signal number when killed. */
  signal: number | null;
  core: boolean;
  /** Instructions retired by the last thread when it ended. */
  icount: number;
  /** Why the emulator stopped the guest itself (unimplemented instruction, ...), else null. */
  error: string | null;
}

export interface Manifest {
  format: typeof TRACE_FORMAT;
  format_version: typeof TRACE_FORMAT_VERSION;
  tool_version: string;
  /** ISO 8601 with offset, supplied by the caller (the record layer never reads the clock). */
  created: string;
  guest: GuestInfo;
  cpu_profile: string;
  status: "incomplete" | "complete";
  /** Why an incomplete trace stopped (abort reason), else null. */
  abort_reason: string | null;
  /** How 64-bit guest values are stored: signed INT64 holding the two's complement. */
  int64_encoding: "twos_complement";
  /** Rows per chunk file the writer used. */
  chunk_rows: number;
  counts: Record<TableName, number>;
  exit: ManifestExit | null;
  /** Chunk file names (part-NNNNN.parquet) per table, in row order. */
  chunks: Record<TableName, string[]>;
}

/** What the caller supplies when a recording starts; the rest is filled by the recorder. */
export type ManifestBase = Pick<Manifest, "tool_version" | "created" | "guest" | "cpu_profile">;

/**
 * Writes the manifest atomically (temporary file + rename). It is not re-validated: only the
 * recorder writes manifests, from typed values, and readers validate everything they read.
 */
export function writeManifest(dir: string, manifest: Manifest): void {
  const path = join(dir, MANIFEST_FILE);
  try {
    Deno.writeTextFileSync(`${path}.tmp`, JSON.stringify(manifest, null, 2) + "\n");
    Deno.renameSync(`${path}.tmp`, path);
  } catch (err) {
    throw new TraceError("io", `${path}: cannot write (${messageOf(err)})`);
  }
}

/** A per-table record with the same value for every table. */
export function perTableOf<T>(make: () => T): Record<TableName, T> {
  return Object.fromEntries(TABLE_NAMES.map((t) => [t, make()])) as Record<TableName, T>;
}
