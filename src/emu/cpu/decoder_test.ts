import assert from "node:assert/strict";
import { decodeInsn, INVALID_HANDLER } from "./decoder.ts";
import { Insn } from "./insn.ts";
import { objdumpInstructions } from "./testdata/objdump_lengths.ts";
import { Cpu } from "./cpu.ts";
import { Memory } from "../mem/memory.ts";

/** A CodeReader over a byte array placed at address 0. */
function reader(bytes: Uint8Array) {
  return {
    byte(addr: number): number {
      if (addr >= bytes.length) throw new RangeError("past end");
      return bytes[addr];
    },
  };
}

function fromHex(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16));
}

const LEGACY = new Set([0x66, 0x67, 0xf2, 0xf3, 0xf0, 0x2e, 0x36, 0x3e, 0x26, 0x64, 0x65]);

/** VEX/EVEX encodings: not decoded (AVX is not advertised; they raise #UD). */
function isVex(bytes: Uint8Array): boolean {
  let k = 0;
  while (k < bytes.length && (LEGACY.has(bytes[k]) || (bytes[k] & 0xf0) === 0x40)) k++;
  return bytes[k] === 0xc4 || bytes[k] === 0xc5 || bytes[k] === 0x62;
}

function decodedLength(bytes: Uint8Array): Insn {
  new Cpu(new Memory()); // installs the handler table
  const i = new Insn();
  decodeInsn(reader(bytes), 0, i);
  return i;
}

Deno.test("decoder lengths equal objdump's for glibc/musl encodings (golden sample)", async () => {
  const url = new URL("./testdata/decoder_lengths.json", import.meta.url);
  const rows = JSON.parse(await Deno.readTextFile(url)) as [string, number, string][];
  assert.ok(rows.length > 1000);
  let checked = 0;
  const bad: string[] = [];
  for (const [hex, len, mnem] of rows) {
    const bytes = fromHex(hex);
    if (isVex(bytes)) continue;
    const i = decodedLength(bytes);
    if (i.len !== len) bad.push(`${hex} (${mnem}): ${i.len} != ${len}`);
    checked++;
  }
  assert.deepEqual(bad, []);
  assert.ok(checked > 1000);
});

Deno.test("decoder lengths on whole .text of a fresh static build (needs gcc/objdump)", async (t) => {
  const tmp = await Deno.makeTempDir();
  const src = new URL("./testdata/decoder_sample.c", import.meta.url).pathname;
  let built = false;
  try {
    const r = await new Deno.Command("gcc", { args: ["-O2", "-static", "-o", `${tmp}/a`, src] })
      .output();
    built = r.success;
  } catch {
    built = false;
  }
  if (!built) {
    await t.step({ name: "skipped: gcc unavailable", ignore: true, fn: () => {} });
    return;
  }
  const insns = await objdumpInstructions(`${tmp}/a`);
  const bad: string[] = [];
  for (const { hex, len, text, addr } of insns) {
    const bytes = fromHex(hex);
    if (isVex(bytes)) continue;
    const i = decodedLength(bytes);
    if (i.len !== len) bad.push(`${addr.toString(16)} ${hex} (${text}): ${i.len} != ${len}`);
  }
  assert.deepEqual(bad.slice(0, 20), []);
  assert.ok(insns.length > 50000);
});

Deno.test("decoder: prefixes, REX and operand fields", () => {
  // mov rax, [rip+0x10]: 48 8b 05 10 00 00 00
  let i = decodedLength(fromHex("488b0510000000"));
  assert.equal(i.len, 7);
  assert.equal(i.op, 0x8b);
  assert.equal(i.opsize, 8);
  assert.equal(i.base, 16);
  assert.equal(i.disp, 0x10);
  // mov r12d, [r13 + r14*8 - 8]: 47 8b 64 f5 f8
  i = decodedLength(fromHex("478b64f5f8"));
  assert.equal(i.reg, 12);
  assert.equal(i.base, 13);
  assert.equal(i.index, 14);
  assert.equal(i.scale, 8);
  assert.equal(i.disp, -8);
  assert.equal(i.opsize, 4);
  // movabs rax, imm64
  i = decodedLength(fromHex("48b8efcdab8967452301"));
  assert.equal(i.len, 10);
  assert.equal(i.imm, 0x89abcdef | 0);
  assert.equal(i.immHi, 0x01234567);
  // 66 prefix on an immediate: add ax, 0x1234 → 66 05 34 12
  i = decodedLength(fromHex("66053412"));
  assert.equal(i.len, 4);
  assert.equal(i.opsize, 2);
  // test with /0 imm vs not without: f6 c0 01 (3), f6 d0 (2)
  assert.equal(decodedLength(fromHex("f6c001")).len, 3);
  assert.equal(decodedLength(fromHex("f6d0")).len, 2);
  // 16 prefixes: longer than 15 bytes is #UD
  i = decodedLength(fromHex("66".repeat(15) + "90"));
  assert.equal(i.handler, INVALID_HANDLER);
});
