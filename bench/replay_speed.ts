/**
 * Record vs replay wall time through the CLI (process start included, as a user sees it), for the
 * 1M-getppid trace and the 100k-SUD-round-trip trace. Replay should not be slower than recording.
 * Run: deno run -A bench/replay_speed.ts [runs]   (median of `runs`, default 3)
 */
const root = new URL("..", import.meta.url).pathname;
const MAIN = `${root}src/cli/main.ts`;
const BIN = `${root}tests/guests/bin`;

const CASES: { name: string; program: string; args: string[] }[] = [
  { name: "getppid x1M", program: `${BIN}/bench_getppid.musl`, args: ["1000000"] },
  { name: "SUD x100k", program: `${BIN}/bench_sud.musl`, args: ["100000"] },
];

/** Seconds one CLI run takes; throws when it fails. */
function timeCli(args: string[]): number {
  const start = performance.now();
  const out = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  const seconds = (performance.now() - start) / 1000;
  if (!out.success) {
    throw new Error(`sudtrace ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return seconds;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

if (import.meta.main) {
  const runs = Number(Deno.args[0] ?? 3);
  const dir = Deno.makeTempDirSync({ prefix: "sudtrace-replay-bench-" });
  try {
    console.log(`median of ${runs} runs`);
    console.log(`${"trace".padEnd(14)} ${"record s".padStart(9)} ${"replay s".padStart(9)}  ratio`);
    for (const c of CASES) {
      const out = `${dir}/${c.name.replace(/\W+/g, "_")}`;
      const record: number[] = [], replay: number[] = [];
      for (let i = 0; i < runs; i++) {
        record.push(timeCli(["record", "--out", out, "--force", c.program, ...c.args]));
        replay.push(timeCli(["replay", out]));
      }
      const [r, p] = [median(record), median(replay)];
      console.log(
        `${c.name.padEnd(14)} ${r.toFixed(2).padStart(9)} ${p.toFixed(2).padStart(9)}  ${
          (p / r).toFixed(2)
        }`,
      );
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}
