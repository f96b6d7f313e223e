/**
 * The golden tests decode their instructions with a tiny test decoder; this checks that the real
 * decoder (decoder.ts) produces the same fields and picks the same handler for every encoding in
 * the golden files, so the golden results carry over to the emulator proper.
 */
import assert from "node:assert/strict";
import { decodeInsn } from "./decoder.ts";
import { Insn } from "./insn.ts";
import { decodeTestInsn, ensureHandlers, hexToBytes } from "./simd_test_context.ts";

Deno.test("the real decoder agrees with the test decoder on every golden encoding", () => {
  ensureHandlers();
  const codes = new Set<string>();
  for (const f of ["sse_golden.json", "x87_golden.json"]) {
    const url = new URL(`./testdata/${f}`, import.meta.url);
    for (const c of JSON.parse(Deno.readTextFileSync(url)) as { code: string }[]) codes.add(c.code);
  }
  assert.ok(codes.size > 500);
  const bad: string[] = [];
  for (const code of codes) {
    const bytes = hexToBytes(code);
    const real = new Insn();
    decodeInsn({ byte: (a: number) => bytes[a] ?? 0x90 }, 0, real);
    const mine = decodeTestInsn(bytes);
    const fields = ["op", "prefixes", "rex", "modrm", "mod", "reg", "rm", "len", "opsize"] as const;
    for (const k of fields) {
      if (real[k] !== mine[k]) bad.push(`${code}: ${k} ${real[k]} vs ${mine[k]}`);
    }
    if ((real.imm & 0xff) !== (mine.imm & 0xff)) {
      bad.push(`${code}: imm ${real.imm} vs ${mine.imm}`);
    }
    if (real.handler !== mine.handler) bad.push(`${code}: different handler`);
  }
  assert.deepEqual(bad, []);
});
