import assert from "node:assert/strict";
import { Memory } from "../mem/memory.ts";
import { Cpu } from "./cpu.ts";

Deno.test("Cpu.cloneState copies registers, flags, fs/gs, x87/SSE and icount", () => {
  const cpu = new Cpu(new Memory());
  for (let i = 0; i < 16; i++) cpu.setReg(i, BigInt(i) * 0x1_0000_0001n);
  cpu.rip = 0x401000;
  cpu.icount = 1234;
  cpu.setRflags(0x8d7);
  cpu.fsBase = 0x7000_0000_1000n;
  cpu.gsBase = 5n;
  cpu.simd.xmmF64[3] = 2.5;
  cpu.simd.mxcsr = 0x1fa0;
  cpu.simd.fcw = 0x27f;
  cpu.simd.fpMant[2] = 0xc000_0000_0000_0000n;
  cpu.simd.fpSignExp[2] = 0x3fff;
  const mem = new Memory();
  const copy = cpu.cloneState(mem);
  assert.equal(copy.mem, mem);
  for (let i = 0; i < 16; i++) assert.equal(copy.getReg(i), cpu.getReg(i));
  assert.equal(copy.rip, 0x401000);
  assert.equal(copy.icount, 1234);
  assert.equal(copy.getRflags(), cpu.getRflags());
  assert.equal(copy.fsBase, cpu.fsBase);
  assert.equal(copy.gsBase, 5n);
  assert.deepEqual(copy.fxsave(), cpu.fxsave());
  copy.setReg(1, 0n);
  assert.equal(cpu.getReg(1), 0x1_0000_0001n); // separate register files
});
