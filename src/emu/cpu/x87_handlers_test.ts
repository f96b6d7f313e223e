/** Behaviour of x87 handlers beyond single instructions: environment save/restore, faults. */
import assert from "node:assert/strict";
import { MemFault } from "../mem/memory.ts";
import { ensureHandlers, FakeContext, OPERAND, run, SCRATCH } from "./simd_test_context.ts";
import { stValue } from "./x87_handlers.ts";

ensureHandlers();

function f64Bytes(v: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, v, true);
  return b;
}

function withStack(values: number[]): FakeContext {
  const ctx = new FakeContext();
  run(ctx, "dbe3"); // fninit
  for (const v of values) {
    ctx.mem.writeBytes(OPERAND, f64Bytes(v));
    run(ctx, "dd4720"); // fld m64
  }
  return ctx;
}

Deno.test("fnsave then frstor restores registers, tags, TOP and control word", () => {
  const ctx = withStack([1.5, -2.25, 1e300]);
  ctx.mem.write16(OPERAND, 0x0b7f);
  run(ctx, "d96f20"); // fldcw: round up
  const before = [0, 1, 2].map((k) => stValue(ctx.simd, k));
  const fsw = ctx.simd.fsw, ftw = ctx.simd.ftw;
  run(ctx, "dd7720"); // fnsave (also re-initialises)
  assert.equal(ctx.simd.ftw, 0);
  assert.equal(ctx.simd.fcw, 0x37f);
  run(ctx, "dd6720"); // frstor
  assert.equal(ctx.simd.fcw, 0x0b7f);
  assert.equal(ctx.simd.fsw, fsw);
  assert.equal(ctx.simd.ftw, ftw);
  assert.deepEqual([0, 1, 2].map((k) => stValue(ctx.simd, k)), before);
});

Deno.test("fnstenv masks exceptions afterwards and fldenv restores the environment", () => {
  const ctx = withStack([3]);
  ctx.mem.write16(OPERAND, 0x0360); // all exceptions unmasked
  run(ctx, "d96f20");
  run(ctx, "d97720"); // fnstenv
  assert.equal(ctx.simd.fcw & 0x3f, 0x3f);
  assert.equal(ctx.mem.read16(OPERAND) & 0x3f, 0x20); // the stored FCW is the old one (plus bit 6)
  run(ctx, "d96720"); // fldenv
  assert.equal(ctx.simd.fcw & 0x3f, 0x20);
});

Deno.test("fnstsw ax replaces only ax; fcomi sets ZF/PF/CF", () => {
  const ctx = withStack([2, 1]); // ST0 = 1, ST1 = 2
  ctx.regs[0] = 0x12345678;
  ctx.regs[1] = 0x9abc;
  run(ctx, "dfe0");
  assert.equal(ctx.regs[0] >>> 16, 0x1234);
  assert.equal(ctx.regs[0] & 0xffff, ctx.simd.fsw);
  assert.equal(ctx.regs[1], 0x9abc);
  ctx.rflags = 0x8d5 | 2;
  run(ctx, "dbf1"); // fcomi st0, st1: 1 < 2
  assert.equal(ctx.rflags & 0x8d5, 0x1);
});

Deno.test("fistp m64 of the extremes and of out-of-range values", () => {
  const ctx = withStack([-(2 ** 63)]);
  run(ctx, "df7f20"); // fistp m64
  assert.equal(ctx.mem.read64(OPERAND), 0);
  assert.equal(ctx.mem.hi, 0x80000000 | 0);
  const big = withStack([2 ** 63]);
  run(big, "df7f20");
  assert.equal(big.mem.read64(OPERAND), 0);
  assert.equal(big.mem.hi, 0x80000000 | 0); // integer indefinite
  assert.equal(big.simd.fsw & 1, 1); // IE
});

Deno.test("a faulting fst leaves the stack and status word unchanged", () => {
  const ctx = withStack([1, 2]);
  const fsw = ctx.simd.fsw, ftw = ctx.simd.ftw;
  ctx.operand = SCRATCH + 0x1000 - 4; // m64 straddles into an unmapped page
  assert.throws(() => run(ctx, "dd5f20"), MemFault); // fstp m64
  assert.equal(ctx.simd.fsw, fsw);
  assert.equal(ctx.simd.ftw, ftw);
});

Deno.test("transcendentals: sin/cos/tan/atan/log2 agree with the host to double precision", () => {
  const ctx = withStack([0.5]);
  run(ctx, "d9fb"); // fsincos: ST0 = cos, ST1 = sin
  ctx.operand = OPERAND;
  run(ctx, "dd5f20");
  assert.equal(
    new DataView(ctx.mem.readBytes(OPERAND, 8).buffer).getFloat64(0, true),
    Math.cos(0.5),
  );
  run(ctx, "dd5f20");
  assert.equal(
    new DataView(ctx.mem.readBytes(OPERAND, 8).buffer).getFloat64(0, true),
    Math.sin(0.5),
  );
  const l = withStack([3, 8]); // ST1 = 3, ST0 = 8: fyl2x gives 3 * log2(8) = 9
  run(l, "d9f1");
  run(l, "dd5f20");
  assert.equal(new DataView(l.mem.readBytes(OPERAND, 8).buffer).getFloat64(0, true), 9);
});
