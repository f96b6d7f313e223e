/**
 * The spread of the SUD benchmark's recorded/native ratio: N rounds, each timing the 100 k SIGSYS
 * round-trip guest natively and recorded in-process (best of 3 each, as `deno task bench` does),
 * printing each round's ratio and the median.
 * Run: deno run -A bench/sud_ratio.ts [rounds=10] [roundTrips=100000]
 */
import { record } from "../src/record/record_session.ts";

const rounds = Number(Deno.args[0] ?? 10);
const trips = Deno.args[1] ?? "100000";
const program = new URL("../tests/guests/bin/bench_sud.musl", import.meta.url).pathname;
const out = Deno.makeTempDirSync({ prefix: "sudtrace-ratio-" });

async function best(run: () => Promise<unknown>): Promise<number> {
  let ms = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await run();
    ms = Math.min(ms, performance.now() - t0);
  }
  return ms;
}

const ratios: number[] = [];
for (let r = 0; r < rounds; r++) {
  const native = await best(() =>
    new Deno.Command(program, { args: [trips], stdout: "null" }).output()
  );
  const recorded = await best(() =>
    record({ program, args: [trips], env: [], out, overwrite: true, host: { capture: true } })
  );
  ratios.push(recorded / native);
  console.log(
    `round ${r + 1}: native ${native.toFixed(0)} ms, recorded ${recorded.toFixed(0)} ms, ` +
      `${(recorded / native).toFixed(2)}×`,
  );
}
Deno.removeSync(out, { recursive: true });
const sorted = [...ratios].sort((a, b) => a - b);
const median = (sorted[(rounds - 1) >> 1] + sorted[rounds >> 1]) / 2;
console.log(
  `median ${median.toFixed(2)}×, ${ratios.filter((x) => x <= 2).length}/${rounds} at most 2×`,
);
