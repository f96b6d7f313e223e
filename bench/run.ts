/**
 * Benchmarks: the same guest workloads natively, under strace -f and qemu-x86_64 (when installed),
 * and under sudtrace plain (no observer) and recording (full trace written) in this process, and as
 * a fresh `sudtrace record` process (start-up included), every mode timed best of 3 (of 1 when a
 * run takes over 5 s). Prints wall times,
 * guest instructions per second and the ratios to native.
 *
 *   deno task bench [--scale N] [--only sha256,getppid,sud] [--json FILE]
 */
import { parseArgs } from "node:util";
import { RealHost } from "../src/emu/host.ts";
import { runGuest } from "../src/emu/linux/kernel.ts";
import { record } from "../src/record/record_session.ts";

const BIN = new URL("../tests/guests/bin/", import.meta.url).pathname;

interface Workload {
  name: string;
  binary: string;
  args: string[];
  what: string;
}

const { values } = parseArgs({
  options: {
    scale: { type: "string", default: "1" },
    only: { type: "string" },
    json: { type: "string" },
  },
});
const scale = Number(values.scale);

const WORKLOADS: Workload[] = [
  {
    name: "sha256",
    binary: "bench_sha256.glibc",
    args: [String(4 * scale)],
    what: `SHA-256 of ${4 * scale} MiB (glibc, -O2)`,
  },
  {
    name: "getppid",
    binary: "bench_getppid.musl",
    args: [String(1_000_000 * scale)],
    what: `${1_000_000 * scale} raw getppid syscalls (musl)`,
  },
  {
    name: "sud",
    binary: "bench_sud.musl",
    args: [String(100_000 * scale)],
    what: `${100_000 * scale} SUD SIGSYS round trips (musl)`,
  },
].filter((w) => !values.only || values.only.split(",").includes(w.name));

function which(cmd: string): string | null {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      if (Deno.statSync(`${dir}/${cmd}`).isFile) return `${dir}/${cmd}`;
    } catch { /* not here */ }
  }
  return null;
}

/** Wall time of an external command: best of 3, or of 1 when a run takes over 5 s. */
async function timeCommand(cmd: string, args: string[], runs = 3): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < runs && (i === 0 || best < 5); i++) {
    const t0 = performance.now();
    const out = await new Deno.Command(cmd, { args, stdout: "null", stderr: "null" }).output();
    const t = (performance.now() - t0) / 1000;
    if (!out.success) throw new Error(`${cmd} ${args.join(" ")} failed (${out.code})`);
    best = Math.min(best, t);
  }
  return best;
}

interface Row {
  workload: string;
  mode: string;
  seconds: number;
  ratio: number;
  mips: number | null;
}

const rows: Row[] = [];
const strace = which("strace");
const qemu = which("qemu-x86_64");
const traceDir = Deno.makeTempDirSync({ prefix: "sudtrace-bench-" });

for (const w of WORKLOADS) {
  const path = BIN + w.binary;
  console.error(`# ${w.name}: ${w.what}`);
  const native = await timeCommand(path, w.args);
  const add = (mode: string, seconds: number, icount: number | null) =>
    rows.push({
      workload: w.name,
      mode,
      seconds,
      ratio: seconds / native,
      mips: icount === null ? null : icount / seconds / 1e6,
    });
  add("native", native, null);
  const tools: [string, string | null, string[]][] = [
    ["strace -f", strace, ["-f", "-o", "/dev/null", path, ...w.args]],
    ["qemu-x86_64", qemu, [path, ...w.args]],
  ];
  for (const [mode, cmd, args] of tools) {
    if (!cmd) continue;
    try {
      add(mode, await timeCommand(cmd, args), null);
    } catch (e) {
      // qemu-user does not implement SUD: the prctl fails and the guest exits 1.
      console.error(`# ${w.name}: ${mode} cannot run it (${(e as Error).message})`);
    }
  }

  const image = Deno.readFileSync(path);
  // Timed like the external commands: best of 3, or of 1 when a run takes over 5 s.
  let plainBest = Infinity, plainIcount = 0;
  for (let i = 0; i < 3 && (i === 0 || plainBest < 5); i++) {
    const t0 = performance.now();
    const plain = runGuest({
      image,
      programPath: path,
      argv: [path, ...w.args],
      env: [],
      host: new RealHost({ capture: true }),
    });
    plainBest = Math.min(plainBest, (performance.now() - t0) / 1000);
    plainIcount = plain.icount;
    if (plain.status !== 0) {
      throw new Error(`${w.name} failed under sudtrace: ${JSON.stringify(plain)}`);
    }
  }
  add("sudtrace plain", plainBest, plainIcount);

  let recBest = Infinity, recIcount = 0;
  for (let i = 0; i < 3 && (i === 0 || recBest < 5); i++) {
    const t0 = performance.now();
    const rec = await record({
      program: path,
      args: w.args,
      env: [],
      out: `${traceDir}/${w.name}`,
      overwrite: true,
      host: { capture: true },
    });
    recBest = Math.min(recBest, (performance.now() - t0) / 1000);
    recIcount = rec.exit.icount;
  }
  add("sudtrace record", recBest, recIcount);

  // What a user sees: a fresh `sudtrace record` process (Deno start-up, module loading and a cold
  // JIT included), spawned like the native run.
  const cli = new URL("../src/cli/main.ts", import.meta.url).pathname;
  const cliArgs = ["run", "-A", cli, "record", "--out", `${traceDir}/${w.name}-cli`, "--force"];
  add(
    "sudtrace rec. CLI",
    await timeCommand(Deno.execPath(), [...cliArgs, path, ...w.args]),
    recIcount,
  );
}
Deno.removeSync(traceDir, { recursive: true });

const pad = (s: string, n: number) => s.padEnd(n);
/** How many times faster than strace -f on the same workload (blank when strace did not run). */
function vsStrace(r: Row): string {
  const strace = rows.find((x) => x.workload === r.workload && x.mode === "strace -f");
  return strace && r.mode.startsWith("sudtrace") ? (strace.seconds / r.seconds).toFixed(1) : "";
}
console.log(
  `${pad("workload", 9)} ${pad("mode", 16)} ${"seconds".padStart(9)} ${"x native".padStart(9)} ${
    "guest MIPS".padStart(11)
  } ${"faster than strace".padStart(19)}`,
);
for (const r of rows) {
  console.log(
    `${pad(r.workload, 9)} ${pad(r.mode, 16)} ${r.seconds.toFixed(3).padStart(9)} ${
      r.ratio.toFixed(1).padStart(9)
    } ${(r.mips === null ? "" : r.mips.toFixed(1)).padStart(11)} ${vsStrace(r).padStart(19)}`,
  );
}
if (values.json) Deno.writeTextFileSync(values.json, JSON.stringify(rows, null, 2) + "\n");
