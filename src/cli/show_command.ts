/** `sudtrace show`: print a trace as a strace-like listing that includes dispatched calls. */
import { showTrace } from "../show/show.ts";
import { TraceError } from "../record/trace_error.ts";
import { EXIT_DATA, EXIT_NO_INPUT, UserError } from "./exit_codes.ts";

export interface ShowCommandOptions {
  color?: boolean;
  stringLimit?: number;
}

export async function runShow(dir: string, opts: ShowCommandOptions): Promise<number> {
  // Colour only on a terminal and unless NO_COLOR is set (or --no-color was given).
  const color = opts.color !== false && Deno.stdout.isTerminal() && !Deno.env.get("NO_COLOR");
  let lines: string[];
  try {
    lines = await showTrace(dir, { color, stringLimit: opts.stringLimit });
  } catch (e) {
    if (e instanceof TraceError) {
      throw new UserError(e.message, e.kind === "missing" ? EXIT_NO_INPUT : EXIT_DATA);
    }
    throw e;
  }
  const out = new TextEncoder().encode(lines.join("\n") + "\n");
  try {
    await Deno.stdout.write(out).then(async function rest(n): Promise<void> {
      if (n < out.length) await rest(n + await Deno.stdout.write(out.subarray(n)));
    });
  } catch (e) {
    // A closed pipe (show | head) is not an error.
    if (!(e instanceof Deno.errors.BrokenPipe)) throw e;
  }
  return 0;
}
