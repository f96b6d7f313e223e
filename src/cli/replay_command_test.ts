import assert from "node:assert/strict";
import { formatReplay } from "./replay_command.ts";
import { Divergence } from "../replay/divergence.ts";
import type { ReplayResult } from "../replay/replay.ts";

function result(d: Divergence): ReplayResult {
  return {
    ok: false,
    verified: 3,
    hostCalls: 0,
    exit: { status: 0, signal: null, core: false, icount: 10, error: null },
    divergence: d,
    recent: [],
  };
}

Deno.test("a divergence between events of different tables prints both sides' fields", () => {
  // A dropped recorded sigreturn: the replay's next event is a syscall at a later seq.
  const d = new Divergence(
    "sigreturns",
    7,
    { seq: 7n, frame_addr: 0x7ffc0000n, changed: "rax" },
    { table: "syscalls", seq: 8n, name: "getppid", ret: 1n },
    ["missing"],
  );
  const text = formatReplay("t", result(d));
  assert.match(text, /DIVERGED at sigreturns seq 7/);
  assert.match(text, /differing: missing/);
  // Fields only one side has are shown as "-" rather than crashing the report.
  assert.match(text, /frame_addr\s+0x7ffc0000\s+-/);
  assert.match(text, /name\s+-\s+getppid/);
});
