/**
 * Reading `manifest.json`: every read is validated with zod, so a damaged or foreign manifest is a
 * one-line TraceError naming the field. Kept apart from manifest.ts so that recording, which
 * only writes manifests it built itself, does not load zod.
 */
import { z } from "zod";
import { join } from "node:path";
import { TABLE_NAMES, type TableName } from "./schema.ts";
import { messageOf, TraceError } from "./trace_error.ts";
import {
  type GuestInfo,
  type Manifest,
  MANIFEST_FILE,
  type ManifestExit,
  TRACE_FORMAT,
  TRACE_FORMAT_VERSION,
} from "./manifest.ts";

const perTable = <T extends z.ZodType>(item: T) =>
  z.object(Object.fromEntries(TABLE_NAMES.map((t) => [t, item])) as Record<TableName, T>);

const chunkName = z.string().regex(/^part-\d{5,}\.parquet$/, "chunk names are part-NNNNN.parquet");

export const GuestSchema = z.object({
  /** The program's absolute path, as the guest saw it (/proc/self/exe, AT_EXECFN). */
  path: z.string(),
  /** The program as given on the command line (may be relative to the recording's cwd); replay
   * falls back to it when `path` no longer exists, e.g. in a fresh clone. */
  file: z.string().optional(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, "sha256 must be 64 lowercase hex digits"),
  argv: z.array(z.string()),
  /** "KEY=VALUE" strings in the order the guest sees them. */
  env: z.array(z.string()),
  cwd: z.string(),
});

export const ExitSchema = z.object({
  /** Exit status 0..255 when the guest exited normally. */
  status: z.number().int().nullable(),
  /** Terminating signal number when killed. */
  signal: z.number().int().nullable(),
  core: z.boolean(),
  /** Instructions retired by the last thread when it ended. */
  icount: z.number().int().nonnegative(),
  /** Why the emulator stopped the guest itself (unimplemented instruction, ...), else null. */
  error: z.string().nullable(),
});

export const ManifestSchema = z.object({
  format: z.literal(TRACE_FORMAT),
  format_version: z.literal(TRACE_FORMAT_VERSION),
  tool_version: z.string(),
  /** ISO 8601, supplied by the caller (the record layer never reads the clock). */
  created: z.iso.datetime({ offset: true }),
  guest: GuestSchema,
  cpu_profile: z.string(),
  status: z.enum(["incomplete", "complete"]),
  /** Why an incomplete trace stopped (abort reason), else null. */
  abort_reason: z.string().nullable(),
  /** How 64-bit guest values are stored: signed INT64 holding the two's complement. */
  int64_encoding: z.literal("twos_complement"),
  /** Rows per chunk file the writer used. */
  chunk_rows: z.number().int().positive(),
  counts: perTable(z.number().int().nonnegative()),
  exit: ExitSchema.nullable(),
  chunks: perTable(z.array(chunkName)),
});

// The schemas describe exactly the types manifest.ts declares (checked at compile time).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameManifest: Same<z.infer<typeof ManifestSchema>, Manifest> = true;
const sameExit: Same<z.infer<typeof ExitSchema>, ManifestExit> = true;
const sameGuest: Same<z.infer<typeof GuestSchema>, GuestInfo> = true;
void [sameManifest, sameExit, sameGuest];

/** Reads and validates `<dir>/manifest.json`; every failure is a one-line TraceError. */
export function readManifest(dir: string): Manifest {
  const path = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new TraceError("missing", `${path}: not found; is ${dir} a sudtrace trace directory?`);
    }
    throw new TraceError("io", `${path}: cannot read (${messageOf(err)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new TraceError(
      "corrupt",
      `${path}: not valid JSON (${messageOf(err)}); the trace is damaged, re-record it`,
    );
  }
  return parseManifest(json, path);
}

/** Validates a parsed manifest; `where` names the source in error messages. */
export function parseManifest(json: unknown, where: string): Manifest {
  const isObject = json !== null && typeof json === "object";
  if (isObject && (json as Record<string, unknown>).format !== TRACE_FORMAT) {
    throw new TraceError("corrupt", `${where}: not a sudtrace trace manifest (format field)`);
  }
  if (isObject && (json as Record<string, unknown>).format_version !== TRACE_FORMAT_VERSION) {
    const v = JSON.stringify((json as Record<string, unknown>).format_version);
    throw new TraceError(
      "corrupt",
      `${where}: trace format_version ${v} is not supported (this tool reads version ${TRACE_FORMAT_VERSION})`,
    );
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue?.path.length ? issue.path.join(".") : "(root)";
    throw new TraceError("corrupt", `${where}: invalid manifest at ${at}: ${issue?.message}`);
  }
  return parsed.data as Manifest;
}
