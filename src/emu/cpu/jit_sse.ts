/**
 * Inline code for the handful of SSE2 integer instructions that compiled C loops lean on (128-bit
 * moves, movq, bitwise ops, 32-bit lane add/sub and shifts, pshufd). They touch no flags, so the
 * block compiler only splices the text in. Everything else, and every form whose fault or
 * prefix rules are not spelled out here, goes to the handlers in `sse_*.ts`, whose behaviour this
 * mirrors lane for lane (sources are read before the destination is written; memory faults come
 * in the handlers' order: alignment #GP, low quadword, high quadword).
 */
import { type Insn, MAP_0F } from "./insn.ts";
import { mandatoryPrefix } from "./sse_operands.ts";
import { effectiveAddress, load, store } from "./jit_operands.ts";

/** mandatoryPrefix() values: none = 0, 66 = 1, F3 = 2, F2 = 3. */
const P66 = 1, PF3 = 2;

/** JS statements for SSE instruction k, or null to leave it to its handler. */
export function sseInline(i: Insn, k: number): string | null {
  const op = i.op - MAP_0F;
  if (op < 0 || op > 0xff) return null;
  const mp = mandatoryPrefix(i);
  const d = i.reg * 4, s = i.rm * 4;
  switch (op) {
    case 0x28:
      return mp <= P66 ? load128(i, k, true) : null;
    case 0x10:
      return mp <= P66 ? load128(i, k, false) : null;
    case 0x6f:
      return mp === P66 ? load128(i, k, true) : mp === PF3 ? load128(i, k, false) : null;
    case 0x29:
      return mp <= P66 ? store128(i, k, true) : null;
    case 0x11:
      return mp <= P66 ? store128(i, k, false) : null;
    case 0x7f:
      return mp === P66 ? store128(i, k, true) : mp === PF3 ? store128(i, k, false) : null;
    case 0x7e: // F3: movq xmm, xmm/m64 (zero upper)
      if (mp !== PF3) return null;
      if (i.mod === 3) {
        return `X[${d}]=X[${s}];X[${d + 1}]=X[${s + 1}];X[${d + 2}]=0;X[${d + 3}]=0;`;
      }
      return `k=${k};${effectiveAddress(i, `i${k}`)}${load(8, "q0", "q1")}` +
        `X[${d}]=q0;X[${d + 1}]=q1;X[${d + 2}]=0;X[${d + 3}]=0;`;
    case 0xd6: // 66: movq xmm/m64, xmm
      if (mp !== P66) return null;
      if (i.mod === 3) {
        return `X[${s}]=X[${d}];X[${s + 1}]=X[${d + 1}];X[${s + 2}]=0;X[${s + 3}]=0;`;
      }
      return `k=${k};${effectiveAddress(i, `i${k}`)}` +
        store(8, { lo: `X[${d}]`, hi: `X[${d + 1}]` });
    case 0xef:
      return lanes(i, mp, (a, b) => `${a}^${b}`);
    case 0xeb:
      return lanes(i, mp, (a, b) => `${a}|${b}`);
    case 0xdb:
      return lanes(i, mp, (a, b) => `${a}&${b}`);
    case 0xdf:
      return lanes(i, mp, (a, b) => `~${a}&${b}`);
    case 0xfe:
      return lanes(i, mp, (a, b) => `(${a}+${b})|0`);
    case 0xfa:
      return lanes(i, mp, (a, b) => `(${a}-${b})|0`);
    case 0x72: {
      if (mp !== P66 || i.mod !== 3) return null;
      const c = i.imm & 0xff, digit = i.reg & 7;
      const out: string[] = [];
      for (let j = 0; j < 4; j++) {
        const x = `X[${s + j}]`;
        if (digit === 2) out.push(`${x}=${c >= 32 ? "0" : `${x}>>>${c}`};`);
        else if (digit === 6) out.push(`${x}=${c >= 32 ? "0" : `${x}<<${c}`};`);
        else if (digit === 4) out.push(`${x}=${x}>>${Math.min(c, 31)};`);
        else return null;
      }
      return out.join("");
    }
    case 0x70: {
      if (mp !== P66 || i.mod !== 3) return null;
      const sel = (j: number) => `X[${s + ((i.imm >> (2 * j)) & 3)}]`;
      return `q0=${sel(0)};q1=${sel(1)};q2=${sel(2)};q3=${sel(3)};` +
        `X[${d}]=q0;X[${d + 1}]=q1;X[${d + 2}]=q2;X[${d + 3}]=q3;`;
    }
  }
  return null;
}

/** dest(reg) = 128-bit source (register, or memory with the alignment check when asked). */
function load128(i: Insn, k: number, aligned: boolean): string {
  const d = i.reg * 4;
  if (i.mod === 3) {
    const s = i.rm * 4;
    return `q0=X[${s}];q1=X[${s + 1}];q2=X[${s + 2}];q3=X[${s + 3}];` +
      `X[${d}]=q0;X[${d + 1}]=q1;X[${d + 2}]=q2;X[${d + 3}]=q3;`;
  }
  return `k=${k};${effectiveAddress(i, `i${k}`)}${aligned ? alignCheck : ""}` +
    `${load(8, "q0", "q1")}a=a+8;${load(8, "q2", "q3")}` +
    `X[${d}]=q0;X[${d + 1}]=q1;X[${d + 2}]=q2;X[${d + 3}]=q3;`;
}

/** r/m = xmm(reg), 128 bits; a memory store checks the whole range before writing. */
function store128(i: Insn, k: number, aligned: boolean): string {
  const s = i.reg * 4;
  if (i.mod === 3) {
    const d = i.rm * 4;
    return `X[${d}]=X[${s}];X[${d + 1}]=X[${s + 1}];X[${d + 2}]=X[${s + 2}];X[${d + 3}]=X[${
      s + 3
    }];`;
  }
  return `k=${k};${effectiveAddress(i, `i${k}`)}${aligned ? alignCheck : ""}` +
    `if((a&4095)>4080)m.checkWritable(a,16);` +
    store(8, { lo: `X[${s}]`, hi: `X[${s + 1}]` }) + "a=a+8;" +
    store(8, { lo: `X[${s + 2}]`, hi: `X[${s + 3}]` });
}

const alignCheck = `if(a%16!==0)cpu.raise("general_protection");`;

/** 66-prefixed lane-wise 32-bit op, register source only. */
function lanes(i: Insn, mp: number, f: (a: string, b: string) => string): string | null {
  if (mp !== P66 || i.mod !== 3) return null;
  const d = i.reg * 4, s = i.rm * 4;
  let out = "";
  for (let j = 0; j < 4; j++) out += `X[${d + j}]=${f(`X[${d + j}]`, `X[${s + j}]`)};`;
  return out;
}
