/**
 * SSE/SSE2/SSE3 data movement: loads, stores, register moves, partial (low/high half) moves,
 * GPR <-> xmm moves, non-temporal stores, mask extraction and word insert/extract.
 */
import type { Handler } from "./insn.ts";
import { MAP_0F, P_ADDRSIZE } from "./insn.ts";
import {
  byPrefix,
  checkAligned,
  gprHi,
  gprLo,
  loadSrc128,
  loadSrc32,
  loadSrc64,
  memOnly,
  regOnly,
  S32,
  setGpr32,
  setGpr64,
  store128,
} from "./sse_operands.ts";

type Register = (op: number, h: Handler) => void;

/** dest(reg) = full 128-bit source. */
function load128(aligned: boolean): Handler {
  return (ctx, i) => {
    loadSrc128(ctx, i, aligned);
    ctx.simd.xmmI32.set(S32, i.reg * 4);
  };
}

/** r/m = xmm(reg), 128 bits. */
function store128Op(aligned: boolean): Handler {
  return (ctx, i) => {
    const x = ctx.simd.xmmI32;
    if (i.mod === 3) {
      x.copyWithin(i.rm * 4, i.reg * 4, i.reg * 4 + 4);
      return;
    }
    const addr = ctx.ea(i);
    if (aligned) checkAligned(ctx, addr);
    store128(ctx, addr, x, i.reg * 4);
  };
}

/** movss load: register form merges the low lane, memory form zeroes the rest. */
const movssLoad: Handler = (ctx, i) => {
  const x = ctx.simd.xmmI32;
  const d = i.reg * 4;
  if (i.mod === 3) {
    x[d] = x[i.rm * 4];
    return;
  }
  loadSrc32(ctx, i);
  x.set(S32, d);
};

const movsdLoad: Handler = (ctx, i) => {
  const x = ctx.simd.xmmI32;
  const d = i.reg * 4;
  if (i.mod === 3) {
    x[d] = x[i.rm * 4];
    x[d + 1] = x[i.rm * 4 + 1];
    return;
  }
  loadSrc64(ctx, i);
  x.set(S32, d);
};

const movssStore: Handler = (ctx, i) => {
  const x = ctx.simd.xmmI32;
  if (i.mod === 3) x[i.rm * 4] = x[i.reg * 4];
  else ctx.mem.write32(ctx.ea(i), x[i.reg * 4]);
};

/** Stores the low 64 bits of xmm(reg); the register form (movsd) merges. */
const movsdStore: Handler = (ctx, i) => {
  const x = ctx.simd.xmmI32;
  if (i.mod === 3) {
    x[i.rm * 4] = x[i.reg * 4];
    x[i.rm * 4 + 1] = x[i.reg * 4 + 1];
  } else ctx.mem.write64(ctx.ea(i), x[i.reg * 4], x[i.reg * 4 + 1]);
};

/** Stores the low (half=0) or high (half=1) 64 bits of xmm(reg) to m64. */
function storeHalf(half: number): Handler {
  return memOnly((ctx, i) => {
    const x = ctx.simd.xmmI32;
    const s = i.reg * 4 + half * 2;
    ctx.mem.write64(ctx.ea(i), x[s], x[s + 1]);
  });
}

/** Loads m64 into the low (half=0) or high (half=1) half of xmm(reg). */
function loadHalf(half: number): Handler {
  return memOnly((ctx, i) => {
    loadSrc64(ctx, i);
    const x = ctx.simd.xmmI32;
    x[i.reg * 4 + half * 2] = S32[0];
    x[i.reg * 4 + half * 2 + 1] = S32[1];
  });
}

/** 0F 12 without prefix: movhlps (register) or movlps (memory). */
const movlpsOrHlps: Handler = (ctx, i) => {
  if (i.mod !== 3) return loadHalf(0)(ctx, i);
  const x = ctx.simd.xmmI32;
  x[i.reg * 4] = x[i.rm * 4 + 2];
  x[i.reg * 4 + 1] = x[i.rm * 4 + 3];
};

/** 0F 16 without prefix: movlhps (register) or movhps (memory). */
const movhpsOrLhps: Handler = (ctx, i) => {
  if (i.mod !== 3) return loadHalf(1)(ctx, i);
  const x = ctx.simd.xmmI32;
  x[i.reg * 4 + 2] = x[i.rm * 4];
  x[i.reg * 4 + 3] = x[i.rm * 4 + 1];
};

const movddup: Handler = (ctx, i) => {
  loadSrc64(ctx, i);
  const x = ctx.simd.xmmI32;
  const d = i.reg * 4;
  x[d] = x[d + 2] = S32[0];
  x[d + 1] = x[d + 3] = S32[1];
};

/** movsldup (odd=0) / movshdup (odd=1): duplicate the even or odd dwords. */
function movsdup(odd: number): Handler {
  return (ctx, i) => {
    loadSrc128(ctx, i, true);
    const x = ctx.simd.xmmI32;
    const d = i.reg * 4;
    x[d] = x[d + 1] = S32[odd];
    x[d + 2] = x[d + 3] = S32[2 + odd];
  };
}

/** 66 0F 6E: movd/movq xmm, r/m32/64 (zero-extends into the whole register). */
const movdToXmm: Handler = (ctx, i) => {
  const wide = i.opsize === 8;
  let lo: number, hi = 0;
  if (i.mod === 3) {
    lo = gprLo(ctx, i.rm);
    if (wide) hi = gprHi(ctx, i.rm);
  } else if (wide) {
    lo = ctx.mem.read64(ctx.ea(i));
    hi = ctx.mem.hi;
  } else lo = ctx.mem.read32(ctx.ea(i));
  const x = ctx.simd.xmmI32;
  const d = i.reg * 4;
  x[d] = lo;
  x[d + 1] = hi;
  x[d + 2] = 0;
  x[d + 3] = 0;
};

/** 66 0F 7E: movd/movq r/m32/64, xmm. */
const movdFromXmm: Handler = (ctx, i) => {
  const x = ctx.simd.xmmI32;
  const s = i.reg * 4;
  if (i.opsize === 8) {
    if (i.mod === 3) setGpr64(ctx, i.rm, x[s], x[s + 1]);
    else ctx.mem.write64(ctx.ea(i), x[s], x[s + 1]);
  } else if (i.mod === 3) setGpr32(ctx, i.rm, x[s]);
  else ctx.mem.write32(ctx.ea(i), x[s]);
};

/** F3 0F 7E: movq xmm, xmm/m64 (zero upper). */
const movqLoad: Handler = (ctx, i) => {
  loadSrc64(ctx, i);
  ctx.simd.xmmI32.set(S32, i.reg * 4);
};

/** 66 0F D6: movq xmm/m64, xmm (register form zeroes the upper half of the destination). */
const movqStore: Handler = (ctx, i) => {
  const x = ctx.simd.xmmI32;
  const s = i.reg * 4;
  if (i.mod !== 3) return ctx.mem.write64(ctx.ea(i), x[s], x[s + 1]);
  const d = i.rm * 4;
  x[d] = x[s];
  x[d + 1] = x[s + 1];
  x[d + 2] = 0;
  x[d + 3] = 0;
};

/** 0F C3: movnti m32/64, r32/64. */
const movnti: Handler = memOnly((ctx, i) => {
  const addr = ctx.ea(i);
  if (i.opsize === 8) ctx.mem.write64(addr, gprLo(ctx, i.reg), gprHi(ctx, i.reg));
  else ctx.mem.write32(addr, gprLo(ctx, i.reg));
});

/** movmskps (lanes=4) / movmskpd (lanes=2): sign bits into a GPR. */
function movmsk(lanes: number): Handler {
  return regOnly((ctx, i) => {
    const x = ctx.simd.xmmI32;
    const s = i.rm * 4;
    let m = 0;
    if (lanes === 4) { for (let k = 0; k < 4; k++) m |= (x[s + k] >>> 31) << k; }
    else m = (x[s + 1] >>> 31) | ((x[s + 3] >>> 31) << 1);
    setGpr32(ctx, i.reg, m);
  });
}

const pmovmskb: Handler = regOnly((ctx, i) => {
  const b = ctx.simd.xmmU8;
  const s = i.rm * 16;
  let m = 0;
  for (let k = 0; k < 16; k++) m |= (b[s + k] >> 7) << k;
  setGpr32(ctx, i.reg, m);
});

const pextrw: Handler = regOnly((ctx, i) => {
  const w = ctx.simd.xmmU16;
  setGpr32(ctx, i.reg, w[i.rm * 8 + (i.imm & 7)]);
});

const pinsrw: Handler = (ctx, i) => {
  const v = i.mod === 3 ? gprLo(ctx, i.rm) : ctx.mem.read16(ctx.ea(i));
  ctx.simd.xmmU16[i.reg * 8 + (i.imm & 7)] = v;
};

/** 66 0F F7: maskmovdqu: store the bytes of xmm(reg) selected by xmm(rm) sign bits at [rdi]. */
const maskmovdqu: Handler = regOnly((ctx, i) => {
  const b = ctx.simd.xmmU8;
  const rdi = (ctx.regs[15] >>> 0) * 0x100000000 + (ctx.regs[14] >>> 0);
  const base = i.prefixes & P_ADDRSIZE ? rdi % 0x100000000 : rdi;
  for (let k = 0; k < 16; k++) {
    if (b[i.rm * 16 + k] & 0x80) ctx.mem.checkWritable(base + k, 1);
  }
  for (let k = 0; k < 16; k++) {
    if (b[i.rm * 16 + k] & 0x80) ctx.mem.write8(base + k, b[i.reg * 16 + k]);
  }
});

export function installSseMoves(reg: Register): void {
  const F = MAP_0F;
  reg(F | 0x10, byPrefix([load128(false), load128(false), movssLoad, movsdLoad]));
  reg(F | 0x11, byPrefix([store128Op(false), store128Op(false), movssStore, movsdStore]));
  reg(F | 0x12, byPrefix([movlpsOrHlps, loadHalf(0), movsdup(0), movddup]));
  reg(F | 0x13, byPrefix([storeHalf(0), storeHalf(0), undefined, undefined]));
  reg(F | 0x16, byPrefix([movhpsOrLhps, loadHalf(1), movsdup(1), undefined]));
  reg(F | 0x17, byPrefix([storeHalf(1), storeHalf(1), undefined, undefined]));
  reg(F | 0x28, byPrefix([load128(true), load128(true), undefined, undefined]));
  reg(F | 0x29, byPrefix([store128Op(true), store128Op(true), undefined, undefined]));
  const movnt = memOnly(store128Op(true));
  reg(F | 0x2b, byPrefix([movnt, movnt, undefined, undefined]));
  reg(F | 0x50, byPrefix([movmsk(4), movmsk(2), undefined, undefined]));
  reg(F | 0x6e, byPrefix(["mmx", movdToXmm, undefined, undefined]));
  reg(F | 0x6f, byPrefix(["mmx", load128(true), load128(false), undefined]));
  reg(F | 0x7e, byPrefix(["mmx", movdFromXmm, movqLoad, undefined]));
  reg(F | 0x7f, byPrefix(["mmx", store128Op(true), store128Op(false), undefined]));
  reg(F | 0xc3, byPrefix([movnti, undefined, undefined, undefined]));
  reg(F | 0xc4, byPrefix(["mmx", pinsrw, undefined, undefined]));
  reg(F | 0xc5, byPrefix(["mmx", pextrw, undefined, undefined]));
  reg(F | 0xd6, byPrefix([undefined, movqStore, "mmx", "mmx"]));
  reg(F | 0xd7, byPrefix(["mmx", pmovmskb, undefined, undefined]));
  reg(F | 0xe7, byPrefix(["mmx", movnt, undefined, undefined]));
  reg(F | 0xf0, byPrefix([undefined, undefined, undefined, memOnly(load128(false))]));
  reg(F | 0xf7, byPrefix(["mmx", maskmovdqu, undefined, undefined]));
}
