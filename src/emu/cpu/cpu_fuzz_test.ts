import assert from "node:assert/strict";
import { Cpu } from "./cpu.ts";
import { Memory, PROT_EXEC, PROT_READ, PROT_WRITE } from "../mem/memory.ts";

/** Small deterministic PRNG (xorshift32) so failures reproduce. */
function prng(seed: number): () => number {
  let s = seed | 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
}

Deno.test("running random byte strings never throws a JavaScript exception", () => {
  const rand = prng(12345);
  const kinds = new Map<string, number>();
  for (let n = 0; n < 3000; n++) {
    const mem = new Memory();
    mem.map(0x400000, 0x2000, PROT_READ | PROT_EXEC);
    mem.map(0x600000, 0x10000, PROT_READ | PROT_WRITE);
    const code = new Uint8Array(64);
    for (let k = 0; k < code.length; k++) code[k] = rand() & 0xff;
    // Some cases start at the end of the page so decoding runs into unmapped memory.
    const at = n % 10 === 0 ? 0x401000 + 4096 - 64 : 0x400000;
    mem.poke(at, code);
    const cpu = new Cpu(mem);
    for (let r = 0; r < 16; r++) {
      const small = rand() & 1;
      cpu.setReg(
        r,
        small ? BigInt(0x600000 + (rand() & 0xffff)) : BigInt(rand()) << BigInt(rand() & 32),
      );
    }
    cpu.setReg(4, 0x608000n);
    cpu.rip = at;
    let stop = "";
    assert.doesNotThrow(() => {
      stop = cpu.run(200);
    });
    assert.ok(["fault", "budget", "syscall", "halt"].includes(stop));
    if (stop === "fault") {
      assert.ok(cpu.fault !== null);
      assert.ok(!cpu.fault.message.includes("emulator error"), cpu.fault.message);
      kinds.set(cpu.fault.kind, (kinds.get(cpu.fault.kind) ?? 0) + 1);
    }
  }
  // Random code must exercise several fault kinds, not die the same way every time.
  assert.ok((kinds.get("page") ?? 0) > 100);
  assert.ok((kinds.get("invalid_opcode") ?? 0) + (kinds.get("unimplemented") ?? 0) > 100);
});
