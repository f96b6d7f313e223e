/**
 * Replay must catch a trace that no longer matches the program: an edited syscall result, an
 * edited selector byte, an edited host answer, a dropped event.
 */
import assert from "node:assert/strict";
import { record } from "../src/record/record_session.ts";
import { replay } from "../src/replay/replay.ts";
import { editTable } from "./trace_edit.ts";

const HELLO = new URL("./guests/bin/hello.musl", import.meta.url).pathname;

async function freshTrace(): Promise<string> {
  const out = Deno.makeTempDirSync({ prefix: "sudtrace-tamper-" }) + "/trace";
  await record({ program: HELLO, env: [], out, host: { capture: true, cwd: "/" } });
  return out;
}

Deno.test("replay reports the edited syscall result as the first divergence", async () => {
  const dir = await freshTrace();
  let editedSeq = -1n;
  await editTable(dir, "syscalls", (rows) => {
    const write = rows.find((r) => r.name === "writev" || r.name === "write")!;
    editedSeq = write.seq as bigint;
    write.ret = (write.ret as bigint) + 1n;
  });
  const result = await replay(dir);
  assert.equal(result.ok, false);
  assert.equal(result.divergence?.event, "syscalls");
  assert.equal(BigInt(result.divergence!.seq), editedSeq);
  assert.deepEqual(result.divergence?.fields, ["ret"]);
});

Deno.test("replay reports an edited host answer when the guest sees different input", async () => {
  const dir = await freshTrace();
  await editTable(dir, "host_calls", (rows) => {
    // Swap the method of the first call: the guest now asks for something the tape did not record.
    rows[0].method = rows[0].method === "pid" ? "uid" : "pid";
  });
  const result = await replay(dir);
  assert.equal(result.ok, false);
  assert.equal(result.divergence?.event, "host_call");
  assert.deepEqual(result.divergence?.fields, ["method"]);
});

Deno.test("replay reports a recorded event that the re-execution never produced", async () => {
  const dir = await freshTrace();
  await editTable(dir, "syscalls", (rows) => {
    const last = rows[rows.length - 1];
    rows.push({ ...last, seq: (last.seq as bigint) + 1000n });
  });
  const result = await replay(dir);
  assert.equal(result.ok, false);
  assert.deepEqual(result.divergence?.fields, ["missing"]);
});

Deno.test("an untouched trace replays with no divergence", async () => {
  const result = await replay(await freshTrace());
  assert.equal(result.divergence, null);
  assert.ok(result.verified > 0);
});
