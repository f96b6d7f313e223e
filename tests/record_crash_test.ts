/**
 * A recording that breaks off (the emulator fails mid-run) leaves a trace that is readable, is
 * marked incomplete with the reason, and can still be queried.
 */
import assert from "node:assert/strict";
import type { Host } from "../src/emu/host.ts";
import { record } from "../src/record/record_session.ts";
import { openTrace } from "../src/record/trace_reader.ts";
import { query } from "../src/query/query.ts";

const DEMO = new URL("./guests/bin/demo_compat.musl", import.meta.url).pathname;

Deno.test("a run that crashes mid-way leaves a readable trace marked incomplete", async () => {
  const out = Deno.makeTempDirSync({ prefix: "sudtrace-crash-" }) + "/trace";
  let writes = 0;
  const result = await record({
    program: DEMO,
    env: [],
    out,
    host: { capture: true },
    // The fifth write to stdout blows up inside the host, as a real I/O failure would.
    wrapHost: (h: Host) => {
      const broken = Object.create(h) as Host;
      broken.writeStd = (fd, data) => {
        if (++writes === 5) throw new Error("disk on fire");
        return h.writeStd(fd, data);
      };
      return broken;
    },
  });
  assert.equal(result.exit.error?.kind, "internal");
  const trace = openTrace(out);
  assert.equal(trace.manifest.status, "incomplete");
  assert.match(trace.manifest.abort_reason ?? "", /disk on fire/);
  const syscalls = await trace.read("syscalls");
  assert.ok(syscalls.length > 4, `only ${syscalls.length} syscalls survived`);
  const r = await query([out], "SELECT count(*)::INT FROM syscalls WHERE name = 'prctl'");
  assert.ok((r.rows[0][0] as number) >= 1);
});
