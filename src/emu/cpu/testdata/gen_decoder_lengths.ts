/**
 * Regenerates decoder_lengths.json: instruction encodings and their lengths as objdump reports
 * them for static glibc and musl builds of a small C program (one sample per mnemonic, length
 * and first two bytes). Run: deno run -A src/emu/cpu/testdata/gen_decoder_lengths.ts
 */
import { objdumpInstructions } from "./objdump_lengths.ts";

const dir = new URL(".", import.meta.url).pathname;
const src = `${dir}decoder_sample.c`;
const tmp = await Deno.makeTempDir();
const seen = new Set<string>();
const out: [string, number, string][] = [];
for (const [cc, name] of [["gcc", "glibc"], ["musl-gcc", "musl"]]) {
  const bin = `${tmp}/${name}`;
  const r = await new Deno.Command(cc, { args: ["-O2", "-static", "-o", bin, src] }).output();
  if (!r.success) throw new Error(`${cc} failed: ${new TextDecoder().decode(r.stderr)}`);
  for (const { hex, len, text } of await objdumpInstructions(bin)) {
    const key = `${text.split(" ")[0]} ${len} ${hex.slice(0, 4)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push([hex, len, text.split(/\s+/)[0]]);
  }
}
await Deno.writeTextFile(
  `${dir}decoder_lengths.json`,
  JSON.stringify(out, null, 0).replaceAll("],[", "],\n["),
);
console.log(`${out.length} encodings`);
await new Deno.Command("deno", { args: ["fmt", `${dir}decoder_lengths.json`] }).output();
