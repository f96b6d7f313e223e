/**
 * When the CPU compiles a block: after it ran `threshold` times through the interpreter. The
 * count is of executions only (never time), so recording and replay tier up at the same points.
 * 0 compiles every block before its first run; Infinity disables the compiler. The default can
 * be set with the environment variable SUDTRACE_JIT (a number, or "off").
 */

/** Interpreted executions before a block is compiled. */
export const DEFAULT_JIT_THRESHOLD = 32;

let threshold = fromEnvironment() ?? DEFAULT_JIT_THRESHOLD;

function fromEnvironment(): number | null {
  try {
    const perm = Deno.permissions.querySync({ name: "env", variable: "SUDTRACE_JIT" });
    if (perm.state !== "granted") return null;
    const v = Deno.env.get("SUDTRACE_JIT");
    if (v === undefined || v === "") return null;
    if (v === "off") return Infinity;
    const n = Number(v);
    return Number.isFinite(n) && n >= 0 ? n : null;
  } catch {
    return null;
  }
}

/** The threshold new CPUs start with. */
export function jitThreshold(): number {
  return threshold;
}

/** Sets the threshold for CPUs created from now on (tests force 0 or Infinity with it). */
export function setJitThreshold(n: number): void {
  threshold = n;
}
