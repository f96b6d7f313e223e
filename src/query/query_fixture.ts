/** Test helper: a recorded synthetic trace on disk (see record/synthetic_events.ts). */
import { Recorder } from "../record/recorder.ts";
import {
  emitTo,
  SYNTHETIC_BASE,
  SYNTHETIC_HOST_CALLS,
  syntheticEvents,
} from "../record/synthetic_events.ts";

/** Records the synthetic events into `<tmp>/<name>` and finishes (or aborts) the trace. */
export function recordSyntheticTrace(
  name = "synthetic",
  options: { abort?: boolean; chunkRows?: number } = {},
): string {
  const dir = `${Deno.makeTempDirSync()}/${name}`;
  const rec = Recorder.create(dir, SYNTHETIC_BASE, { chunkRows: options.chunkRows });
  emitTo(rec, syntheticEvents());
  for (const [m, a, r] of SYNTHETIC_HOST_CALLS) rec.recordHostCall(m, a, r);
  if (options.abort) rec.abort("test abort");
  else rec.finish({ status: 3, signal: null, core: false, icount: 91, error: null });
  return dir;
}
