/**
 * A Host that answers from a recorded tape instead of the real machine: replay makes no host
 * syscalls. Each call must match the recorded method and arguments, else the replay has diverged.
 * Untaped methods (sleep) were never recorded: they return at once and leave the tape alone, so a
 * replay neither waits nor falls out of step.
 */
import { UNTAPED_HOST_METHODS } from "../emu/host.ts";
import { encodeHostJson } from "../record/host_json.ts";
import type { HostCall } from "../record/trace_reader.ts";
import { Divergence } from "./divergence.ts";

/** Builds an object with the given methods, each answered in order from the tape. */
export function tapeHost<T extends object>(
  methods: readonly (keyof T)[],
  tape: readonly HostCall[],
  onCall?: (call: HostCall) => void,
  untaped: ReadonlySet<string> = UNTAPED_HOST_METHODS,
): { host: T; remaining: () => number } {
  let next = 0;
  const host: Record<string, unknown> = {};
  for (const name of methods) {
    const method = String(name);
    if (untaped.has(method)) {
      host[method] = () => undefined;
      continue;
    }
    host[method] = (...args: unknown[]) => {
      const entry = tape[next];
      const actual = { method, args };
      if (!entry) throw new Divergence("host_call", next, null, actual, ["method"]);
      const fields: string[] = [];
      if (entry.method !== method) fields.push("method");
      else if (encodeHostJson(entry.args) !== encodeHostJson(args)) fields.push("args");
      if (fields.length) {
        throw new Divergence(
          "host_call",
          entry.idx,
          { method: entry.method, args: entry.args },
          actual,
          fields,
        );
      }
      next++;
      onCall?.(entry);
      return entry.result;
    };
  }
  return { host: host as T, remaining: () => tape.length - next };
}
