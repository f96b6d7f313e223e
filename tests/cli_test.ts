/**
 * The command line as a user runs it (a real `deno run` process per case): stdout passthrough, exit
 * statuses, options before the program vs the guest's, and one-line errors for bad input.
 */
import assert from "node:assert/strict";
import { editTable } from "./trace_edit.ts";

const MAIN = new URL("../src/cli/main.ts", import.meta.url).pathname;
const BIN = new URL("./guests/bin/", import.meta.url).pathname;
const scratch = Deno.makeTempDirSync({ prefix: "sudtrace-cli-" });

async function cli(
  args: string[],
  stdin?: string,
): Promise<{ code: number; signal: Deno.Signal | null; stdout: string; stderr: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  if (stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(stdin));
    await w.close();
  }
  const out = await child.output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    signal: out.signal,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
}

Deno.test("record passes the guest's stdout and exit status through, messages on stderr", async () => {
  const r = await cli(["record", "--out", `${scratch}/exit42`, `${BIN}exit_code.musl`]);
  assert.equal(r.code, 42);
  assert.match(r.stderr, /exit status 42; trace in /);
  assert.doesNotMatch(r.stdout, /sudtrace/);
});

Deno.test("record dies of the signal that killed the guest, as natively (SIGSYS, SIGSEGV, SIGPIPE)", async () => {
  // SIGSEGV and SIGPIPE are the ones Deno keeps for itself (V8's handler, ignored): they need the
  // libc path of exit_like_guest.ts.
  const cases: [string, string[], Deno.Signal][] = [
    ["sud_bad_selector.musl", [], "SIGSYS"],
    ["fault_segv.musl", [], "SIGSEGV"],
    ["hunt_die.musl", ["pipe"], "SIGPIPE"],
  ];
  for (const [bin, args, signal] of cases) {
    const native = await new Deno.Command(`${BIN}${bin}`, { args, stdout: "null", stderr: "null" })
      .output();
    assert.equal(native.signal, signal, `${bin} natively`);
    const r = await cli([
      "record",
      "-q",
      "--out",
      `${scratch}/die-${signal}`,
      `${BIN}${bin}`,
      ...args,
    ]);
    assert.equal(r.signal, signal, `${bin}: ${r.stderr}`);
    assert.equal(r.code, native.code); // 128 + signal, as Deno reports a signal death
  }
});

Deno.test("record: options after the program and a leading -- belong to the guest", async () => {
  const r = await cli(
    ["--", "record", "-q", "--out", `${scratch}/echo`, `${BIN}echo_stdin.musl`, "--out", "-x"],
    "abc\n",
  );
  assert.equal(r.code, 0);
  assert.match(r.stdout, /abc/);
  const q = await cli([
    "query",
    `${scratch}/echo`,
    "SELECT count(*) AS n FROM exits",
    "--format",
    "csv",
  ]);
  assert.equal(q.code, 0);
  assert.deepEqual(q.stdout.trim().split(/\r?\n/), ["n", "1"]);
});

Deno.test("record with no program records the bundled demo; query counts its dispatches", async () => {
  const r = await cli(["record", "-q", "--out", `${scratch}/demo`]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /7 foreign syscalls dispatched/);
  const q = await cli([
    "query",
    `${scratch}/demo`,
    "SELECT count(*) AS n FROM syscalls WHERE decision = 'dispatch'",
    "--format",
    "json",
  ]);
  assert.equal(q.code, 0);
  assert.deepEqual(JSON.parse(q.stdout), [{ n: 7 }]);
  const s = await cli(["query", `${scratch}/demo`, "--report", "summary"]);
  assert.equal(s.code, 0);
  assert.match(s.stdout, /dispatch/);
});

Deno.test("a malformed ELF is a one-line error with exit code 65, no stack trace", async () => {
  const bad = `${scratch}/not-an-elf`;
  Deno.writeTextFileSync(bad, "#!/bin/sh\necho hi\n");
  const r = await cli(["record", "-q", "--out", `${scratch}/bad`, bad]);
  assert.equal(r.code, 65);
  assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.doesNotMatch(r.stderr, /\bat .*\.ts:\d+/);
});

Deno.test("a missing program exits 66 and bad usage exits 2", async () => {
  const r = await cli(["record", `${scratch}/does-not-exist`]);
  assert.equal(r.code, 66);
  assert.match(r.stderr, /^sudtrace: .*does-not-exist/);
  const u = await cli(["replay"]);
  assert.equal(u.code, 2);
});

Deno.test("bad SQL and a corrupt trace are one-line errors with exit code 65", async () => {
  await cli(["record", "-q", "--out", `${scratch}/h`, `${BIN}hello.musl`]);
  const q = await cli(["query", `${scratch}/h`, "SELEKT nonsense"]);
  assert.equal(q.code, 65);
  assert.equal(q.stderr.trim().split("\n").length, 1, q.stderr);
  Deno.writeTextFileSync(`${scratch}/h/manifest.json`, "{ not json");
  const r = await cli(["replay", `${scratch}/h`]);
  assert.equal(r.code, 65);
  assert.match(r.stderr, /manifest\.json: not valid JSON/);
});

Deno.test("replay exits 0 on a faithful trace and 1 with a report on a tampered one", async () => {
  const dir = `${scratch}/tamper`;
  await cli(["record", "-q", "--out", dir, `${BIN}demo_compat.musl`]);
  const ok = await cli(["replay", dir]);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /OK, \d+ events/);
  await editTable(dir, "syscalls", (rows) => {
    const d = rows.find((r) => r.decision === "dispatch")!;
    d.selector_value = 0;
  });
  const bad = await cli(["replay", dir]);
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /DIVERGED at syscalls seq \d+/);
  assert.match(bad.stdout, /≠ selector_value\s+0\s+1/);
});

Deno.test("Ctrl-C while recording stops the guest and leaves an incomplete, readable trace", async () => {
  const out = `${scratch}/interrupted`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "record", "--out", out, `${BIN}bench_getppid.musl`, "100000000"],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // Wait until the recording has started writing, then interrupt it.
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      if (Deno.statSync(`${out}/syscalls`).isDirectory) break;
    } catch { /* not yet */ }
  }
  await new Promise((r) => setTimeout(r, 300));
  child.kill("SIGINT");
  const status = await child.output();
  assert.equal(status.code, 130, new TextDecoder().decode(status.stderr));
  const manifest = JSON.parse(Deno.readTextFileSync(`${out}/manifest.json`));
  assert.equal(manifest.status, "incomplete");
  assert.match(manifest.abort_reason, /interrupted by SIGINT/);
  const q = await cli(["query", out, "SELECT count(*) AS n FROM syscalls", "--format", "csv"]);
  assert.equal(q.code, 0, q.stderr);
  assert.ok(Number(q.stdout.trim().split(/\r?\n/)[1]) > 0);
});
