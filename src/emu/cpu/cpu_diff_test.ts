/**
 * Differential test against the host CPU: every snippet in testdata/diff_cases.S was run natively
 * by testdata/diff_harness.c (golden outputs in diff_golden.json); here the emulator runs the same
 * bytes at the same addresses from the same registers, flags and memory, and must agree exactly
 * (all GPRs, CF/PF/AF/ZF/SF/OF/DF, scratch memory, and #DE where the host raised SIGFPE).
 */
import assert from "node:assert/strict";
import { Cpu } from "./cpu.ts";
import { Memory, PROT_EXEC, PROT_READ, PROT_WRITE } from "../mem/memory.ts";
import { diffInput, SCRATCH_SIZE } from "./testdata/diff_inputs.ts";
import { GPR_NAMES } from "./cpu_api.ts";

interface GoldenRun {
  out?: Record<string, string>;
  flags?: number;
  mem?: string;
  signal?: number;
}
interface GoldenCase {
  name: string;
  addr: string;
  code: string;
  runs: GoldenRun[];
}

const golden = JSON.parse(
  await Deno.readTextFile(new URL("./testdata/diff_golden.json", import.meta.url)),
) as { scratch: string; cases: GoldenCase[] };

const FLAG_MASK = 0xcd5;

/**
 * Flags the manuals leave undefined and on which this emulator does not (yet) reproduce the
 * host's AMD behaviour: SF/ZF/AF/PF after multiplies, all status flags after divides, and the
 * result of 16-bit shld/shrd with counts of 16 and more. Everything else must match bit for bit.
 */
function undefinedFlags(name: string): number {
  if (/^(mul|imul)/.test(name)) return 0xd4;
  if (/^(div|idiv)/.test(name)) return 0x8d5;
  return 0;
}

function undefinedResult(name: string, regs: bigint[]): boolean {
  return /^sh[lr]dw-cl/.test(name) && (regs[1] & 31n) >= 16n;
}
const STACK_TOP = 0x7fff0000;

function hexBytes(h: string): Uint8Array {
  return Uint8Array.from(h.match(/../g)!, (x) => parseInt(x, 16));
}

/** Runs one case/run in the emulator; returns a list of differences. */
export function runDiffCase(c: GoldenCase, caseIndex: number, run: number): string[] {
  const input = diffInput(caseIndex, run);
  const want = c.runs[run];
  const mem = new Memory();
  const addr = parseInt(c.addr, 16);
  const code = hexBytes(c.code);
  code[code.length - 1] = 0xf4; // ret → hlt: the emulator stops there
  const codePage = Math.floor(addr / 4096) * 4096;
  mem.map(codePage, 8192, PROT_READ | PROT_EXEC);
  mem.poke(addr, code);
  const scratch = parseInt(golden.scratch, 16);
  mem.map(Math.floor(scratch / 4096) * 4096, 8192, PROT_READ | PROT_WRITE);
  mem.poke(scratch, input.mem);
  mem.map(STACK_TOP - 65536, 65536, PROT_READ | PROT_WRITE);
  const cpu = new Cpu(mem);
  input.regs.forEach((v, i) => cpu.setReg(i, v));
  cpu.setReg(4, BigInt(STACK_TOP - 256));
  cpu.setRflags(input.flags);
  cpu.rip = addr;
  const stop = cpu.run(100000);
  const diffs: string[] = [];
  const where = `${c.name}#${run}`;
  if (want.signal !== undefined) {
    const kind = want.signal === 8 ? "divide" : want.signal === 4 ? "invalid_opcode" : "page";
    if (stop !== "fault" || cpu.fault?.kind !== kind) {
      diffs.push(
        `${where}: host raised signal ${want.signal}, emulator stopped with ${stop} ${
          cpu.fault?.message ?? ""
        }`,
      );
    }
    return diffs;
  }
  if (undefinedResult(c.name, input.regs)) return diffs;
  if (stop !== "halt") {
    diffs.push(`${where}: emulator stopped with ${stop}: ${cpu.fault?.message ?? ""}`);
    return diffs;
  }
  for (let r = 0; r < 16; r++) {
    if (r === 4) continue;
    const expected = want.out![r] !== undefined ? BigInt("0x" + want.out![r]) : input.regs[r];
    const got = cpu.getReg(r);
    if (got !== expected) {
      diffs.push(`${where}: ${GPR_NAMES[r]} = ${got.toString(16)}, host ${expected.toString(16)}`);
    }
  }
  const mask = FLAG_MASK & ~undefinedFlags(c.name);
  const flags = cpu.getRflags() & mask;
  if (flags !== (want.flags! & mask)) {
    diffs.push(
      `${where}: flags ${flags.toString(16)}, host ${want.flags!.toString(16)} (xor ${
        (flags ^ want.flags!).toString(16)
      })`,
    );
  }
  const memAfter = mem.readBytes(scratch, SCRATCH_SIZE);
  const memWant = want.mem ? hexBytes(want.mem) : input.mem;
  if (memAfter.some((b, k) => b !== memWant[k])) diffs.push(`${where}: scratch memory differs`);
  return diffs;
}

Deno.test("integer instructions match the host CPU (registers, flags, memory, #DE)", () => {
  const diffs: string[] = [];
  golden.cases.forEach((c, k) => {
    for (let run = 0; run < c.runs.length; run++) diffs.push(...runDiffCase(c, k, run));
  });
  assert.deepEqual(diffs.slice(0, 40), []);
  assert.ok(golden.cases.length > 400);
});
