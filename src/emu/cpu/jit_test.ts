/**
 * The block compiler against the interpreter and the host: the host-CPU differential cases with
 * every block compiled before its first run, and precise faults and budget stops inside compiled
 * blocks (rip, icount, registers, flags, xmm and memory exactly as the interpreter leaves them;
 * the interpreter itself is held to the host by cpu_diff_test.ts).
 */
import assert from "node:assert/strict";
import { Cpu } from "./cpu.ts";
import { Memory, PROT_EXEC, PROT_READ, PROT_WRITE } from "../mem/memory.ts";
import { runDiffCase } from "./cpu_diff_test.ts";
import { jitThreshold, setJitThreshold } from "./jit_config.ts";
import { blockSource } from "./jit_compile.ts";
import { decodeInsn } from "./decoder.ts";
import { Insn } from "./insn.ts";

interface DiffGolden {
  cases: { name: string; addr: string; code: string; runs: unknown[] }[];
}

Deno.test("host differential cases pass with every block compiled (threshold 0)", async () => {
  const golden = JSON.parse(
    await Deno.readTextFile(new URL("./testdata/diff_golden.json", import.meta.url)),
  ) as DiffGolden;
  const saved = jitThreshold();
  setJitThreshold(0);
  try {
    const diffs: string[] = [];
    golden.cases.forEach((c, k) => {
      // deno-lint-ignore no-explicit-any
      for (let run = 0; run < c.runs.length; run++) diffs.push(...runDiffCase(c as any, k, run));
    });
    assert.deepEqual(diffs.slice(0, 40), []);
  } finally {
    setJitThreshold(saved);
  }
});

const CODE = 0x400000, DATA = 0x600000, STACK = 0x700000;

function hex(h: string): Uint8Array {
  return Uint8Array.from(h.replace(/\s+/g, "").match(/../g)!, (x) => parseInt(x, 16));
}

/** A CPU with code at CODE, 64 KiB of data at DATA, a stack below STACK (+ unmapped above). */
function machine(code: string, threshold: number): Cpu {
  const mem = new Memory();
  mem.map(CODE, 0x2000, PROT_READ | PROT_EXEC);
  mem.poke(CODE, hex(code));
  mem.map(DATA, 0x10000, PROT_READ | PROT_WRITE);
  for (let k = 0; k < 0x100; k++) mem.write8(DATA + k, (k * 37 + 11) & 0xff);
  mem.map(STACK - 0x10000, 0x10000, PROT_READ | PROT_WRITE);
  const cpu = new Cpu(mem);
  cpu.jitThreshold = threshold;
  // rax, rcx (loop count), rdx (unmapped), rbx, rsp (below), rbp, rsi (misaligned), rdi (data)
  const init = [
    0x12345678n,
    3n,
    0xdead0000n,
    0xfedcba9876543210n,
    0n,
    0x80000001n,
    BigInt(DATA + 3),
    BigInt(DATA),
  ];
  init.forEach((v, i) => cpu.setReg(i, v));
  cpu.setReg(4, BigInt(STACK - 0x100));
  cpu.setRflags(0x202 | 0x1);
  cpu.rip = CODE;
  return cpu;
}

function snapshot(cpu: Cpu, stop: string) {
  const regs: string[] = [];
  for (let r = 0; r < 16; r++) regs.push(cpu.getReg(r).toString(16));
  return {
    stop,
    rip: cpu.rip.toString(16),
    icount: cpu.icount,
    fault: cpu.fault
      ? [cpu.fault.kind, cpu.fault.rip, cpu.fault.addr, cpu.fault.errorCode, cpu.fault.message]
      : null,
    regs,
    flags: cpu.getRflags().toString(16),
    xmm: Array.from(cpu.simd.xmmI32.subarray(0, 16)),
    data: Array.from(cpu.mem.readBytes(DATA, 64)),
    stack: Array.from(cpu.mem.readBytes(STACK - 0x120, 64)),
  };
}

/** Runs code to its stop under the interpreter and compiled, each `runs` times, and compares. */
function agree(code: string, budget = 1000, runs = 1): ReturnType<typeof snapshot> {
  const a = machine(code, Infinity), b = machine(code, 0);
  let sa = snapshot(a, ""), sb = snapshot(b, "");
  for (let n = 0; n < runs; n++) {
    sa = snapshot(a, a.run(budget));
    sb = snapshot(b, b.run(budget));
    assert.deepEqual(sb, sa, `run ${n} of ${code}`);
  }
  return sa;
}

Deno.test("a load fault mid-block: rip, icount, registers and the pending cmp flags", () => {
  // add eax,ebx; cmp eax,5; mov ecx,[rdx]; hlt
  const s = agree("01d8 83f805 8b0a f4");
  assert.equal(s.stop, "fault");
  assert.equal(s.icount, 2);
  assert.equal(s.rip, (CODE + 5).toString(16));
});

Deno.test("a store fault after a rotate and an inc (partial flag writers)", () => {
  // xor eax,eax; ror ebx,3; inc ecx; mov [rdx],ecx; hlt
  const s = agree("31c0 c1cb03 ffc1 890a f4");
  assert.equal(s.icount, 3);
});

Deno.test("a push fault with shl pending, and a #GP from movdqa on a misaligned address", () => {
  // mov rsp,rdx; shl rbx,35; push rax; hlt
  assert.equal(agree("4889d4 48c1e323 50 f4").fault?.[0], "page");
  // sub rax,rbx; movdqa xmm0,[rsi]; hlt
  assert.equal(agree("4829d8 660f6f06 f4").fault?.[0], "general_protection");
});

Deno.test("budget stops inside a hot loop keep icount and rip exact", () => {
  // 1: add eax,[rdi]; rol eax,5; dec ecx; jnz 1b; hlt   (rcx = 3 → then a long loop below)
  const code = "0307 c1c005 ffc9 75f7 f4";
  for (const budget of [1, 2, 3, 5, 7]) agree(code, budget, 6);
});

Deno.test("memory, stack, SSE and flag-reading instructions agree over a mixed block", () => {
  const code = [
    "4889f8", // mov rax,rdi
    "48034708", // add rax,[rdi+8]
    "4883e807", // sub rax,7
    "0f94c1", // sete cl
    "0f42d8", // cmovb ebx,eax
    "480fafc3", // imul rax,rbx
    "6bc003", // imul eax,eax,3
    "48c1f805", // sar rax,5
    "48c1e825", // shr rax,37
    "53", // push rbx
    "5a", // pop rdx
    "488d4c9707", // lea rcx,[rdi+rdx*4+7]
    "8d4c9707", // lea ecx,[rdi+rdx*4+7]
    "f30f7e07", // movq xmm0,[rdi]
    "660f6f4f10", // movdqa xmm1,[rdi+16]
    "660fefc1", // pxor xmm0,xmm1
    "660f72d003", // psrld xmm0,3
    "660f70c81b", // pshufd xmm1,xmm0,0x1b
    "660ffec1", // paddd xmm0,xmm1
    "660f7f4720", // movdqa [rdi+32],xmm0
    "660fd64f30", // movq [rdi+48],xmm1
    "48f7db", // neg rbx
    "f7d0", // not eax
    "0fb607", // movzx eax,byte [rdi]
    "480fbf4f02", // movsx rcx,word [rdi+2]
    "4863570c", // movsxd rdx,[rdi+12]
    "8847 05", // mov [rdi+5],al
    "66894706", // mov [rdi+6],ax
    "48c7470800ffffff", // mov qword [rdi+8],-256
    "3a47 09", // cmp al,[rdi+9]
    "7c00", // jl +0
    "f4",
  ].join("");
  const s = agree(code);
  assert.equal(s.stop, "halt");
});

Deno.test("call and ret through compiled blocks", () => {
  // call f; add eax,1; hlt; f: push rbx; mov rbx,[rsp]; pop rbx; ret
  const s = agree("e805000000 83c001 f4 00 53 488b1c24 5b c3");
  assert.equal(s.stop, "halt");
  assert.equal(s.icount, 6); // hlt does not retire
});

Deno.test("the generated source of a block is plain JavaScript that parses", () => {
  const mem = new Memory();
  mem.map(CODE, 0x1000, PROT_READ | PROT_EXEC);
  mem.poke(CODE, hex("01d8 83f8fb 0f94c1 c1cb03 75f4"));
  const cpu = new Cpu(mem);
  const insns: Insn[] = [];
  for (let a = CODE, n = 0; n < 5; n++) {
    const i = new Insn();
    decodeInsn(cpu, a, i);
    insns.push(i);
    a += i.len;
  }
  const src = blockSource(insns);
  assert.doesNotThrow(() => new Function("I", src));
  // sete and jnz read cmp's operands directly, the add's flags are dead, and no instruction can
  // fault: the lazy-flag object is written once, at the exit.
  assert.equal(src.match(/F\.set\(/g)?.length, 1);
  assert.equal(src.match(/F\.setBits\(/g)?.length, 1);
});

Deno.test("an instruction that rewrites the next one in its own block runs the new bytes", () => {
  // mov byte [rip+1], 0x2a   ; patches the imm32 low byte of the following mov
  // mov eax, 0               ; must execute as mov eax, 0x2a (x86 self-modifying-code rule)
  // add eax, 1 ; syscall (stop)
  const code = "c6 05 01 00 00 00 2a  b8 00 00 00 00  83 c0 01  0f 05";
  for (const threshold of [1_000_000, 0]) {
    const mem = new Memory();
    mem.map(CODE, 0x1000, PROT_READ | PROT_WRITE | PROT_EXEC);
    mem.poke(CODE, hex(code));
    const cpu = new Cpu(mem);
    cpu.jitThreshold = threshold;
    cpu.rip = CODE;
    assert.equal(cpu.run(100), "syscall");
    assert.equal(cpu.getReg(0), 0x2bn, `threshold ${threshold}`);
    assert.equal(cpu.icount, 4, `threshold ${threshold}: icount counts each instruction once`);
    // Run the patched code again from the start: the patch is now permanent.
    cpu.rip = CODE;
    assert.equal(cpu.run(100), "syscall");
    assert.equal(cpu.getReg(0), 0x2bn);
    assert.equal(cpu.icount, 8);
  }
});
