import assert from "node:assert/strict";
import { emulate } from "./testdata/emulate.ts";
import { savedRegistersOf } from "./signal_frame.ts";

const bin = new URL("../../../tests/guests/bin/", import.meta.url).pathname;

function record(name: string) {
  return emulate(bin + name);
}

Deno.test("rt_sigsuspend: frame keeps the old mask, handler runs under the temporary one", () => {
  // Values printed by the native run (golden/sig_suspend.musl.json): uc_sigmask 0xa00, mask
  // inside the handler 0xa03 (temporary USR2|INT + sa_mask HUP + USR1), mask after 0xa00.
  const r = record("sig_suspend.musl");
  assert.equal(r.exit.status, 0);
  const suspend = r.syscalls.find((e) => e.name === "rt_sigsuspend" && e.ret !== null)!;
  assert.equal(BigInt.asIntN(64, suspend.ret!), -514n); // ERESTARTNOHAND, turned into EINTR
  const sig = r.signals.find((e) => e.seq > suspend.seq)!;
  assert.equal(sig.signo, 10);
  assert.equal(sig.maskBefore, 0xa00n);
  assert.equal(sig.maskInHandler, 0xa03n);
  // EINTR in the saved context
  assert.equal(savedRegistersOf(sig.regWords).rax, (-4n) & ((1n << 64n) - 1n));
  const back = r.sigreturns.find((e) => e.signalSeq === sig.seq)!;
  assert.equal(back.maskAfter, 0xa00n);
});

Deno.test("real-time signals queue one instance per send, standard ones once", () => {
  // Native order (golden/sig_pending_order.musl.json): "37 37 37q 35 15 1 31 11" handlers.
  const r = record("sig_pending_order.musl");
  assert.equal(r.exit.status, 0);
  const delivered = r.signals.filter((e) => e.action === "handler").map((e) => e.signo);
  assert.equal(delivered.filter((s) => s === 34 + 3).length, 3);
  assert.equal(delivered.filter((s) => s === 10).length, 1);
  // Frames are set up synchronous-first, then lowest number (handlers then run in reverse).
  assert.deepEqual(delivered.slice(2, 10), [11, 31, 1, 15, 34 + 1, 37, 37, 37]);
});

const goldenStdout = (name: string) =>
  JSON.parse(Deno.readTextFileSync(`${bin}../golden/${name}.json`)).stdout as string;

Deno.test("rt_sigtimedwait: takes pending signals, times out with EAGAIN, checks the timeout", () => {
  // Native (golden/hunt_sigwait.musl.json): SIGUSR1, EAGAIN after 50 ms, SIGRTMIN (35 in musl)
  // with the first queued value, SIGRTMIN again for sigwait, EAGAIN for a zero timeout, EINVAL.
  const r = record("hunt_sigwait.musl");
  assert.equal(r.exit.status, 0);
  const rets = r.syscalls.filter((e) => e.name === "rt_sigtimedwait" && e.ret !== null)
    .map((e) => Number(BigInt.asIntN(64, e.ret!)));
  assert.deepEqual(rets, [10, -11, 35, 35, -11, -22]);
  assert.equal(r.stdout, goldenStdout("hunt_sigwait.musl"));
});

Deno.test("pipes: a timer interrupts a read that would block forever; capacity is 64 KiB", () => {
  const r = record("hunt_restart_pipe.musl");
  assert.equal(r.exit.status, 0);
  const reads = r.syscalls.filter((e) => e.name === "read" && e.ret !== null)
    .map((e) => Number(BigInt.asIntN(64, e.ret!)));
  assert.ok(reads.includes(-512), "ERESTARTSYS when SIGALRM ends the wait");
  const writes = r.syscalls.filter((e) =>
    e.name === "write" && e.args[2] === 4096n && e.ret !== null
  )
    .map((e) => Number(BigInt.asIntN(64, e.ret!)));
  // 16 writes of 4096 fill it, the 17th (O_NONBLOCK) fails, the blocking one is interrupted.
  assert.deepEqual(writes.slice(0, 18), [...Array(16).fill(4096), -11, -512]);
  assert.equal(r.stdout, goldenStdout("hunt_restart_pipe.musl"));
});
