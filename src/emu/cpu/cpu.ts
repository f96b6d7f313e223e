/**
 * The x86-64 CPU: register file, lazy flags, decoded-block cache and the run loop. Implements
 * both the kernel-facing `GuestCpu` and the handler-facing `ExecContext`.
 */
import { MemFault, type Memory, PAGE_SIZE } from "../mem/memory.ts";
import type { CpuFault, FaultKind, GuestCpu, StopReason } from "./cpu_api.ts";
import { BASE_RIP, type ExecContext, Insn, P_ADDRSIZE, P_FS, P_GS } from "./insn.ts";
import { SimdState } from "./simd_state.ts";
import {
  type CodeReader,
  decodeInsn,
  ENDS_BLOCK,
  INVALID_HANDLER,
  UNIMPLEMENTED_HANDLER,
} from "./decoder.ts";
import { LazyFlags } from "./flags.ts";
import { installSimdHandlers } from "./simd_handlers.ts";
import { installIntegerHandlers } from "./int_handlers.ts";
import { fxrstorImage, fxsaveImage, resetSimd } from "./simd_image.ts";
import { compileBlock, type CompiledBlock } from "./jit_compile.ts";
import { jitThreshold } from "./jit_config.ts";

const TWO32 = 0x100000000;
/** Lowest non-canonical address (user half) and its kernel-half mirror. */
const CANON_LIMIT = 0x800000000000;
/** A block ends after this many instructions so the run loop regains control regularly. */
const MAX_BLOCK_INSNS = 64;
/** 0F 31 rdtsc. */
const STARTS_BLOCK_OP = 0x131;

const TRAPNO: Record<FaultKind, number> = {
  page: 14,
  invalid_opcode: 6,
  unimplemented: 6,
  divide: 0,
  breakpoint: 3,
  general_protection: 13,
  simd: 19,
};

/** A decoded basic block, compiled to JavaScript once it has run often enough. */
interface Block {
  insns: Insn[];
  /** Interpreted executions so far (the only input of the tiering decision). */
  hits: number;
  fn: CompiledBlock | null;
}

/** Thrown by `raise()`: the kind travels in `Cpu.pendingKind`. */
class RaiseSignal {
  constructor(readonly note: string) {}
}
const RAISED = new RaiseSignal("cpu fault");
/** One 64-bit slot seen as an int32 pair and as a 64-bit integer: bigint <-> pair without math. */
const PAIR = new Int32Array(2);
const PAIR_U64 = new BigUint64Array(PAIR.buffer);
const PAIR_I64 = new BigInt64Array(PAIR.buffer);
/**
 * Thrown out of a store made by compiled code into the page of the block that is running, before
 * the store happens: the block stops there and the rest runs from freshly decoded bytes, as the
 * hardware's self-modifying-code detection guarantees.
 */
const SMC_RESTART = new RaiseSignal("self-modifying code");

let handlersInstalled = false;
function installHandlersOnce(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  installIntegerHandlers();
  installSimdHandlers();
}

export class Cpu implements GuestCpu, ExecContext, CodeReader {
  readonly mem: Memory;
  /** GPRs as int32 pairs: register n low half at [2n], high half at [2n+1]. */
  readonly regs = new Int32Array(32);
  readonly simd = new SimdState();
  readonly flags = new LazyFlags();
  rip = 0;
  icount = 0;
  fault: CpuFault | null = null;
  /** High half of the last 64-bit operand read through `load`/`readReg`/`readRm`. */
  hi = 0;
  /** Segment bases as numbers for address arithmetic. */
  fsBaseNum = 0;
  gsBaseNum = 0;
  /** Set by syscall/hlt handlers: the run loop returns it after the block. */
  stopReason: StopReason | null = null;
  /** Set by a compiled block that faults: the index of the faulting instruction. */
  jitK = 0;
  /** Interpreted executions of a block before it is compiled (see jit_config.ts). */
  jitThreshold = jitThreshold();
  /** Kind of the fault being raised (see `raise`). */
  private pendingKind: FaultKind = "unimplemented";
  private pendingAddr = 0;
  private fsBaseValue = 0n;
  private gsBaseValue = 0n;
  private readonly blocks = new Map<number, Block>();
  /** page index → start addresses of blocks with code on that page. */
  private readonly pageBlocks = new Map<number, number[]>();
  /** The block being executed (for self-modifying code inside it), and whether it is compiled. */
  private current: Block | null = null;
  private currentCompiled = false;
  /** Set when the interpreted block's own code was written: it stops after that instruction. */
  private smcHit = false;
  /** After an SMC restart the next block is interpreted, so the store can complete. */
  private interpretNext = false;
  private fetchIndex = -1;
  private fetchData: Uint8Array | null = null;

  constructor(mem: Memory) {
    installHandlersOnce();
    this.mem = mem;
    mem.onCodeWrite = (page) => this.invalidatePage(page);
  }

  get fsBase(): bigint {
    return this.fsBaseValue;
  }
  set fsBase(v: bigint) {
    this.fsBaseValue = BigInt.asUintN(64, v);
    this.fsBaseNum = Number(BigInt.asIntN(64, v));
  }
  get gsBase(): bigint {
    return this.gsBaseValue;
  }
  set gsBase(v: bigint) {
    this.gsBaseValue = BigInt.asUintN(64, v);
    this.gsBaseNum = Number(BigInt.asIntN(64, v));
  }

  // -------------------------------------------------------------------------------------------
  // GuestCpu

  getReg(index: number): bigint {
    PAIR[0] = this.regs[2 * index];
    PAIR[1] = this.regs[2 * index + 1];
    return PAIR_U64[0];
  }
  setReg(index: number, value: bigint): void {
    PAIR_I64[0] = value; // wraps modulo 2^64, like a register write
    this.regs[2 * index] = PAIR[0];
    this.regs[2 * index + 1] = PAIR[1];
  }
  getRegNumber(index: number): number {
    return (this.regs[2 * index + 1] >>> 0) * TWO32 + (this.regs[2 * index] >>> 0);
  }
  getRflags(): number {
    return this.flags.get();
  }
  setRflags(value: number): void {
    this.flags.load(value);
  }
  fxsave(into?: Uint8Array): Uint8Array {
    return fxsaveImage(this.simd, into);
  }
  fxrstor(image: Uint8Array): void {
    fxrstorImage(this.simd, image);
  }
  resetFpu(): void {
    resetSimd(this.simd);
  }

  /**
   * execve: the state a new image starts with (registers zero, rflags 0x202, x87/SSE reset,
   * fs/gs bases 0) at `entry` with rsp = `sp`; every decoded block is forgotten. icount goes on.
   */
  resetForExec(entry: number, sp: bigint): void {
    this.regs.fill(0);
    this.setReg(4, sp);
    this.rip = entry;
    this.setRflags(0x202);
    this.resetFpu();
    this.fsBase = 0n;
    this.gsBase = 0n;
    this.fault = null;
    this.stopReason = null;
    this.blocks.clear();
    this.pageBlocks.clear();
    this.current = null;
    this.currentCompiled = false;
    this.smcHit = false;
    this.interpretNext = false;
    this.fetchIndex = -1;
    this.fetchData = null;
    this.halted = false;
  }

  /**
   * fork(): a new CPU on `mem` (the copied memory) with this one's whole architectural state:
   * registers, rip, flags, x87/SSE, fs/gs bases and the instruction count. Decoded blocks are
   * not shared; the copy decodes and tiers its own.
   */
  cloneState(mem: Memory): Cpu {
    const c = new Cpu(mem);
    c.regs.set(this.regs);
    c.rip = this.rip;
    c.icount = this.icount;
    c.setRflags(this.getRflags());
    c.fsBase = this.fsBase;
    c.gsBase = this.gsBase;
    c.jitThreshold = this.jitThreshold;
    const from = this.simd, to = c.simd;
    to.xmmU8.set(from.xmmU8);
    to.mxcsr = from.mxcsr;
    to.fcw = from.fcw;
    to.fsw = from.fsw;
    to.ftw = from.ftw;
    to.fpMant.set(from.fpMant);
    to.fpSignExp.set(from.fpSignExp);
    to.fop = from.fop;
    return c;
  }

  run(budget: number): StopReason {
    try {
      return this.runBlocks(budget);
    } finally {
      // Code written between runs (by the kernel) is no longer "inside the running block".
      this.current = null;
      this.currentCompiled = false;
      this.smcHit = false;
    }
  }

  private runBlocks(budget: number): StopReason {
    this.fault = null;
    this.stopReason = null;
    let left = budget;
    while (left > 0) {
      let block = this.blocks.get(this.rip);
      if (block === undefined) {
        const built = this.buildBlock(this.rip);
        if (built === null) return "fault";
        block = built;
      }
      const insns = block.insns;
      let fn = block.fn;
      if (fn === null && block.hits++ >= this.jitThreshold) fn = block.fn = this.compile(block);
      this.current = block;
      // A compiled block runs whole, so it runs only when the budget covers all of it.
      if (fn !== null && insns.length <= left && !this.interpretNext) {
        this.currentCompiled = true;
        try {
          fn(this);
        } catch (e) {
          this.currentCompiled = false;
          const k = this.jitK;
          if (e === SMC_RESTART) {
            // Instruction k wrote into this block's own code: redo it (and the rest) from memory.
            this.icount += k;
            left -= k;
            this.rip = insns[k].addr;
            this.interpretNext = true;
            continue;
          }
          return this.faulted(e, insns[k], k);
        }
        this.currentCompiled = false;
        this.icount += insns.length;
        left -= insns.length;
        if (this.stopReason !== null) return this.stopReason;
        continue;
      }
      this.interpretNext = false;
      const n = insns.length < left ? insns.length : left;
      let k = 0;
      try {
        for (; k < n; k++) {
          const i = insns[k];
          this.rip = i.addr + i.len;
          i.handler(this, i);
          if (this.smcHit) {
            // The instruction rewrote code of this block: the next one is decoded afresh.
            this.smcHit = false;
            k++;
            break;
          }
        }
      } catch (e) {
        return this.faulted(e, insns[k], k);
      }
      this.icount += k;
      left -= k;
      if (this.stopReason !== null) return this.stopReason;
    }
    return "budget";
  }

  invalidateCode(addr: number, len: number): void {
    const first = Math.floor(addr / PAGE_SIZE);
    const last = Math.floor((addr + Math.max(len, 1) - 1) / PAGE_SIZE);
    for (let p = first; p <= last; p++) this.invalidatePage(p);
    // A block straddling into the range starts on the previous page.
    this.invalidatePage(first - 1);
  }

  // -------------------------------------------------------------------------------------------
  // ExecContext

  /** Effective address of the memory operand of i (segment base applied). */
  ea(i: Insn): number {
    const regs = this.regs;
    let a = i.disp;
    const base = i.base;
    if (i.prefixes & P_ADDRSIZE) return this.ea32(i);
    if (base >= 0) {
      if (base === BASE_RIP) a += i.addr + i.len;
      else a += regs[2 * base + 1] * TWO32 + (regs[2 * base] >>> 0);
    }
    const index = i.index;
    if (index >= 0) a += (regs[2 * index + 1] * TWO32 + (regs[2 * index] >>> 0)) * i.scale;
    if (i.prefixes & (P_FS | P_GS)) a += (i.prefixes & P_FS) ? this.fsBaseNum : this.gsBaseNum;
    if (a >= 0 && a < CANON_LIMIT) return a;
    return this.eaSlow(i);
  }

  raise(kind: FaultKind): never {
    this.pendingKind = kind;
    this.pendingAddr = 0;
    this.pendingErr = 0;
    throw RAISED;
  }

  // -------------------------------------------------------------------------------------------
  // Operand helpers for the integer handlers. Sizes are 1, 2, 4 or 8 bytes; values of size 1/2
  // come back zero-extended, size 4 as int32, size 8 as the low int32 with the high one in `hi`.

  /** Reads general register n at size (rex decides between ah..bh and spl..dil). */
  readReg(n: number, size: number, rex: number): number {
    const regs = this.regs;
    switch (size) {
      case 4:
        return regs[2 * n];
      case 8:
        this.hi = regs[2 * n + 1];
        return regs[2 * n];
      case 2:
        return regs[2 * n] & 0xffff;
      default:
        if (rex === 0 && n >= 4 && n < 8) return (regs[2 * (n - 4)] >> 8) & 0xff;
        return regs[2 * n] & 0xff;
    }
  }

  /** Writes general register n at size; 32-bit writes zero the high half. */
  writeReg(n: number, size: number, rex: number, lo: number, hi: number): void {
    const regs = this.regs;
    switch (size) {
      case 4:
        regs[2 * n] = lo;
        regs[2 * n + 1] = 0;
        return;
      case 8:
        regs[2 * n] = lo;
        regs[2 * n + 1] = hi;
        return;
      case 2:
        regs[2 * n] = (regs[2 * n] & ~0xffff) | (lo & 0xffff);
        return;
      default:
        if (rex === 0 && n >= 4 && n < 8) {
          const r = 2 * (n - 4);
          regs[r] = (regs[r] & ~0xff00) | ((lo & 0xff) << 8);
        } else regs[2 * n] = (regs[2 * n] & ~0xff) | (lo & 0xff);
    }
  }

  /** Reads size bytes of guest memory at address a. */
  load(a: number, size: number): number {
    const mem = this.mem;
    switch (size) {
      case 4:
        return mem.read32(a);
      case 8: {
        const lo = mem.read64(a);
        this.hi = mem.hi;
        return lo;
      }
      case 2:
        return mem.read16(a);
      default:
        return mem.read8(a);
    }
  }

  /** Writes size bytes of guest memory at address a. */
  store(a: number, size: number, lo: number, hi: number): void {
    const mem = this.mem;
    switch (size) {
      case 4:
        mem.write32(a, lo);
        return;
      case 8:
        mem.write64(a, lo, hi);
        return;
      case 2:
        mem.write16(a, lo);
        return;
      default:
        mem.write8(a, lo);
    }
  }

  /** Reads the ModRM r/m operand. */
  readRm(i: Insn, size: number): number {
    if (i.mod === 3) return this.readReg(i.rm, size, i.rex);
    return this.load(this.ea(i), size);
  }

  /** Writes the ModRM r/m operand. */
  writeRm(i: Insn, size: number, lo: number, hi: number): void {
    if (i.mod === 3) this.writeReg(i.rm, size, i.rex, lo, hi);
    else this.store(this.ea(i), size, lo, hi);
  }

  /** Pushes a value of size 8 (or 2 with 66); rsp changes only after the write succeeded. */
  push(size: number, lo: number, hi: number): void {
    const regs = this.regs;
    const sp = regs[9] * TWO32 + (regs[8] >>> 0) - size;
    this.store(this.stackAddr(sp), size, lo, hi);
    this.setRsp(sp);
  }

  /** Pops a value of size 8 (or 2); returns lo with hi in `hi`. */
  pop(size: number): number {
    const regs = this.regs;
    const sp = regs[9] * TWO32 + (regs[8] >>> 0);
    const v = this.load(this.stackAddr(sp), size);
    this.setRsp(sp + size);
    return v;
  }

  /** Register n as a signed number (exact for every canonical address). */
  signedReg(n: number): number {
    return this.regs[2 * n + 1] * TWO32 + (this.regs[2 * n] >>> 0);
  }

  /** hlt: a #GP that the run loop reports as "halt". */
  raiseHalt(): never {
    this.pendingKind = "general_protection";
    this.pendingAddr = 0;
    this.halted = true;
    throw RAISED;
  }
  private halted = false;

  /** rsp as a signed number (exact for every canonical address). */
  rspNumber(): number {
    return this.regs[9] * TWO32 + (this.regs[8] >>> 0);
  }

  /** Sets rsp from a signed number (mod 2^64). */
  setRsp(v: number): void {
    this.regs[8] = v | 0;
    this.regs[9] = Math.floor(v / TWO32) | 0;
  }

  /** Canonical check for a stack address given as a signed number. */
  stackAddr(a: number): number {
    if (a >= 0 && a < CANON_LIMIT) return a;
    if (a < 0 && a >= -CANON_LIMIT) return a;
    return this.raiseGp();
  }

  /** Raises #GP (non-canonical address and the like); err is the hardware error code. */
  raiseGp(err = 0): never {
    this.pendingKind = "general_protection";
    this.pendingAddr = 0;
    this.pendingErr = err;
    throw RAISED;
  }

  /** Raises #PF at a data address (string instructions' own checks). */
  raisePage(addr: number, err: number): never {
    this.pendingKind = "page";
    this.pendingAddr = addr;
    this.pendingErr = err;
    throw RAISED;
  }
  private pendingErr = 0;

  // -------------------------------------------------------------------------------------------
  // Internals

  /** 32-bit address arithmetic (67 prefix): wraps to 4 GiB, then adds the segment base. */
  private ea32(i: Insn): number {
    const regs = this.regs;
    let a = i.disp;
    if (i.base === BASE_RIP) a = (a + i.addr + i.len) | 0;
    else if (i.base >= 0) a = (a + regs[2 * i.base]) | 0;
    if (i.index >= 0) a = (a + Math.imul(regs[2 * i.index], i.scale)) | 0;
    let r = a >>> 0;
    if (i.prefixes & (P_FS | P_GS)) r += (i.prefixes & P_FS) ? this.fsBaseNum : this.gsBaseNum;
    return r;
  }

  /** Exact 64-bit address arithmetic for addresses outside the user half. */
  private eaSlow(i: Insn): number {
    const regs = this.regs;
    let a = BigInt(i.disp);
    if (i.base === BASE_RIP) a += BigInt(i.addr + i.len);
    else if (i.base >= 0) {
      a += (BigInt(regs[2 * i.base + 1]) << 32n) | BigInt(regs[2 * i.base] >>> 0);
    }
    if (i.index >= 0) {
      a += ((BigInt(regs[2 * i.index + 1]) << 32n) | BigInt(regs[2 * i.index] >>> 0)) *
        BigInt(i.scale);
    }
    if (i.prefixes & P_FS) a += this.fsBaseValue;
    if (i.prefixes & P_GS) a += this.gsBaseValue;
    const s = BigInt.asIntN(64, a);
    // Canonical kernel-half addresses are never mapped: a negative number faults as a page fault.
    if (s >= -BigInt(CANON_LIMIT) && s < BigInt(CANON_LIMIT)) return Number(s);
    return this.raiseGp();
  }

  /** CodeReader: one instruction byte through the executable-page check. */
  byte(addr: number): number {
    const idx = Math.floor(addr / PAGE_SIZE);
    if (idx !== this.fetchIndex) {
      this.fetchData = this.mem.fetchPage(addr);
      this.fetchIndex = idx;
    }
    return this.fetchData![addr - idx * PAGE_SIZE];
  }

  private buildBlock(start: number): Block | null {
    const insns: Insn[] = [];
    const startPage = Math.floor(start / PAGE_SIZE);
    let addr = start;
    let lastPage = startPage;
    this.fetchIndex = -1;
    for (;;) {
      const i = new Insn();
      try {
        if (addr < 0 || addr >= CANON_LIMIT) throw new MemFault(addr, "exec", false);
        decodeInsn(this, addr, i);
      } catch (e) {
        if (insns.length > 0) break;
        if (e instanceof MemFault) {
          this.setFault("page", start, e.addr, e.errorCode, `instruction fetch: ${e.message}`);
        } else this.setFault("unimplemented", start, 0, 0, `decoder error: ${String(e)}`);
        return null;
      }
      // rdtsc reads icount, which is exact only at a block start: give it its own block.
      if (i.op === STARTS_BLOCK_OP && insns.length > 0) break;
      insns.push(i);
      const end = i.addr + i.len;
      lastPage = Math.floor((end - 1) / PAGE_SIZE);
      if (
        i.op < 0 || ENDS_BLOCK[i.op] || i.handler === INVALID_HANDLER ||
        i.handler === UNIMPLEMENTED_HANDLER || insns.length >= MAX_BLOCK_INSNS ||
        Math.floor(end / PAGE_SIZE) !== startPage
      ) break;
      addr = end;
    }
    this.fetchIndex = -1;
    this.fetchData = null;
    const block: Block = { insns, hits: 0, fn: null };
    this.blocks.set(start, block);
    for (let p = startPage; p <= lastPage; p++) {
      const list = this.pageBlocks.get(p);
      if (list) list.push(start);
      else this.pageBlocks.set(p, [start]);
    }
    return block;
  }

  /** Compiles a block; a compiler failure leaves it to the interpreter for good. */
  private compile(block: Block): CompiledBlock | null {
    try {
      return compileBlock(block.insns);
    } catch {
      block.hits = -Infinity;
      return null;
    }
  }

  private invalidatePage(page: number): void {
    const list = this.pageBlocks.get(page);
    if (!list) return;
    const current = this.current;
    const hitsCurrent = current !== null && current.insns.length > 0 &&
      this.blocks.get(current.insns[0].addr) === current && list.includes(current.insns[0].addr);
    for (const a of list) this.blocks.delete(a);
    this.pageBlocks.delete(page);
    if (hitsCurrent) {
      // The running block's own page is being written. Compiled code cannot stop after the
      // store, so the store is abandoned before it happens and the instruction re-runs in the
      // interpreter (which lets it complete and then stops the block).
      if (this.currentCompiled) throw SMC_RESTART;
      this.smcHit = true;
    }
  }

  /** Turns an exception from instruction k of a block into a precise fault. */
  private faulted(e: unknown, i: Insn, k: number): StopReason {
    this.icount += k;
    if (e instanceof MemFault) {
      this.rip = i.addr;
      this.setFault("page", i.addr, e.addr, e.errorCode, e.message);
      return "fault";
    }
    if (e === RAISED) {
      const kind = this.pendingKind;
      if (kind === "breakpoint") {
        // int3 is a trap: it retires and the reported rip is the next instruction.
        this.icount += 1;
        this.setFault(kind, this.rip, 0, 0, "int3 breakpoint");
        return "fault";
      }
      this.rip = i.addr;
      const addr = kind === "page" ? this.pendingAddr : 0;
      const err = kind === "page" || kind === "general_protection" ? this.pendingErr : 0;
      if (this.halted) {
        this.halted = false;
        this.setFault(kind, i.addr, 0, 0, "hlt in user mode");
        return "halt";
      }
      this.setFault(kind, i.addr, addr, err, describe(kind));
      return "fault";
    }
    this.rip = i.addr;
    this.setFault("unimplemented", i.addr, 0, 0, `emulator error: ${String(e)}`);
    return "fault";
  }

  private setFault(
    kind: FaultKind,
    rip: number,
    addr: number,
    errorCode: number,
    why: string,
  ): void {
    const bytes = this.peekCode(rip);
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
    this.fault = {
      kind,
      rip,
      addr,
      errorCode,
      trapno: TRAPNO[kind],
      bytes,
      message: `${kind} at rip 0x${rip.toString(16)} [${hex}]: ${why}`,
    };
  }

  /** Up to 15 readable bytes at addr (fewer near unmapped memory), without side effects. */
  private peekCode(addr: number): Uint8Array {
    const out: number[] = [];
    for (let k = 0; k < 15; k++) {
      const page = this.mem.page(addr + k);
      if (!page) break;
      out.push(page.data[(addr + k) & (PAGE_SIZE - 1)]);
    }
    return Uint8Array.from(out);
  }
}

function describe(kind: FaultKind): string {
  switch (kind) {
    case "invalid_opcode":
      return "invalid opcode (#UD)";
    case "unimplemented":
      return "instruction not implemented by the emulator";
    case "divide":
      return "divide error (#DE)";
    case "general_protection":
      return "general protection (#GP)";
    case "simd":
      return "unmasked SIMD floating-point exception (#XM)";
    case "page":
      return "page fault";
    default:
      return kind;
  }
}
