/**
 * The first point where a replay stops matching its trace. Thrown out of the running guest (by the
 * tape host or the event verifier) and turned into the replay report.
 */
export class Divergence extends Error {
  /** The replaying CPU's registers when the divergence was detected (name → value). */
  registers: Record<string, bigint> | null = null;

  constructor(
    /** What kind of event diverged: "syscall", "signal", "host_call", "exit", … */
    readonly event: string,
    /** seq (or tape index) of the recorded event that did not match. */
    readonly seq: number,
    /** The recorded event (JSON-able). */
    readonly expected: unknown,
    /** What the replay produced instead (JSON-able), or null when it produced nothing. */
    readonly actual: unknown,
    /** Field names that differ. */
    readonly fields: string[],
  ) {
    super(`replay diverged at ${event} #${seq}: ${fields.join(", ") || "missing event"} differ`);
  }
}
