/**
 * x87 instruction handlers (one-byte opcodes D8..DF, plus 9B fwait). Each handler decodes ModRM
 * itself: memory forms by /digit, register forms by the full ModRM byte. The register stack, tags
 * and TOP live in SimdState; arithmetic is exact 80-bit (x87_float80.ts).
 *
 * Unmasked x87 exceptions only set ES/B in FSW (no deferred #MF is delivered).
 */
import type { ExecContext, Handler, Insn } from "./insn.ts";
import type { SimdState } from "./simd_state.ts";
import {
  addExact,
  BIAS,
  cmpExact,
  divExact,
  type Exact,
  type F80,
  F80_DEFAULT_NAN,
  fmt80,
  fromF32,
  fromF64,
  fromInt,
  isNaNKind,
  type Kind,
  kindOf,
  mulExact,
  pack80,
  roundTo,
  roundToInteger,
  roundToReg,
  signOf,
  sqrtExact,
  toExact,
  toF32,
  toF64,
  toInt,
  x87Status,
  X_DE,
  X_IE,
  X_PE,
  X_SF,
  X_UE,
  X_ZE,
} from "./x87_float80.ts";
import { x87Constants } from "./x87_constants.ts";
import {
  atan2Exact,
  exp2m1,
  piFixed,
  refine,
  scaleOf,
  sinCosExact,
  tanExact,
  topOf,
  yl2x,
  yl2xp1,
} from "./x87_transcendental.ts";

type Register = (op: number, h: Handler) => void;

const C0 = 0x100, C1 = 0x200, C2 = 0x400, C3 = 0x4000;
const CF = 1, PF = 4, AF = 0x10, ZF = 0x40, SF = 0x80, OF = 0x800;

// ---------------------------------------------------------------------------------------------
// Register stack.

const top = (s: SimdState) => (s.fsw >> 11) & 7;
const setTop = (s: SimdState, t: number) => (s.fsw = (s.fsw & ~0x3800) | ((t & 7) << 11));
const phys = (s: SimdState, i: number) => (top(s) + i) & 7;
const isEmpty = (s: SimdState, i: number) => (s.ftw & (1 << phys(s, i))) === 0;

function peek(s: SimdState, i: number): F80 {
  const p = phys(s, i);
  return { mant: s.fpMant[p], se: s.fpSignExp[p] };
}

function setSt(s: SimdState, i: number, v: F80): void {
  const p = phys(s, i);
  s.fpMant[p] = v.mant;
  s.fpSignExp[p] = v.se;
  s.ftw |= 1 << p;
}

/** Reads ST(i); an empty register is a stack underflow (IE|SF, C1=0) and reads as NaN. */
function readSt(s: SimdState, i: number): F80 | null {
  if (!isEmpty(s, i)) return peek(s, i);
  x87Status.exc |= X_IE | X_SF;
  underflow = true;
  return null;
}
let underflow = false;

function push(s: SimdState, v: F80): void {
  const t = (top(s) - 1) & 7;
  if (s.ftw & (1 << t)) {
    // Stack overflow: the masked response loads the indefinite NaN and sets C1.
    x87Status.exc |= X_IE | X_SF;
    overflow = true;
    v = F80_DEFAULT_NAN;
  }
  setTop(s, t);
  setSt(s, 0, v);
}
let overflow = false;

/**
 * For instructions that replace ST0 and push a second result (fxtract, fptan, fsincos): with no
 * free slot, the masked response is the indefinite NaN in both (returns true when so).
 */
function overflowsOnPush(s: SimdState): boolean {
  if (!(s.ftw & (1 << ((top(s) - 1) & 7)))) return false;
  setSt(s, 0, F80_DEFAULT_NAN);
  push(s, F80_DEFAULT_NAN);
  return true;
}

function pop(s: SimdState): void {
  s.ftw &= ~(1 << top(s));
  setTop(s, top(s) + 1);
}

/** Starts an instruction: clears the per-instruction status. */
function begin(): void {
  x87Status.exc = 0;
  x87Status.roundedUp = false;
  x87Status.denormalSource = false;
  underflow = overflow = false;
}

/**
 * Ends an instruction: merges exceptions into FSW (ES and B when any is unmasked) and sets C1 as
 * the instruction class says: "round" = rounded-up flag, "clear" = 0, "keep" = untouched.
 */
function finish(s: SimdState, c1: "round" | "clear" | "keep"): void {
  let exc = x87Status.exc;
  // An invalid operation or zero divide outranks a denormal operand.
  if (exc & (X_IE | X_ZE)) exc &= ~X_DE;
  let fsw = s.fsw | exc;
  if (c1 !== "keep" || underflow || overflow) {
    fsw &= ~C1;
    if (overflow || (c1 === "round" && !underflow && x87Status.roundedUp)) fsw |= C1;
  }
  if (exc & ~s.fcw & 0x3f) fsw |= 0x8080;
  s.fsw = fsw;
}

const rcOf = (s: SimdState) => (s.fcw >> 10) & 3;
function precOf(s: SimdState): number {
  const pc = (s.fcw >> 8) & 3;
  return pc === 0 ? 24 : pc === 2 ? 53 : 64;
}

// ---------------------------------------------------------------------------------------------
// Arithmetic with x87 special-value rules.

export const enum Op {
  Add,
  Mul,
  Sub,
  SubR,
  Div,
  DivR,
}

/**
 * Propagates NaN operands (x87 rules): SNaN -> IE; a QNaN beats an SNaN; between two NaNs of the
 * same kind the larger significand wins; the result is always quiet.
 */
function propagateNaN(a: F80, ka: Kind, b: F80, kb: Kind): F80 {
  if (ka === "snan" || kb === "snan") x87Status.exc |= X_IE;
  const q = (x: F80): F80 => ({ mant: x.mant | (1n << 62n), se: x.se });
  if (isNaNKind(ka) && isNaNKind(kb)) {
    if (ka !== kb) return q(ka === "qnan" ? a : b);
    if (a.mant !== b.mant) return q(a.mant > b.mant ? a : b);
    return q(signOf(a) === 0 ? a : b);
  }
  return q(isNaNKind(ka) ? a : b);
}

function invalid(): F80 {
  x87Status.exc |= X_IE;
  return F80_DEFAULT_NAN;
}

const inf = (sign: number): F80 => ({ mant: 1n << 63n, se: (sign << 15) | 0x7fff });
const zero = (sign: number): F80 => ({ mant: 0n, se: sign << 15 });

/** a op b (Sub = a - b, SubR = b - a, ...), rounded to the FCW precision and rounding. */
export function arith(s: SimdState, op: Op, a: F80, b: F80): F80 {
  if (op === Op.SubR || op === Op.DivR) [a, b] = [b, a];
  const sub = op === Op.Sub || op === Op.SubR;
  const ka = kindOf(a), kb = kindOf(b);
  if (ka === "unsupported" || kb === "unsupported") return invalid();
  if (isNaNKind(ka) || isNaNKind(kb)) return propagateNaN(a, ka, b, kb);
  const sa = signOf(a), sb = signOf(b) ^ (sub ? 1 : 0);
  const isDiv = op === Op.Div || op === Op.DivR;
  // A zero divisor (#Z) outranks a denormal operand (#D).
  const denormal = ka === "denormal" || kb === "denormal" || x87Status.denormalSource;
  if (denormal && !(isDiv && kb === "zero")) x87Status.exc |= X_DE;
  const rc = rcOf(s);
  switch (op) {
    case Op.Add:
    case Op.Sub:
    case Op.SubR:
      if (ka === "inf" || kb === "inf") {
        if (ka === "inf" && kb === "inf" && sa !== sb) return invalid();
        return inf(ka === "inf" ? sa : sb);
      }
      return roundToReg(addExact(toExact(a), { ...toExact(b), sign: sb }, rc), precOf(s), rc);
    case Op.Mul:
      if (ka === "inf" || kb === "inf") {
        if (ka === "zero" || kb === "zero") return invalid();
        return inf(sa ^ sb);
      }
      return roundToReg(mulExact(toExact(a), toExact(b)), precOf(s), rc);
    default:
      if (ka === "inf") return kb === "inf" ? invalid() : inf(sa ^ sb);
      if (kb === "inf") return zero(sa ^ sb);
      if (kb === "zero") {
        if (ka === "zero") return invalid();
        x87Status.exc |= X_ZE;
        return inf(sa ^ sb);
      }
      return roundToReg(divExact(toExact(a), toExact(b)), precOf(s), rc);
  }
}

/** Compares a and b; returns -1, 0, 1 or NaN for unordered (IE when signalling says so). */
function compare(a: F80, b: F80, quiet: boolean): number {
  const ka = kindOf(a), kb = kindOf(b);
  if (ka === "unsupported" || kb === "unsupported" || isNaNKind(ka) || isNaNKind(kb)) {
    if (!quiet || ka === "snan" || kb === "snan" || ka === "unsupported" || kb === "unsupported") {
      x87Status.exc |= X_IE;
    }
    return NaN;
  }
  if (ka === "denormal" || kb === "denormal" || x87Status.denormalSource) x87Status.exc |= X_DE;
  const va = ka === "inf" ? (signOf(a) ? -1 : 1) : 0, vb = kb === "inf" ? (signOf(b) ? -1 : 1) : 0;
  if (va || vb) return Math.sign(va - vb);
  return cmpExact(toExact(a), toExact(b));
}

function setCompareCodes(s: SimdState, r: number): void {
  s.fsw &= ~(C0 | C2 | C3);
  if (Number.isNaN(r)) s.fsw |= C0 | C2 | C3;
  else if (r < 0) s.fsw |= C0;
  else if (r === 0) s.fsw |= C3;
}

function setCompareFlags(ctx: ExecContext, r: number): void {
  let f = ctx.getRflags() & ~(CF | PF | AF | ZF | SF | OF);
  if (Number.isNaN(r)) f |= ZF | PF | CF;
  else if (r < 0) f |= CF;
  else if (r === 0) f |= ZF;
  ctx.setRflags(f);
}

// ---------------------------------------------------------------------------------------------
// Memory operands.

function loadM32(ctx: ExecContext, i: Insn): F80 {
  return fromF32(ctx.mem.read32(ctx.ea(i)) >>> 0);
}
function loadM64(ctx: ExecContext, i: Insn): F80 {
  const lo = ctx.mem.read64(ctx.ea(i));
  return fromF64((BigInt(ctx.mem.hi >>> 0) << 32n) | BigInt(lo >>> 0));
}
function loadM80(ctx: ExecContext, i: Insn): F80 {
  const a = ctx.ea(i);
  const lo = ctx.mem.read64(a);
  const hi = ctx.mem.hi;
  const se = ctx.mem.read16(a + 8);
  return { mant: (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0), se };
}
function loadInt(ctx: ExecContext, i: Insn, bytes: number): bigint {
  const a = ctx.ea(i);
  if (bytes === 2) return BigInt((ctx.mem.read16(a) << 16) >> 16);
  if (bytes === 4) return BigInt(ctx.mem.read32(a));
  const lo = ctx.mem.read64(a);
  return (BigInt(ctx.mem.hi) << 32n) | BigInt(lo >>> 0);
}
function storeM80(ctx: ExecContext, a: number, v: F80): void {
  ctx.mem.checkWritable(a, 10);
  ctx.mem.write64(a, Number(v.mant & 0xffffffffn) | 0, Number(v.mant >> 32n) | 0);
  ctx.mem.write16(a + 8, v.se);
}
function storeInt(ctx: ExecContext, a: number, bytes: number, v: bigint): void {
  if (bytes === 2) ctx.mem.write16(a, Number(BigInt.asIntN(16, v)));
  else if (bytes === 4) ctx.mem.write32(a, Number(BigInt.asIntN(32, v)));
  else ctx.mem.write64(a, Number(BigInt.asIntN(32, v)), Number(BigInt.asIntN(32, v >> 32n)));
}

// ---------------------------------------------------------------------------------------------
// Instruction groups.

const DIGIT_OPS = [Op.Add, Op.Mul, -1, -1, Op.Sub, Op.SubR, Op.Div, Op.DivR];

/** D8/DC/DA/DE memory forms: ST0 = ST0 op mem (fcom/fcomp for /2 /3). */
function memArith(ctx: ExecContext, i: Insn, load: () => F80): void {
  const s = ctx.simd;
  begin(); // before the load: converting the operand can already raise IE/DE
  const m = load();
  const digit = i.reg & 7;
  const st0 = readSt(s, 0);
  if (digit === 2 || digit === 3) {
    const r = st0 ? compare(st0, m, false) : NaN;
    setCompareCodes(s, r);
    if (digit === 3) pop(s);
    return finish(s, "clear");
  }
  setSt(s, 0, st0 ? arith(s, DIGIT_OPS[digit], st0, m) : F80_DEFAULT_NAN);
  finish(s, "round");
}

/** D8 / DC / DE register forms. `toSti` = result goes to ST(i) (DC/DE); `popAfter` for DE. */
function regArith(ctx: ExecContext, i: Insn, toSti: boolean, popAfter: boolean): void {
  const s = ctx.simd;
  begin();
  let digit = i.reg & 7;
  const sti = i.rm & 7;
  if (digit === 2 || digit === 3) {
    const a = readSt(s, 0), b = readSt(s, sti);
    setCompareCodes(s, a && b ? compare(a, b, false) : NaN);
    if (digit === 3) pop(s);
    if (popAfter) pop(s);
    return finish(s, "clear");
  }
  if (toSti && digit >= 4) digit ^= 1; // DC/DE swap sub/subr and div/divr
  const a = readSt(s, toSti ? sti : 0), b = readSt(s, toSti ? 0 : sti);
  setSt(s, toSti ? sti : 0, a && b ? arith(s, DIGIT_OPS[digit], a, b) : F80_DEFAULT_NAN);
  if (popAfter) pop(s);
  finish(s, "round");
}

/** fst/fstp to memory of `bytes` size as float, int (fist/fisttp) or m80. */
function storeTo(
  ctx: ExecContext,
  i: Insn,
  kind: "f32" | "f64" | "f80" | "int" | "intTrunc",
  bytes: number,
  popAfter: boolean,
): void {
  const s = ctx.simd;
  const a = ctx.ea(i);
  begin();
  const v = readSt(s, 0) ?? F80_DEFAULT_NAN;
  const rc = rcOf(s);
  switch (kind) {
    case "f32":
      ctx.mem.write32(a, toF32(v, rc) | 0);
      break;
    case "f64": {
      const b = toF64(v, rc);
      ctx.mem.write64(a, Number(b & 0xffffffffn) | 0, Number(b >> 32n) | 0);
      break;
    }
    case "f80":
      storeM80(ctx, a, v);
      break;
    default: {
      const n = toInt(v, bytes * 8, kind === "intTrunc" ? 3 : rc);
      storeInt(ctx, a, bytes, n ?? -(1n << BigInt(bytes * 8 - 1)));
    }
  }
  if (popAfter) pop(s);
  finish(s, "round");
}

/**
 * fbld: 18 packed BCD digits (least significant byte first) and a sign bit in byte 9. A nibble
 * above 9 counts with its binary value, as the host FPU does.
 */
function loadBcd(ctx: ExecContext, a: number): F80 {
  const b = ctx.mem.readBytes(a, 10);
  let v = 0n;
  for (let k = 8; k >= 0; k--) v = v * 100n + BigInt((b[k] >> 4) * 10 + (b[k] & 15));
  const r = fromInt(v);
  return b[9] & 0x80 ? { mant: r.mant, se: r.se | 0x8000 } : r;
}

/** fbstp: ST0 rounded by RC to 18 BCD digits, then pop; NaN, infinity or overflow store the BCD
 * indefinite with IE. */
function storeBcd(ctx: ExecContext, i: Insn): void {
  const s = ctx.simd;
  const a = ctx.ea(i);
  begin();
  const v = readSt(s, 0) ?? F80_DEFAULT_NAN;
  const out = new Uint8Array(10);
  const n = toInt(v, 64, rcOf(s));
  const mag = n === null ? -1n : n < 0n ? -n : n;
  if (n === null || mag >= 10n ** 18n) {
    x87Status.exc = (x87Status.exc & ~X_PE) | X_IE;
    x87Status.roundedUp = false;
    out.set([0xc0, 0xff, 0xff], 7);
  } else {
    let m = mag;
    for (let k = 0; k < 9; k++) {
      const pair = Number(m % 100n);
      m /= 100n;
      out[k] = ((pair / 10) | 0) << 4 | pair % 10;
    }
    out[9] = signOf(v) ? 0x80 : 0;
  }
  ctx.mem.writeBytes(a, out);
  pop(s);
  finish(s, "round");
}

function loadPush(ctx: ExecContext, load: () => F80, raw = false): void {
  begin();
  let v = load();
  if (x87Status.denormalSource) x87Status.exc |= X_DE;
  if (!raw && kindOf(v) === "snan") {
    // fld m32/m64 of an SNaN: IE and a quiet copy (fld m80 loads the bits unchanged).
    x87Status.exc |= X_IE;
    v = { mant: v.mant | (1n << 62n), se: v.se };
  }
  push(ctx.simd, v);
  finish(ctx.simd, "clear");
}

/** Full 2-bit tag word from register contents (00 valid, 01 zero, 10 special, 11 empty). */
function fullTagWord(s: SimdState): number {
  let tw = 0;
  for (let r = 0; r < 8; r++) {
    let t = 3;
    if (s.ftw & (1 << r)) {
      const k = kindOf({ mant: s.fpMant[r], se: s.fpSignExp[r] });
      t = k === "zero" ? 1 : k === "normal" ? 0 : 2;
    }
    tw |= t << (2 * r);
  }
  return tw;
}

/** fnstenv / fnsave environment (32-bit protected-mode layout, 28 bytes). */
function storeEnv(ctx: ExecContext, a: number): void {
  const s = ctx.simd, m = ctx.mem;
  m.checkWritable(a, 28);
  m.write32(a, s.fcw | 0xffff0000);
  m.write32(a + 4, s.fsw | 0xffff0000);
  m.write32(a + 8, fullTagWord(s) | 0xffff0000);
  m.write32(a + 12, 0);
  m.write32(a + 16, 0);
  m.write32(a + 20, 0);
  m.write32(a + 24, 0xffff0000 | 0);
}

function loadEnv(ctx: ExecContext, a: number): void {
  const s = ctx.simd, m = ctx.mem;
  const fcw = m.read16(a), fsw = m.read16(a + 4), tw = m.read16(a + 8);
  m.checkReadable(a, 28);
  s.fcw = fcwValue(fcw);
  s.fsw = fsw;
  let ftw = 0;
  for (let r = 0; r < 8; r++) if (((tw >> (2 * r)) & 3) !== 3) ftw |= 1 << r;
  s.ftw = ftw;
}

/** FCW as loaded: reserved bits 7 and 13..15 read as 0, bit 6 as 1 (measured on the host). */
const fcwValue = (v: number) => (v & 0x1f7f) | 0x40;

function fninit(s: SimdState): void {
  s.fcw = 0x37f;
  s.fsw = 0;
  s.ftw = 0;
  s.fop = 0;
}

// ---------------------------------------------------------------------------------------------
// D9 register forms: loads, fxch, sign ops, constants, misc.

function constant(s: SimdState, name: string): F80 {
  if (name === "one") return fromInt(1n);
  if (name === "zero") return zero(0);
  const c = x87Constants()[name];
  // The rounding mode applies, but loading a constant never reports an inexact result.
  const exc = x87Status.exc;
  const v = pack80(roundTo(c, fmt80(64), rcOf(s)));
  x87Status.exc = exc;
  return v;
}
const D9_CONSTANTS: Record<number, string> = {
  0xe8: "one",
  0xe9: "l2t",
  0xea: "l2e",
  0xeb: "pi",
  0xec: "lg2",
  0xed: "ln2",
  0xee: "zero",
};

function fxam(s: SimdState): void {
  let codes: number;
  const v = peek(s, 0);
  if (isEmpty(s, 0)) codes = C3 | C0;
  else {
    const k = kindOf(v);
    codes = k === "unsupported"
      ? 0
      : isNaNKind(k)
      ? C0
      : k === "normal"
      ? C2
      : k === "inf"
      ? C2 | C0
      : k === "zero"
      ? C3
      : C3 | C2;
  }
  s.fsw = (s.fsw & ~(C0 | C1 | C2 | C3)) | codes | (signOf(v) ? C1 : 0);
}

/** Replaces ST0 by f(ST0) (result already an F80); NaN operands propagate. */
function unary(s: SimdState, f: (x: F80, k: Kind) => F80): void {
  const x = readSt(s, 0);
  if (!x) return setSt(s, 0, F80_DEFAULT_NAN);
  const k = kindOf(x);
  if (k === "unsupported") return setSt(s, 0, invalid());
  if (isNaNKind(k)) return setSt(s, 0, propagateNaN(x, k, x, k));
  if (k === "denormal") x87Status.exc |= X_DE;
  setSt(s, 0, f(x, k));
}

function fsqrt(s: SimdState): void {
  unary(s, (x, k) => {
    if (k === "zero") return x;
    if (signOf(x)) return invalid();
    if (k === "inf") return x;
    return roundToReg(sqrtExact(toExact(x)), precOf(s), rcOf(s));
  });
}

function frndint(s: SimdState): void {
  unary(s, (x, k) => {
    if (k === "zero" || k === "inf") return x;
    const r = roundToInteger(toExact(x), rcOf(s));
    if (r.q === 0n) return zero(signOf(x));
    const up = x87Status.roundedUp;
    const v = roundToReg({ sign: r.sign, m: r.q, e: r.qe }, 64, 0);
    x87Status.roundedUp = up;
    return v;
  });
}

function fscale(s: SimdState): void {
  const b = readSt(s, 1);
  const a = readSt(s, 0);
  if (!a || !b) return setSt(s, 0, F80_DEFAULT_NAN);
  const ka = kindOf(a), kb = kindOf(b);
  if (ka === "unsupported" || kb === "unsupported") return setSt(s, 0, invalid());
  if (isNaNKind(ka) || isNaNKind(kb)) return setSt(s, 0, propagateNaN(a, ka, b, kb));
  if (kb === "denormal") x87Status.exc |= X_DE;
  unary(s, (x, k) => {
    if (kb === "inf") {
      if (signOf(b)) return k === "inf" ? invalid() : k === "zero" ? x : zero(signOf(x));
      return k === "zero" ? invalid() : inf(signOf(x));
    }
    if (k === "zero" || k === "inf") return x;
    const n = toExact(b);
    const t = roundToInteger(n, 3);
    let shift = Number(t.q << BigInt(t.qe));
    if (!Number.isFinite(shift) || shift > 100000) shift = 100000;
    if (t.sign) shift = -shift;
    x87Status.exc &= ~0x20; // truncating the scale factor is not an inexact result
    const e = toExact(x);
    return roundToReg({ ...e, e: e.e + shift }, 64, rcOf(s)); // precision control does not apply
  });
}

function fxtract(s: SimdState): void {
  if (overflowsOnPush(s)) return;
  const x = readSt(s, 0);
  if (!x) {
    setSt(s, 0, F80_DEFAULT_NAN);
    return push(s, F80_DEFAULT_NAN);
  }
  const k = kindOf(x);
  let expPart: F80, sig: F80;
  if (isNaNKind(k) || k === "unsupported") {
    expPart = sig = k === "unsupported" ? invalid() : propagateNaN(x, k, x, k);
  } else if (k === "zero") {
    x87Status.exc |= X_ZE;
    expPart = inf(1);
    sig = x;
  } else if (k === "inf") {
    expPart = inf(0);
    sig = x;
  } else {
    const e = toExact(x);
    const len = e.m.toString(2).length;
    expPart = fromInt(BigInt(e.e + len - 1));
    sig = pack80(roundTo({ sign: e.sign, m: e.m, e: 1 - len }, fmt80(64), 0));
    if (k === "denormal") x87Status.exc |= X_DE;
  }
  setSt(s, 0, expPart);
  push(s, sig);
}

/** fprem (ieee=false, truncating quotient) and fprem1 (ieee=true, nearest quotient). */
function fprem(s: SimdState, ieee: boolean): void {
  const a = readSt(s, 0), b = readSt(s, 1);
  if (!a || !b) return setSt(s, 0, F80_DEFAULT_NAN);
  const ka = kindOf(a), kb = kindOf(b);
  s.fsw &= ~C2;
  if (ka === "unsupported" || kb === "unsupported") return setSt(s, 0, invalid());
  if (isNaNKind(ka) || isNaNKind(kb)) return setSt(s, 0, propagateNaN(a, ka, b, kb));
  if (ka === "inf" || kb === "zero") return setSt(s, 0, invalid());
  if (ka === "denormal" || kb === "denormal") x87Status.exc |= X_DE;
  if (ka === "zero" || kb === "inf") {
    s.fsw &= ~(C0 | C1 | C3);
    return setSt(s, 0, a);
  }
  const ea = toExact(a), eb = toExact(b);
  const ta = ea.e + ea.m.toString(2).length - 1, tb = eb.e + eb.m.toString(2).length - 1;
  const d = ta - tb;
  const e = Math.min(ea.e, eb.e);
  const ma = ea.m << BigInt(ea.e - e);
  let mb = eb.m << BigInt(eb.e - e);
  let partial = false;
  if (d >= 64) {
    // Partial remainder (C2 = 1): the exponent gap shrinks by a multiple of 32, leaving
    // N = 32 + (d - 32) mod 32 bits of quotient — the choice measured on the host FPU.
    partial = true;
    mb <<= BigInt(d - 32 - ((d - 32) % 32));
  }
  let q = ma / mb;
  let r = ma - q * mb;
  let rsign = ea.sign;
  if (ieee && !partial && (2n * r > mb || (2n * r === mb && (q & 1n) === 1n))) {
    q++;
    r = mb - r;
    rsign ^= 1;
  }
  const res = r === 0n ? zero(ea.sign) : roundToReg({ sign: rsign, m: r, e }, 64, 0);
  setSt(s, 0, res);
  if (partial) s.fsw |= C2;
  else {
    s.fsw &= ~(C0 | C1 | C3);
    if (q & 4n) s.fsw |= C0;
    if (q & 2n) s.fsw |= C3;
    if (q & 1n) s.fsw |= C1;
  }
}

// ---------------------------------------------------------------------------------------------
// Transcendentals: exact BigInt arithmetic (x87_transcendental.ts) shaped like the host FPU: trig
// reduced by its 66-bit pi, logs through its 68-bit intermediate; special operands and flags
// as measured on it (testdata/x87_grid_golden.json).

/** fsin, fcos, fsincos, fptan: |x| >= 2^63 leaves ST0 alone and sets C2. */
function trig(s: SimdState, m: number): void {
  const pushes = m === 0xf2 || m === 0xfb;
  s.fsw &= ~C2;
  if (pushes && overflowsOnPush(s)) return;
  const x = readSt(s, 0);
  if (!x) {
    setSt(s, 0, F80_DEFAULT_NAN);
    if (pushes) push(s, F80_DEFAULT_NAN);
    return;
  }
  const k = kindOf(x);
  let first: F80, second: F80 = F80_DEFAULT_NAN;
  if (k === "unsupported" || k === "inf") first = second = invalid();
  else if (isNaNKind(k)) first = second = propagateNaN(x, k, x, k);
  else {
    if (x.se & 0x7fff) {
      const top = (x.se & 0x7fff) - BIAS;
      if (top >= 63) {
        s.fsw |= C2;
        return;
      }
    }
    if (k === "denormal") x87Status.exc |= X_DE;
    const zero = k === "zero", rc = rcOf(s);
    // Precision control does not apply to transcendentals: always 64-bit significands.
    const e = toExact(x), sc = scaleOf(e);
    const sin = () => zero ? x : roundTranscendental(refine((n) => sinCosExact(e, n).sin, sc), rc);
    const cos = () =>
      zero ? fromInt(1n) : roundTranscendental(refine((n) => sinCosExact(e, n).cos, sc), rc);
    if (m === 0xfe) first = sin();
    else if (m === 0xff) first = cos();
    else if (m === 0xfb) {
      // C1 reports the rounding of the value left in ST0 (the cosine, pushed last).
      first = sin();
      second = cos();
    } else {
      first = zero ? x : roundTranscendental(refine((n) => tanExact(e, n), sc), rc);
      second = fromInt(1n);
    }
  }
  setSt(s, 0, first);
  if (pushes) push(s, second);
}

/**
 * Rounds a transcendental's exact result. Precision control does not apply (always 64 bits).
 * Correct rounding matches the host FPU on most arguments; it is within 1 ulp elsewhere.
 */
function roundTranscendental(e: Exact, rc: number): F80 {
  return roundToReg(e, 64, rc);
}

/**
 * fpatan: atan2(ST1, ST0) with the IEEE table for zeros and infinities; multiples of pi/4 come
 * rounded from the exact constant, not from a double.
 */
function fpatan(x: F80, kx: Kind, y: F80, ky: Kind, rc: number): F80 {
  const sy = signOf(y), sx = signOf(x);
  const piFrac = (num: bigint, den: bigint): F80 => {
    const f = 256;
    return roundToReg({ sign: sy, m: piFixed(f) * num / den, e: -f }, 64, rc);
  };
  if (ky === "zero") return sx ? piFrac(1n, 1n) : y; // atan2(+-0, +x) = +-0, (+-0, -x) = +-pi
  if (ky === "inf") {
    if (kx === "inf") return sx ? piFrac(3n, 4n) : piFrac(1n, 4n);
    return piFrac(1n, 2n);
  }
  if (kx === "inf") return sx ? piFrac(1n, 1n) : zero(sy);
  if (kx === "zero") return piFrac(1n, 2n);
  const ey = toExact(y), ex = toExact(x);
  // A tiny |y/x| needs the cubic term of atan to round (and flag PE) correctly: its scale is
  // twice the ratio's exponent.
  const ratio = topOf(ey) - topOf(ex);
  const scale = Math.max(0, scaleOf(ey) - scaleOf(ex), -2 * ratio);
  return roundTranscendental(refine((n) => atan2Exact(ey, ex, n), scale), rc);
}

function f2xm1(s: SimdState): void {
  unary(s, (x, k) => {
    if (k === "zero") return x;
    if (k === "inf") return signOf(x) ? fromInt(-1n) : x;
    // The documented domain is |x| <= 1; beyond it the FPU's result is undefined.
    const ex = x.se & 0x7fff;
    if (ex < BIAS || (ex === BIAS && x.mant === 1n << 63n)) {
      const e = toExact(x);
      return roundTranscendental(refine((n) => exp2m1(e, n), scaleOf(e)), rcOf(s));
    }
    // Outside the documented domain |x| <= 1 the host FPU leaves ST0 as it was (inexact).
    x87Status.exc |= X_PE;
    return x;
  });
}

/**
 * fyl2x: y * log2(x). The IEEE table of the host FPU: negative x (not -0) and 0 * inf are
 * invalid, finite y over a zero x divides by zero; DE only when a result is produced from a
 * denormal operand.
 */
function fyl2x(x: F80, kx: Kind, y: F80, ky: Kind, rc: number): F80 {
  const sx = signOf(x), sy = signOf(y);
  const denormal = () => {
    if (kx === "denormal" || ky === "denormal") x87Status.exc |= X_DE;
  };
  if (sx && kx !== "zero") return invalid();
  if (kx === "zero") {
    if (ky === "zero") return invalid();
    if (ky === "inf") return inf(sy ^ 1);
    x87Status.exc |= X_ZE;
    return inf(sy ^ 1);
  }
  if (kx === "inf") {
    if (ky === "zero") return invalid();
    denormal();
    return inf(sy);
  }
  const one = x.se === BIAS && x.mant === 1n << 63n;
  if (one && ky === "inf") return invalid();
  denormal();
  const below1 = (x.se & 0x7fff) < BIAS ? 1 : 0;
  if (one || ky === "zero") return zero(one ? sy : sy ^ below1);
  if (ky === "inf") return inf(sy ^ below1);
  const ex = toExact(x);
  const log = hostIntermediate(refine((n) => yl2x(EXACT_ONE, ex, n), 0), 68);
  return alwaysInexact(roundTranscendental(mulExact(toExact(y), log), rc));
}

/** fyl2x and fyl2xp1 report PE even for exact logs (log2 of a power of two), so UE for any
 * tiny result, as the host FPU does. */
function alwaysInexact(r: F80): F80 {
  x87Status.exc |= X_PE;
  if ((r.se & 0x7fff) === 0) x87Status.exc |= X_UE;
  return r;
}

const EXACT_ONE: Exact = { sign: 0, m: 1n, e: 0 };

/**
 * The host FPU multiplies y by a log2 it has rounded to nearest at a few bits beyond the
 * significand. 68 bits reproduce its results best: 1,319 of 1,342 measured fyl2x results and
 * C1 in 1,292 (correct rounding of the exact product: 1,317 and 1,259); its log2 itself is not
 * exactly a rounded value, so the rest differ in the last bit. An inexact log sets PE even when
 * the product is exact.
 */
function hostIntermediate(e: Exact, bits: number): Exact {
  const wide = 1 << 20;
  const r = roundTo(e, { prec: bits, emin: -wide, emax: wide, qmin: -wide }, 0);
  return { sign: r.sign, m: r.q, e: r.qe };
}

/**
 * fyl2xp1: y * log2(1 + x). Outside the documented |x| < 1 - sqrt(2)/2 the host FPU still
 * computes the function for x > -1, and for x <= -1 returns x itself (inexact).
 */
function fyl2xp1(x: F80, kx: Kind, y: F80, ky: Kind, rc: number): F80 {
  const sx = signOf(x), sy = signOf(y);
  const denormal = () => {
    if (kx === "denormal" || ky === "denormal") x87Status.exc |= X_DE;
  };
  if (kx === "inf") {
    if (sx || ky === "zero") return invalid();
    denormal();
    return inf(sy);
  }
  if (kx === "zero" && ky === "inf") return invalid();
  denormal();
  if (kx === "zero" || ky === "zero") return zero(sx ^ sy);
  if (ky === "inf") return inf(sx ^ sy);
  const ex = toExact(x);
  const e = x.se & 0x7fff;
  if (sx && e >= BIAS) {
    x87Status.exc |= X_PE; // x <= -1
    return x;
  }
  const log = e < BIAS - 1
    ? refine((n) => yl2xp1(EXACT_ONE, ex, n), scaleOf(ex))
    : refine((n) => yl2x(EXACT_ONE, addExact(EXACT_ONE, ex, rc), n), 0);
  return alwaysInexact(roundTranscendental(mulExact(toExact(y), hostIntermediate(log, 68)), rc));
}

/** fyl2x, fyl2xp1 and fpatan: ST1 = f(ST1, ST0), then pop. */
function binaryPop(s: SimdState, m: number): void {
  const x = readSt(s, 0), y = readSt(s, 1);
  let r: F80;
  if (!x || !y) r = F80_DEFAULT_NAN;
  else {
    const kx = kindOf(x), ky = kindOf(y);
    if (kx === "unsupported" || ky === "unsupported") r = invalid();
    else if (isNaNKind(kx) || isNaNKind(ky)) r = propagateNaN(x, kx, y, ky);
    else if (m === 0xf1) r = fyl2x(x, kx, y, ky, rcOf(s));
    else if (m === 0xf9) r = fyl2xp1(x, kx, y, ky, rcOf(s));
    else {
      if (kx === "denormal" || ky === "denormal") x87Status.exc |= X_DE;
      r = fpatan(x, kx, y, ky, rcOf(s));
    }
  }
  setSt(s, 1, r);
  pop(s);
}

function regD9(ctx: ExecContext, i: Insn): void {
  const s = ctx.simd;
  const m = i.modrm;
  begin();
  if (m >= 0xc0 && m <= 0xc7) {
    const v = readSt(s, m & 7);
    push(s, v ?? F80_DEFAULT_NAN);
    return finish(s, "clear");
  }
  if (m >= 0xc8 && m <= 0xcf) {
    const a = readSt(s, 0), b = readSt(s, m & 7);
    setSt(s, 0, b ?? F80_DEFAULT_NAN);
    setSt(s, m & 7, a ?? F80_DEFAULT_NAN);
    return finish(s, "clear");
  }
  if (D9_CONSTANTS[m] !== undefined) {
    push(s, constant(s, D9_CONSTANTS[m]));
    return finish(s, "clear");
  }
  switch (m) {
    case 0xd0: // fnop
      return;
    case 0xe0: // fchs
    case 0xe1: { // fabs
      const x = readSt(s, 0);
      if (x) setSt(s, 0, { mant: x.mant, se: m === 0xe0 ? x.se ^ 0x8000 : x.se & 0x7fff });
      else setSt(s, 0, F80_DEFAULT_NAN);
      return finish(s, "clear");
    }
    case 0xe4: { // ftst
      const x = readSt(s, 0);
      setCompareCodes(s, x ? compare(x, zero(0), false) : NaN);
      return finish(s, "clear");
    }
    case 0xe5:
      return fxam(s);
    case 0xf0:
      f2xm1(s);
      return finish(s, "round");
    case 0xf1: // fyl2x
    case 0xf3: // fpatan
    case 0xf9: // fyl2xp1
      binaryPop(s, m);
      return finish(s, "round");
    case 0xf2: // fptan
    case 0xfb: // fsincos
    case 0xfe: // fsin
    case 0xff: // fcos
      trig(s, m);
      return finish(s, "round");
    case 0xf4:
      fxtract(s);
      return finish(s, "clear");
    case 0xf5:
    case 0xf8:
      fprem(s, m === 0xf5);
      return finish(s, "keep");
    case 0xf6:
      setTop(s, top(s) - 1);
      return finish(s, "clear");
    case 0xf7:
      setTop(s, top(s) + 1);
      return finish(s, "clear");
    case 0xfa:
      fsqrt(s);
      return finish(s, "round");
    case 0xfc:
      frndint(s);
      return finish(s, "round");
    case 0xfd:
      fscale(s);
      return finish(s, "round");
    default:
      return ctx.raise("invalid_opcode");
  }
}

// ---------------------------------------------------------------------------------------------
// Opcode handlers.

const opD8: Handler = (ctx, i) =>
  i.mod === 3 ? regArith(ctx, i, false, false) : memArith(ctx, i, () => loadM32(ctx, i));

const opDC: Handler = (ctx, i) =>
  i.mod === 3 ? regArith(ctx, i, true, false) : memArith(ctx, i, () => loadM64(ctx, i));

const opDA: Handler = (ctx, i) => {
  if (i.mod !== 3) return memArith(ctx, i, () => fromInt(loadInt(ctx, i, 4)));
  const m = i.modrm;
  if (m === 0xe9) return fcompp(ctx, true);
  if (m >= 0xe0) return ctx.raise("invalid_opcode");
  fcmov(ctx, i, false);
};

const opDE: Handler = (ctx, i) => {
  if (i.mod !== 3) return memArith(ctx, i, () => fromInt(loadInt(ctx, i, 2)));
  const m = i.modrm;
  if (m === 0xd9) return fcompp(ctx, false);
  if (m >= 0xd0 && m <= 0xdf) return ctx.raise("invalid_opcode");
  regArith(ctx, i, true, true);
};

function fcompp(ctx: ExecContext, quiet: boolean): void {
  const s = ctx.simd;
  begin();
  const a = readSt(s, 0), b = readSt(s, 1);
  setCompareCodes(s, a && b ? compare(a, b, quiet) : NaN);
  pop(s);
  pop(s);
  finish(s, "clear");
}

/** fcmovcc (DA: b/e/be/u; DB: the negations). */
function fcmov(ctx: ExecContext, i: Insn, negate: boolean): void {
  const s = ctx.simd;
  const f = ctx.getRflags();
  const cc = [f & CF, f & ZF, f & (CF | ZF), f & PF][(i.reg & 7) & 3];
  begin();
  const v = readSt(s, i.rm & 7);
  // An empty source is a stack fault whatever the condition: ST0 gets the indefinite NaN.
  if (!v) setSt(s, 0, F80_DEFAULT_NAN);
  else if ((cc !== 0) !== negate) setSt(s, 0, v);
  finish(s, "clear");
}

/** fcomi/fucomi (DB), fcomip/fucomip (DF): EFLAGS from the compare. */
function fcomi(ctx: ExecContext, i: Insn, quiet: boolean, popAfter: boolean): void {
  const s = ctx.simd;
  begin();
  const a = readSt(s, 0), b = readSt(s, i.rm & 7);
  setCompareFlags(ctx, a && b ? compare(a, b, quiet) : NaN);
  if (popAfter) pop(s);
  finish(s, "clear");
}

const opD9: Handler = (ctx, i) => {
  if (i.mod === 3) return regD9(ctx, i);
  const s = ctx.simd;
  switch (i.reg & 7) {
    case 0:
      return loadPush(ctx, () => loadM32(ctx, i));
    case 2:
      return storeTo(ctx, i, "f32", 4, false);
    case 3:
      return storeTo(ctx, i, "f32", 4, true);
    case 4:
      return loadEnv(ctx, ctx.ea(i));
    case 5:
      s.fcw = fcwValue(ctx.mem.read16(ctx.ea(i)));
      return;
    case 6:
      storeEnv(ctx, ctx.ea(i));
      s.fcw |= 0x3f; // fnstenv masks all exceptions afterwards
      return;
    case 7:
      return ctx.mem.write16(ctx.ea(i), s.fcw);
    default:
      return ctx.raise("invalid_opcode");
  }
};

const opDB: Handler = (ctx, i) => {
  const s = ctx.simd;
  if (i.mod !== 3) {
    switch (i.reg & 7) {
      case 0:
        return loadPush(ctx, () => fromInt(loadInt(ctx, i, 4)));
      case 1:
        return storeTo(ctx, i, "intTrunc", 4, true);
      case 2:
        return storeTo(ctx, i, "int", 4, false);
      case 3:
        return storeTo(ctx, i, "int", 4, true);
      case 5:
        return loadPush(ctx, () => loadM80(ctx, i), true);
      case 7:
        return storeTo(ctx, i, "f80", 10, true);
      default:
        return ctx.raise("invalid_opcode");
    }
  }
  const m = i.modrm;
  if (m < 0xe0) return fcmov(ctx, i, true);
  if (m === 0xe2) {
    s.fsw &= ~0x80ff;
    return;
  }
  if (m === 0xe3) return fninit(s);
  if (m === 0xe0 || m === 0xe1 || m === 0xe4) return; // fneni/fndisi/fnsetpm: no-ops
  if (m >= 0xe8 && m <= 0xef) return fcomi(ctx, i, true, false);
  if (m >= 0xf0 && m <= 0xf7) return fcomi(ctx, i, false, false);
  ctx.raise("invalid_opcode");
};

const opDD: Handler = (ctx, i) => {
  const s = ctx.simd;
  if (i.mod !== 3) {
    switch (i.reg & 7) {
      case 0:
        return loadPush(ctx, () => loadM64(ctx, i));
      case 1:
        return storeTo(ctx, i, "intTrunc", 8, true);
      case 2:
        return storeTo(ctx, i, "f64", 8, false);
      case 3:
        return storeTo(ctx, i, "f64", 8, true);
      case 4: { // frstor
        const a = ctx.ea(i);
        ctx.mem.checkReadable(a, 108);
        const regs: F80[] = [];
        for (let k = 0; k < 8; k++) {
          const lo = ctx.mem.read64(a + 28 + 10 * k);
          const hi = ctx.mem.hi;
          regs.push({
            mant: (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0),
            se: ctx.mem.read16(a + 28 + 10 * k + 8),
          });
        }
        loadEnv(ctx, a);
        const ftw = s.ftw;
        regs.forEach((v, k) => setSt(s, k, v));
        s.ftw = ftw;
        return;
      }
      case 6: { // fnsave
        const a = ctx.ea(i);
        ctx.mem.checkWritable(a, 108);
        storeEnv(ctx, a);
        for (let k = 0; k < 8; k++) storeM80(ctx, a + 28 + 10 * k, peek(s, k));
        return fninit(s);
      }
      case 7:
        return ctx.mem.write16(ctx.ea(i), s.fsw);
      default:
        return ctx.raise("invalid_opcode");
    }
  }
  const m = i.modrm, r = m & 7;
  begin();
  if (m <= 0xc7) {
    s.ftw &= ~(1 << phys(s, r)); // ffree
    return;
  }
  if (m >= 0xd0 && m <= 0xdf) { // fst / fstp st(i)
    const v = readSt(s, 0);
    setSt(s, r, v ?? F80_DEFAULT_NAN);
    if (m >= 0xd8) pop(s);
    return finish(s, "clear");
  }
  if (m >= 0xe0 && m <= 0xef) { // fucom / fucomp
    const a = readSt(s, 0), b = readSt(s, r);
    setCompareCodes(s, a && b ? compare(a, b, true) : NaN);
    if (m >= 0xe8) pop(s);
    return finish(s, "clear");
  }
  ctx.raise("invalid_opcode");
};

const opDF: Handler = (ctx, i) => {
  const s = ctx.simd;
  if (i.mod !== 3) {
    switch (i.reg & 7) {
      case 0:
        return loadPush(ctx, () => fromInt(loadInt(ctx, i, 2)));
      case 1:
        return storeTo(ctx, i, "intTrunc", 2, true);
      case 2:
        return storeTo(ctx, i, "int", 2, false);
      case 3:
        return storeTo(ctx, i, "int", 2, true);
      case 5:
        return loadPush(ctx, () => fromInt(loadInt(ctx, i, 8)));
      case 4:
        return loadPush(ctx, () => loadBcd(ctx, ctx.ea(i)));
      case 6:
        return storeBcd(ctx, i);
      case 7:
        return storeTo(ctx, i, "int", 8, true);
    }
  }
  const m = i.modrm;
  if (m === 0xe0) {
    ctx.regs[0] = (ctx.regs[0] & ~0xffff) | s.fsw;
    return;
  }
  if (m <= 0xc7) { // ffreep
    s.ftw &= ~(1 << phys(s, m & 7));
    setTop(s, top(s) + 1);
    return;
  }
  if (m >= 0xe8 && m <= 0xef) return fcomi(ctx, i, true, true);
  if (m >= 0xf0 && m <= 0xf7) return fcomi(ctx, i, false, true);
  ctx.raise("invalid_opcode");
};

export function installX87(reg: Register): void {
  reg(0xd8, opD8);
  reg(0xd9, opD9);
  reg(0xda, opDA);
  reg(0xdb, opDB);
  reg(0xdc, opDC);
  reg(0xdd, opDD);
  reg(0xde, opDE);
  reg(0xdf, opDF);
  reg(0x9b, () => {}); // fwait: exceptions are never deferred here
}

/** Exposed for tests: the value of ST(i). */
export function stValue(s: SimdState, i: number): F80 {
  return peek(s, i);
}
