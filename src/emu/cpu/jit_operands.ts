/**
 * Source-text builders for the block compiler: general registers (int32 pairs in `r`), effective
 * addresses, and guest memory through the TLB (`RT`/`RV` read tags and DataViews, `WT`/`WV`
 * write ones), falling back to the `Memory` methods (`m`) on a TLB miss or a page-crossing
 * access. The generated code uses the scratch locals `a` (address), `p`, `s`, `o` and `d` (a DataView).
 * Every builder mirrors what `Cpu`'s operand helpers do, including the order of faults.
 */
import { BASE_RIP, type Insn, P_FS, P_GS } from "./insn.ts";

/** Lowest non-canonical user address (as in cpu.ts). */
export const CANON = 0x800000000000;

/** A value as JS expressions: low int32 and high int32 (the latter "0" below size 8). */
export interface Val {
  lo: string;
  hi: string;
}

/** Register n as an exact signed number (hi * 2^32 + unsigned lo), as `Cpu.ea` computes it. */
export function regNum(n: number): string {
  return `(r[${2 * n + 1}]*4294967296+(r[${2 * n}]>>>0))`;
}

/** Reads general register n at size (rex picks ah..bh vs spl..dil for size 1). */
export function readReg(n: number, size: number, rex: number): Val {
  switch (size) {
    case 8:
      return { lo: `r[${2 * n}]`, hi: `r[${2 * n + 1}]` };
    case 4:
      return { lo: `r[${2 * n}]`, hi: "0" };
    case 2:
      return { lo: `(r[${2 * n}]&65535)`, hi: "0" };
    default:
      if (rex === 0 && n >= 4 && n < 8) return { lo: `((r[${2 * (n - 4)}]>>8)&255)`, hi: "0" };
      return { lo: `(r[${2 * n}]&255)`, hi: "0" };
  }
}

/** Statements writing (lo, hi) to register n at size; 32-bit writes zero the high half. */
export function writeReg(n: number, size: number, rex: number, v: Val): string {
  switch (size) {
    case 8:
      return `r[${2 * n}]=${v.lo};r[${2 * n + 1}]=${v.hi};`;
    case 4:
      return `r[${2 * n}]=${v.lo};r[${2 * n + 1}]=0;`;
    case 2:
      return `r[${2 * n}]=(r[${2 * n}]&-65536)|(${v.lo}&65535);`;
    default:
      if (rex === 0 && n >= 4 && n < 8) {
        const x = 2 * (n - 4);
        return `r[${x}]=(r[${x}]&-65281)|((${v.lo}&255)<<8);`;
      }
      return `r[${2 * n}]=(r[${2 * n}]&-256)|(${v.lo}&255);`;
  }
}

/**
 * Statements leaving the effective address of i's memory operand in `a`, or null when the
 * compiler leaves the instruction to its handler (67 prefix). `self` names the Insn constant.
 */
export function effectiveAddress(i: Insn, self: string): string {
  let e: string;
  if (i.base === BASE_RIP) e = `(${i.disp + (i.addr + i.len)})`;
  else {
    e = `(${i.disp})`;
    if (i.base >= 0) e = `${e}+${regNum(i.base)}`;
  }
  if (i.index >= 0) e = `${e}+${regNum(i.index)}*${i.scale}`;
  if (i.prefixes & P_FS) e = `${e}+cpu.fsBaseNum`;
  else if (i.prefixes & P_GS) e = `${e}+cpu.gsBaseNum`;
  // Outside the user half `Cpu.ea` redoes the sum exactly (and raises #GP when non-canonical).
  return `a=${e};if(!(a>=0&&a<${CANON}))a=cpu.ea(${self});`;
}

/** Statements loading size bytes at `a` into the locals lo (and hi for size 8). */
export function load(size: number, lo: string, hi: string): string {
  const head = "p=Math.floor(a/4096);s=p&255;o=a&4095;";
  switch (size) {
    case 1:
      return `${head}${lo}=RT[s]===p?RV[s].getUint8(o):m.read8(a);`;
    case 2:
      return `${head}${lo}=RT[s]===p&&o<=4094?RV[s].getUint16(o,true):m.read16(a);`;
    case 4:
      return `${head}${lo}=RT[s]===p&&o<=4092?RV[s].getInt32(o,true):m.read32(a);`;
    default:
      return `${head}if(RT[s]===p&&o<=4088){d=RV[s];${lo}=d.getInt32(o,true);` +
        `${hi}=d.getInt32(o+4,true);}else{${lo}=m.read64(a);${hi}=m.hi;}`;
  }
}

/** Statements storing v (size bytes) at `a`. */
export function store(size: number, v: Val): string {
  const head = "p=Math.floor(a/4096);s=p&255;o=a&4095;";
  switch (size) {
    case 1:
      return `${head}if(WT[s]===p)WV[s].setUint8(o,${v.lo});else m.write8(a,${v.lo});`;
    case 2:
      return `${head}if(WT[s]===p&&o<=4094)WV[s].setUint16(o,${v.lo},true);` +
        `else m.write16(a,${v.lo});`;
    case 4:
      return `${head}if(WT[s]===p&&o<=4092)WV[s].setInt32(o,${v.lo},true);` +
        `else m.write32(a,${v.lo});`;
    default:
      return `${head}if(WT[s]===p&&o<=4088){d=WV[s];d.setInt32(o,${v.lo},true);` +
        `d.setInt32(o+4,${v.hi},true);}else m.write64(a,${v.lo},${v.hi});`;
  }
}

/** Truncates a constant to the stored form of size (zero-extended below 4, int32 at 4/8). */
export function truncConst(size: number, v: number): number {
  return size === 1 ? v & 0xff : size === 2 ? v & 0xffff : v | 0;
}

/** Truncates an expression to the stored form of size. */
export function truncExpr(size: number, e: string): string {
  return size === 1 ? `((${e})&255)` : size === 2 ? `((${e})&65535)` : `((${e})|0)`;
}
