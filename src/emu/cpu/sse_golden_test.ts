/**
 * Differential test: every case in testdata/sse_golden.json was executed natively by
 * testdata/sse_harness.c; here the same instruction runs through our handlers and must produce
 * bit-identical xmm registers, memory, rax, MXCSR and arithmetic flags.
 *
 * Regenerate: gcc -O1 -o /tmp/sse_harness testdata/sse_harness.c &&
 *             /tmp/sse_harness 32 > testdata/sse_golden.json
 */
import assert from "node:assert/strict";
import {
  bytesToHex,
  decodeTestInsn,
  ensureHandlers,
  FakeContext,
  hexToBytes,
  OPERAND,
} from "./simd_test_context.ts";

interface SseCase {
  n: string;
  code: string;
  x0: string;
  x1: string;
  rax: string;
  mx: number;
  ox0: string;
  ox1: string;
  om: string;
  orax: string;
  omx: number;
  ofl: number;
}

const cases: SseCase[] = JSON.parse(
  Deno.readTextFileSync(new URL("./testdata/sse_golden.json", import.meta.url)),
);

/** Runs one case; returns a description of the first difference, or null. */
function runCase(c: SseCase): string | null {
  const ctx = new FakeContext();
  const x = ctx.simd.xmmU8;
  x.set(hexToBytes(c.x0), 0);
  x.set(hexToBytes(c.x1), 16);
  ctx.mem.writeBytes(OPERAND, hexToBytes(c.x1));
  const rax = new DataView(hexToBytes(c.rax).buffer);
  ctx.regs[0] = rax.getInt32(0, true);
  ctx.regs[1] = rax.getInt32(4, true);
  ctx.simd.mxcsr = c.mx;
  ctx.rflags = 0x8d5 | 2;
  const insn = decodeTestInsn(hexToBytes(c.code));
  insn.handler(ctx, insn);
  const out = new DataView(new ArrayBuffer(8));
  out.setInt32(0, ctx.regs[0], true);
  out.setInt32(4, ctx.regs[1], true);
  const got = {
    ox0: bytesToHex(x.subarray(0, 16)),
    ox1: bytesToHex(x.subarray(16, 32)),
    om: bytesToHex(ctx.mem.readBytes(OPERAND, 16)),
    orax: bytesToHex(new Uint8Array(out.buffer)),
    omx: ctx.simd.mxcsr,
    ofl: ctx.rflags & 0x8d5,
  };
  for (const k of Object.keys(got) as (keyof typeof got)[]) {
    if (got[k] !== c[k]) {
      return `${c.n} ${c.code} x0=${c.x0} x1=${c.x1} rax=${c.rax} mx=${c.mx.toString(16)}: ` +
        `${k} expected ${typeof c[k] === "number" ? c[k].toString(16) : c[k]} got ${
          typeof got[k] === "number" ? got[k].toString(16) : got[k]
        }`;
    }
  }
  return null;
}

Deno.test("sse golden cases match the native CPU bit for bit", () => {
  ensureHandlers();
  assert.ok(cases.length > 1000, "golden file has cases");
  const failures: string[] = [];
  const byName = new Map<string, number>();
  for (const c of cases) {
    const f = runCase(c);
    if (f) {
      failures.push(f);
      byName.set(c.n, (byName.get(c.n) ?? 0) + 1);
    }
  }
  if (failures.length) {
    const summary = [...byName].map(([n, k]) => `${n}:${k}`).join(" ");
    assert.fail(
      `${failures.length}/${cases.length} mismatches [${summary}]\n` +
        failures.slice(0, 25).join("\n"),
    );
  }
});
