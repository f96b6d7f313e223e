import assert from "node:assert/strict";
import { RealHost } from "../host.ts";
import type { SignalEvent } from "./events.ts";
import { runGuest } from "./kernel.ts";
import { REAL_CHECK_PERIOD } from "./sys_timer.ts";

const guests = new URL("../../../tests/guests/", import.meta.url).pathname;
const bin = `${guests}bin/sig_alarm.musl`;

/**
 * Runs sig_alarm in one mode on a virtual clock: host sleeps advance it instead of waiting and
 * every read advances it by `perRead` ns, so runs are fast and exactly repeatable.
 */
function runVirtual(mode: string, perRead: number) {
  const host = new RealHost({ capture: true });
  let now = 1_000_000_000_000; // ns on every clock
  let reads = 0, slept = 0;
  host.clockGettime = () => {
    reads++;
    now += perRead;
    return { sec: Math.floor(now / 1e9), nsec: now % 1e9 };
  };
  host.sleep = (sec, nsec) => {
    slept += sec * 1e9 + nsec;
    now += sec * 1e9 + nsec;
  };
  const signals: SignalEvent[] = [];
  const exit = runGuest({
    image: Deno.readFileSync(bin),
    programPath: bin,
    argv: [bin, mode],
    env: [],
    host,
    observer: { signal: (e) => signals.push({ ...e, regWords: e.regWords.slice() }) },
    maxInstructions: 2_000_000_000,
  });
  const stdout = new TextDecoder().decode(host.captured().stdout);
  return { exit, stdout, signals, reads, slept };
}

function golden(mode: string): string {
  const text = Deno.readTextFileSync(`${guests}golden/sig_alarm_${mode}.musl.json`);
  return JSON.parse(text).stdout;
}

for (const mode of ["pause", "sleep", "restart"]) {
  Deno.test(`sig_alarm ${mode}: blocking calls end at the timer's expiry, as natively`, () => {
    const r = runVirtual(mode, 1000);
    assert.equal(r.exit.error, null);
    assert.equal(r.exit.status, 0);
    assert.equal(r.stdout, golden(mode));
    // Every SIGALRM came from the timer (si_code SI_KERNEL, cause itimer).
    const alarms = r.signals.filter((s) => s.signo === 14);
    assert.ok(alarms.length > 0);
    for (const s of alarms) assert.deepEqual([s.code, s.cause], [0x80, "itimer"]);
  });
}

Deno.test("sig_alarm sleep: the cut waits sum to the timers' values, not the requested 5 s", () => {
  const r = runVirtual("sleep", 1000);
  // alarm(1) + three 200 ms timers + a 100 ms sleep + the rest of a 300 ms timer; the reads'
  // own 1 us steps come off the waits.
  assert.ok(r.slept > 1.89e9 && r.slept <= 1.9e9, `slept ${r.slept}`);
});

Deno.test("sig_alarm spin: SIGALRM lands on a check point, identically in two runs", () => {
  // 50 ms per clock read: alarm(1) expires after about 20 check points.
  const a = runVirtual("spin", 50_000_000), b = runVirtual("spin", 50_000_000);
  assert.equal(a.exit.signal, 14);
  assert.equal(a.stdout, golden("spin"));
  const killA = a.signals.find((s) => s.signo === 14)!,
    killB = b.signals.find((s) => s.signo === 14)!;
  assert.equal(killA.action, "terminate");
  assert.equal(killA.icount, killB.icount);
  assert.equal(a.reads, b.reads);
  assert.ok(a.reads >= 20 && a.reads < 25, `${a.reads} clock reads`);
  assert.ok(killA.icount > 18 * REAL_CHECK_PERIOD && killA.icount < 22 * REAL_CHECK_PERIOD);
  assert.equal(a.slept, 0);
});

Deno.test("sig_alarm interval: ticks, blocked SIGALRM and CPU-time timers on a virtual clock", () => {
  const r = runVirtual("interval", 2_000_000);
  assert.equal(r.exit.error, null);
  // The timing lines depend on the virtual clock's speed; the rest equals the native run.
  const drop = (s: string) => s.split("\n").filter((l) => !l.startsWith("5 ticks")).join("\n");
  assert.equal(drop(r.stdout), drop(golden("interval")));
  const vt = r.signals.filter((s) => s.signo === 26),
    prof = r.signals.filter((s) => s.signo === 27);
  // CPU time is 1 ns per instruction: 10 ms ticks come 10 M instructions apart, exactly.
  assert.ok(vt.length >= 3 && prof.length >= 3);
  assert.equal(vt[1].icount - vt[0].icount, 10_000_000);
});
