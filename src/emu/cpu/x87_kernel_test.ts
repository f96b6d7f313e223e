/**
 * Program-level 80-bit test: testdata/x87_kernel.c (long double sums, products, quotients,
 * conversions to/from double, float and int64, compares) was compiled to a flat blob and run
 * natively on 256 input pairs; here the same machine code runs on the emulator's Cpu and every
 * result must match bit for bit. Rebuild with testdata/x87_kernel_build.sh.
 */
import assert from "node:assert/strict";
import { Memory, PROT_EXEC, PROT_READ, PROT_WRITE } from "../mem/memory.ts";
import { Cpu } from "./cpu.ts";
import { bytesToHex, hexToBytes } from "./simd_test_context.ts";

interface KernelGolden {
  n: number;
  in: string[];
  out: string[];
  iout: string;
  dout: string;
}

const CODE = 0x400000, RETURN = 0x500000, IN = 0x600000, OUT = 0x610000;
const IOUT = 0x620000, DOUT = 0x630000, STACK_TOP = 0x800000;

Deno.test("long double kernel produces the native results bit for bit", () => {
  const dir = new URL("./testdata/", import.meta.url);
  const blob = Deno.readFileSync(new URL("x87_kernel.bin", dir));
  const g: KernelGolden = JSON.parse(Deno.readTextFileSync(new URL("x87_kernel_golden.json", dir)));
  const mem = new Memory();
  mem.map(CODE, 0x1000, PROT_READ | PROT_EXEC);
  mem.poke(CODE, blob);
  mem.map(RETURN, 0x1000, PROT_READ | PROT_EXEC);
  mem.poke(RETURN, Uint8Array.of(0x0f, 0x05)); // kernel returns here: syscall stops the CPU
  mem.map(IN, 0x40000, PROT_READ | PROT_WRITE);
  mem.map(STACK_TOP - 0x10000, 0x10000, PROT_READ | PROT_WRITE);
  g.in.forEach((h, k) => mem.writeBytes(IN + 16 * k, hexToBytes(h)));
  const rsp = STACK_TOP - 0x100;
  mem.write64(rsp, RETURN, 0);
  const cpu = new Cpu(mem);
  cpu.rip = CODE;
  cpu.setReg(4, BigInt(rsp));
  cpu.setReg(7, BigInt(IN));
  cpu.setReg(6, BigInt(OUT));
  cpu.setReg(2, BigInt(IOUT));
  cpu.setReg(1, BigInt(DOUT));
  cpu.setReg(8, BigInt(g.n));
  const stop = cpu.run(10_000_000);
  assert.equal(stop, "syscall", cpu.fault?.message);
  assert.equal(cpu.rip, RETURN + 2);
  const bad: string[] = [];
  g.out.forEach((want, k) => {
    const got = bytesToHex(mem.readBytes(OUT + 16 * k, 10));
    if (got !== want) bad.push(`out[${k}] (pair ${k >> 3}, result ${k & 7}): ${got} != ${want}`);
  });
  assert.deepEqual(bad.slice(0, 10), []);
  assert.equal(bytesToHex(mem.readBytes(IOUT, g.iout.length / 2)), g.iout);
  assert.equal(bytesToHex(mem.readBytes(DOUT, g.dout.length / 2)), g.dout);
});
