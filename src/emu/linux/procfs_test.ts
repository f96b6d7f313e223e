import assert from "node:assert/strict";
import { procMaps } from "./procfs.ts";
import type { Kernel } from "./kernel.ts";

Deno.test("/proc/self/maps uses Linux's layout: name at column 73, trailing space when anonymous", () => {
  const regions = [
    { start: 0x400000, end: 0x401000, prot: 1, label: "/bin/prog" },
    { start: 0x401000, end: 0x403000, prot: 5, label: "/bin/prog" },
    { start: 0x405000, end: 0x406000, prot: 3, label: "" },
    { start: 0x7ffffffde000, end: 0x7ffffffff000, prot: 3, label: "[stack]" },
  ];
  const k = { mem: { regions: () => regions } } as unknown as Kernel;
  const lines = procMaps(k).split("\n");
  assert.equal(lines[0], "00400000-00401000 r--p 00000000 00:00 0" + " ".repeat(34) + "/bin/prog");
  assert.equal(lines[1].slice(0, 40), "00401000-00403000 r-xp 00001000 00:00 0 ");
  assert.equal(lines[1].indexOf("/bin/prog"), 73);
  assert.equal(lines[2], "00405000-00406000 rw-p 00000000 00:00 0 ");
  // Compared with a native line: "7ffdc7325000-7ffdc7346000 rw-p 00000000 00:00 0" + 26 spaces.
  assert.equal(
    lines[3],
    "7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0" + " ".repeat(26) + "[stack]",
  );
  assert.equal(lines[4], "");
});
