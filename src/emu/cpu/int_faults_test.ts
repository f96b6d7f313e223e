/**
 * Precise faults the host CPU and kernel report, as measured natively by the cpu_faults guest
 * (tests/guests/golden/cpu_faults.*.json): invalid LOCK prefixes are #UD, `int n` is #GP with
 * the IDT error code (n << 3) | 2, and the page-fault error code's P bit is clear for pages Linux
 * has no PTE for (PROT_NONE, or never touched), even though the fault is SEGV_ACCERR.
 */
import assert from "node:assert/strict";
import { Cpu } from "./cpu.ts";
import { Memory, PROT_EXEC, PROT_NONE, PROT_READ, PROT_WRITE } from "../mem/memory.ts";

const CODE = 0x400000, DATA = 0x600000;

/** Runs the bytes as the only code and returns the fault the CPU stops with. */
function runBytes(hex: string, setup?: (cpu: Cpu, mem: Memory) => void) {
  const mem = new Memory();
  mem.map(CODE, 0x1000, PROT_READ | PROT_EXEC);
  mem.poke(CODE, Uint8Array.from(hex.match(/../g)!.map((b) => parseInt(b, 16))));
  mem.map(DATA, 0x1000, PROT_READ | PROT_WRITE);
  const cpu = new Cpu(mem);
  cpu.rip = CODE;
  cpu.setReg(0, BigInt(DATA));
  setup?.(cpu, mem);
  const stop = cpu.run(10);
  return { stop, fault: cpu.fault, cpu };
}

Deno.test("LOCK on a non-lockable form is #UD; lockable memory forms run", () => {
  for (const bad of ["f090", "f001c0", "f0833801", "f08b00", "f0ff10"]) {
    // lock nop, lock add eax,eax, lock cmp [rax],1, lock mov eax,[rax], lock call [rax]
    const r = runBytes(bad);
    assert.equal(r.stop, "fault", bad);
    assert.equal(r.fault?.kind, "invalid_opcode", bad);
    assert.equal(r.fault?.rip, CODE, bad);
  }
  for (
    const good of ["f00100", "f0830001", "f00fb108", "f0ff00", "f0f718", "f00fc100", "f087000f0b"]
  ) {
    // lock add [rax],eax / add [rax],1 / cmpxchg [rax],ecx / inc / neg / xadd / xchg, then ud2
    const r = runBytes(good.length > 10 ? good : good + "0f0b");
    assert.equal(r.fault?.kind, "invalid_opcode", good);
    assert.ok(r.fault!.rip > CODE, `${good} executed before the ud2`);
  }
});

Deno.test("int n is #GP with error code (n << 3) | 2; int3 and int 3 trap after", () => {
  const r = runBytes("cd10");
  assert.equal(r.fault?.kind, "general_protection");
  assert.equal(r.fault?.errorCode, 0x82);
  assert.equal(r.fault?.rip, CODE);
  const t = runBytes("cd03");
  assert.equal(t.fault?.kind, "breakpoint");
  assert.equal(t.fault?.rip, CODE + 2);
  // Other #GPs carry error code 0 (a non-canonical load).
  const g = runBytes("48b800000000000000808b00");
  assert.equal(g.fault?.kind, "general_protection");
  assert.equal(g.fault?.errorCode, 0);
});

Deno.test("page-fault error codes: P set only when Linux would have a PTE", () => {
  const store = "c7000100000000"; // mov dword [rax], 1
  const load = "8b00"; // mov eax, [rax]
  const at = (prot: number, touch: boolean) => (cpu: Cpu, mem: Memory) => {
    mem.map(DATA + 0x1000, 0x1000, PROT_READ | PROT_WRITE);
    if (touch) mem.read8(DATA + 0x1000);
    mem.protect(DATA + 0x1000, 0x1000, prot);
    cpu.setReg(0, BigInt(DATA + 0x1008));
  };
  // Native: write RO untouched 0x6, write RO touched 0x7, read/write PROT_NONE 0x4/0x6.
  assert.equal(runBytes(store, at(PROT_READ, false)).fault?.errorCode, 6);
  assert.equal(runBytes(store, at(PROT_READ, true)).fault?.errorCode, 7);
  assert.equal(runBytes(load, at(PROT_NONE, true)).fault?.errorCode, 4);
  assert.equal(runBytes(store, at(PROT_NONE, true)).fault?.errorCode, 6);
  const unmapped = runBytes(load, (cpu) => cpu.setReg(0, BigInt(DATA + 0x5000)));
  assert.equal(unmapped.fault?.errorCode, 4);
  assert.equal(unmapped.fault?.addr, DATA + 0x5000);
});

Deno.test("a branch to a non-canonical address is #GP on the branch (native: hunt_exec_fault)", () => {
  // ffe0 jmp rax; ffd0 call rax; 50 c3 push rax, ret: target 0x800000000000 in rax.
  for (const [hex, at] of [["ffe0", 0], ["ffd0", 0], ["50c3", 1]] as const) {
    const r = runBytes(hex, (cpu) => {
      cpu.setReg(0, 0x800000000000n);
      cpu.setReg(4, BigInt(DATA + 0x800));
    });
    assert.equal(r.fault?.kind, "general_protection", hex);
    assert.equal(r.fault?.rip, CODE + at, hex);
    // Nothing pushed or popped by the faulting branch.
    assert.equal(r.cpu.getReg(4), BigInt(DATA + 0x800 - (hex === "50c3" ? 8 : 0)), hex);
  }
});

Deno.test("mprotect removing PROT_EXEC stops cached code from running", () => {
  const mem = new Memory();
  mem.map(CODE, 0x1000, PROT_READ | PROT_EXEC);
  mem.poke(CODE, Uint8Array.from([0x90, 0x0f, 0x0b])); // nop; ud2
  const cpu = new Cpu(mem);
  cpu.rip = CODE;
  cpu.run(10);
  assert.equal(cpu.fault?.kind, "invalid_opcode");
  mem.protect(CODE, 0x1000, PROT_READ);
  cpu.rip = CODE;
  cpu.run(10);
  assert.equal(cpu.fault?.kind, "page");
});
