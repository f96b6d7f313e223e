/**
 * SSE/SSE2/SSE3 floating-point handlers: arithmetic (ps/pd/ss/sd), compares, comis/ucomis,
 * bitwise logic, shuffles/unpacks, and the SSE3 horizontal and add-sub forms.
 */
import type { ExecContext, Handler, Insn } from "./insn.ts";
import { MAP_0F } from "./insn.ts";
import { pand, pandn, por, pxor, unpack } from "./sse_integer.ts";
import { byPrefix, loadSrc128, loadSrc32, loadSrc64, S32, T32 } from "./sse_operands.ts";
import {
  beginFp,
  bitsOfF32,
  cmp32,
  cmp64,
  DEFAULT_NAN32,
  f32FromBits,
  FpOp,
  fpStatus,
  IE,
  isNaN32,
  isNaN64,
  isSNaN32,
  isSNaN64,
  op32,
  op64,
  out64,
} from "./sse_float_core.ts";

type Register = (op: number, h: Handler) => void;

/**
 * Ends a floating-point instruction: an unmasked exception raises #XM with the destination left
 * unchanged; either way the flags are merged into MXCSR.
 */
export function commitFp(ctx: ExecContext): void {
  const s = ctx.simd;
  const exc = fpStatus.exc;
  s.mxcsr |= exc;
  if (exc & ~(s.mxcsr >> 7) & 0x3f) ctx.raise("simd");
}

/** Lane operation over packed singles: lane k = f(dest[k], src[k], k). */
function packed32(f: (a: number, b: number, k: number) => number): Handler {
  return (ctx, i) => {
    loadSrc128(ctx, i, true);
    beginFp(ctx.simd.mxcsr);
    const x = ctx.simd.xmmI32, d = i.reg * 4;
    for (let k = 0; k < 4; k++) T32[k] = f(x[d + k], S32[k], k);
    commitFp(ctx);
    x.set(T32, d);
  };
}

/** Lane operation over packed doubles; f leaves the lane result in out64. */
function packed64(
  f: (alo: number, ahi: number, blo: number, bhi: number, k: number) => void,
): Handler {
  return (ctx, i) => {
    loadSrc128(ctx, i, true);
    beginFp(ctx.simd.mxcsr);
    const x = ctx.simd.xmmI32, d = i.reg * 4;
    for (let k = 0; k < 2; k++) {
      f(x[d + 2 * k], x[d + 2 * k + 1], S32[2 * k], S32[2 * k + 1], k);
      T32[2 * k] = out64.lo;
      T32[2 * k + 1] = out64.hi;
    }
    commitFp(ctx);
    x.set(T32, d);
  };
}

function scalar32(f: (a: number, b: number) => number): Handler {
  return (ctx, i) => {
    loadSrc32(ctx, i);
    beginFp(ctx.simd.mxcsr);
    const x = ctx.simd.xmmI32, d = i.reg * 4;
    const r = f(x[d], S32[0]);
    commitFp(ctx);
    x[d] = r;
  };
}

function scalar64(f: (alo: number, ahi: number, blo: number, bhi: number) => void): Handler {
  return (ctx, i) => {
    loadSrc64(ctx, i);
    beginFp(ctx.simd.mxcsr);
    const x = ctx.simd.xmmI32, d = i.reg * 4;
    f(x[d], x[d + 1], S32[0], S32[1]);
    commitFp(ctx);
    x[d] = out64.lo;
    x[d + 1] = out64.hi;
  };
}

function arith(op: FpOp): Handler {
  return byPrefix([
    packed32((a, b) => op32(op, a, b)),
    packed64((al, ah, bl, bh) => op64(op, al, ah, bl, bh)),
    scalar32((a, b) => op32(op, a, b)),
    scalar64((al, ah, bl, bh) => op64(op, al, ah, bl, bh)),
  ]);
}

/** cmpps/cmppd/cmpss/cmpsd with the 3-bit predicate in imm8. */
function compare(): Handler {
  const m32 = (i: Insn) => (a: number, b: number) => (cmp32(i.imm, a, b) ? -1 : 0);
  const m64 = (i: Insn) => (al: number, ah: number, bl: number, bh: number) => {
    out64.lo = out64.hi = cmp64(i.imm, al, ah, bl, bh) ? -1 : 0;
  };
  return byPrefix([
    (ctx, i) => packed32(m32(i))(ctx, i),
    (ctx, i) => packed64(m64(i))(ctx, i),
    (ctx, i) => scalar32(m32(i))(ctx, i),
    (ctx, i) => scalar64(m64(i))(ctx, i),
  ]);
}

const CF = 1, PF = 4, AF = 0x10, ZF = 0x40, SF = 0x80, OF = 0x800;

/** comiss/ucomiss (double=false) and comisd/ucomisd: ZF/PF/CF from the compare. */
function comis(double: boolean, signalQuiet: boolean): Handler {
  return (ctx, i) => {
    if (double) loadSrc64(ctx, i);
    else loadSrc32(ctx, i);
    beginFp(ctx.simd.mxcsr);
    const x = ctx.simd.xmmI32, d = i.reg * 4;
    let unordered: boolean, less = false, equal = false;
    if (double) {
      const al = x[d], ah = x[d + 1], bl = S32[0], bh = S32[1];
      unordered = isNaN64(al, ah) || isNaN64(bl, bh);
      if (unordered) {
        if (signalQuiet || isSNaN64(al, ah) || isSNaN64(bl, bh)) fpStatus.exc |= IE;
      } else {
        less = cmp64(1, al, ah, bl, bh);
        equal = cmp64(0, al, ah, bl, bh);
      }
    } else {
      const a = x[d], b = S32[0];
      unordered = isNaN32(a) || isNaN32(b);
      if (unordered) {
        if (signalQuiet || isSNaN32(a) || isSNaN32(b)) fpStatus.exc |= IE;
      } else {
        less = cmp32(1, a, b);
        equal = cmp32(0, a, b);
      }
    }
    commitFp(ctx);
    let f = ctx.getRflags() & ~(CF | PF | AF | ZF | SF | OF);
    if (unordered) f |= ZF | PF | CF;
    else if (less) f |= CF;
    else if (equal) f |= ZF;
    ctx.setRflags(f);
  };
}

const sqrt = byPrefix([
  packed32((_a, b) => op32(FpOp.Sqrt, 0, b)),
  packed64((_al, _ah, bl, bh) => op64(FpOp.Sqrt, 0, 0, bl, bh)),
  scalar32((_a, b) => op32(FpOp.Sqrt, 0, b)),
  scalar64((_al, _ah, bl, bh) => op64(FpOp.Sqrt, 0, 0, bl, bh)),
]);

/**
 * rcpps/rsqrtps and scalar forms. Hardware returns a ~12-bit approximation whose exact bits differ
 * between vendors; we return the correctly rounded value, which is within the documented error.
 */
function approx(f: (v: number) => number): (a: number, b: number) => number {
  return (_a, b) => {
    if (isNaN32(b)) return b | 0x400000;
    const r = Math.fround(f(f32FromBits(b)));
    return Number.isNaN(r) ? DEFAULT_NAN32 : bitsOfF32(r);
  };
}
const rsqrt = approx((v) => (v < 0 ? NaN : 1 / Math.sqrt(v)));
const rcp = approx((v) => 1 / v);

const shufps: Handler = (ctx, i) => {
  loadSrc128(ctx, i, true);
  const x = ctx.simd.xmmI32, d = i.reg * 4;
  T32[0] = x[d + (i.imm & 3)];
  T32[1] = x[d + ((i.imm >> 2) & 3)];
  T32[2] = S32[(i.imm >> 4) & 3];
  T32[3] = S32[(i.imm >> 6) & 3];
  x.set(T32, d);
};

const shufpd: Handler = (ctx, i) => {
  loadSrc128(ctx, i, true);
  const x = ctx.simd.xmmI32, d = i.reg * 4;
  const a = d + (i.imm & 1) * 2, b = ((i.imm >> 1) & 1) * 2;
  T32[0] = x[a];
  T32[1] = x[a + 1];
  T32[2] = S32[b];
  T32[3] = S32[b + 1];
  x.set(T32, d);
};

/** SSE3 haddps/hsubps: pairs within dest, then within source. */
function horizontal32(op: FpOp): Handler {
  return (ctx, i) => {
    loadSrc128(ctx, i, true);
    beginFp(ctx.simd.mxcsr);
    const x = ctx.simd.xmmI32, d = i.reg * 4;
    T32[0] = op32(op, x[d], x[d + 1]);
    T32[1] = op32(op, x[d + 2], x[d + 3]);
    T32[2] = op32(op, S32[0], S32[1]);
    T32[3] = op32(op, S32[2], S32[3]);
    commitFp(ctx);
    x.set(T32, d);
  };
}

function horizontal64(op: FpOp): Handler {
  return (ctx, i) => {
    loadSrc128(ctx, i, true);
    beginFp(ctx.simd.mxcsr);
    const x = ctx.simd.xmmI32, d = i.reg * 4;
    op64(op, x[d], x[d + 1], x[d + 2], x[d + 3]);
    T32[0] = out64.lo;
    T32[1] = out64.hi;
    op64(op, S32[0], S32[1], S32[2], S32[3]);
    T32[2] = out64.lo;
    T32[3] = out64.hi;
    commitFp(ctx);
    x.set(T32, d);
  };
}

const addsubps = packed32((a, b, k) => op32(k & 1 ? FpOp.Add : FpOp.Sub, a, b));
const addsubpd = packed64((al, ah, bl, bh, k) => op64(k ? FpOp.Add : FpOp.Sub, al, ah, bl, bh));

export function installSseFloat(reg: Register): void {
  const F = MAP_0F;
  reg(F | 0x58, arith(FpOp.Add));
  reg(F | 0x59, arith(FpOp.Mul));
  reg(F | 0x5c, arith(FpOp.Sub));
  reg(F | 0x5d, arith(FpOp.Min));
  reg(F | 0x5e, arith(FpOp.Div));
  reg(F | 0x5f, arith(FpOp.Max));
  reg(F | 0x51, sqrt);
  reg(F | 0x52, byPrefix([packed32(rsqrt), undefined, scalar32(rsqrt), undefined]));
  reg(F | 0x53, byPrefix([packed32(rcp), undefined, scalar32(rcp), undefined]));
  reg(F | 0xc2, compare());
  reg(F | 0x2e, byPrefix([comis(false, false), comis(true, false), undefined, undefined]));
  reg(F | 0x2f, byPrefix([comis(false, true), comis(true, true), undefined, undefined]));
  reg(F | 0x54, byPrefix([pand, pand, undefined, undefined]));
  reg(F | 0x55, byPrefix([pandn, pandn, undefined, undefined]));
  reg(F | 0x56, byPrefix([por, por, undefined, undefined]));
  reg(F | 0x57, byPrefix([pxor, pxor, undefined, undefined]));
  reg(F | 0x14, byPrefix([unpack(4, 0), unpack(8, 0), undefined, undefined]));
  reg(F | 0x15, byPrefix([unpack(4, 1), unpack(8, 1), undefined, undefined]));
  reg(F | 0xc6, byPrefix([shufps, shufpd, undefined, undefined]));
  reg(F | 0x7c, byPrefix([undefined, horizontal64(FpOp.Add), undefined, horizontal32(FpOp.Add)]));
  reg(F | 0x7d, byPrefix([undefined, horizontal64(FpOp.Sub), undefined, horizontal32(FpOp.Sub)]));
  reg(F | 0xd0, byPrefix([undefined, addsubpd, undefined, addsubps]));
}
