/** `sudtrace record`: argument handling and printing around `record()`. */
import { fileURLToPath } from "node:url";
import type { Host } from "../emu/host.ts";
import { record } from "../record/record_session.ts";
import { TraceError } from "../record/trace_error.ts";
import {
  EXIT_CANT_CREATE,
  EXIT_DATA,
  EXIT_INTERNAL,
  EXIT_INTERRUPTED,
  EXIT_LIMIT,
  EXIT_NO_INPUT,
  UserError,
} from "./exit_codes.ts";
import { resolveProgram } from "./resolve_program.ts";

/** The guest recorded when `record` is given no program. */
export const DEMO_PROGRAM = fileURLToPath(
  new URL("../../tests/guests/bin/demo_compat.musl", import.meta.url),
);

export interface RecordCommandOptions {
  out?: string;
  force?: boolean;
  root?: string;
  env: string[];
  clearEnv?: boolean;
  maxInstructions?: number;
  quiet?: boolean;
}

/** Runs the command; returns the exit code (the guest's status, or 128 + signal). */
export async function runRecord(
  program: string | undefined,
  args: string[],
  opts: RecordCommandOptions,
): Promise<number> {
  const path = program === undefined ? DEMO_PROGRAM : resolveProgram(program);
  const env = opts.clearEnv ? [] : Object.entries(Deno.env.toObject()).map(([k, v]) => `${k}=${v}`);
  env.push(...opts.env);
  // A live status line on a terminal; nothing when stderr is piped or --quiet.
  const live = !opts.quiet && Deno.stderr.isTerminal();
  let statusShown = false;
  const clearStatus = () => {
    if (statusShown) Deno.stderr.writeSync(new TextEncoder().encode("\r\x1b[K"));
    statusShown = false;
  };
  const warn = (message: string) => {
    clearStatus();
    console.error(`sudtrace: ${message}`);
  };
  let result;
  try {
    result = await record({
      program: path,
      argv0: program ?? "demo_compat",
      args,
      out: opts.out,
      overwrite: opts.force,
      env,
      host: { root: opts.root },
      maxInstructions: opts.maxInstructions,
      onWarning: warn,
      onProgress: live
        ? (p) => {
          const line = `sudtrace: ${(p.icount / 1e6).toFixed(1)} M instructions, ` +
            `${p.syscalls} syscalls, ${p.signals} signals`;
          Deno.stderr.writeSync(new TextEncoder().encode(`\r\x1b[K${line}`));
          statusShown = true;
        }
        : undefined,
      // The guest's own output must not land on the end of the status line.
      wrapHost: live
        ? (host) => {
          const wrapped = Object.create(host) as Host;
          wrapped.writeStd = (fd, data) => {
            clearStatus();
            return host.writeStd(fd, data);
          };
          return wrapped;
        }
        : undefined,
    });
    clearStatus();
  } catch (e) {
    if (e instanceof TraceError) throw new UserError(e.message, EXIT_CANT_CREATE);
    if (e instanceof Deno.errors.NotFound) {
      throw new UserError(`${path}: no such program`, EXIT_NO_INPUT);
    }
    if (e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.IsADirectory) {
      throw new UserError(`${path}: cannot read the program (${e.message})`, EXIT_NO_INPUT);
    }
    throw e;
  }
  const { exit, manifest, dir } = result;
  const how = exit.signal !== null
    ? `killed by signal ${exit.signal}${exit.core ? " (core dumped)" : ""}`
    : exit.status !== null
    ? `exit status ${exit.status}`
    : "stopped by sudtrace";
  if (exit.error) {
    const e = exit.error;
    console.error(`sudtrace: ${e.message}`);
    if (e.kind === "bad_elf") return EXIT_DATA;
    if (e.kind === "interrupted") {
      console.error(`sudtrace: the trace in ${dir} is incomplete but readable`);
      return EXIT_INTERRUPTED;
    }
    if (e.kind === "internal") {
      console.error(`sudtrace: the trace in ${dir} is incomplete but readable`);
      return EXIT_INTERNAL;
    }
    if (e.kind === "instruction_limit") {
      console.error(`sudtrace: trace (readable) in ${dir}`);
      return EXIT_LIMIT;
    }
  }
  if (!opts.quiet) {
    const c = manifest.counts;
    console.error(
      `sudtrace: ${how}; trace in ${dir} (${c.syscalls} syscalls, ${c.signals} signals, ` +
        `${c.sigreturns} sigreturns, ${exit.icount} instructions)`,
    );
  }
  if (exit.signal !== null) {
    guestSignal = exit.signal;
    return 128 + exit.signal;
  }
  return exit.status ?? EXIT_INTERNAL;
}

/**
 * The signal that killed the last recorded guest (null when it exited): the command-line entry
 * point dies of it too (exit_like_guest.ts) instead of returning 128 + signal.
 */
export let guestSignal: number | null = null;
