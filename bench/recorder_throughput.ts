/**
 * Measures recorder throughput: N syscall events (default 1,000,000) into a temporary trace.
 * Run: deno run -A bench/recorder_throughput.ts [rows]
 */
import { Recorder } from "../src/record/recorder.ts";
import { SYNTHETIC_BASE } from "../src/record/synthetic_events.ts";
import type { SyscallEvent } from "../src/emu/linux/events.ts";

export function measureSyscallThroughput(
  rows: number,
  dir: string,
): { seconds: number; bytes: number } {
  const rec = Recorder.create(dir, SYNTHETIC_BASE, { overwrite: true });
  const event: SyscallEvent = {
    seq: 0,
    tid: 1,
    icount: 0,
    pc: 0x401000n,
    nr: 110n,
    name: "getppid",
    args: [0n, 0x7ffd0000n, 3n, 0n, 0n, 0n],
    decision: "no_sud",
    selectorAddr: null,
    selectorValue: null,
    ret: 1n,
    handlerDepth: 0,
  };
  const start = performance.now();
  for (let i = 0; i < rows; i++) {
    // Vary the values the way a real run does (monotonic seq/icount, mixed decisions).
    event.seq = i;
    event.icount = i * 7;
    event.pc = 0x401000n + BigInt(i & 0xff);
    event.decision = i % 3 === 0 ? "dispatch" : "selector_allow";
    event.selectorAddr = 0x40001000n;
    event.selectorValue = i % 3 === 0 ? 1 : 0;
    event.ret = i % 3 === 0 ? null : BigInt(i);
    rec.syscall(event);
  }
  rec.finish({ status: 0, signal: null, core: false, icount: rows * 7, error: null });
  const seconds = (performance.now() - start) / 1000;
  let bytes = 0;
  for (const e of Deno.readDirSync(`${dir}/syscalls`)) {
    bytes += Deno.statSync(`${dir}/syscalls/${e.name}`).size;
  }
  return { seconds, bytes };
}

if (import.meta.main) {
  const rows = Number(Deno.args[0] ?? 1_000_000);
  const dir = Deno.makeTempDirSync({ prefix: "sudtrace-bench-" });
  const { seconds, bytes } = measureSyscallThroughput(rows, dir);
  console.log(
    `${rows} syscall rows in ${seconds.toFixed(2)} s = ${Math.round(rows / seconds)} rows/s, ` +
      `${(bytes / 2 ** 20).toFixed(1)} MiB Parquet`,
  );
  Deno.removeSync(dir, { recursive: true });
}
