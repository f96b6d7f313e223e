/**
 * Time passes under the emulator: a guest's sleeps and poll/select timeouts wait in real time when
 * recording, a replay of the same trace does not wait, and Ctrl-C ends a recording whose guest is
 * in a long sleep at once (exit 130, an incomplete but readable trace).
 */
import assert from "node:assert/strict";
import { RealHost } from "../src/emu/host.ts";
import { runGuest } from "../src/emu/linux/kernel.ts";
import { record } from "../src/record/record_session.ts";
import { replay } from "../src/replay/replay.ts";

const SLEEPER = new URL("./guests/bin/sys_sleep.musl", import.meta.url).pathname;
const GOLDEN = new URL("./guests/golden/sys_sleep.musl.json", import.meta.url).pathname;
const MAIN = new URL("../src/cli/main.ts", import.meta.url).pathname;
/**
 * What sys_sleep asks to wait, in ms, in order (the abstime deadlines are "30 ms from now" and,
 * for the futex bitset wait, "20 ms from now").
 */
const WAITS_MS = [100, 50, 20, 30, 60, 10, 20, 40, 15, 25, 30, 20, 10];
const ABSOLUTE = new Set([3, 11]);
const TOTAL_MS = WAITS_MS.reduce((a, b) => a + b);

Deno.test("the kernel hands each guest wait to the host's sleep, the whole request once", () => {
  const host = new RealHost({ capture: true });
  const asked: number[] = [];
  const real = host.sleep.bind(host);
  host.sleep = (sec, nsec) => {
    asked.push(sec * 1000 + nsec / 1e6);
    real(sec, nsec);
  };
  const exit = runGuest({
    image: Deno.readFileSync(SLEEPER),
    programPath: SLEEPER,
    argv: [SLEEPER],
    env: [],
    host,
  });
  assert.equal(exit.status, 0);
  assert.equal(asked.length, WAITS_MS.length, String(asked));
  asked.forEach((ms, i) => {
    // The absolute deadline was taken a few instructions before the call: a little is used up.
    if (ABSOLUTE.has(i)) assert.ok(ms > WAITS_MS[i] - 10 && ms <= WAITS_MS[i], `abstime ${ms}`);
    else assert.equal(ms, WAITS_MS[i]);
  });
  // What the guest measured is what it measures natively.
  const golden = JSON.parse(Deno.readTextFileSync(GOLDEN));
  assert.equal(new TextDecoder().decode(host.captured().stdout), golden.stdout);
});

Deno.test("recording waits as long as the guest sleeps; replaying the trace does not", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "sudtrace-sleep-" });
  const out = `${dir}/trace`;
  let t = performance.now();
  const rec = await record({
    program: SLEEPER,
    env: [],
    out,
    host: { capture: true },
    now: new Date("2026-11-28T00:00:00Z"),
  });
  const recordMs = performance.now() - t;
  assert.equal(rec.exit.status, 0);
  assert.ok(recordMs >= TOTAL_MS, `record took ${recordMs} ms`);
  // Replay once to warm up (module loading, the trace reader), then time a second replay.
  assert.ok((await replay(out)).ok);
  t = performance.now();
  const rep = await replay(out);
  const replayMs = performance.now() - t;
  assert.equal(rep.divergence, null, rep.divergence?.message);
  assert.equal(rep.exit.status, 0);
  // The emulation itself takes a few ms; any of the guest's sleeps would add at least 100 ms.
  assert.ok(replayMs < 100 + (recordMs - TOTAL_MS), `replay took ${replayMs} ms`);
  assert.ok(replayMs < TOTAL_MS - 100, `replay took ${replayMs} ms`);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("Ctrl-C during a 30 s guest sleep ends the recording within a second (exit 130)", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "sudtrace-sleep-int-" });
  const out = `${dir}/trace`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "record", "--out", out, SLEEPER, "long"],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  // The guest prints one line right before it calls nanosleep.
  const reader = child.stdout.getReader();
  let seen = "";
  while (!seen.includes("sleeping 30 s\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += new TextDecoder().decode(value);
  }
  assert.match(seen, /sleeping 30 s/);
  await new Promise((r) => setTimeout(r, 200)); // well inside the sleep
  const killedAt = performance.now();
  child.kill("SIGINT");
  const stderr = new Response(child.stderr).text();
  while (!(await reader.read()).done) { /* drain */ }
  const status = await child.status;
  const tookMs = performance.now() - killedAt;
  assert.equal(status.code, 130, await stderr);
  assert.ok(tookMs < 1000, `record took ${tookMs} ms to stop`);
  const manifest = JSON.parse(Deno.readTextFileSync(`${out}/manifest.json`));
  assert.equal(manifest.status, "incomplete");
  assert.match(manifest.abort_reason, /interrupted by SIGINT/);
  const q = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      MAIN,
      "query",
      out,
      "SELECT count(*) AS n FROM syscalls WHERE name = 'nanosleep'",
      "--format",
      "csv",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  assert.equal(q.code, 0, dec.decode(q.stderr));
  assert.equal(dec.decode(q.stdout).trim().split(/\r?\n/)[1], "1");
  Deno.removeSync(dir, { recursive: true });
});
