/**
 * Recording keeps what file reads returned: a trace of a guest that read a file replays after the
 * file is gone.
 */
import assert from "node:assert/strict";
import { record } from "../src/record/record_session.ts";
import { replay } from "../src/replay/replay.ts";

Deno.test("a guest's file read replays after the file was deleted", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "sudtrace-deleted-" });
  const file = `${dir}/input.txt`;
  Deno.writeTextFileSync(file, "contents that only the trace remembers\n");
  const out = `${dir}/trace`;
  const result = await record({
    program: new URL("./guests/bin/sys_cat.musl", import.meta.url).pathname,
    args: [file],
    env: [],
    out,
    host: { capture: true, cwd: "/" },
    now: new Date("2026-11-28T00:00:00Z"),
  });
  assert.equal(result.exit.status, 0);
  assert.equal(
    new TextDecoder().decode(result.host.captured().stdout),
    "contents that only the trace remembers\n",
  );
  Deno.removeSync(file);
  const replayed = await replay(out);
  assert.equal(replayed.divergence, null, replayed.divergence?.message);
  assert.ok(replayed.ok);
  Deno.removeSync(dir, { recursive: true });
});
