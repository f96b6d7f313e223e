/**
 * The host door's sleep: the real host waits at least the request on the clock the guest reads;
 * the tap forwards it without a tape entry; a replay returns at once and stays in step.
 */
import assert from "node:assert/strict";
import { type Host, HOST_METHODS, RealHost } from "./host.ts";
import { tapHost } from "./host_tap.ts";
import { tapeHost } from "../replay/tape_host.ts";
import type { HostCall } from "../record/trace_reader.ts";

Deno.test("RealHost.sleep waits at least the request, measured with the guest's clock", () => {
  const host = new RealHost({ capture: true });
  const ns = (t: ReturnType<Host["clockGettime"]>) =>
    typeof t === "number" ? NaN : t.sec * 1e9 + t.nsec;
  for (const [sec, nsec] of [[0, 30_000_000], [0, 1], [0, 0]]) {
    const before = ns(host.clockGettime(1));
    host.sleep(sec, nsec);
    const waited = ns(host.clockGettime(1)) - before;
    assert.ok(waited >= sec * 1e9 + nsec, `${sec}s ${nsec}ns: waited ${waited} ns`);
    assert.ok(waited < sec * 1e9 + nsec + 500e6, `${sec}s ${nsec}ns: waited ${waited} ns`);
  }
});

Deno.test("recording forwards sleep to the real host but puts no call on the tape", () => {
  const slept: number[][] = [];
  const inner = new RealHost({ capture: true });
  inner.sleep = (sec, nsec) => void slept.push([sec, nsec]);
  const tape: string[] = [];
  const host = tapHost<Host>(inner, HOST_METHODS, (m) => tape.push(m));
  host.clockGettime(1);
  host.sleep(0, 5);
  host.clockGettime(1);
  assert.deepEqual(slept, [[0, 5]]);
  assert.deepEqual(tape, ["clockGettime", "clockGettime"]);
});

Deno.test("replay answers sleep at once without consuming the tape", () => {
  const tape: HostCall[] = [
    { idx: 0, method: "clockGettime", args: [1], result: { sec: 1, nsec: 0 } },
    { idx: 1, method: "clockGettime", args: [1], result: { sec: 31, nsec: 0 } },
  ];
  const { host, remaining } = tapeHost<Host>(HOST_METHODS, tape);
  assert.deepEqual(host.clockGettime(1), { sec: 1, nsec: 0 });
  const t = performance.now();
  assert.equal(host.sleep(30, 0), undefined);
  assert.ok(performance.now() - t < 100);
  assert.equal(remaining(), 1);
  assert.deepEqual(host.clockGettime(1), { sec: 31, nsec: 0 });
  assert.equal(remaining(), 0);
});
