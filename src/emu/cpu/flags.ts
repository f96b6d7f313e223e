/**
 * Lazy arithmetic flags. An instruction records what it computed (kind, size, operands, result as
 * int32 pairs); CF/PF/AF/ZF/SF/OF are derived only when something reads them.
 *
 * Values of sizes 1 and 2 are stored zero-extended, size 4 as int32, size 8 as (lo, hi) int32
 * pairs; the hi halves are 0 below size 8, so one set of formulas covers every size.
 */

export const CF = 0x1;
export const PF = 0x4;
export const AF = 0x10;
export const ZF = 0x40;
export const SF = 0x80;
export const TF = 0x100;
export const IF = 0x200;
export const DF = 0x400;
export const OF = 0x800;
export const NT = 0x4000;
export const AC = 0x40000;
export const ID = 0x200000;
/** The six arithmetic status flags. */
export const ARITH_FLAGS = CF | PF | AF | ZF | SF | OF;
/** Non-arithmetic flags a user-mode popf/sigreturn may change. */
export const USER_OTHER_FLAGS = TF | DF | NT | AC | ID;
/** IF is always set in user mode, bit 1 always reads as one. */
export const FIXED_FLAGS = IF | 0x2;

/** Flag kinds: how the stored operands turn into flags. */
export const CC_ADD = 0;
/** add with carry-in 1 (adc with CF=0 is recorded as CC_ADD). */
export const CC_ADC = 1;
export const CC_SUB = 2;
/** sub with borrow-in 1 (sbb with CF=0 is recorded as CC_SUB). */
export const CC_SBB = 3;
/** and/or/xor/test: CF=OF=AF=0. */
export const CC_LOGIC = 4;
/** inc: like add of 1 but CF (kept in aux) survives. */
export const CC_INC = 5;
/** dec: like sub of 1 but CF (kept in aux) survives. */
export const CC_DEC = 6;
/** ZF/SF/PF from the result, CF/OF/AF taken from aux (shifts, multiplies). */
export const CC_RES = 7;
/** Every arithmetic flag is in aux. */
export const CC_EAGER = 8;

/** Parity lookup: bit n of 0x9669 is set when n has an even number of ones. */
function parity(v: number): number {
  return (0x9669 >> ((v ^ (v >> 4)) & 15)) & 1;
}

/** Unsigned (aHi:a) < (bHi:b). */
function ltu(a: number, aHi: number, b: number, bHi: number): boolean {
  return aHi === bHi ? (a >>> 0) < (b >>> 0) : (aHi >>> 0) < (bHi >>> 0);
}

export class LazyFlags {
  kind = CC_EAGER;
  size = 4;
  res = 0;
  resHi = 0;
  a = 0;
  aHi = 0;
  b = 0;
  bHi = 0;
  /** CF for inc/dec; explicit CF|OF|AF for CC_RES; all arithmetic flags for CC_EAGER. */
  aux = 0;
  /** Non-arithmetic flags (DF, TF, AC, ID, IF, bit 1). */
  other = FIXED_FLAGS;

  /** Records an arithmetic result. */
  set(
    kind: number,
    size: number,
    a: number,
    aHi: number,
    b: number,
    bHi: number,
    res: number,
    resHi: number,
  ): void {
    this.kind = kind;
    this.size = size;
    this.a = a;
    this.aHi = aHi;
    this.b = b;
    this.bHi = bHi;
    this.res = res;
    this.resHi = resHi;
  }

  /** Records a logic result (and/or/xor/test). */
  setLogic(size: number, res: number, resHi: number): void {
    this.kind = CC_LOGIC;
    this.size = size;
    this.res = res;
    this.resHi = resHi;
  }

  /** Records a result whose CF/OF/AF are known (given as flag bits in `bits`). */
  setResult(size: number, res: number, resHi: number, bits: number): void {
    this.kind = CC_RES;
    this.size = size;
    this.res = res;
    this.resHi = resHi;
    this.aux = bits;
  }

  private sign(lo: number, hi: number): number {
    return this.size === 8 ? hi >>> 31 : (lo >>> (this.size * 8 - 1)) & 1;
  }

  cf(): number {
    switch (this.kind) {
      case CC_ADD:
        return ltu(this.res, this.resHi, this.a, this.aHi) ? 1 : 0;
      case CC_ADC:
        return ltu(this.a, this.aHi, this.res, this.resHi) ? 0 : 1;
      case CC_SUB:
        return ltu(this.a, this.aHi, this.b, this.bHi) ? 1 : 0;
      case CC_SBB:
        return ltu(this.b, this.bHi, this.a, this.aHi) ? 0 : 1;
      case CC_LOGIC:
        return 0;
      default:
        return this.aux & CF;
    }
  }

  zf(): number {
    if (this.kind === CC_EAGER) return (this.aux >> 6) & 1;
    return (this.res | this.resHi) === 0 ? 1 : 0;
  }

  sf(): number {
    if (this.kind === CC_EAGER) return (this.aux >> 7) & 1;
    return this.sign(this.res, this.resHi);
  }

  pf(): number {
    if (this.kind === CC_EAGER) return (this.aux >> 2) & 1;
    return parity(this.res & 0xff);
  }

  af(): number {
    switch (this.kind) {
      case CC_LOGIC:
        return 0;
      case CC_RES:
      case CC_EAGER:
        return (this.aux >> 4) & 1;
      default:
        return ((this.a ^ this.b ^ this.res) >> 4) & 1;
    }
  }

  of(): number {
    switch (this.kind) {
      case CC_ADD:
      case CC_ADC:
      case CC_INC:
        return this.sign(
          (this.a ^ this.res) & (this.b ^ this.res),
          (this.aHi ^ this.resHi) & (this.bHi ^ this.resHi),
        );
      case CC_SUB:
      case CC_SBB:
      case CC_DEC:
        return this.sign(
          (this.a ^ this.b) & (this.a ^ this.res),
          (this.aHi ^ this.bHi) & (this.aHi ^ this.resHi),
        );
      case CC_LOGIC:
        return 0;
      default:
        return (this.aux >> 11) & 1;
    }
  }

  /** Evaluates condition code cc (0..15, the jcc/setcc/cmovcc low nibble). */
  cond(cc: number): boolean {
    let r: number;
    switch (cc >> 1) {
      case 0:
        r = this.of();
        break;
      case 1:
        r = this.cf();
        break;
      case 2:
        r = this.zf();
        break;
      case 3:
        r = this.cf() | this.zf();
        break;
      case 4:
        r = this.sf();
        break;
      case 5:
        r = this.pf();
        break;
      case 6:
        r = this.sf() ^ this.of();
        break;
      default:
        r = this.zf() | (this.sf() ^ this.of());
        break;
    }
    return (r ^ (cc & 1)) !== 0;
  }

  /** The six arithmetic flags as RFLAGS bits. */
  arith(): number {
    if (this.kind === CC_EAGER) return this.aux;
    return this.cf() | (this.pf() << 2) | (this.af() << 4) | (this.zf() << 6) | (this.sf() << 7) |
      (this.of() << 11);
  }

  /** The full RFLAGS value. */
  get(): number {
    return this.arith() | this.other;
  }

  /** Loads RFLAGS, keeping only what user mode may change. */
  load(value: number): void {
    this.kind = CC_EAGER;
    this.aux = value & ARITH_FLAGS;
    this.other = FIXED_FLAGS | (value & USER_OTHER_FLAGS);
  }

  /** Replaces some arithmetic flags, keeping the others (materialises first). */
  setBits(mask: number, bits: number): void {
    const cur = this.arith();
    this.kind = CC_EAGER;
    this.aux = (cur & ~mask) | (bits & mask);
  }
}
