/**
 * Regenerates golden/<binary>.json by running every built guest natively, twice: the two runs must
 * agree (a guest whose output varies is a bug in the guest) and must end as guests.json expects.
 * Usage: deno run -A tests/guests/make_golden.ts [guest names...]
 */
import { listBinaries, loadManifest } from "./manifest.ts";
import { formatGolden } from "./golden_format.ts";
import { hostCanRun, runNative } from "./run_native.ts";
import { endsAsExpected } from "./expectation.ts";

if (!hostCanRun()) {
  console.error("make_golden: needs Linux x86-64 >= 5.11 (the host is the oracle)");
  Deno.exit(1);
}
const wanted = new Set(Deno.args);
let failures = 0;
for (const bin of listBinaries(loadManifest())) {
  if (wanted.size > 0 && !wanted.has(bin.guest.name)) continue;
  const first = await runNative(bin);
  const second = await runNative(bin);
  const problem = formatGolden(first) !== formatGolden(second)
    ? "output differs between two runs"
    : endsAsExpected(bin.guest, first);
  if (problem) {
    console.error(`FAIL ${bin.binary}: ${problem}`);
    failures++;
    continue;
  }
  await Deno.writeTextFile(bin.goldenPath, formatGolden(first));
  const end = first.signal ?? `exit ${first.exit_code}`;
  console.log(`ok   ${bin.binary.padEnd(32)} ${end}`);
}
Deno.exit(failures === 0 ? 0 : 1);
