import assert from "node:assert/strict";
import { newSudState, restartRewrite, setSyscallUserDispatch, sudDecide } from "./sud.ts";

const M64 = (1n << 64n) - 1n;
const NEG = (n: bigint) => (-n) & M64;
const S = 0x4a82d8n; // a valid selector address

/** Spec §2 native matrix (6.18): [mode, offset, len, selector, result]. */
const MATRIX: [bigint, bigint, bigint, bigint, number][] = [
  [M64, 0n, 0n, S, -22],
  [3n, 0n, 0n, S, -22],
  [(1n << 32n) | 1n, 0n, 0n, S, -22],
  [0n, 1n, 0n, 0n, -22],
  [0n, 0n, 0xffn, 0n, -22],
  [0n, 0n, 0n, S, -22],
  [0n, 0n, 0n, M64, -22],
  [0n, 0n, 0n, 0n, 0],
  [1n, 1n, 0n, S, -22],
  [1n, M64, 0n, S, -22],
  [1n, 0n, 1n, M64, -14],
  [1n, 1n, M64, S, -22],
  [1n, M64, 1n, S, -22],
  [1n, 0n, 0n, 0n, 0],
  [1n, 0n, M64, S, 0],
  [1n, 0x1000n, 0x1000n, S, 0],
  [1n, NEG(2n), 1n, S, 0],
  [2n, 1n, 0n, 0n, -22],
  [2n, 0n, 0n, 0n, -22],
  [2n, M64, 2n, 0n, -22],
  [2n, 2n, 3n, 0n, 0],
  [2n, 0n, 1n, 0n, 0],
  [2n, NEG(2n), 1n, 0n, 0],
  [2n, 2n, 3n, M64, -14],
  // EINVAL takes precedence over EFAULT.
  [1n, 1n, M64, M64, -22],
];

Deno.test("prctl SUD validation matches the native 6.18 matrix", () => {
  for (const [mode, off, len, sel, want] of MATRIX) {
    const st = newSudState();
    assert.equal(
      setSyscallUserDispatch(st, mode, off, len, sel),
      want,
      `${mode},${off},${len},${sel}`,
    );
    assert.equal(st.armed, want === 0 && mode !== 0n);
  }
});

Deno.test("selector access_ok limit is TASK_SIZE_MAX inclusive", () => {
  const ok = [1n, 0x7fffffffefffn, 0x7ffffffff000n];
  const bad = [0x7fffffffffffn, 0x800000000000n, 0xffff800000000000n, 0xffffffffff600000n, M64];
  for (const s of ok) assert.equal(setSyscallUserDispatch(newSudState(), 1n, 0n, 0n, s), 0);
  for (const s of bad) assert.equal(setSyscallUserDispatch(newSudState(), 1n, 0n, 0n, s), -14);
});

Deno.test("INCLUSIVE ranges are stored inverted", () => {
  const st = newSudState();
  assert.equal(setSyscallUserDispatch(st, 2n, 0x10000n, 0x1000n, 0n), 0);
  assert.equal(st.offset, 0x11000n);
  assert.equal(st.len, 0xfffffffffffff000n);
});

Deno.test("region and selector decision table (spec §3 notes)", () => {
  const I = 0x401000n, N = I + 2n; // syscall insn and next-insn addresses
  const decide = (mode: bigint, off: bigint, len: bigint, sel = 0n, byte: number | null = 1) => {
    const st = newSudState();
    assert.equal(setSyscallUserDispatch(st, mode, off, len, sel), 0);
    return sudDecide(st, N, () => byte).decision;
  };
  assert.equal(decide(1n, N, 1n), "region");
  assert.equal(decide(1n, I, 2n), "dispatch");
  assert.equal(decide(1n, I, 3n), "region");
  assert.equal(decide(1n, 0n, N), "dispatch");
  assert.equal(decide(1n, 0n, N + 1n), "region");
  assert.equal(decide(1n, 0n, M64), "region");
  assert.equal(decide(2n, N, 1n), "dispatch");
  assert.equal(decide(2n, I, 2n), "region");
  assert.equal(decide(2n, N + 1n, 1n), "region");
  assert.equal(decide(2n, N - 1n, 1n), "region");
  assert.equal(decide(2n, 1n, N), "dispatch");
  assert.equal(decide(2n, N, M64 - N), "dispatch");
  // Selector byte handling (outside the region).
  assert.equal(decide(1n, 0n, 0n, S, 0), "selector_allow");
  assert.equal(decide(1n, 0n, 0n, S, 1), "dispatch");
  for (const b of [2, 0x7f, 0x80, 0xff]) {
    assert.equal(decide(1n, 0n, 0n, S, b), "kill_bad_selector");
  }
  assert.equal(decide(1n, 0n, 0n, S, null), "kill_unreadable_selector");
  // Inside the region the selector is never read: a bad selector is harmless.
  assert.equal(decide(1n, N, 1n, S, null), "region");
  assert.equal(sudDecide(newSudState(), N, () => 1).decision, "no_sud");
});

Deno.test("restart quirk table (spec §3.1)", () => {
  const r = (rax: bigint, saRestart = false) => restartRewrite(rax & M64, rax & M64, saRestart);
  const EINTR = NEG(4n);
  assert.deepEqual(r(-512n), { rax: EINTR, ripBack: 0 });
  assert.deepEqual(r(-512n, true), { rax: NEG(512n), ripBack: 2 });
  assert.deepEqual(r(-513n), { rax: NEG(513n), ripBack: 2 });
  assert.deepEqual(r(-514n), { rax: EINTR, ripBack: 0 });
  assert.deepEqual(r(-516n), { rax: EINTR, ripBack: 0 });
  assert.deepEqual(r(-1n), { rax: M64, ripBack: 0 });
  for (const v of [-4095n, -4096n, 0xff00n, 39n]) {
    assert.deepEqual(r(v), { rax: v & M64, ripBack: 0 });
  }
});
