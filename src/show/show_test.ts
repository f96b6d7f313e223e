import assert from "node:assert/strict";
import { record } from "../record/record_session.ts";
import { openTrace } from "../record/trace_reader.ts";
import { normaliseLine } from "../emu/linux/testdata/strace/strace_golden.ts";
import { listTrace, renderListing, showTrace } from "./show.ts";

const TRACE = new URL("../../traces/golden/demo_compat", import.meta.url).pathname;
const STRACE = new URL("../emu/linux/testdata/strace/demo_compat.musl.txt", import.meta.url)
  .pathname;
const BIN = new URL("../../tests/guests/bin/", import.meta.url).pathname;

Deno.test("show on the golden demo trace: 7 dispatched calls with selector, SIGSYS and round trip", async () => {
  const lines = await listTrace(TRACE);
  const dispatched = lines.filter((l) => l.kind === "dispatch");
  assert.equal(dispatched.length, 7);
  for (const d of dispatched) {
    assert.match(d.text, /^\[dispatch sel@0x[0-9a-f]+=1\] syscall_0x10[0-9a-f]{2}\(.*\) → SIGSYS$/);
  }
  assert.match(dispatched[0].text, /syscall_0x1001\(0x[0-9a-f]+, 0x1e, /);
  const sigsys = lines.filter((l) => l.kind === "signal");
  assert.equal(sigsys.length, 7);
  for (const s of sigsys) assert.match(s.text, /si_code=SYS_USER_DISPATCH, si_call_addr=0x/);

  // Round trips: sigreturn icount − dispatch icount, from the raw rows.
  const trace = openTrace(TRACE);
  const calls = await trace.read("syscalls");
  const signals = await trace.read("signals");
  const expected = (await trace.read("sigreturns")).map((r) => {
    const sig = signals.find((s) => s.seq === r.signal_seq)!;
    const call = calls.find((c) => c.seq === sig.syscall_seq)!;
    return `round trip ${r.icount - call.icount} instructions since dispatch seq ${call.seq}`;
  });
  const returns = lines.filter((l) => l.kind === "sigreturn");
  assert.deepEqual(returns.map((l) => l.text.replace(/.*; /, "")), expected);
  assert.match(returns[0].text, /rax=30 \(0x1e\) changed=\[rax/);

  // The handler's own calls are indented one level; the exit closes the listing.
  const handlerWrites = lines.filter((l) => l.kind === "call" && l.depth === 1);
  assert.equal(handlerWrites.length, 18 + 7); // writes (3, 2, 2, 2, 3, 3, 3) + 7 rt_sigreturn
  assert.equal(lines.at(-1)!.text, "+++ exited with 0 +++");
});

Deno.test("show's executed calls read exactly like native strace of the same program", async () => {
  const lines = await listTrace(TRACE);
  const ours = lines.filter((l) => l.kind === "call" || l.kind === "error")
    .map((l) => normaliseLine(l.text) + "\n").join("");
  assert.equal(ours, Deno.readTextFileSync(STRACE));
});

Deno.test("show renders seq, icount and indentation, with colour only when asked", async () => {
  const plain = await showTrace(TRACE);
  assert.match(plain[0], /^seq +icount$/);
  assert.ok(plain.every((l) => !l.includes("\x1b[")));
  assert.ok(plain.some((l) => /^ +\d+ +\d+ {4}write\(1, /.test(l)));
  const coloured = renderListing(await listTrace(TRACE), true);
  assert.ok(coloured.some((l) => l.includes("\x1b[")));
  const short = await showTrace(TRACE, { stringLimit: 4 });
  assert.ok(short.some((l) => l.includes('write(1, "    "..., 30) = 30')));
});

Deno.test("show marks a fatal selector decision and the core-dumping exit", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await record({
      program: BIN + "sud_bad_selector.musl",
      out: dir,
      overwrite: true,
      host: { capture: true },
    });
    const lines = await listTrace(dir);
    const kill = lines.find((l) => l.kind === "kill")!;
    assert.match(kill.text, /^\[kill_bad_selector sel@0x[0-9a-f]+=\d+\] .* → killed by SIGSYS/);
    assert.equal(lines.at(-1)!.text, "+++ killed by SIGSYS (core dumped) +++");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("a forking guest's listing names each line's pid, and child lines follow its fork", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "sudtrace-show-fork-" });
  await record({
    program: `${BIN}proc_fork.musl`,
    out: dir,
    overwrite: true,
    host: { capture: true },
  });
  const lines = await listTrace(dir);
  const pids = [...new Set(lines.map((l) => l.tid))];
  assert.ok(pids.length > 2, `expected several processes, got ${pids}`);
  const fork = lines.find((l) => l.text.startsWith("fork() = "))!;
  const child = Number(fork.text.slice("fork() = ".length));
  const next = lines[lines.indexOf(fork) + 1];
  assert.equal(next.tid, child); // the child runs first
  const text = renderListing(lines);
  assert.match(text[0], /seq +icount +pid$/);
  assert.ok(text.some((t) => new RegExp(`^ *\\d+ +\\d+ +${child}  \\+\\+\\+ exited with`).test(t)));
  // One process: no pid column.
  assert.doesNotMatch(renderListing(lines.filter((l) => l.tid === pids[0]))[0], /pid/);
});
