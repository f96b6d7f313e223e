/**
 * The second execution tier: a decoded basic block compiled to one JavaScript function with
 * `new Function`. Common integer instructions become straight-line code over the int32-pair
 * register file with memory through the TLB inline (`jit_operands.ts`) and flags tracked
 * statically (`jit_flags.ts`); every other instruction calls its interpreter handler, so the
 * compiler covers nothing it must get exactly right by itself beyond what it emits.
 *
 * Contract with `Cpu.run` (which keeps icount and stop reasons exactly as the interpreter does):
 * the function runs the whole block and leaves `cpu.rip` at the next instruction; when
 * instruction k throws (a fault), it stores the flags the interpreter would have had before k,
 * sets `cpu.jitK = k` and rethrows. Instructions do every access that can fault before they
 * change registers, so registers and memory are already as the interpreter would leave them.
 */
import type { Cpu } from "./cpu.ts";
import type { Insn } from "./insn.ts";
import { MAP_0F, P_ADDRSIZE, P_LOCK, P_OPSIZE, P_REP, P_REPNE } from "./insn.ts";
import {
  CC_ADD,
  CC_DEC,
  CC_INC,
  CC_LOGIC,
  CC_RES,
  CC_SUB,
  cfExpr,
  CLEAN,
  condExpr,
  type FlagState,
  materialise,
} from "./jit_flags.ts";
import { sseInline } from "./jit_sse.ts";
import {
  effectiveAddress,
  load,
  readReg,
  regNum,
  store,
  truncConst,
  truncExpr,
  type Val,
  writeReg,
} from "./jit_operands.ts";

/** A compiled block: runs every instruction of the block once. */
export type CompiledBlock = (cpu: Cpu) => void;

/** Compiles a decoded block. */
export function compileBlock(insns: Insn[]): CompiledBlock {
  return new BlockCompiler(insns).build();
}

/** The generated source of a block (for tests and debugging). */
export function blockSource(insns: Insn[]): string {
  return new BlockCompiler(insns).source();
}

const TWO32 = 4294967296;

class BlockCompiler {
  private readonly code: string[] = [];
  private readonly locals = new Set<string>();
  /** Per instruction index: statements that store the flags as they were before it. */
  private readonly onFault: string[] = [];
  private state: FlagState = CLEAN;
  /** Set when the last instruction already left cpu.rip at the successor. */
  private exited = false;

  constructor(private readonly insns: Insn[]) {}

  build(): CompiledBlock {
    const factory = new Function("I", this.source()) as (insns: Insn[]) => CompiledBlock;
    return factory(this.insns);
  }

  source(): string {
    const insns = this.insns;
    for (let k = 0; k < insns.length; k++) {
      this.onFault[k] = materialise(this.state);
      const before = this.code.length;
      if (!this.emit(insns[k], k)) {
        this.code.length = before;
        this.fallback(insns[k], k);
      }
      // Only instructions that set k can fault; the others need no case in the handler.
      if (!this.code.slice(before).some((c) => c.includes(`k=${k};`))) this.onFault[k] = "";
    }
    if (!this.exited) {
      const last = insns[insns.length - 1];
      this.code.push(materialise(this.state), `cpu.rip=${last.addr + last.len};`);
    }
    const consts = insns.map((_, k) => `const i${k}=I[${k}],h${k}=i${k}.handler;`).join("");
    const cases = new Map<string, number[]>();
    this.onFault.forEach((c, k) => {
      if (c === "") return;
      const list = cases.get(c);
      if (list) list.push(k);
      else cases.set(c, [k]);
    });
    let sw = "";
    for (const [c, ks] of cases) sw += ks.map((k) => `case ${k}:`).join("") + `${c}break;`;
    const locals = [...this.locals].map((l) => `${l}=0`).join(",");
    return `"use strict";${consts}return function block(cpu){` +
      "const r=cpu.regs,F=cpu.flags,m=cpu.mem,RT=m.readTag,RV=m.readView,WT=m.writeTag," +
      "WV=m.writeView,X=cpu.simd.xmmI32;" +
      "let k=0,a=0,p=0,s=0,o=0,t=0,d=null,c=false,q0=0,q1=0,q2=0,q3=0" +
      (locals ? `,${locals}` : "") + ";" +
      `try{${this.code.join("\n")}}catch(e){${sw ? `switch(k){${sw}}` : ""}cpu.jitK=k;throw e;}};`;
  }

  /** A fresh local for instruction k. */
  private local(name: string, k: number): string {
    const l = `${name}${k}`;
    this.locals.add(l);
    return l;
  }

  /** Calls the interpreter handler: flags must be in cpu.flags first, and are there after. */
  private fallback(i: Insn, k: number): void {
    this.onFault[k] = ""; // materialised just below, before the handler can fault
    this.code.push(
      materialise(this.state),
      `k=${k};cpu.rip=${i.addr + i.len};h${k}(cpu,i${k});`,
    );
    this.state = CLEAN;
    if (k === this.insns.length - 1) this.exited = true;
  }

  /** Emits instruction k inline; false leaves it to the handler. */
  private emit(i: Insn, k: number): boolean {
    if (i.prefixes & (P_LOCK | P_ADDRSIZE)) return false;
    const op = i.op;
    const rep = (i.prefixes & (P_REP | P_REPNE)) !== 0;
    // Branches and nops ignore F2/F3 (bnd, rep ret, pause); elsewhere they may change meaning.
    if (op >= 0x70 && op <= 0x7f) return this.jcc(i, k);
    if (op >= (MAP_0F | 0x80) && op <= (MAP_0F | 0x8f)) return this.jcc(i, k);
    switch (op) {
      case 0xe9:
      case 0xeb:
        return this.jump(i, k);
      case 0xe8:
        return this.call(i, k);
      case 0xc3:
        return this.ret(i, k);
      case 0x90:
        return (i.rex & 1) === 0;
      case MAP_0F | 0x1e:
      case MAP_0F | 0x1f:
        return true;
    }
    if (op >= MAP_0F && op <= (MAP_0F | 0xff)) {
      const sse = sseInline(i, k);
      if (sse !== null) {
        this.code.push(sse);
        return true;
      }
    }
    if (rep) return false;
    if (op < 0x40 && (op & 7) < 6) {
      const alu = (op >> 3) & 7;
      if (alu === 2 || alu === 3) return false; // adc/sbb
      switch (op & 7) {
        case 0:
        case 1:
          return this.aluRm(i, k, alu, readReg(i.reg, i.opsize, i.rex));
        case 2:
        case 3:
          return this.aluGE(i, k, alu);
        default:
          return this.aluAcc(i, k, alu);
      }
    }
    if (op >= 0x50 && op <= 0x57) return this.push(i, k);
    if (op >= 0x58 && op <= 0x5f) return this.pop(i, k);
    if (op >= 0xb0 && op <= 0xb7) {
      this.code.push(writeReg((op & 7) | ((i.rex & 1) << 3), 1, i.rex, imm(i, 1)));
      return true;
    }
    if (op >= 0xb8 && op <= 0xbf) {
      this.code.push(writeReg((op & 7) | ((i.rex & 1) << 3), i.opsize, i.rex, imm(i, i.opsize)));
      return true;
    }
    if (op >= (MAP_0F | 0x40) && op <= (MAP_0F | 0x4f)) return this.cmov(i, k);
    if (op >= (MAP_0F | 0x90) && op <= (MAP_0F | 0x9f)) return this.setcc(i, k);
    switch (op) {
      case 0x80:
      case 0x81:
      case 0x83: {
        const alu = i.reg & 7;
        if (alu === 2 || alu === 3) return false;
        return this.aluRm(i, k, alu, imm(i, i.opsize));
      }
      case 0x84:
      case 0x85:
        return this.test(i, k, readReg(i.reg, i.opsize, i.rex));
      case 0xa8:
      case 0xa9:
        return this.testAcc(i, k);
      case 0x88:
      case 0x89:
        return this.writeRm(i, k, i.opsize, readReg(i.reg, i.opsize, i.rex));
      case 0x8a:
      case 0x8b:
        return this.movGE(i, k);
      case 0xc6:
      case 0xc7:
        if ((i.reg & 7) !== 0) return false;
        return this.writeRm(i, k, i.opsize, imm(i, i.opsize));
      case 0x8d:
        return this.lea(i, k);
      case 0x63:
        return this.extend(i, k, 4, true);
      case MAP_0F | 0xb6:
        return this.extend(i, k, 1, false);
      case MAP_0F | 0xb7:
        return this.extend(i, k, 2, false);
      case MAP_0F | 0xbe:
        return this.extend(i, k, 1, true);
      case MAP_0F | 0xbf:
        return this.extend(i, k, 2, true);
      case 0xc0:
      case 0xc1:
        return this.shift(i, k, i.imm & 0xff);
      case 0xd0:
      case 0xd1:
        return this.shift(i, k, 1);
      case 0xf6:
      case 0xf7:
        return this.group3(i, k);
      case 0xfe:
      case 0xff:
        if ((i.reg & 7) > 1) return false;
        return this.incDec(i, k);
      case MAP_0F | 0xaf:
        return this.imul(i, k, null);
      case 0x69:
      case 0x6b:
        return this.imul(i, k, imm(i, i.opsize));
      case 0x98:
        return this.cdqe(i);
      case 0x99:
        return this.cqo(i);
    }
    return false;
  }

  // ------------------------------------------------------------------------------------------
  // Operands

  /** Reads the r/m operand into locals (v{k}, vh{k}); statements go to the code. */
  private readRm(i: Insn, k: number, size: number): Val {
    const lo = this.local("v", k);
    const hi = size === 8 ? this.local("vh", k) : "0";
    if (i.mod === 3) {
      const v = readReg(i.rm, size, i.rex);
      this.code.push(`${lo}=${v.lo};` + (size === 8 ? `${hi}=${v.hi};` : ""));
    } else {
      this.code.push(`k=${k};`, effectiveAddress(i, `i${k}`), load(size, lo, hi));
    }
    return { lo, hi };
  }

  /** Writes the r/m operand (a register, or memory at an address computed here). */
  private writeRm(i: Insn, k: number, size: number, v: Val): boolean {
    if (i.mod === 3) this.code.push(writeReg(i.rm, size, i.rex, v));
    else this.code.push(`k=${k};`, effectiveAddress(i, `i${k}`), store(size, v));
    return true;
  }

  /** Copies v into locals named x{k}, xh{k} (values must survive later register writes). */
  private pin(v: Val, size: number, name: string, k: number): Val {
    const lo = this.local(name, k);
    const hi = size === 8 ? this.local(`${name}h`, k) : "0";
    this.code.push(`${lo}=${v.lo};` + (size === 8 ? `${hi}=${v.hi};` : ""));
    return { lo, hi };
  }

  // ------------------------------------------------------------------------------------------
  // Integer arithmetic

  /** r = a op b for ALU op (0 add, 1 or, 4 and, 5 sub, 6 xor, 7 cmp); sets the flag state. */
  private compute(k: number, alu: number, size: number, a: Val, b: Val): Val {
    const r = this.local("r", k);
    const rh = size === 8 ? this.local("rh", k) : "0";
    let kind: number;
    switch (alu) {
      case 0:
        kind = CC_ADD;
        if (size === 8) {
          this.code.push(
            `t=(${a.lo}>>>0)+(${b.lo}>>>0);${rh}=(${a.hi}+${b.hi}+(t>4294967295?1:0))|0;${r}=t|0;`,
          );
        } else this.code.push(`${r}=${truncExpr(size, `${a.lo}+${b.lo}`)};`);
        break;
      case 5:
      case 7:
        kind = CC_SUB;
        if (size === 8) {
          this.code.push(
            `t=(${a.lo}>>>0)-(${b.lo}>>>0);${rh}=(${a.hi}-${b.hi}-(t<0?1:0))|0;${r}=t|0;`,
          );
        } else this.code.push(`${r}=${truncExpr(size, `${a.lo}-${b.lo}`)};`);
        break;
      default: {
        kind = CC_LOGIC;
        const o = alu === 1 ? "|" : alu === 4 ? "&" : "^";
        this.code.push(
          `${r}=${a.lo}${o}${b.lo};` + (size === 8 ? `${rh}=${a.hi}${o}${b.hi};` : ""),
        );
      }
    }
    this.state = {
      src: { kind, size, a: a.lo, ah: a.hi, b: b.lo, bh: b.hi, r, rh, aux: "0" },
      over: null,
    };
    return { lo: r, hi: rh };
  }

  /** op Ev, src (src already an expression valid before the instruction). */
  private aluRm(i: Insn, k: number, alu: number, src: Val): boolean {
    const size = i.opsize;
    const b = this.pin(src, size, "b", k);
    if (i.mod === 3) {
      const a = this.pin(readReg(i.rm, size, i.rex), size, "a", k);
      const r = this.compute(k, alu, size, a, b);
      if (alu !== 7) this.code.push(writeReg(i.rm, size, i.rex, r));
      return true;
    }
    const lo = this.local("a", k);
    const hi = size === 8 ? this.local("ah", k) : "0";
    this.code.push(`k=${k};`, effectiveAddress(i, `i${k}`), load(size, lo, hi));
    const r = this.compute(k, alu, size, { lo, hi }, b);
    if (alu !== 7) this.code.push(store(size, r));
    return true;
  }

  /** op Gv, Ev. */
  private aluGE(i: Insn, k: number, alu: number): boolean {
    const size = i.opsize;
    const b = this.readRm(i, k, size);
    const a = this.pin(readReg(i.reg, size, i.rex), size, "a", k);
    const r = this.compute(k, alu, size, a, b);
    if (alu !== 7) this.code.push(writeReg(i.reg, size, i.rex, r));
    return true;
  }

  /** op AL/eAX, imm. */
  private aluAcc(i: Insn, k: number, alu: number): boolean {
    const size = i.opsize;
    const a = this.pin(readReg(0, size, 0), size, "a", k);
    const r = this.compute(k, alu, size, a, imm(i, size));
    if (alu !== 7) this.code.push(writeReg(0, size, 0, r));
    return true;
  }

  private setLogic(k: number, size: number, lo: string, hi: string): void {
    const r = this.local("r", k);
    const rh = size === 8 ? this.local("rh", k) : "0";
    this.code.push(`${r}=${lo};` + (size === 8 ? `${rh}=${hi};` : ""));
    this.state = {
      src: { kind: CC_LOGIC, size, a: "0", ah: "0", b: "0", bh: "0", r, rh, aux: "0" },
      over: null,
    };
  }

  /** test Ev, src. */
  private test(i: Insn, k: number, src: Val): boolean {
    const size = i.opsize;
    const b = this.pin(src, size, "b", k);
    const a = this.readRm(i, k, size);
    this.setLogic(k, size, `${a.lo}&${b.lo}`, `${a.hi}&${b.hi}`);
    return true;
  }

  private testAcc(i: Insn, k: number): boolean {
    const size = i.opsize;
    const a = readReg(0, size, 0);
    const b = imm(i, size);
    this.setLogic(k, size, `${a.lo}&${b.lo}`, `${a.hi}&${b.hi}`);
    return true;
  }

  /** F6/F7: test imm, not, neg (mul/div go to the handlers). */
  private group3(i: Insn, k: number): boolean {
    const size = i.opsize;
    switch (i.reg & 7) {
      case 0:
      case 1:
        return this.test(i, k, imm(i, size));
      case 2:
      case 3: {
        const addr = i.mod === 3 ? null : this.local("ad", k);
        const a = this.rmwRead(i, k, size, addr);
        let r: Val;
        if ((i.reg & 7) === 2) r = { lo: truncExpr(size, `~${a.lo}`), hi: `(~${a.hi})` };
        else r = this.compute(k, 5, size, { lo: "0", hi: "0" }, a);
        this.rmwWrite(i, size, addr, r);
        return true;
      }
      default:
        return false;
    }
  }

  /** Reads the r/m operand of a read-modify-write; the address stays in `addr`. */
  private rmwRead(i: Insn, k: number, size: number, addr: string | null): Val {
    if (addr === null) return this.pin(readReg(i.rm, size, i.rex), size, "a", k);
    const lo = this.local("a", k);
    const hi = size === 8 ? this.local("ah", k) : "0";
    this.code.push(`k=${k};`, effectiveAddress(i, `i${k}`), `${addr}=a;`, load(size, lo, hi));
    return { lo, hi };
  }

  private rmwWrite(i: Insn, size: number, addr: string | null, v: Val): void {
    if (addr === null) this.code.push(writeReg(i.rm, size, i.rex, v));
    else this.code.push(`a=${addr};`, store(size, v));
  }

  /** FE/FF /0 /1: inc/dec (CF survives). */
  private incDec(i: Insn, k: number): boolean {
    const size = i.opsize;
    const dec = (i.reg & 7) === 1;
    const addr = i.mod === 3 ? null : this.local("ad", k);
    const a = this.rmwRead(i, k, size, addr);
    const x = this.local("x", k);
    this.code.push(`${x}=${cfExpr(this.state)};`);
    const r = this.compute(k, dec ? 5 : 0, size, a, { lo: "1", hi: "0" });
    this.rmwWrite(i, size, addr, r);
    this.state = {
      src: { ...this.state.src!, kind: dec ? CC_DEC : CC_INC, aux: x },
      over: null,
    };
    return true;
  }

  /** C0/C1/D0/D1 with a constant count: shl/shr/sar at sizes 4 and 8, rol/ror at size 4. */
  private shift(i: Insn, k: number, count: number): boolean {
    const size = i.opsize;
    if (size < 4) return false;
    const c = count & (size === 8 ? 63 : 31);
    const op = i.reg & 7;
    if (op === 2 || op === 3 || (op <= 1 && size === 8)) return false;
    const addr = i.mod === 3 ? null : this.local("ad", k);
    const a = this.rmwRead(i, k, size, addr);
    if (c === 0) {
      if (size === 4 && addr === null) this.code.push(`r[${2 * i.rm + 1}]=0;`);
      return true;
    }
    const r = this.local("r", k);
    const rh = size === 8 ? this.local("rh", k) : "0";
    const x = this.local("x", k);
    const out: string[] = [];
    if (size === 4) {
      switch (op) {
        case 0: // rol
          out.push(`${r}=(${a.lo}<<${c})|(${a.lo}>>>${32 - c});`);
          out.push(`${x}=${r}&1;${x}=${x}|((((${r}>>>31)^${x}))<<11);`);
          break;
        case 1: // ror
          out.push(`${r}=(${a.lo}<<${32 - c})|(${a.lo}>>>${c});`);
          out.push(`${x}=${r}>>>31;${x}=${x}|((${x}^((${r}>>>30)&1))<<11);`);
          break;
        case 4:
        case 6: // shl
          out.push(`${r}=${a.lo}<<${c};${x}=(${a.lo}>>>${32 - c})&1;`);
          out.push(`${x}=${x}|(((${r}>>>31)^${x})<<11)|16;`);
          break;
        case 5: // shr
          out.push(`${r}=(${a.lo}>>>${c})|0;${x}=(${a.lo}>>>${c - 1})&1;`);
          out.push(`${x}=${x}|(((${r}>>>31)^((${r}>>>30)&1))<<11)|16;`);
          break;
        default: // sar
          out.push(`${r}=${a.lo}>>${c};${x}=((${a.lo}>>${c - 1})&1)|16;`);
      }
    } else {
      const bit = (n: number) => n < 32 ? `((${a.lo}>>>${n})&1)` : `((${a.hi}>>>${n - 32})&1)`;
      switch (op) {
        case 4:
        case 6:
          if (c < 32) {
            out.push(`${rh}=(${a.hi}<<${c})|(${a.lo}>>>${32 - c});${r}=${a.lo}<<${c};`);
          } else out.push(`${rh}=${a.lo}<<${c - 32};${r}=0;`);
          out.push(`${x}=${bit(64 - c)};${x}=${x}|(((${rh}>>>31)^${x})<<11)|16;`);
          break;
        case 5:
          if (c < 32) {
            out.push(`${r}=((${a.lo}>>>${c})|(${a.hi}<<${32 - c}))|0;${rh}=(${a.hi}>>>${c})|0;`);
          } else out.push(`${r}=(${a.hi}>>>${c - 32})|0;${rh}=0;`);
          out.push(`${x}=${bit(c - 1)};${x}=${x}|(((${rh}>>>31)^((${rh}>>>30)&1))<<11)|16;`);
          break;
        default:
          if (c < 32) {
            out.push(`${r}=((${a.lo}>>>${c})|(${a.hi}<<${32 - c}))|0;${rh}=${a.hi}>>${c};`);
          } else out.push(`${r}=${a.hi}>>${c - 32};${rh}=${a.hi}>>31;`);
          out.push(`${x}=${bit(c - 1)}|16;`);
      }
    }
    this.code.push(out.join(""));
    this.rmwWrite(i, size, addr, { lo: r, hi: rh });
    if (op <= 1) this.state = { src: this.state.src, over: x };
    else {
      this.state = {
        src: { kind: CC_RES, size, a: "0", ah: "0", b: "0", bh: "0", r, rh, aux: x },
        over: null,
      };
    }
    return true;
  }

  /** imul Gv, Ev (imm null) or imul Gv, Ev, imm, at size 4. */
  private imul(i: Insn, k: number, immediate: Val | null): boolean {
    if (i.opsize !== 4) return false;
    const v = this.readRm(i, k, 4);
    const b = immediate ?? readReg(i.reg, 4, i.rex);
    const r = this.local("r", k);
    const x = this.local("x", k);
    // The exact product fits in int32 iff the double product equals the wrapped one.
    this.code.push(`${r}=Math.imul(${v.lo},${b.lo});${x}=${v.lo}*${b.lo}!==${r}?2049:0;`);
    this.code.push(writeReg(i.reg, 4, i.rex, { lo: r, hi: "0" }));
    this.state = {
      src: { kind: CC_RES, size: 4, a: "0", ah: "0", b: "0", bh: "0", r, rh: "0", aux: x },
      over: null,
    };
    return true;
  }

  // ------------------------------------------------------------------------------------------
  // Moves

  private movGE(i: Insn, k: number): boolean {
    const size = i.opsize;
    if (i.mod === 3) {
      this.code.push(writeReg(i.reg, size, i.rex, readReg(i.rm, size, i.rex)));
      return true;
    }
    const v = this.readRm(i, k, size);
    this.code.push(writeReg(i.reg, size, i.rex, v));
    return true;
  }

  /** movzx/movsx/movsxd from a source of `from` bytes. */
  private extend(i: Insn, k: number, from: number, signed: boolean): boolean {
    const v = this.readRm(i, k, from);
    const size = i.opsize;
    let lo: string;
    if (!signed) lo = v.lo;
    else if (from === 1) lo = `((${v.lo}<<24)>>24)`;
    else if (from === 2) lo = `((${v.lo}<<16)>>16)`;
    else lo = v.lo;
    const x = this.local("x", k);
    this.code.push(`${x}=${lo};`);
    const hi = signed ? `(${x}>>31)` : "0";
    this.code.push(writeReg(i.reg, size, i.rex, { lo: truncExpr(size, x), hi }));
    return true;
  }

  /** 8D lea: the address without segment base, truncated to the operand size. */
  private lea(i: Insn, k: number): boolean {
    if (i.mod === 3) return false;
    const size = i.opsize;
    if (i.base === 16) {
      const v = i.disp + (i.addr + i.len);
      const lo = v | 0, hi = Math.floor(v / TWO32) | 0;
      this.code.push(writeReg(i.reg, size, i.rex, { lo: lit(truncConst(size, lo)), hi: lit(hi) }));
      return true;
    }
    const sh = i.scale === 1 ? 0 : i.scale === 2 ? 1 : i.scale === 4 ? 2 : 3;
    if (size !== 8) {
      let e = lit(i.disp);
      if (i.base >= 0) e += `+r[${2 * i.base}]`;
      if (i.index >= 0) e += `+(r[${2 * i.index}]<<${sh})`;
      this.code.push(writeReg(i.reg, size, i.rex, { lo: truncExpr(size, e), hi: "0" }));
      return true;
    }
    // 64-bit: exact int32-pair arithmetic, as the handler does it.
    const lo = this.local("l", k);
    const hi = this.local("lh", k);
    const out = [`${lo}=${lit(i.disp)};${hi}=${lit(i.disp >> 31)};`];
    if (i.base >= 0) {
      out.push(
        `t=(${lo}>>>0)+(r[${2 * i.base}]>>>0);${hi}=(${hi}+r[${2 * i.base + 1}]+` +
          `(t>4294967295?1:0))|0;${lo}=t|0;`,
      );
    }
    if (i.index >= 0) {
      const xl = `r[${2 * i.index}]`, xh = `r[${2 * i.index + 1}]`;
      const sl = sh > 0 ? `(${xl}<<${sh})` : xl;
      const shh = sh > 0 ? `((${xh}<<${sh})|(${xl}>>>${32 - sh}))` : xh;
      out.push(
        `t=(${lo}>>>0)+(${sl}>>>0);${hi}=(${hi}+${shh}+(t>4294967295?1:0))|0;${lo}=t|0;`,
      );
    }
    out.push(writeReg(i.reg, 8, i.rex, { lo, hi }));
    this.code.push(out.join(""));
    return true;
  }

  private cmov(i: Insn, k: number): boolean {
    const size = i.opsize;
    if (size === 2) return false;
    const v = this.readRm(i, k, size);
    const w = writeReg(i.reg, size, i.rex, v);
    const miss = size === 4 ? `else r[${2 * i.reg + 1}]=0;` : "";
    this.code.push(`if(${condExpr(this.state, i.op & 15)}){${w}}${miss}`);
    return true;
  }

  private setcc(i: Insn, k: number): boolean {
    const x = this.local("x", k);
    this.code.push(`${x}=${condExpr(this.state, i.op & 15)}?1:0;`);
    return this.writeRm(i, k, 1, { lo: x, hi: "0" });
  }

  /** 98: cbw/cwde/cdqe. */
  private cdqe(i: Insn): boolean {
    if (i.opsize === 8) this.code.push("r[1]=r[0]>>31;");
    else if (i.opsize === 4) this.code.push("r[0]=(r[0]<<16)>>16;r[1]=0;");
    else return false;
    return true;
  }

  /** 99: cwd/cdq/cqo. */
  private cqo(i: Insn): boolean {
    if (i.opsize === 8) this.code.push("r[4]=r[5]=r[1]>>31;");
    else if (i.opsize === 4) this.code.push("r[4]=r[0]>>31;r[5]=0;");
    else return false;
    return true;
  }

  // ------------------------------------------------------------------------------------------
  // Stack and control flow

  /** Statements leaving rsp - size (checked like Cpu.stackAddr) in `a`. */
  private stackDown(k: number, size: number): string {
    return `k=${k};a=${regNum(4)}-${size};if(!(a>=0&&a<${0x800000000000}))a=cpu.stackAddr(a);`;
  }

  private push(i: Insn, k: number): boolean {
    if (i.prefixes & P_OPSIZE) return false;
    const v = readReg((i.op & 7) | ((i.rex & 1) << 3), 8, i.rex);
    const x = this.pin(v, 8, "x", k);
    this.code.push(this.stackDown(k, 8), store(8, x), setRsp("a"));
    return true;
  }

  private pop(i: Insn, k: number): boolean {
    if (i.prefixes & P_OPSIZE) return false;
    const lo = this.local("x", k), hi = this.local("xh", k);
    this.code.push(
      `k=${k};a=${regNum(4)};if(!(a>=0&&a<${0x800000000000}))a=cpu.stackAddr(a);`,
      load(8, lo, hi),
      setRsp("a+8"),
      writeReg((i.op & 7) | ((i.rex & 1) << 3), 8, i.rex, { lo, hi }),
    );
    return true;
  }

  private jcc(i: Insn, k: number): boolean {
    if (k !== this.insns.length - 1) return false;
    const next = i.addr + i.len;
    this.code.push(`c=${condExpr(this.state, i.op & 15)};`, materialise(this.state));
    this.code.push(`cpu.rip=c?${next + i.imm}:${next};`);
    this.state = CLEAN;
    this.exited = true;
    return true;
  }

  private jump(i: Insn, k: number): boolean {
    if (k !== this.insns.length - 1) return false;
    this.code.push(materialise(this.state), `cpu.rip=${i.addr + i.len + i.imm};`);
    this.state = CLEAN;
    this.exited = true;
    return true;
  }

  private call(i: Insn, k: number): boolean {
    if (k !== this.insns.length - 1) return false;
    const next = i.addr + i.len;
    const v = { lo: lit(next | 0), hi: lit(Math.floor(next / TWO32) | 0) };
    this.code.push(this.stackDown(k, 8), store(8, v), setRsp("a"));
    this.code.push(materialise(this.state), `cpu.rip=${next + i.imm};`);
    this.state = CLEAN;
    this.exited = true;
    return true;
  }

  private ret(_i: Insn, k: number): boolean {
    if (k !== this.insns.length - 1) return false;
    const lo = this.local("x", k), hi = this.local("xh", k);
    this.code.push(
      `k=${k};a=${regNum(4)};if(!(a>=0&&a<${0x800000000000}))a=cpu.stackAddr(a);`,
      load(8, lo, hi),
      materialise(this.state),
      // A non-canonical return address: #GP on the ret, rsp unchanged (as int_branch.ts).
      `if((${hi}>>>0)>=32768&&(${hi}>>>0)<4294934528)cpu.raiseGp();`,
      setRsp("a+8"),
      `cpu.rip=(${hi}>>>0)*4294967296+(${lo}>>>0);`,
    );
    this.state = CLEAN;
    this.exited = true;
    return true;
  }
}

/** Statements setting rsp from a signed number expression (mod 2^64), like Cpu.setRsp. */
function setRsp(e: string): string {
  return `t=${e};r[8]=t|0;r[9]=Math.floor(t/4294967296)|0;`;
}

/** The immediate of i in stored form at size (imm sign-extended to 64 bits at size 8). */
function imm(i: Insn, size: number): Val {
  return { lo: lit(truncConst(size, i.imm)), hi: size === 8 ? lit(i.immHi) : "0" };
}

/** A numeric literal that is safe after a binary operator (`x - -1` must not become `x--1`). */
function lit(n: number): string {
  return n < 0 ? `(${n})` : String(n);
}
