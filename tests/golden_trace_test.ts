/**
 * The committed golden trace (traces/golden/demo_compat, recorded from the bundled demo) must keep
 * replaying without divergence: any change to the emulator that alters the demo's behaviour, down
 * to one instruction count or selector byte, fails here.
 */
import assert from "node:assert/strict";
import { replay } from "../src/replay/replay.ts";
import { query } from "../src/query/query.ts";
import { parseGolden } from "./guests/golden_format.ts";

const TRACE = new URL("../traces/golden/demo_compat", import.meta.url).pathname;
const GOLDEN = new URL("./guests/golden/demo_compat.musl.json", import.meta.url).pathname;

Deno.test("the golden demo trace replays with no divergence and reproduces the native output", async () => {
  const chunks: Uint8Array[] = [];
  const result = await replay(TRACE, { onOutput: (_fd, data) => chunks.push(data) });
  assert.equal(result.divergence, null, result.divergence?.message);
  assert.equal(result.exit.status, 0);
  const stdout = new TextDecoder().decode(new Uint8Array(chunks.flatMap((c) => [...c])));
  assert.equal(stdout, parseGolden(Deno.readTextFileSync(GOLDEN), GOLDEN).stdout);
});

Deno.test("the golden demo trace shows 7 dispatched foreign syscalls and their selector bytes", async () => {
  const r = await query(
    [TRACE],
    `SELECT decision, selector_value, count(*)::INT AS n FROM syscalls
     WHERE decision IN ('dispatch', 'selector_allow') GROUP BY ALL ORDER BY decision`,
  );
  assert.deepEqual(r.rows, [["dispatch", 1, 7], ["selector_allow", 0, r.rows[1]?.[2]]]);
  assert.ok(Number(r.rows[1][2]) > 0);
  const sigsys = await query(
    [TRACE],
    "SELECT count(*)::INT FROM signals WHERE signo = 31 AND code = 2",
  );
  assert.equal(sigsys.rows[0][0], 7);
});
