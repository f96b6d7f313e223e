/**
 * Fault behaviour of the SSE handlers: precise faults leave every register and byte of memory
 * unchanged; invalid and unimplemented encodings raise the right kind.
 */
import assert from "node:assert/strict";
import { MemFault } from "../mem/memory.ts";
import { ensureHandlers, FakeContext, OPERAND, Raised, run, SCRATCH } from "./simd_test_context.ts";

ensureHandlers();

function raises(ctx: FakeContext, hex: string, kind: string): void {
  assert.throws(() => run(ctx, hex), (e) => e instanceof Raised && e.kind === kind);
}

Deno.test("movaps/movdqa/addps with a misaligned operand raise #GP; movups does not", () => {
  const ctx = new FakeContext();
  ctx.operand = OPERAND + 4;
  ctx.simd.xmmI32.fill(7, 0, 4);
  raises(ctx, "0f284720", "general_protection");
  raises(ctx, "660f6f4720", "general_protection");
  raises(ctx, "0f584720", "general_protection");
  assert.deepEqual([...ctx.simd.xmmI32.subarray(0, 4)], [7, 7, 7, 7]);
  run(ctx, "0f104720"); // movups: fine
  assert.deepEqual([...ctx.simd.xmmI32.subarray(0, 4)], [0, 0, 0, 0]);
});

Deno.test("a 16-byte store straddling into an unmapped page writes nothing", () => {
  const ctx = new FakeContext();
  ctx.operand = SCRATCH + 0x1000 - 8;
  ctx.mem.writeBytes(ctx.operand, new Uint8Array(8).fill(0xaa));
  ctx.simd.xmmU8.fill(0x55, 0, 16);
  assert.throws(() => run(ctx, "f30f7f4720"), MemFault); // movdqu [m], xmm0
  assert.ok(ctx.mem.readBytes(ctx.operand, 8).every((b) => b === 0xaa));
});

Deno.test("a load from unmapped memory faults before changing the destination", () => {
  const ctx = new FakeContext();
  ctx.operand = 0x900000;
  ctx.simd.xmmI32[0] = 42;
  assert.throws(() => run(ctx, "f20f594720"), MemFault); // mulsd xmm0, [m]
  assert.equal(ctx.simd.xmmI32[0], 42);
});

Deno.test("MMX forms are unimplemented, bad group digits and register forms are #UD", () => {
  const ctx = new FakeContext();
  raises(ctx, "0fefc1", "unimplemented"); // pxor mm0, mm1
  raises(ctx, "660f71d901", "invalid_opcode"); // 66 0F 71 /3
  raises(ctx, "0f13c1", "invalid_opcode"); // movlps register form
  raises(ctx, "660fd74720", "invalid_opcode"); // pmovmskb with a memory operand
  raises(ctx, "f30f14c1", "invalid_opcode"); // unpcklps has no F3 form
});

Deno.test("an unmasked exception raises #XM, sets the flag and keeps the destination", () => {
  const ctx = new FakeContext();
  ctx.simd.mxcsr = 0x1f80 & ~0x200; // unmask divide-by-zero
  ctx.simd.xmmF32[0] = 1;
  ctx.simd.xmmF32[4] = 0;
  raises(ctx, "f30f5ec1", "simd"); // divss xmm0, xmm1
  assert.equal(ctx.simd.xmmF32[0], 1);
  assert.equal(ctx.simd.mxcsr & 0x3f, 0x4);
  ctx.simd.mxcsr = 0x1f80;
  run(ctx, "f30f5ec1");
  assert.equal(ctx.simd.xmmF32[0], Infinity);
  assert.equal(ctx.simd.mxcsr & 0x3f, 0x4);
});

Deno.test("emms empties the x87 tag word", () => {
  const ctx = new FakeContext();
  ctx.simd.ftw = 0xff;
  run(ctx, "0f77c0"); // the test decoder always reads a ModRM byte; emms ignores it
  assert.equal(ctx.simd.ftw, 0);
});

Deno.test("maskmovdqu stores only the bytes whose mask byte has its top bit set, at [rdi]", () => {
  const ctx = new FakeContext();
  ctx.regs[14] = OPERAND; // rdi
  ctx.mem.writeBytes(OPERAND, new Uint8Array(16).fill(0xee));
  for (let k = 0; k < 16; k++) {
    ctx.simd.xmmU8[k] = k; // data in xmm0
    ctx.simd.xmmU8[16 + k] = k % 3 === 0 ? 0x80 : 0x7f; // mask in xmm1
  }
  run(ctx, "660ff7c1");
  const out = ctx.mem.readBytes(OPERAND, 16);
  for (let k = 0; k < 16; k++) assert.equal(out[k], k % 3 === 0 ? k : 0xee);
});

Deno.test("rcpps/rsqrtps stay within the documented 1.5 * 2^-12 relative error", () => {
  const ctx = new FakeContext();
  const inputs = [1, 3, 0.1, 1e30, 7.5e-20];
  for (const v of inputs) {
    ctx.simd.xmmF32[4] = v;
    run(ctx, "0f53c1"); // rcpps
    assert.ok(Math.abs(ctx.simd.xmmF32[0] * v - 1) <= 1.5 * 2 ** -12, `rcp ${v}`);
    run(ctx, "0f52c1"); // rsqrtps
    assert.ok(Math.abs(ctx.simd.xmmF32[0] * Math.sqrt(v) - 1) <= 1.5 * 2 ** -12, `rsqrt ${v}`);
  }
});
