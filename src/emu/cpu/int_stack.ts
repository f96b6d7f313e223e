/**
 * Stack instructions: push/pop (registers, immediates, memory), pushf/popf, enter/leave.
 * Near stack operations are 64-bit (16-bit with a 66 prefix).
 */
import type { Cpu } from "./cpu.ts";
import { type Insn, P_OPSIZE } from "./insn.ts";

function stackSize(i: Insn): number {
  return (i.prefixes & P_OPSIZE) ? 2 : 8;
}

/** 50..57: push r. */
export function pushReg(cpu: Cpu, i: Insn): void {
  const size = stackSize(i);
  const n = (i.op & 7) | ((i.rex & 1) << 3);
  const v = cpu.readReg(n, size, i.rex);
  cpu.push(size, v, cpu.hi);
}

/** 58..5F: pop r. */
export function popReg(cpu: Cpu, i: Insn): void {
  const size = stackSize(i);
  const v = cpu.pop(size);
  cpu.writeReg((i.op & 7) | ((i.rex & 1) << 3), size, i.rex, v, cpu.hi);
}

/** 68/6A: push imm (sign-extended). */
export function pushImm(cpu: Cpu, i: Insn): void {
  cpu.push(stackSize(i), i.imm, i.immHi);
}

/** FF /6: push Ev. */
export function pushRm(cpu: Cpu, i: Insn): void {
  const size = stackSize(i);
  const v = cpu.readRm(i, size);
  cpu.push(size, v, cpu.hi);
}

/** 8F /0: pop Ev (an rsp-based address uses the incremented rsp, as the hardware does). */
export function popRm(cpu: Cpu, i: Insn): void {
  if ((i.reg & 7) !== 0) cpu.raise("invalid_opcode");
  const size = stackSize(i);
  const oldSp = cpu.rspNumber();
  const v = cpu.pop(size);
  const hi = cpu.hi;
  try {
    cpu.writeRm(i, size, v, hi);
  } catch (e) {
    cpu.setRsp(oldSp);
    throw e;
  }
}

/** 9C: pushf (RF and VM read as zero). */
export function pushf(cpu: Cpu, i: Insn): void {
  cpu.push(stackSize(i), cpu.flags.get() & 0xfcffff, 0);
}

/** 9D: popf (only user-changeable flags are taken). */
export function popf(cpu: Cpu, i: Insn): void {
  const size = stackSize(i);
  const v = cpu.pop(size);
  if (size === 2) cpu.flags.load((cpu.flags.get() & ~0xffff) | v);
  else cpu.flags.load(v);
}

/** C9: leave (rsp = rbp; pop rbp). */
export function leave(cpu: Cpu, i: Insn): void {
  const size = stackSize(i);
  const regs = cpu.regs;
  const oldLo = regs[8], oldHi = regs[9];
  regs[8] = regs[10];
  regs[9] = regs[11];
  try {
    const v = cpu.pop(size);
    cpu.writeReg(5, size, 0, v, cpu.hi);
  } catch (e) {
    regs[8] = oldLo;
    regs[9] = oldHi;
    throw e;
  }
}

/** C8: enter imm16, imm8 (nesting levels copy the outer frame pointers). */
export function enter(cpu: Cpu, i: Insn): void {
  const size = stackSize(i);
  const level = i.imm2 & 31;
  const regs = cpu.regs;
  const saved = [regs[8], regs[9], regs[10], regs[11]];
  try {
    cpu.push(size, regs[10], regs[11]);
    const frame = cpu.rspNumber();
    let bp = regs[11] * 0x100000000 + (regs[10] >>> 0);
    for (let l = 1; l < level; l++) {
      bp -= size;
      const v = cpu.load(cpu.stackAddr(bp), size);
      cpu.push(size, v, cpu.hi);
    }
    if (level > 0) cpu.push(size, frame | 0, Math.floor(frame / 0x100000000) | 0);
    cpu.writeReg(5, size, 0, frame | 0, Math.floor(frame / 0x100000000) | 0);
    cpu.setRsp(cpu.rspNumber() - i.imm);
  } catch (e) {
    regs[8] = saved[0];
    regs[9] = saved[1];
    regs[10] = saved[2];
    regs[11] = saved[3];
    throw e;
  }
}
