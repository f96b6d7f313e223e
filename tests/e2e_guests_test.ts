/**
 * End to end over the whole guest corpus: record each guest under the emulator, compare its stdout,
 * exit status and terminating signal with the native golden data, replay the trace without
 * divergence, and check with SQL that the dispatched-call count is what the guest did natively.
 */
import assert from "node:assert/strict";
import { listBinaries, loadManifest } from "./guests/manifest.ts";
import { parseGolden } from "./guests/golden_format.ts";
import { record } from "../src/record/record_session.ts";
import { replay } from "../src/replay/replay.ts";
import { query } from "../src/query/query.ts";
import { signalNumber } from "../src/emu/linux/signal_names.ts";

const scratch = Deno.makeTempDirSync({ prefix: "sudtrace-e2e-" });
const decoder = new TextDecoder();

for (const bin of listBinaries(loadManifest())) {
  Deno.test(`record, replay and query ${bin.binary} match the native run`, async () => {
    const golden = parseGolden(Deno.readTextFileSync(bin.goldenPath), bin.goldenPath);
    const stdin = bin.stdinPath ? Deno.readFileSync(bin.stdinPath) : new Uint8Array(0);
    const out = `${scratch}/${bin.binary}`;
    const result = await record({
      program: bin.binPath,
      argv0: bin.binPath,
      args: bin.args,
      env: [],
      out,
      host: { capture: true, stdin, cwd: "/" },
      now: new Date("2026-11-28T00:00:00Z"),
      // A guest that loops under emulation must fail the test, not hang CI.
      maxInstructions: 1_000_000_000,
    });
    assert.notEqual(result.exit.error?.kind, "instruction_limit", result.exit.error?.message);
    assert.equal(result.exit.error?.kind === "internal", false, result.exit.error?.message);
    assert.equal(decoder.decode(result.host.captured().stdout), golden.stdout);
    assert.equal(result.exit.status, golden.exit_code);
    assert.equal(result.exit.signal, golden.signal === null ? null : signalNumber(golden.signal));
    assert.equal(result.manifest.status, "complete");

    const replayed = await replay(out);
    assert.equal(replayed.divergence, null, replayed.divergence?.message);
    assert.ok(replayed.ok);
    assert.ok(replayed.verified >= result.manifest.counts.syscalls);

    const dispatched = await query(
      [out],
      "SELECT count(*) AS n FROM syscalls WHERE decision = 'dispatch'",
    );
    assert.equal(Number(dispatched.rows[0][0]), bin.guest.dispatches);
  });
}
