/**
 * Prints one line per binary to build, "<name> <libc> <source>", for build.sh. Optional arguments
 * restrict the list to those guest names.
 */
import { listBinaries, loadManifest } from "./manifest.ts";

const wanted = new Set(Deno.args);
const guests = loadManifest();
for (const name of wanted) {
  if (!guests.some((g) => g.name === name)) {
    console.error(`list_builds: no guest named ${name} in guests.json`);
    Deno.exit(1);
  }
}
const printed = new Set<string>();
for (const b of listBinaries(guests)) {
  if (wanted.size === 0 || wanted.has(b.guest.name)) {
    // Entries that share one program (with different args) build it once.
    const line = `${b.guest.program ?? b.guest.name} ${b.libc} ${b.guest.source}`;
    if (!printed.has(line)) console.log(line);
    printed.add(line);
  }
}
