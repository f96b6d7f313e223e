/**
 * The golden file written for each guest binary: what a native run printed on stdout and how it
 * ended. Exactly one of exit_code / signal is non-null.
 */
import { z } from "zod";

export const Golden = z.object({
  binary: z.string(),
  stdout: z.string(),
  exit_code: z.number().int().nullable(),
  signal: z.string().nullable(),
}).strict().refine((g) => (g.exit_code === null) !== (g.signal === null), {
  message: "exactly one of exit_code and signal must be set",
});
export type Golden = z.infer<typeof Golden>;

export function parseGolden(text: string, where: string): Golden {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${where}: not JSON: ${(e as Error).message}`);
  }
  const parsed = Golden.safeParse(json);
  if (!parsed.success) throw new Error(`${where}: ${parsed.error.issues[0].message}`);
  return parsed.data;
}

/** Stable text form (2-space JSON, trailing newline) so regenerated files diff cleanly. */
export function formatGolden(g: Golden): string {
  return JSON.stringify(g, null, 2) + "\n";
}
