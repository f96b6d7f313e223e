/**
 * Differential test: every case in testdata/x87_golden.json was executed natively by
 * testdata/x87_harness.c (load ST1/ST0, set FCW, run one instruction, FNSAVE). Here the same
 * sequence runs through our handlers (including our own fldt/fldcw/fnsave) and must match
 * bit for bit, except the instruction/data pointer fields of the saved environment and the
 * contents of empty registers.
 *
 * Regenerate: gcc -O1 -o /tmp/x87_harness testdata/x87_harness.c &&
 *             /tmp/x87_harness 40 > testdata/x87_golden.json
 */
import assert from "node:assert/strict";
import { type F80, kindOf, toNumber } from "./x87_float80.ts";
import {
  bytesToHex,
  decodeTestInsn,
  ensureHandlers,
  FakeContext,
  hexToBytes,
  OPERAND,
} from "./simd_test_context.ts";

interface X87Case {
  n: string;
  code: string;
  depth: number;
  fcw: number;
  st0: string;
  st1: string;
  mem: string;
  omem: string;
  save: string;
  orax: number;
  ofl: number;
}

const cases: X87Case[] = JSON.parse(
  Deno.readTextFileSync(new URL("./testdata/x87_golden.json", import.meta.url)),
);

function exec(ctx: FakeContext, code: string): void {
  const i = decodeTestInsn(hexToBytes(code));
  i.handler(ctx, i);
}

/** The FNSAVE image with the pointer fields and empty registers blanked for comparison. */
function normalise(save: Uint8Array): string {
  const s = save.slice();
  s.fill(0, 12, 28);
  const fsw = s[4] | (s[5] << 8), tags = s[8] | (s[9] << 8);
  const top = (fsw >> 11) & 7;
  for (let k = 0; k < 8; k++) {
    if (((tags >> (2 * ((top + k) & 7))) & 3) === 3) s.fill(0, 28 + 10 * k, 38 + 10 * k);
  }
  return bytesToHex(s);
}

function f80At(b: Uint8Array, at: number): F80 {
  const v = new DataView(b.buffer, b.byteOffset + at, 10);
  return { mant: v.getBigUint64(0, true), se: v.getUint16(8, true) };
}

/** Exponent of a finite non-zero register value, or null for zero/special values. */
function exponentOf(x: F80): number | null {
  const k = kindOf(x);
  return k === "normal" ? (x.se & 0x7fff) - 16383 : null;
}

/**
 * The inputs for which the emulator's transcendentals are meant to agree with the FPU to within
 * an ulp: operands and results inside the double range, and the documented argument ranges
 * (f2xm1 |x| <= 1, fyl2xp1 |x| < 0.29; trig arguments are reduced with the FPU's own 66-bit
 * pi, so every |x| < 2^63 is in).
 */
function inApproxDomain(c: X87Case): boolean {
  const x = f80At(hexToBytes(c.st0), 0), y = f80At(hexToBytes(c.st1), 0);
  if (c.depth === 0) return true; // stack faults must match exactly
  const ok = (v: F80, lo: number, hi: number) => {
    const k = kindOf(v);
    if (k === "zero") return true;
    const e = exponentOf(v);
    return e !== null && e >= lo && e < hi;
  };
  const limit: Record<string, number> = {
    approx_f2xm1: 0,
    approx_fyl2xp1: -2,
  };
  if (!ok(x, -1000, limit[c.n] ?? 1000) || (c.depth >= 2 && !ok(y, -1000, 1000))) return false;
  if (c.n === "approx_f2xm1" && Math.abs(toNumber(x)) > 1) return false;
  const save = hexToBytes(c.save);
  const r = f80At(save, 28);
  return kindOf(r) !== "normal" || Math.abs(exponentOf(r)!) < 1000;
}

/**
 * Transcendentals are correctly rounded here (x87_transcendental.ts) while the FPU is only within
 * an ulp, so their FNSAVE images are compared loosely: TOP, C2, IE/ZE/SF and the tag word exactly,
 * register values to 2^-62 relative error (one or two ulps), NaN results exactly.
 */
function compareApprox(got: Uint8Array, want: Uint8Array): string | null {
  const fswMask = 0x3800 | 0x400 | 0x45;
  const gf = got[4] | (got[5] << 8), wf = want[4] | (want[5] << 8);
  if ((gf & fswMask) !== (wf & fswMask)) {
    return `fsw want ${wf.toString(16)} got ${gf.toString(16)}`;
  }
  if (got[8] !== want[8] || got[9] !== want[9]) return "tag word differs";
  const tags = want[8] | (want[9] << 8), top = (wf >> 11) & 7;
  for (let k = 0; k < 8; k++) {
    if (((tags >> (2 * ((top + k) & 7))) & 3) === 3) continue;
    const a = f80At(got, 28 + 10 * k), b = f80At(want, 28 + 10 * k);
    const ka = kindOf(a), kb = kindOf(b);
    if (ka === "qnan" || kb === "qnan" || ka === "snan" || kb === "snan") {
      if (a.mant !== b.mant || a.se !== b.se) return `ST${k} NaN differs`;
      continue;
    }
    const x = toNumber(a), y = toNumber(b);
    if (Object.is(x, y)) continue;
    if (Math.abs(x - y) > 2 ** -62 * Math.max(Math.abs(x), Math.abs(y))) {
      return `ST${k} want ${y} got ${x}`;
    }
  }
  return null;
}

export function runX87Case(c: X87Case): string | null {
  const ctx = new FakeContext();
  exec(ctx, "dbe3"); // fninit
  ctx.mem.write16(OPERAND, c.fcw);
  exec(ctx, "d96f20"); // fldcw [op]
  // depth 2: ST1, ST0; depth 8: seven copies of the ST1 value, then ST0 (a full stack).
  for (let k = 0; k < (c.depth === 8 ? 7 : c.depth === 2 ? 1 : 0); k++) {
    ctx.mem.writeBytes(OPERAND, hexToBytes(c.st1));
    exec(ctx, "db6f20"); // fld m80
  }
  if (c.depth >= 1) {
    ctx.mem.writeBytes(OPERAND, hexToBytes(c.st0));
    exec(ctx, "db6f20");
  }
  ctx.mem.writeBytes(OPERAND, hexToBytes(c.mem));
  ctx.rflags = 0x8d5 | 2;
  exec(ctx, c.code);
  const got = {
    omem: bytesToHex(ctx.mem.readBytes(OPERAND, 32)),
    orax: (ctx.regs[1] >>> 0) * 2 ** 32 + (ctx.regs[0] >>> 0),
    ofl: ctx.rflags & 0x8d5,
    save: "",
  };
  exec(ctx, "dd7720"); // fnsave [op]
  got.save = normalise(ctx.mem.readBytes(OPERAND, 108));
  let omem = c.omem;
  if (c.n === "fnstenv") {
    // The stored environment's instruction/data pointers are host addresses: not compared.
    omem = omem.slice(0, 24) + "0".repeat(32) + omem.slice(56);
    got.omem = got.omem.slice(0, 24) + "0".repeat(32) + got.omem.slice(56);
  }
  if (c.n.startsWith("approx_")) {
    if (!inApproxDomain(c)) return null;
    const approx = compareApprox(ctx.mem.readBytes(OPERAND, 108), hexToBytes(c.save));
    if (approx) {
      return `${c.n} ${c.code} fcw=${c.fcw.toString(16)} st0=${c.st0} st1=${c.st1}: ${approx}`;
    }
    got.save = normalise(hexToBytes(c.save)); // compared loosely above
  }
  const want = { omem, orax: c.orax, ofl: c.ofl, save: normalise(hexToBytes(c.save)) };
  for (const k of Object.keys(want) as (keyof typeof want)[]) {
    if (got[k] !== want[k]) {
      return `${c.n} ${c.code} fcw=${c.fcw.toString(16)} depth=${c.depth} st0=${c.st0} ` +
        `st1=${c.st1} mem=${c.mem.slice(0, 20)}: ${k}\n  want ${want[k]}\n  got  ${got[k]}`;
    }
  }
  return null;
}

Deno.test("x87 golden cases match the native FPU bit for bit", () => {
  ensureHandlers();
  assert.ok(cases.length > 1000, "golden file has cases");
  const failures: string[] = [];
  const byName = new Map<string, number>();
  for (const c of cases) {
    // fxam of an empty register reports the sign of stale register contents in C1: skip.
    if (c.n === "fxam" && c.depth === 0) continue;
    const f = runX87Case(c);
    if (f) {
      failures.push(f);
      byName.set(c.n, (byName.get(c.n) ?? 0) + 1);
    }
  }
  if (failures.length) {
    const summary = [...byName].map(([n, k]) => `${n}:${k}`).join(" ");
    assert.fail(
      `${failures.length}/${cases.length} mismatches [${summary}]\n` +
        failures.slice(0, 40).join("\n"),
    );
  }
});

Deno.test("x87 transcendentals match the native FPU bit for bit but for its own last-bit noise", () => {
  ensureHandlers();
  let exact = 0, total = 0;
  const failures: string[] = [];
  for (const c of cases) {
    if (!c.n.startsWith("approx_")) continue;
    // Renamed, the case is compared exactly (value, C1, PE/UE, everything).
    const f = runX87Case({ ...c, n: `exact_${c.n}` });
    total++;
    if (!f) exact++;
    else if (!["approx_fptan", "approx_fsincos", "approx_fyl2x"].includes(c.n)) failures.push(f);
  }
  assert.deepEqual(failures, []);
  // Measured: 304 of 320; the rest are C1 of fsincos/fptan and last-bit errors of the FPU.
  assert.ok(exact >= 304, `${exact}/${total} transcendental cases bit-exact`);
});

const gridCases: X87Case[] = JSON.parse(
  Deno.readTextFileSync(new URL("./testdata/x87_grid_golden.json", import.meta.url)),
);

/**
 * True when a failure is only the host FPU's own last-bit behaviour: C1 differs and/or one
 * register's significand differs by one unit, everything else (tags, TOP, other flags) equal.
 */
function lastBitOnly(c: X87Case): boolean {
  const ctx = new FakeContext();
  exec(ctx, "dbe3");
  ctx.mem.write16(OPERAND, c.fcw);
  exec(ctx, "d96f20");
  ctx.mem.writeBytes(OPERAND, hexToBytes(c.st1));
  exec(ctx, "db6f20");
  ctx.mem.writeBytes(OPERAND, hexToBytes(c.st0));
  exec(ctx, "db6f20");
  exec(ctx, c.code);
  exec(ctx, "dd7720");
  const got = hexToBytes(normalise(ctx.mem.readBytes(OPERAND, 108)));
  const want = hexToBytes(normalise(hexToBytes(c.save)));
  got[5] &= ~2;
  want[5] &= ~2;
  let units = 0;
  for (let k = 0; k < 8; k++) {
    const a = f80At(got, 28 + 10 * k), b = f80At(want, 28 + 10 * k);
    if (a.se !== b.se) return false;
    const d = a.mant - b.mant;
    if (d > 1n || d < -1n) return false;
    if (d !== 0n) units++;
  }
  return units <= 1 && bytesToHex(got.slice(0, 28)) === bytesToHex(want.slice(0, 28));
}

Deno.test("x87 transcendentals and packed BCD over the edge-value grid match the native FPU", () => {
  ensureHandlers();
  assert.ok(gridCases.length > 1500, "grid golden file has cases");
  const failures: string[] = [];
  const lastBit: string[] = [];
  for (const c of gridCases) {
    const f = runX87Case(c);
    if (!f) continue;
    const transcendental = !c.n.startsWith("grid_fb");
    (transcendental && lastBitOnly(c) ? lastBit : failures).push(f);
  }
  // Everything else is exact: special values, every exception flag, the x <= -1 and 67/68-bit
  // log behaviour of fyl2x/fyl2xp1, the 66-bit pi of the trig functions, fbld/fbstp.
  assert.deepEqual(failures, []);
  // Measured 21 of 1,633: cases where this FPU is off by one unit in the last place or sets C1
  // differently from the correctly rounded result (its internal approximations).
  assert.ok(lastBit.length <= 21, `${lastBit.length} last-bit differences:\n${lastBit.join("\n")}`);
});
