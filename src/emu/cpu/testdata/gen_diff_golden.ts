/**
 * Regenerates diff_cases.S and diff_golden.json: integer instruction snippets run natively (the
 * host CPU is the oracle) by diff_harness.c. Run: deno run -A src/emu/cpu/testdata/gen_diff_golden.ts
 * Snippets may use `scratch` (128 bytes, 64-aligned) and must leave rsp balanced.
 */

const SIZES: [string, string, string, string][] = [
  // suffix, a, b, c (rax/rbx/rcx family at each width)
  ["b", "%al", "%bl", "%cl"],
  ["w", "%ax", "%bx", "%cx"],
  ["l", "%eax", "%ebx", "%ecx"],
  ["q", "%rax", "%rbx", "%rcx"],
];

function buildCases(): [string, string][] {
  const cases: [string, string][] = [];
  const add = (name: string, asm: string) => cases.push([name, asm]);
  for (const op of ["add", "sub", "adc", "sbb", "and", "or", "xor", "cmp", "test"]) {
    for (const [sfx, a, b] of SIZES) add(`${op}${sfx}`, `${op}${sfx} ${b}, ${a}`);
    add(`${op}-high`, `${op}b %bh, %ah`);
    add(`${op}-high-low`, `${op}b %dl, %ah`);
    add(`${op}-rex-byte`, `${op}b %sil, %dil`);
    if (op !== "test") add(`${op}-imm8`, `${op}q $-3, %rax`);
    add(`${op}-imm32`, `${op}l $0x7ffffff0, %eax`);
    add(`${op}-mem`, `${op}q %rbx, scratch+8(%rip)`);
    if (op !== "test") add(`${op}-from-mem`, `${op}w scratch+6(%rip), %r9w`);
  }
  for (const op of ["inc", "dec", "neg", "not"]) {
    for (const [sfx, a] of SIZES) add(`${op}${sfx}`, `${op}${sfx} ${a}`);
    add(`${op}-mem`, `${op}l scratch+4(%rip)`);
  }
  for (const op of ["shl", "shr", "sar", "rol", "ror", "rcl", "rcr"]) {
    for (const [sfx, a] of SIZES) {
      add(`${op}${sfx}-cl`, `${op}${sfx} %cl, ${a}`);
      add(`${op}${sfx}-1`, `${op}${sfx} $1, ${a}`);
      add(`${op}${sfx}-imm`, `${op}${sfx} $${sfx === "q" ? 37 : 5}, ${a}`);
    }
    add(`${op}-mem-cl`, `${op}q %cl, scratch+16(%rip)`);
  }
  for (const op of ["shld", "shrd"]) {
    for (const [sfx, a, b] of SIZES.slice(1)) {
      add(`${op}${sfx}-cl`, `${op}${sfx} %cl, ${b}, ${a}`);
      add(`${op}${sfx}-imm`, `${op}${sfx} $${sfx === "w" ? 3 : 13}, ${b}, ${a}`);
    }
  }
  for (const [sfx, a, b] of SIZES) {
    add(`mul${sfx}`, `mul${sfx} ${b}`);
    add(`imul1${sfx}`, `imul${sfx} ${b}`);
    if (sfx !== "b") {
      add(`imul2${sfx}`, `imul${sfx} ${b}, ${a}`);
      add(`imul3${sfx}`, `imul${sfx} $-77, ${b}, ${a}`);
    }
    add(`div${sfx}`, `div${sfx} ${b}`);
    add(`idiv${sfx}`, `idiv${sfx} ${b}`);
    const d = { b: "%ah", w: "%dx", l: "%edx", q: "%rdx" }[sfx];
    add(
      `div${sfx}-small`,
      `xor${sfx === "b" ? "b" : sfx} ${d}, ${d}\n\tor${sfx} $1, ${b}\n\tdiv${sfx} ${b}`,
    );
  }
  add("mul-mem", "mulq scratch(%rip)");
  add("idiv-cqo", "cqo\n\tor $1, %rbx\n\tidivq %rbx");
  add("idiv-cdq", "cltd\n\tor $3, %ebx\n\tidivl %ebx");
  for (let cc = 0; cc < 16; cc++) {
    const n =
      ["o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"][cc];
    add(`set${n}`, `set${n} %dl`);
    add(`cmov${n}q`, `cmov${n} %rbx, %rcx`);
    add(`cmov${n}l`, `cmov${n} %ebx, %ecx`);
    add(`cmp-set${n}`, `cmp %ebx, %eax\n\tset${n} %dh`);
    add(`sub-j${n}`, `subq %rbx, %rax\n\tj${n} 1f\n\tmov $5, %esi\n1:`);
  }
  for (const [sfx] of SIZES) {
    const mov = `lea scratch(%rip), %rsi\n\tlea scratch+64(%rip), %rdi\n\tand $7, %ecx`;
    add(`movs${sfx}`, `${mov}\n\tmovs${sfx}`);
    add(`rep-movs${sfx}`, `${mov}\n\trep movs${sfx}`);
    add(`rep-stos${sfx}`, `${mov}\n\trep stos${sfx}`);
    add(`lods${sfx}`, `${mov}\n\tlods${sfx}`);
    add(`repe-cmps${sfx}`, `${mov}\n\trepe cmps${sfx}`);
    add(`repne-scas${sfx}`, `${mov}\n\trepne scas${sfx}`);
    add(`std-movs${sfx}`, `${mov}\n\tadd $32, %rsi\n\tstd\n\trep movs${sfx}\n\tcld`);
  }
  add(
    "rep-movsb-overlap",
    "lea scratch(%rip), %rsi\n\tlea scratch+1(%rip), %rdi\n\tmov $100, %ecx\n\trep movsb",
  );
  add(
    "rep-movsq-long",
    "lea scratch(%rip), %rsi\n\tlea scratch+64(%rip), %rdi\n\tmov $8, %ecx\n\trep movsq",
  );
  add("rep-stosb-long", "lea scratch(%rip), %rdi\n\tmov $100, %ecx\n\trep stosb");
  add(
    "repe-cmpsb-equal",
    "lea scratch(%rip), %rsi\n\tmov %rsi, %rdi\n\tmov $9, %ecx\n\trepe cmpsb",
  );
  add("rep-zero-count", "lea scratch(%rip), %rdi\n\txor %ecx, %ecx\n\trep stosq");
  for (const op of ["bt", "bts", "btr", "btc"]) {
    add(`${op}q-reg`, `${op}q %rbx, %rax`);
    add(`${op}l-reg`, `${op}l %ebx, %eax`);
    add(`${op}w-reg`, `${op}w %bx, %ax`);
    add(`${op}q-imm`, `${op}q $45, %rax`);
    add(`${op}-mem-reg`, `and $0x1ff, %rbx\n\tsub $256, %rbx\n\t${op}q %rbx, scratch+64(%rip)`);
    add(`${op}l-mem-reg`, `and $0x1ff, %ebx\n\tsub $256, %ebx\n\t${op}l %ebx, scratch+64(%rip)`);
    add(`${op}-mem-imm`, `${op}l $19, scratch+4(%rip)`);
  }
  for (const op of ["bsf", "bsr"]) {
    for (const [sfx, a, b] of SIZES.slice(1)) add(`${op}${sfx}`, `${op}${sfx} ${b}, ${a}`);
  }
  for (const [sfx, a, b, c] of SIZES) {
    add(`cmpxchg${sfx}`, `cmpxchg${sfx} ${b}, ${c}`);
    add(`cmpxchg${sfx}-eq`, `mov ${c}, ${a}\n\tcmpxchg${sfx} ${b}, ${c}`);
    add(`xadd${sfx}`, `xadd${sfx} ${b}, ${c}`);
    add(`xchg${sfx}`, `xchg${sfx} ${b}, ${c}`);
  }
  add(
    "lock-cmpxchg-mem",
    "mov scratch+8(%rip), %rax\n\tand $1, %ebx\n\tjz 1f\n\tnot %rax\n1:\tlock cmpxchgq %rcx, scratch+8(%rip)",
  );
  add("lock-xadd-mem", "lock xaddl %ebx, scratch+12(%rip)");
  add(
    "cmpxchg8b",
    "mov scratch(%rip), %eax\n\tand $1, %esi\n\tjz 1f\n\tmov scratch+4(%rip), %edx\n1:\tcmpxchg8b scratch(%rip)",
  );
  add(
    "cmpxchg16b",
    "mov scratch(%rip), %rax\n\tmov scratch+8(%rip), %rdx\n\tand $1, %esi\n\tjz 1f\n\tnot %rdx\n1:\tcmpxchg16b scratch(%rip)",
  );
  for (const ins of ["cbtw", "cwtl", "cltq", "cwtd", "cltd", "cqto", "lahf", "cmc", "clc", "stc"]) {
    add(ins, ins);
  }
  add("sahf", "mov %bh, %ah\n\tsahf");
  add("bswapl", "bswap %eax");
  add("bswapq", "bswap %r9");
  add("movsbq", "movsbq %bl, %rax");
  add("movswl", "movswl %bx, %eax");
  add("movzbl-high", "movzbl %bh, %eax");
  add("movzwq", "movzwq %bx, %r10");
  add("movslq", "movslq %ebx, %rax");
  add("movb-high", "movb %ch, %bl");
  add("mov-imm64", "movabs $0x8877665544332211, %r11");
  add("movw-imm", "movw $-2, %r12w");
  add("lea-sib", "lea -0x1234(%rbx,%rcx,8), %rax");
  add("lea-32", "lea 5(%ebx,%ecx,2), %eax");
  add("lea-16", "lea 5(%rbx,%rcx,4), %ax");
  add("push-pop", "push %rbx\n\tpushq $-5\n\tpop %rax\n\tpop %rcx");
  add(
    "pushf-popf",
    "pushfq\n\tpop %rax\n\tand $0x8d5, %rbx\n\tpushq %rbx\n\tpopfq\n\tpushfq\n\tpop %rcx\n\tpush %rax\n\tpopfq",
  );
  add("loop", "and $15, %ecx\n\tjz 2f\n1:\tinc %eax\n\tloop 1b\n2:");
  add("jrcxz", "jrcxz 1f\n\tmov $1, %edx\n1:");
  add("setcc-after-shift0", "xor %ecx, %ecx\n\tshl %cl, %rax\n\tsetc %dl");
  add("mem-rmw-add8", "addb %bl, scratch+1(%rip)");
  add("enter-leave", "enter $16, $0\n\tmov %rsp, %rax\n\tsub %rbp, %rax\n\tleave");
  return cases;
}

import { diffInput, RUNS_PER_CASE } from "./diff_inputs.ts";

const dir = new URL(".", import.meta.url).pathname;
const cases = buildCases();
let s = "# Generated by gen_diff_golden.ts: one snippet per case, each ending in ret.\n\t.text\n";
cases.forEach(([, asm], k) => {
  s += `\t.globl case_${k}\ncase_${k}:\n\t${asm}\n\tret\ncase_${k}_end:\n`;
});
s += "\t.section .rodata\nname_strs:\n";
cases.forEach(([name], k) => (s += `name_${k}: .asciz "${name}"\n`));
s += "\t.data\n\t.globl case_bounds, case_names, case_count\n\t.align 8\ncase_bounds:\n";
cases.forEach((_, k) => (s += `\t.quad case_${k}, case_${k}_end\n`));
s += "case_names:\n";
cases.forEach((_, k) => (s += `\t.quad name_${k}\n`));
s += `case_count: .long ${cases.length}\n\t.section .note.GNU-stack,"",@progbits\n`;
await Deno.writeTextFile(`${dir}diff_cases.S`, s);

const tmp = await Deno.makeTempDir();
const cc = await new Deno.Command("gcc", {
  args: [
    "-O1",
    "-static",
    "-no-pie",
    "-o",
    `${tmp}/h`,
    `${dir}diff_harness.c`,
    `${dir}diff_harness.S`,
    `${dir}diff_cases.S`,
  ],
}).output();
if (!cc.success) throw new Error(new TextDecoder().decode(cc.stderr));
const run = await new Deno.Command(`${tmp}/h`).output();
if (!run.success) throw new Error("harness failed");
// Keep only outputs: inputs are recomputed by diff_inputs.ts (checked here against the harness).
interface RawRun {
  case: string;
  addr: string;
  code: string;
  in: string[];
  inFlags: number;
  mem: string;
  out?: string[];
  outFlags?: number;
  memOut?: string;
  signal?: number;
}
const raw = JSON.parse(new TextDecoder().decode(run.stdout)) as { scratch: string; runs: RawRun[] };
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const golden = cases.map(([name], k) => {
  const runs = raw.runs.slice(k * RUNS_PER_CASE, (k + 1) * RUNS_PER_CASE);
  const first = runs[0];
  if (first.case !== name) throw new Error(`order mismatch at ${name}`);
  return {
    name,
    addr: first.addr,
    code: first.code,
    runs: runs.map((r, n) => {
      const want = diffInput(k, n);
      const got = r.in.map((h) => BigInt("0x" + h));
      if (
        got.some((v, i) => v !== want.regs[i]) || r.inFlags !== want.flags ||
        r.mem !== hex(want.mem)
      ) {
        throw new Error(`input generator mismatch at ${name}/${n}`);
      }
      if (r.signal) return { signal: r.signal };
      const changed: Record<number, string> = {};
      r.out!.forEach((h, i) => {
        if (BigInt("0x" + h) !== want.regs[i] && i !== 4) changed[i] = h;
      });
      return { out: changed, flags: r.outFlags, ...(r.memOut ? { mem: r.memOut } : {}) };
    }),
  };
});
await Deno.writeTextFile(
  `${dir}diff_golden.json`,
  JSON.stringify({ scratch: raw.scratch, cases: golden }).replaceAll('},{"name"', '},\n{"name"'),
);
console.log(`${cases.length} cases`);
await new Deno.Command("deno", { args: ["fmt", `${dir}diff_golden.json`] }).output();
