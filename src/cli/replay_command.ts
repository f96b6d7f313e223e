/** `sudtrace replay`: run the replay and print the verdict or the first divergence. */
import { replay, type ReplayResult } from "../replay/replay.ts";
import { TraceError } from "../record/trace_error.ts";
import { EXIT_DATA, EXIT_DIVERGED, EXIT_NO_INPUT, UserError } from "./exit_codes.ts";

export interface ReplayCommandOptions {
  binary?: string;
  json?: boolean;
  echo?: boolean;
}

/** JSON-safe copy: bigint as "0x…" hex (negative values as two's complement), bytes as hex. */
function plain(value: unknown): unknown {
  if (typeof value === "bigint") return "0x" + BigInt.asUintN(64, value).toString(16);
  if (value instanceof Uint8Array) {
    return [...value].map((b) => b.toString(16).padStart(2, "0")).join("");
  }
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

/** Columns that are counts or sequence numbers: shown in decimal, not as 64-bit hex. */
const DECIMAL = new Set([
  "seq",
  "icount",
  "tid",
  "len",
  "signal_seq",
  "syscall_seq",
  "idx",
  "status",
]);

function show(value: unknown, key = ""): string {
  // A field only one side has (the recorded and replayed events come from different tables).
  if (value === undefined) return "-";
  if (typeof value === "bigint" && DECIMAL.has(key)) return value.toString();
  const p = plain(value);
  return typeof p === "string" ? p : JSON.stringify(p) ?? "-";
}

/** Human-readable report of a replay. */
export function formatReplay(dir: string, r: ReplayResult): string {
  const lines: string[] = [];
  const how = r.exit.signal !== null
    ? `killed by signal ${r.exit.signal}`
    : `exit status ${r.exit.status}`;
  if (r.ok) {
    lines.push(
      `replay: ${dir}: OK, ${r.verified} events and ${r.hostCalls} host calls match the trace ` +
        `(${how}, ${r.exit.icount} instructions)`,
    );
    return lines.join("\n");
  }
  const d = r.divergence!;
  lines.push(`replay: ${dir}: DIVERGED at ${d.event}${d.seq >= 0 ? ` seq ${d.seq}` : ""}`);
  const expected = (d.expected ?? {}) as Record<string, unknown>;
  const actual = (d.actual ?? {}) as Record<string, unknown>;
  if (d.expected === null) lines.push("  recorded: (nothing: the replay did more than the trace)");
  if (d.actual === null) lines.push("  replayed: (nothing: the replay ended before this event)");
  lines.push(`  differing: ${d.fields.join(", ")}`);
  const width = Math.max(8, ...Object.keys({ ...expected, ...actual }).map((k) => k.length));
  lines.push(`  ${"field".padEnd(width)}  ${"recorded".padEnd(24)}  replayed`);
  for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
    const mark = d.fields.includes(key) ? "≠" : " ";
    lines.push(
      `${mark} ${key.padEnd(width)}  ${show(expected[key], key).padEnd(24)}  ${
        show(actual[key], key)
      }`,
    );
  }
  if (d.registers) {
    const names = Object.keys(d.registers);
    lines.push("  registers of the replay when it diverged:");
    for (let i = 0; i < names.length; i += 6) {
      lines.push(
        "    " + names.slice(i, i + 6).map((n) => `${n}=${show(d.registers![n])}`).join(" "),
      );
    }
  }
  if (r.recent.length) {
    lines.push("  last matching events:");
    for (const e of r.recent) {
      const row = e.row;
      const what = e.table === "syscalls"
        ? `${row.name} decision=${row.decision} ret=${show(row.ret)}`
        : e.table === "signals"
        ? `signal ${row.signo} code=${row.code} action=${row.action}`
        : e.table;
      lines.push(`    seq ${row.seq}: ${e.table}: ${what}`);
    }
  }
  return lines.join("\n");
}

export async function runReplay(dir: string, opts: ReplayCommandOptions): Promise<number> {
  let result: ReplayResult;
  try {
    result = await replay(dir, {
      binary: opts.binary,
      onOutput: opts.echo
        ? (fd, data) => (fd === 2 ? Deno.stderr : Deno.stdout).writeSync(data)
        : undefined,
    });
  } catch (e) {
    if (e instanceof TraceError) {
      throw new UserError(e.message, e.kind === "missing" ? EXIT_NO_INPUT : EXIT_DATA);
    }
    throw e;
  }
  if (opts.json) {
    console.log(JSON.stringify(
      plain({
        ok: result.ok,
        verified: result.verified,
        host_calls: result.hostCalls,
        exit: result.exit,
        divergence: result.divergence && {
          event: result.divergence.event,
          seq: result.divergence.seq,
          fields: result.divergence.fields,
          recorded: result.divergence.expected,
          replayed: result.divergence.actual,
          registers: result.divergence.registers,
        },
      }),
      null,
      2,
    ));
  } else console.log(formatReplay(dir, result));
  return result.ok ? 0 : EXIT_DIVERGED;
}
