import assert from "node:assert/strict";
import { Memory, PROT_READ, PROT_WRITE } from "./memory.ts";

Deno.test("Memory.clone copies pages, protections and labels; later writes stay apart", () => {
  const mem = new Memory();
  mem.map(0x10000, 0x2000, PROT_READ | PROT_WRITE, "[heap]");
  mem.map(0x20000, 0x1000, PROT_READ);
  mem.write32(0x10010, 0x11223344);
  const copy = mem.clone();
  assert.equal(copy.read32(0x10010), 0x11223344);
  assert.deepEqual(copy.regions(), mem.regions());
  copy.write32(0x10010, 7);
  mem.write32(0x10014, 9);
  assert.equal(mem.read32(0x10010), 0x11223344);
  assert.equal(copy.read32(0x10014), 0);
  assert.throws(() => copy.write8(0x20000, 1)); // read-only stays read-only
});

Deno.test("Memory.clone shares MAP_SHARED pages (and every page for vfork)", () => {
  const mem = new Memory();
  mem.map(0x10000, 0x1000, PROT_READ | PROT_WRITE);
  mem.map(0x20000, 0x1000, PROT_READ | PROT_WRITE);
  mem.markShared(0x20000, 0x1000);
  const copy = mem.clone();
  copy.write32(0x20000, 5); // shared: the parent sees it
  copy.write32(0x10000, 6); // private: it does not
  assert.equal(mem.read32(0x20000), 5);
  assert.equal(mem.read32(0x10000), 0);
  assert.equal(copy.clone().read32(0x20000), 5); // still shared one generation later
  const borrowed = mem.clone(true);
  borrowed.write32(0x10004, 8);
  assert.equal(mem.read32(0x10004), 8);
});
