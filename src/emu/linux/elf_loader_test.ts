import assert from "node:assert/strict";
import { Memory, PROT_EXEC, PROT_READ, PROT_WRITE } from "../mem/memory.ts";
import { BadElfError, loadElf, MMAP_BASE, STATIC_PIE_BRK } from "./elf_loader.ts";
import { buildInitialStack, STACK_TOP } from "./initial_stack.ts";
import { compileC } from "./testdata/compile.ts";

const HELLO = `#include <stdio.h>\nint main(void){ puts("hi"); return 0; }\n`;

function elfHeader(image: Uint8Array) {
  const v = new DataView(image.buffer, image.byteOffset);
  return { entry: Number(v.getBigUint64(24, true)), phnum: v.getUint16(56, true) };
}

for (const compiler of ["gcc", "musl-gcc"] as const) {
  Deno.test(`loads a ${compiler} -static binary at its link addresses`, async () => {
    const path = await compileC(compiler, HELLO);
    if (!path) return;
    const image = await Deno.readFile(path);
    const mem = new Memory();
    const elf = loadElf(mem, image, path);
    const h = elfHeader(image);
    assert.equal(elf.entry, h.entry);
    assert.equal(elf.loadBias, 0);
    assert.equal(elf.phnum, h.phnum);
    assert.equal(elf.phdr, 0x400040); // first PT_LOAD maps the headers at 0x400000
    // The ELF magic is visible at the first page, read-only.
    assert.deepEqual([...mem.readBytes(0x400000, 4)], [0x7f, 0x45, 0x4c, 0x46]);
    assert.equal(mem.page(0x400000)!.prot, PROT_READ);
    assert.equal(mem.page(elf.entry)!.prot, PROT_READ | PROT_EXEC);
    // The code at entry equals the file bytes.
    assert.equal(mem.read8(elf.entry), image[elf.entry - 0x400000]);
    // brk starts page-aligned right after the last PT_LOAD, which is writable.
    assert.equal(elf.brk % 4096, 0);
    assert.ok(!mem.page(elf.brk));
    assert.equal(mem.page(elf.brk - 1)!.prot, PROT_READ | PROT_WRITE);
  });
}

Deno.test("a static-pie is placed top-down below the mmap base", async () => {
  const path = await compileC("gcc", HELLO, ["-static-pie", "-O2"]);
  if (!path) return;
  const image = await Deno.readFile(path);
  const mem = new Memory();
  const elf = loadElf(mem, image);
  assert.ok(elf.loadBias > 0);
  assert.equal(elf.loadBias % 4096, 0);
  assert.ok(mem.page(MMAP_BASE - 1));
  assert.ok(!mem.page(MMAP_BASE));
  assert.equal(elf.brk, STATIC_PIE_BRK);
  assert.equal(elf.entry, elfHeader(image).entry + elf.loadBias);
});

Deno.test("dynamic executables and garbage are rejected with BadElfError", async () => {
  assert.throws(() => loadElf(new Memory(), new Uint8Array(10)), BadElfError);
  assert.throws(() => loadElf(new Memory(), new Uint8Array(100)), /bad magic/);
  const path = await compileC("gcc", HELLO, ["-O2"]);
  if (!path) return;
  assert.throws(() => loadElf(new Memory(), Deno.readFileSync(path)), /PT_INTERP/);
  // A truncated static binary: program headers fine, segments past the end.
  const stat = await compileC("gcc", HELLO);
  if (!stat) return;
  const bytes = Deno.readFileSync(stat);
  assert.throws(() => loadElf(new Memory(), bytes.subarray(0, 4096)), BadElfError);
});

Deno.test("initial stack strings sit where Linux puts them (measured natively)", () => {
  // Native (setarch -R, env -i A=1 ./auxv x y): execfn 0x7fffffffeff1, argv[0] 0x7fffffffefe2,
  // envp[0] 0x7fffffffefed, platform 0x7fffffffefd9, AT_RANDOM 0x7fffffffefc9.
  const mem = new Memory();
  const elf = {
    entry: 0x4010b4,
    phdr: 0x400040,
    phent: 56,
    phnum: 6,
    loadBias: 0,
    brk: 0,
    execStack: false,
  };
  const st = buildInitialStack(mem, {
    argv: ["./auxv", "x", "y"],
    env: ["A=1"],
    execfn: "./auxv",
    random16: new Uint8Array(16).fill(7),
    uid: 0,
    gid: 0,
    elf,
    minSigStackSize: 1520,
  });
  const word = (a: number) => {
    const lo = mem.read64(a);
    return (mem.hi >>> 0) * 2 ** 32 + (lo >>> 0);
  };
  assert.equal(st.sp % 16, 0);
  assert.equal(word(st.sp), 3);
  assert.equal(word(st.sp + 8), 0x7fffffffefe2);
  assert.equal(word(st.sp + 32), 0); // argv terminator
  assert.equal(word(st.sp + 40), 0x7fffffffefed);
  const aux = new Map(st.auxv);
  assert.equal(aux.get(31), 0x7fffffffeff1);
  assert.equal(aux.get(15), 0x7fffffffefd9);
  assert.equal(aux.get(25), 0x7fffffffefc9);
  // AT_HWCAP mirrors our CPUID leaf 1 edx: the qemu64 value minus MMX, which we do not implement.
  assert.equal(aux.get(16), 0x078bfbfd & ~(1 << 23));
  assert.equal(aux.get(33), undefined, "no vDSO");
  assert.equal(new TextDecoder().decode(mem.readCString(0x7fffffffefd9)), "x86_64");
  assert.equal(word(STACK_TOP - 8), 0);
  // auxv follows envp's NULL and ends with AT_NULL.
  const auxStart = st.sp + 8 * (1 + 3 + 1 + 1 + 1);
  assert.equal(word(auxStart), 51);
  assert.equal(word(auxStart + 16 * (st.auxv.length - 1)), 0);
});
