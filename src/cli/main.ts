/**
 * The sudtrace command line: record, replay, query and show. Parsing and printing only; the work is done
 * by the record, replay and query layers.
 */
import { Command, CommanderError, Option } from "@commander-js/extra-typings";
import { EXIT_INTERNAL, EXIT_USAGE, UserError } from "./exit_codes.ts";
import { TOOL_VERSION } from "../version.ts";

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new UserError(`expected a positive integer, got "${value}"`, EXIT_USAGE);
  }
  return n;
}

/** Builds the commander program; `exit` receives the process exit code of the chosen command. */
export function buildProgram(exit: (code: number) => void): Command {
  const program = new Command()
    .name("sudtrace")
    .description(
      "Run an x86-64 Linux program in an emulator and record every syscall attempt, Syscall User\n" +
        "Dispatch decision and signal frame; replay and query the trace.",
    )
    .version(TOOL_VERSION)
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeErr: (s) => Deno.stderr.writeSync(new TextEncoder().encode(s)) });

  program.command("record")
    .description(
      "run a static x86-64 program under the emulator and write its trace\n" +
        "(options before the program are sudtrace's; everything after belongs to the guest;\n" +
        "with no program the bundled SUD demo is recorded)",
    )
    .argument("[program]", "path of the guest program (searched in PATH when it has no slash)")
    .argument("[args...]", "arguments passed to the guest")
    .option("-o, --out <dir>", "trace directory (default traces/<name>-<time>/)")
    .option("-f, --force", "replace the trace directory if it exists")
    .option("--root <dir>", "directory the guest sees as / (default: the host's /)")
    .option(
      "-E, --env <KEY=VALUE>",
      "add a guest environment entry (repeatable; default: a copy of ours)",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option("--clear-env", "start the guest with an empty environment")
    .addOption(
      new Option("--max-instructions <n>", "stop the guest after this many instructions")
        .argParser(parseCount),
    )
    .option("-q, --quiet", "do not print the trace summary line on stderr")
    .passThroughOptions()
    .action(async (prog, args, opts) => {
      // Each command loads only its own layer: recording never loads DuckDB's native addon.
      const { runRecord } = await import("./record_command.ts");
      exit(await runRecord(prog, args, opts));
    });

  program.command("replay")
    .description(
      "re-execute a trace with no host syscalls, verify every event, report the first divergence",
    )
    .argument("<trace>", "trace directory")
    .option("--binary <path>", "replay a different build of the program against the trace")
    .option("--json", "print the result as JSON")
    .option("--echo", "write the guest's recorded stdout/stderr while replaying")
    .action(async (trace, opts) => {
      const { runReplay } = await import("./replay_command.ts");
      exit(await runReplay(trace, opts));
    });

  program.command("query")
    .description(
      'SQL over one or more traces with DuckDB: query <trace>... "SELECT ..." or --report NAME',
    )
    .argument("<inputs...>", "trace directories, then the SQL text (unless --report)")
    .option("-r, --report <name>", "run a named report instead of SQL (see --list-reports)")
    .option("--list-reports", "list the named reports")
    .addOption(
      new Option("--format <format>", "output format").choices(["table", "csv", "json"] as const)
        .default("table" as const),
    )
    .action(async (inputs, opts) => {
      const { runQuery } = await import("./query_command.ts");
      exit(await runQuery(inputs, opts));
    });

  program.command("show")
    .description(
      "print a trace like strace, including dispatched calls, SIGSYS frames and sigreturns",
    )
    .argument("<trace>", "trace directory")
    .option("--no-color", "never colour the output (default: colour on a terminal)")
    .addOption(
      new Option("-s, --string-limit <n>", "cut strings at N bytes (the trace keeps 32)")
        .argParser(parseCount),
    )
    .action(async (trace, opts) => {
      const { runShow } = await import("./show_command.ts");
      exit(await runShow(trace, opts));
    });

  return program;
}

/** Runs the CLI with the given arguments and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  // Deno 2.9 forwards a literal "--" after the task name: drop a leading one.
  const args = argv[0] === "--" ? argv.slice(1) : argv;
  let code = 0;
  const program = buildProgram((c) => code = c);
  try {
    await program.parseAsync(args, { from: "user" });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are successful exits; everything else is a usage error.
      return e.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (e instanceof UserError) {
      console.error(`sudtrace: ${e.message}`);
      return e.exitCode;
    }
    const message = e instanceof Error ? e.message : String(e);
    console.error(
      `sudtrace: internal error: ${message} (please report this with the command line)`,
    );
    if (Deno.env.get("SUDTRACE_DEBUG")) console.error(e);
    return EXIT_INTERNAL;
  }
}

if (import.meta.main) {
  const code = await main(Deno.args);
  if (code > 128 && code < 128 + 65) {
    // A recorded guest killed by a signal: die of it too, as the native run did.
    const { guestSignal } = await import("./record_command.ts");
    if (guestSignal === code - 128) (await import("./exit_like_guest.ts")).dieBySignal(guestSignal);
  }
  Deno.exit(code);
}
