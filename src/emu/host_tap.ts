/**
 * Observing the host door: wraps any Host so that every call and its result are reported, which is
 * how recording stores the nondeterministic inputs a replay needs. Generic over the method list so
 * new Host methods are taped without touching this file.
 */
import { UNTAPED_HOST_METHODS } from "./host.ts";

/** Receives each host call after it returned. */
export type HostCallListener = (method: string, args: unknown[], result: unknown) => void;

/**
 * Returns a host whose methods forward to `inner` and report each call to `listener`. Methods in
 * `untaped` (by default the Host's, e.g. sleep) are forwarded without a report.
 */
export function tapHost<T extends object>(
  inner: T,
  methods: readonly (keyof T)[],
  listener: HostCallListener,
  untaped: ReadonlySet<string> = UNTAPED_HOST_METHODS,
): T {
  const tapped = Object.create(inner) as T;
  for (const name of methods) {
    const original = inner[name];
    if (typeof original !== "function") continue;
    const method = String(name);
    const quiet = untaped.has(method);
    (tapped as Record<string, unknown>)[method] = (...args: unknown[]) => {
      const result = (original as (...a: unknown[]) => unknown).apply(inner, args);
      if (!quiet) listener(method, args, result);
      return result;
    };
  }
  return tapped;
}
