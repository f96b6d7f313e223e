/**
 * Interpreter speed on loop-heavy code. Run: deno bench -A bench/cpu_loops.ts
 * (also prints instructions/second when run directly with `deno run -A`).
 */
import { Cpu } from "../src/emu/cpu/cpu.ts";
import { Memory, PROT_EXEC, PROT_READ, PROT_WRITE } from "../src/emu/mem/memory.ts";

/** An arithmetic loop, a byte-scanning loop (strlen-like) and a call/ret loop. */
const LOOPS: Record<string, string> = {
  // 1: add rbx,rax; xor rax,rdx; lea rax,[rax+1]; imul rdx,rbx,3; dec ecx; jnz 1b; hlt
  alu: "4801c3" + "4831d0" + "488d4001" + "486bd303" + "ffc9" + "75ee" + "f4",
  // 1: movzx eax, byte [rsi+rdx]; inc edx; and edx,0xfff; test eax,eax; jz 2f; add ebx,eax;
  // 2: dec ecx; jnz 1b; hlt
  bytes: "0fb60416" + "ffc2" + "81e2ff0f0000" + "85c0" + "7402" + "01c3" + "ffc9" + "75ea" + "f4",
  // 1: call f; dec ecx; jnz 1b; hlt; f: push rbx; mov rbx,[rsp+8]; pop rbx; ret
  calls: "e806000000" + "ffc9" + "75f7" + "f4" + "00" + "53" + "488b5c2408" + "5b" + "c3",
};

function setup(hex: string, iterations: number): Cpu {
  const mem = new Memory();
  mem.map(0x400000, 0x1000, PROT_READ | PROT_EXEC);
  mem.map(0x600000, 0x10000, PROT_READ | PROT_WRITE);
  mem.poke(0x400000, Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16)));
  const cpu = new Cpu(mem);
  cpu.setReg(1, BigInt(iterations));
  cpu.setReg(6, 0x600000n);
  cpu.setReg(4, 0x60f000n);
  cpu.rip = 0x400000;
  return cpu;
}

export function measure(name: string, iterations: number): number {
  const cpu = setup(LOOPS[name], iterations);
  const t0 = performance.now();
  const stop = cpu.run(1e12);
  const ms = performance.now() - t0;
  if (stop !== "halt") throw new Error(`${name}: stopped with ${stop} ${cpu.fault?.message}`);
  return cpu.icount / (ms / 1000);
}

for (const name of Object.keys(LOOPS)) {
  Deno.bench(`interpreter loop: ${name}`, () => {
    measure(name, 100_000);
  });
}

if (import.meta.main) {
  for (const name of Object.keys(LOOPS)) {
    measure(name, 200_000); // warm-up
    const ips = measure(name, 5_000_000);
    console.log(`${name}: ${(ips / 1e6).toFixed(1)} M instructions/s`);
  }
}
