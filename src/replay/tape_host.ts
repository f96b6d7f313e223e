/**
 * A Host that answers from a recorded tape instead of the real machine: replay makes no host
 * syscalls. Each call must match the recorded method and arguments, else the replay has diverged.
 */
import { decodeHostValue, encodeHostValue } from "../emu/host_tap.ts";
import { Divergence } from "./divergence.ts";

/** One recorded host call. */
export interface TapeEntry {
  idx: number;
  method: string;
  /** encodeHostValue() of the argument array. */
  args: string;
  /** encodeHostValue() of the result. */
  result: string;
}

/** Builds an object with the given methods, each answered in order from the tape. */
export function tapeHost<T extends object>(
  methods: readonly (keyof T)[],
  tape: readonly TapeEntry[],
): { host: T; remaining: () => number } {
  let next = 0;
  const host: Record<string, unknown> = {};
  for (const name of methods) {
    const method = String(name);
    host[method] = (...args: unknown[]) => {
      const entry = tape[next];
      const actual = { method, args: encodeHostValue(args) };
      if (!entry) throw new Divergence("host_call", next, null, actual, ["method"]);
      const fields: string[] = [];
      if (entry.method !== method) fields.push("method");
      else if (entry.args !== actual.args) fields.push("args");
      if (fields.length) {
        throw new Divergence(
          "host_call",
          entry.idx,
          {
            method: entry.method,
            args: entry.args,
          },
          actual,
          fields,
        );
      }
      next++;
      return decodeHostValue(entry.result);
    };
  }
  return { host: host as T, remaining: () => tape.length - next };
}
