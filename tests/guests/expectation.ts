/** Checks a run's ending against the manifest's `expect` for that guest. */
import type { Guest } from "./manifest.ts";
import type { Golden } from "./golden_format.ts";

/** Returns null when the run ended as expected, otherwise a one-line description of the mismatch. */
export function endsAsExpected(guest: Guest, run: Golden): string | null {
  const got = run.signal !== null ? `killed by ${run.signal}` : `exit ${run.exit_code}`;
  const want = "signal" in guest.expect
    ? `killed by ${guest.expect.signal}`
    : `exit ${guest.expect.exit_code}`;
  return got === want ? null : `expected ${want}, got ${got}`;
}
