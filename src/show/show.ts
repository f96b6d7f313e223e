/**
 * `showTrace()`: reads a trace (pure JavaScript, no DuckDB) and renders the strace-like listing,
 * `seq icount  text`, coloured by line kind when asked.
 */
import { createColors } from "picocolors";
import { openTrace } from "../record/trace_reader.ts";
import { buildListing, type LineKind, type ListingLine } from "./listing.ts";

export interface ShowOptions {
  /** ANSI colours (default false). */
  color?: boolean;
  /** strace's -s: cut strings at N bytes (the trace holds at most 32). */
  stringLimit?: number;
}

/** The listing lines of the trace in `dir`. Throws TraceError for unreadable traces. */
export async function listTrace(dir: string, opts: ShowOptions = {}): Promise<ListingLine[]> {
  const trace = openTrace(dir);
  return buildListing({
    syscalls: await trace.read("syscalls"),
    signals: await trace.read("signals"),
    sigreturns: await trace.read("sigreturns"),
    exits: await trace.read("exits"),
  }, { stringLimit: opts.stringLimit });
}

/** Renders lines as text: right-aligned seq and icount, then the indented entry. */
export function renderListing(lines: ListingLine[], color = false): string[] {
  const pc = createColors(color);
  const paint: Record<LineKind, (s: string) => string> = {
    call: (s) => s,
    error: pc.red,
    dispatch: (s) => pc.bold(pc.yellow(s)),
    kill: (s) => pc.bold(pc.red(s)),
    signal: pc.cyan,
    sigreturn: pc.green,
    exit: pc.bold,
  };
  const seqWidth = Math.max(3, ...lines.map((l) => String(l.seq).length));
  const icWidth = Math.max(6, ...lines.map((l) => String(l.icount).length));
  // Several processes (fork): each line names its pid, as `strace -f` does.
  const pids = new Set(lines.map((l) => l.tid)).size > 1;
  const pidWidth = Math.max(0, ...lines.map((l) => String(l.tid).length));
  const header = pc.dim(
    `${"seq".padStart(seqWidth)} ${"icount".padStart(icWidth)}${
      pids ? ` ${"pid".padStart(pidWidth)}` : ""
    }`,
  );
  return [
    header,
    ...lines.map((l) =>
      pc.dim(
        `${String(l.seq).padStart(seqWidth)} ${String(l.icount).padStart(icWidth)}${
          pids ? ` ${String(l.tid).padStart(pidWidth)}` : ""
        }`,
      ) + "  " + "  ".repeat(l.depth) + paint[l.kind](l.text)
    ),
  ];
}

/** The rendered listing of a trace. */
export async function showTrace(dir: string, opts: ShowOptions = {}): Promise<string[]> {
  return renderListing(await listTrace(dir, opts), opts.color ?? false);
}
