/**
 * Regenerates the native strace listings the decoder test compares with:
 *   deno run -A src/emu/linux/testdata/strace/make_strace_golden.ts
 * Each guest runs natively under `strace -s 32` with an empty environment and stdout to a file;
 * the listing is normalised (see normaliseStrace) so it does not depend on pids or stack addresses.
 */
import { normaliseStrace, STRACE_GUESTS } from "./strace_golden.ts";

const here = new URL(".", import.meta.url).pathname;
const bin = new URL("../../../../../tests/guests/bin/", import.meta.url).pathname;

for (const guest of STRACE_GUESTS) {
  const log = await Deno.makeTempFile();
  const out = await Deno.makeTempFile();
  const { code } = await new Deno.Command("sh", {
    args: ["-c", `strace -s 32 -o '${log}' '${bin}${guest}' > '${out}'`],
    clearEnv: true,
    env: { PATH: "/usr/bin:/bin" },
  }).output();
  const text = normaliseStrace(Deno.readTextFileSync(log));
  Deno.writeTextFileSync(`${here}${guest}.txt`, text);
  console.log(`${guest}: exit ${code}, ${text.split("\n").length - 1} calls`);
  Deno.removeSync(log);
  Deno.removeSync(out);
}
