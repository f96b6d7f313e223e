/**
 * Installs every general-purpose integer instruction handler into the opcode table. Handlers
 * are written against `Cpu` (they use its operand helpers and lazy flags); the table stores them
 * as plain `Handler`s because the CPU is the only ExecContext that ever runs them.
 */
import type { Cpu } from "./cpu.ts";
import type { Handler, Insn } from "./insn.ts";
import { MAP_0F } from "./insn.ts";
import { registerHandler } from "./handler_table.ts";
import {
  aluAccImm,
  aluEG,
  aluGE,
  aluGroup1,
  incDecRm,
  negRm,
  notRm,
  testAccImm,
  testEG,
  testRmImm,
} from "./int_alu.ts";
import { divAcc, imulGE, imulGEI, mulAcc } from "./int_muldiv.ts";
import { doubleShift, shiftBy1, shiftByCl, shiftByImm } from "./int_shift.ts";
import {
  bswap,
  cmov,
  lea,
  movAccMoffs,
  movEG,
  movEI,
  movGE,
  movMoffsAcc,
  movRegImm,
  movRegImm8,
  movsx,
  movsxd,
  movzx,
  setcc,
  signExtendAcc,
  signExtendIntoDx,
  xchgAcc,
  xchgEG,
  xlat,
} from "./int_move.ts";
import { enter, leave, popf, popReg, popRm, pushf, pushImm, pushReg, pushRm } from "./int_stack.ts";
import { callRel, callRm, jcc, jmpRel, jmpRm, loop, ret } from "./int_branch.ts";
import { cmps, lods, movs, scas, stos } from "./int_string.ts";
import { bitScan, btImm, btReg } from "./int_bits.ts";
import { cmpxchg, cmpxchg8b16b, xadd } from "./int_atomic.ts";
import {
  carryOp,
  cpuid,
  directionOp,
  group15,
  hlt,
  int3,
  intN,
  lahf,
  movFromSreg,
  nop,
  privileged,
  rdtsc,
  sahf,
  syscall,
  ud,
} from "./int_system.ts";

type IntHandler = (cpu: Cpu, i: Insn) => void;

function reg(op: number, h: IntHandler): void {
  registerHandler(op, h as unknown as Handler);
}

/** F6/F7 group 3. */
function group3(cpu: Cpu, i: Insn): void {
  switch (i.reg & 7) {
    case 0:
    case 1:
      return testRmImm(cpu, i);
    case 2:
      return notRm(cpu, i);
    case 3:
      return negRm(cpu, i);
    case 4:
    case 5:
      return mulAcc(cpu, i);
    default:
      return divAcc(cpu, i);
  }
}

/** FE group 4: inc/dec Eb. */
function group4(cpu: Cpu, i: Insn): void {
  if ((i.reg & 7) > 1) cpu.raise("invalid_opcode");
  incDecRm(cpu, i);
}

/** FF group 5: inc, dec, call, callf, jmp, jmpf, push. */
function group5(cpu: Cpu, i: Insn): void {
  switch (i.reg & 7) {
    case 0:
    case 1:
      return incDecRm(cpu, i);
    case 2:
      return callRm(cpu, i);
    case 4:
      return jmpRm(cpu, i);
    case 6:
      return pushRm(cpu, i);
    case 3:
    case 5:
      if (i.mod === 3) cpu.raise("invalid_opcode");
      return cpu.raise("unimplemented");
    default:
      return cpu.raise("invalid_opcode");
  }
}

/** 0F C7 group 9: cmpxchg8b/16b (rdrand/rdseed are not advertised). */
function group9(cpu: Cpu, i: Insn): void {
  if ((i.reg & 7) === 1 && i.mod !== 3) return cmpxchg8b16b(cpu, i);
  cpu.raise("invalid_opcode");
}

/** 0F 1E: endbr64 and the other reserved-nop forms. */
function hintNop(_cpu: Cpu, _i: Insn): void {}

let installed = false;

export function installIntegerHandlers(): void {
  if (installed) return;
  installed = true;
  for (let row = 0; row < 0x40; row += 8) {
    reg(row, aluEG);
    reg(row + 1, aluEG);
    reg(row + 2, aluGE);
    reg(row + 3, aluGE);
    reg(row + 4, aluAccImm);
    reg(row + 5, aluAccImm);
  }
  for (let o = 0x50; o <= 0x57; o++) reg(o, pushReg);
  for (let o = 0x58; o <= 0x5f; o++) reg(o, popReg);
  reg(0x63, movsxd);
  reg(0x68, pushImm);
  reg(0x69, imulGEI);
  reg(0x6a, pushImm);
  reg(0x6b, imulGEI);
  for (let o = 0x70; o <= 0x7f; o++) reg(o, jcc);
  reg(0x80, aluGroup1);
  reg(0x81, aluGroup1);
  reg(0x83, aluGroup1);
  reg(0x84, testEG);
  reg(0x85, testEG);
  reg(0x86, xchgEG);
  reg(0x87, xchgEG);
  reg(0x88, movEG);
  reg(0x89, movEG);
  reg(0x8a, movGE);
  reg(0x8b, movGE);
  reg(0x8c, movFromSreg);
  reg(0x8d, lea);
  reg(0x8f, popRm);
  for (let o = 0x90; o <= 0x97; o++) reg(o, xchgAcc);
  reg(0x98, signExtendAcc);
  reg(0x99, signExtendIntoDx);
  reg(0x9b, nop); // fwait: no pending x87 exceptions are modelled
  reg(0x9c, pushf);
  reg(0x9d, popf);
  reg(0x9e, sahf);
  reg(0x9f, lahf);
  reg(0xa0, movAccMoffs);
  reg(0xa1, movAccMoffs);
  reg(0xa2, movMoffsAcc);
  reg(0xa3, movMoffsAcc);
  reg(0xa4, movs);
  reg(0xa5, movs);
  reg(0xa6, cmps);
  reg(0xa7, cmps);
  reg(0xa8, testAccImm);
  reg(0xa9, testAccImm);
  reg(0xaa, stos);
  reg(0xab, stos);
  reg(0xac, lods);
  reg(0xad, lods);
  reg(0xae, scas);
  reg(0xaf, scas);
  for (let o = 0xb0; o <= 0xb7; o++) reg(o, movRegImm8);
  for (let o = 0xb8; o <= 0xbf; o++) reg(o, movRegImm);
  reg(0xc0, shiftByImm);
  reg(0xc1, shiftByImm);
  reg(0xc2, ret);
  reg(0xc3, ret);
  reg(0xc6, movEI);
  reg(0xc7, movEI);
  reg(0xc8, enter);
  reg(0xc9, leave);
  reg(0xcc, int3);
  reg(0xcd, intN);
  reg(0xd0, shiftBy1);
  reg(0xd1, shiftBy1);
  reg(0xd2, shiftByCl);
  reg(0xd3, shiftByCl);
  reg(0xd7, xlat);
  for (let o = 0xe0; o <= 0xe3; o++) reg(o, loop);
  for (const o of [0xe4, 0xe5, 0xe6, 0xe7, 0xec, 0xed, 0xee, 0xef, 0x6c, 0x6d, 0x6e, 0x6f]) {
    reg(o, privileged); // port I/O
  }
  reg(0xe8, callRel);
  reg(0xe9, jmpRel);
  reg(0xeb, jmpRel);
  reg(0xf4, hlt);
  reg(0xf5, carryOp);
  reg(0xf6, group3);
  reg(0xf7, group3);
  reg(0xf8, carryOp);
  reg(0xf9, carryOp);
  reg(0xfa, privileged);
  reg(0xfb, privileged);
  reg(0xfc, directionOp);
  reg(0xfd, directionOp);
  reg(0xfe, group4);
  reg(0xff, group5);

  // 0F map.
  reg(MAP_0F | 0x05, syscall);
  reg(MAP_0F | 0x0b, ud);
  reg(MAP_0F | 0x0d, nop); // prefetch/prefetchw
  for (let o = 0x18; o <= 0x1f; o++) reg(MAP_0F | o, o === 0x1e ? hintNop : nop);
  for (const o of [0x06, 0x08, 0x09, 0x30, 0x32, 0x33, 0x20, 0x21, 0x22, 0x23]) {
    reg(MAP_0F | o, privileged);
  }
  reg(MAP_0F | 0x31, rdtsc);
  for (let o = 0x40; o <= 0x4f; o++) reg(MAP_0F | o, cmov);
  for (let o = 0x80; o <= 0x8f; o++) reg(MAP_0F | o, jcc);
  for (let o = 0x90; o <= 0x9f; o++) reg(MAP_0F | o, setcc);
  reg(MAP_0F | 0xa2, cpuid);
  reg(MAP_0F | 0xa3, btReg);
  reg(MAP_0F | 0xa4, doubleShift);
  reg(MAP_0F | 0xa5, doubleShift);
  reg(MAP_0F | 0xab, btReg);
  reg(MAP_0F | 0xac, doubleShift);
  reg(MAP_0F | 0xad, doubleShift);
  reg(MAP_0F | 0xae, group15);
  reg(MAP_0F | 0xaf, imulGE);
  reg(MAP_0F | 0xb0, cmpxchg);
  reg(MAP_0F | 0xb1, cmpxchg);
  reg(MAP_0F | 0xb3, btReg);
  reg(MAP_0F | 0xb6, movzx);
  reg(MAP_0F | 0xb7, movzx);
  reg(MAP_0F | 0xb8, ud); // popcnt: not advertised
  reg(MAP_0F | 0xb9, ud);
  reg(MAP_0F | 0xba, btImm);
  reg(MAP_0F | 0xbb, btReg);
  reg(MAP_0F | 0xbc, bitScan);
  reg(MAP_0F | 0xbd, bitScan);
  reg(MAP_0F | 0xbe, movsx);
  reg(MAP_0F | 0xbf, movsx);
  reg(MAP_0F | 0xc0, xadd);
  reg(MAP_0F | 0xc1, xadd);
  reg(MAP_0F | 0xc7, group9);
  for (let o = 0xc8; o <= 0xcf; o++) reg(MAP_0F | o, bswap);
  reg(MAP_0F | 0xff, ud);
}
