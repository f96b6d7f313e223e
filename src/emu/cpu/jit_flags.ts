/**
 * Compile-time lazy flags for the block compiler. While a block is compiled, the arithmetic flags
 * are described statically: either they all sit in `cpu.flags` ("clean"), or the last
 * flag-writing instruction of the block left its operands in JavaScript locals (`FlagSrc`),
 * possibly with CF/OF replaced by a rotate (`over`). Conditions read the locals directly;
 * `cpu.flags` is written ("materialised") only where the rest of the machine can look: before a
 * handler call, at the block exit, and in the fault handler for the instruction that faulted.
 * Flag updates that nothing observes therefore cost nothing beyond a few local moves.
 *
 * The expressions below mirror `flags.ts` exactly; sizes 1 and 2 are zero-extended, size 4
 * int32, size 8 (lo, hi) int32 pairs.
 */
import { CC_ADC, CC_ADD, CC_DEC, CC_INC, CC_LOGIC, CC_RES, CC_SBB, CC_SUB } from "./flags.ts";

/** The operands of the last flag-writing instruction, as JS expressions (locals or literals). */
export interface FlagSrc {
  kind: number;
  size: number;
  a: string;
  ah: string;
  b: string;
  bh: string;
  r: string;
  rh: string;
  /** CF for inc/dec, CF|OF|AF bits for CC_RES. */
  aux: string;
}

/** The static flag state at one point of a block. */
export interface FlagState {
  /** null: the flags are all in `cpu.flags`. */
  src: FlagSrc | null;
  /** An expression holding CF|OF bits that replace those of `src` (or of `cpu.flags`). */
  over: string | null;
}

export const CLEAN: FlagState = { src: null, over: null };

export function isClean(s: FlagState): boolean {
  return s.src === null && s.over === null;
}

/** Statements that store the state into `F` (= cpu.flags) the way the interpreter would. */
export function materialise(s: FlagState): string {
  let out = "";
  const f = s.src;
  if (f !== null) {
    switch (f.kind) {
      case CC_LOGIC:
        out += `F.setLogic(${f.size},${f.r},${f.rh});`;
        break;
      case CC_RES:
        out += `F.setResult(${f.size},${f.r},${f.rh},${f.aux});`;
        break;
      default:
        out += `F.set(${f.kind},${f.size},${f.a},${f.ah},${f.b},${f.bh},${f.r},${f.rh});`;
        if (f.kind === CC_INC || f.kind === CC_DEC) out += `F.aux=${f.aux};`;
    }
  }
  if (s.over !== null) out += `F.setBits(2049,${s.over});`;
  return out;
}

function sign(size: number, lo: string, hi: string): string {
  return size === 8 ? `(${hi}>>>31)` : `((${lo}>>>${size * 8 - 1})&1)`;
}

/** Unsigned (ah:a) < (bh:b) as a boolean expression. */
export function ltu(size: number, a: string, ah: string, b: string, bh: string): string {
  if (size === 8) return `(${ah}===${bh}?(${a}>>>0)<(${b}>>>0):(${ah}>>>0)<(${bh}>>>0))`;
  if (size === 4) return `((${a}>>>0)<(${b}>>>0))`;
  return `(${a}<${b})`;
}

/** Signed (ah:a) < (bh:b) as a boolean expression (stored-form operands). */
function lts(size: number, a: string, ah: string, b: string, bh: string): string {
  if (size === 8) return `(${ah}<${bh}||(${ah}===${bh}&&(${a}>>>0)<(${b}>>>0)))`;
  if (size === 4) return `(${a}<${b})`;
  const sh = 32 - size * 8;
  return `((${a}<<${sh})<(${b}<<${sh}))`;
}

function b2i(e: string): string {
  return `(${e}?1:0)`;
}

/** CF as a 0/1 expression. */
export function cfExpr(s: FlagState): string {
  if (s.over !== null) return `(${s.over}&1)`;
  const f = s.src;
  if (f === null) return "F.cf()";
  switch (f.kind) {
    case CC_ADD:
      return b2i(ltu(f.size, f.r, f.rh, f.a, f.ah));
    case CC_ADC:
      return `(${ltu(f.size, f.a, f.ah, f.r, f.rh)}?0:1)`;
    case CC_SUB:
      return b2i(ltu(f.size, f.a, f.ah, f.b, f.bh));
    case CC_SBB:
      return `(${ltu(f.size, f.b, f.bh, f.a, f.ah)}?0:1)`;
    case CC_LOGIC:
      return "0";
    default:
      return `(${f.aux}&1)`;
  }
}

function zfExpr(s: FlagState): string {
  const f = s.src;
  if (f === null) return "F.zf()";
  return f.size === 8 ? b2i(`(${f.r}|${f.rh})===0`) : b2i(`${f.r}===0`);
}

function sfExpr(s: FlagState): string {
  const f = s.src;
  if (f === null) return "F.sf()";
  return sign(f.size, f.r, f.rh);
}

function pfExpr(s: FlagState): string {
  const f = s.src;
  if (f === null) return "F.pf()";
  return `((0x9669>>((${f.r}^(${f.r}>>4))&15))&1)`;
}

function ofExpr(s: FlagState): string {
  if (s.over !== null) return `((${s.over}>>11)&1)`;
  const f = s.src;
  if (f === null) return "F.of()";
  switch (f.kind) {
    case CC_ADD:
    case CC_ADC:
    case CC_INC:
      return sign(
        f.size,
        `((${f.a}^${f.r})&(${f.b}^${f.r}))`,
        `((${f.ah}^${f.rh})&(${f.bh}^${f.rh}))`,
      );
    case CC_SUB:
    case CC_SBB:
    case CC_DEC:
      return sign(
        f.size,
        `((${f.a}^${f.b})&(${f.a}^${f.r}))`,
        `((${f.ah}^${f.bh})&(${f.ah}^${f.rh}))`,
      );
    case CC_LOGIC:
      return "0";
    default:
      return `((${f.aux}>>11)&1)`;
  }
}

/** Condition code cc (0..15) as a boolean expression. */
export function condExpr(s: FlagState, cc: number): string {
  if (s.src === null && s.over === null) return `F.cond(${cc})`;
  const neg = (cc & 1) !== 0;
  const f = s.src;
  // cmp/sub: compare the operands directly.
  if (f !== null && f.kind === CC_SUB && s.over === null) {
    const eq = f.size === 8 ? `((${f.r}|${f.rh})===0)` : `(${f.r}===0)`;
    let e: string | null = null;
    switch (cc >> 1) {
      case 1:
        e = ltu(f.size, f.a, f.ah, f.b, f.bh);
        break;
      case 2:
        e = eq;
        break;
      case 3:
        e = `(${ltu(f.size, f.a, f.ah, f.b, f.bh)}||${eq})`;
        break;
      case 6:
        e = lts(f.size, f.a, f.ah, f.b, f.bh);
        break;
      case 7:
        e = `(${lts(f.size, f.a, f.ah, f.b, f.bh)}||${eq})`;
        break;
    }
    if (e !== null) return neg ? `!${e}` : e;
  }
  let v: string;
  switch (cc >> 1) {
    case 0:
      v = ofExpr(s);
      break;
    case 1:
      v = cfExpr(s);
      break;
    case 2:
      v = zfExpr(s);
      break;
    case 3:
      v = `(${cfExpr(s)}|${zfExpr(s)})`;
      break;
    case 4:
      v = sfExpr(s);
      break;
    case 5:
      v = pfExpr(s);
      break;
    case 6:
      v = `(${sfExpr(s)}^${ofExpr(s)})`;
      break;
    default:
      v = `(${zfExpr(s)}|(${sfExpr(s)}^${ofExpr(s)}))`;
  }
  return neg ? `(${v}===0)` : `(${v}!==0)`;
}

export { CC_ADC, CC_ADD, CC_DEC, CC_INC, CC_LOGIC, CC_RES, CC_SBB, CC_SUB };
