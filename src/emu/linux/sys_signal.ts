/** Signal syscalls: rt_sigaction, rt_sigprocmask, rt_sigreturn, sigaltstack, kill family. */
import { MemFault } from "../mem/memory.ts";
import { GPR_NAMES, RAX, RSP } from "../cpu/cpu_api.ts";
import type { Kernel } from "./kernel.ts";
import {
  EAGAIN,
  EFAULT,
  EINTR,
  EINVAL,
  ENOMEM,
  EPERM,
  ERESTARTNOHAND,
  ESRCH,
  MINSIGSTKSZ,
  SA_NOCLDSTOP,
  SA_NOCLDWAIT,
  SA_NODEFER,
  SA_ONSTACK,
  SA_RESETHAND,
  SA_RESTART,
  SA_RESTORER,
  SA_SIGINFO,
  SI_KERNEL,
  SI_TKILL,
  SI_USER,
  SIGKILL,
  SIGSEGV,
  SIGSTOP,
  SS_AUTODISARM,
  SS_DISABLE,
  SS_ONSTACK,
  SYNCHRONOUS_MASK,
  UNBLOCKABLE,
} from "./constants.ts";
import {
  type AltStack,
  encodeSigInfo,
  FRAME_REG_WORDS,
  loadGprs,
  onSigStack,
  readFrame,
  sasSsFlags,
  SIGCONTEXT_ORDER,
} from "./signal_frame.ts";
import { int, NO_RETURN } from "./syscall_types.ts";
import { pgidOf } from "./sys_wait.ts";

/** Flags sigaction keeps (UAPI_SA_FLAGS on x86-64, incl. SA_EXPOSE_TAGBITS 0x800). */
const UAPI_SA_FLAGS = BigInt(
  SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_ONSTACK | SA_RESTART | SA_NODEFER | 0x800 |
    SA_RESTORER,
) | BigInt(SA_RESETHAND);

/** EFLAGS bits rt_sigreturn takes from the frame: AC|OF|DF|TF|SF|ZF|AF|PF|CF|RF. */
export const FIX_EFLAGS = 0x50dd5;

export function sysRtSigaction(k: Kernel, a: bigint[]): number {
  const sig = int(a[0]), act = a[1], oact = a[2];
  if (a[3] !== 8n) return -EINVAL;
  if (sig < 1 || sig > 64) return -EINVAL;
  let next = null;
  if (act !== 0n) {
    if (sig === SIGKILL || sig === SIGSTOP) return -EINVAL;
    const raw = k.readGuest(act, 32);
    const v = new DataView(raw.buffer);
    next = {
      handler: v.getBigUint64(0, true),
      flags: v.getBigUint64(8, true) & UAPI_SA_FLAGS,
      restorer: v.getBigUint64(16, true),
      mask: v.getBigUint64(24, true) & ~UNBLOCKABLE,
    };
  }
  const old = { ...k.actions[sig] };
  if (next) {
    k.actions[sig] = next;
    k.flushIgnored(sig);
  }
  if (oact !== 0n) {
    const out = new Uint8Array(32);
    const v = new DataView(out.buffer);
    v.setBigUint64(0, old.handler, true);
    v.setBigUint64(8, old.flags, true);
    v.setBigUint64(16, old.restorer, true);
    v.setBigUint64(24, old.mask, true);
    k.writeGuest(oact, out);
  }
  return 0;
}

export function sysRtSigprocmask(k: Kernel, a: bigint[]): number {
  const how = int(a[0]), set = a[1], oset = a[2];
  if (a[3] !== 8n) return -EINVAL;
  const old = k.blocked;
  if (set !== 0n) {
    const mask = k.read64(set);
    if (how === 0) k.blocked |= mask;
    else if (how === 1) k.blocked &= ~mask;
    else if (how === 2) k.blocked = mask;
    else return -EINVAL;
    k.blocked &= ~UNBLOCKABLE;
  }
  if (oset !== 0n) k.write64(oset, old);
  return 0;
}

export function sysRtSigpending(k: Kernel, a: bigint[]): number {
  if (a[1] > 8n) return -EINVAL;
  let set = 0n;
  for (const sig of k.pending.keys()) set |= 1n << BigInt(sig - 1);
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, set & k.blocked, true);
  k.writeGuest(a[0], bytes.subarray(0, Number(a[1])));
  return 0;
}

/** do_sigaltstack: returns 0 or -errno; `old` is filled before any change. */
function doSigaltstack(k: Kernel, ss: AltStack | null, sp: bigint): { ret: number; old: AltStack } {
  const cur = k.altstack;
  const old: AltStack = {
    sp: cur.sp,
    size: cur.size,
    flags: sasSsFlags(cur, sp) | (cur.flags & SS_AUTODISARM),
  };
  if (ss) {
    if (onSigStack(cur, sp)) return { ret: -EPERM, old };
    const mode = ss.flags & ~SS_AUTODISARM;
    if (mode !== SS_DISABLE && mode !== SS_ONSTACK && mode !== 0) return { ret: -EINVAL, old };
    let { sp: ssp, size } = ss;
    if (mode === SS_DISABLE) {
      size = 0n;
      ssp = 0n;
    } else if (size < BigInt(MINSIGSTKSZ)) return { ret: -ENOMEM, old };
    k.altstack = { sp: ssp, size, flags: ss.flags };
  }
  return { ret: 0, old };
}

function readStack(k: Kernel, addr: bigint): AltStack {
  const raw = k.readGuest(addr, 24);
  const v = new DataView(raw.buffer);
  return {
    sp: v.getBigUint64(0, true),
    flags: v.getInt32(8, true),
    size: v.getBigUint64(16, true),
  };
}

export function sysSigaltstack(k: Kernel, a: bigint[]): number {
  const ss = a[0] !== 0n ? readStack(k, a[0]) : null;
  const { ret, old } = doSigaltstack(k, ss, k.cpu.getReg(RSP));
  if (ret === 0 && a[1] !== 0n) {
    const out = new Uint8Array(24);
    const v = new DataView(out.buffer);
    v.setBigUint64(0, old.sp, true);
    v.setInt32(8, old.flags, true);
    v.setBigUint64(16, old.size, true);
    k.writeGuest(a[1], out);
  }
  return ret;
}

/** rt_sigreturn (spec §7.7): restores the frame at rsp - 8; returns the saved rax. */
export function sysRtSigreturn(k: Kernel, _a: bigint[]): number | bigint {
  const cpu = k.cpu;
  const entrySp = cpu.getReg(RSP);
  const frame = entrySp - 8n;
  const flagsAtEntry = cpu.getRflags();
  try {
    const p = readFrame(k.mem, frame);
    k.blocked = p.mask & ~UNBLOCKABLE;
    const w = p.words;
    loadGprs(w, cpu.regs);
    cpu.rip = (w[33] & 0xffff) * 2 ** 32 + (w[32] >>> 0); // the low 48 bits
    const eflags = (flagsAtEntry & ~FIX_EFLAGS) | (w[34] & FIX_EFLAGS);
    cpu.setRflags(eflags | 2);
    if (p.fpstate === 0n) cpu.resetFpu();
    else {
      const image = k.mem.readInto(
        Number(p.fpstate > 0x800000000000n ? 0x800000000000n : p.fpstate),
        fxrstorScratch,
      );
      const mxcsr = fxrstorView.getUint32(24, true);
      if (mxcsr & ~0xffff) throw new BadFrame();
      cpu.fxrstor(image);
    }
    // restore_altstack() ignores errors other than EFAULT. [native, 6.18] Its EPERM test sees the
    // handler's stack pointer, not the restored one: an altstack the handler re-enabled while
    // running on it is kept.
    doSigaltstack(k, p.altstack, entrySp);
    const delivered = k.popFrame(frame);
    const rax = cpu.getReg(RAX);
    if (k.observer.sigreturn) {
      // As restored: rip truncated to 48 bits, eflags merged with the entry flags.
      restoredWords.set(w);
      const restored = restoredWords;
      restored[32] = cpu.rip % 2 ** 32;
      restored[33] = Math.floor(cpu.rip / 2 ** 32);
      restored[34] = cpu.getRflags();
      restored[35] = 0;
      const event = {
        seq: -1, // numbered when emitted, after the rt_sigreturn syscall's own event
        tid: k.tid,
        icount: cpu.icount,
        frameAddr: frame,
        signalSeq: delivered?.signalSeq ?? null,
        rip: BigInt(cpu.rip),
        rsp: cpu.getReg(RSP),
        rax,
        eflags: BigInt(cpu.getRflags()),
        maskAfter: k.blocked,
        changed: delivered ? changedRegisters(delivered.words, restored) : [],
      };
      k.defer(() => {
        event.seq = k.nextSeq();
        k.observer.sigreturn?.(event);
      });
    }
    k.origAx = (1n << 64n) - 1n;
    return rax;
  } catch (e) {
    if (!(e instanceof MemFault) && !(e instanceof BadFrame)) throw e;
    k.defer(() =>
      k.forceSignal({ signo: SIGSEGV, errno: 0, code: SI_KERNEL, addr: 0n }, "frame_fault")
    );
    return 0;
  }
}

class BadFrame extends Error {}

/** Reused for the fpstate rt_sigreturn reads (fxrstor copies it into the CPU state). */
const fxrstorScratch = new Uint8Array(512);
const fxrstorView = new DataView(fxrstorScratch.buffer);

/** Sigcontext slot of each register, in the order `changed` lists them (cpu_api.ts order). */
const CHANGE_ORDER: readonly [string, number][] = [
  ...GPR_NAMES.map((name): [string, number] => [name, SIGCONTEXT_ORDER.indexOf(name)]),
  ["rip", 16],
  ["eflags", 17],
];

/** Names of saved registers whose restored value differs from what the delivery saved. */
export function changedRegisters(before: Int32Array, after: Int32Array): string[] {
  const out: string[] = [];
  for (const [name, slot] of CHANGE_ORDER) {
    if (before[2 * slot] !== after[2 * slot] || before[2 * slot + 1] !== after[2 * slot + 1]) {
      out.push(name);
    }
  }
  return out;
}

/** rt_sigreturn's restored register words (for the `changed` list), reused. */
const restoredWords = new Int32Array(FRAME_REG_WORDS);

function killInfo(k: Kernel, sig: number, code: number) {
  return { signo: sig, errno: 0, code, addr: 0n, pid: k.pid, uid: k.uid };
}

export function sysKill(k: Kernel, a: bigint[]): number {
  const pid = int(a[0]), sig = int(a[1]);
  if (sig < 0 || sig > 64) return -EINVAL;
  // Other processes of the run (fork): one by pid, or the caller's group with 0 / -pgid.
  const others = k.procs.all.filter((p) =>
    p !== k && !p.zombie && !p.exitState &&
    (pid === p.pid || pid === -1 || (pid === 0 && pgidOf(p) === pgidOf(k)) || -pid === pgidOf(p))
  );
  const self = pid === k.pid || pid === 0 || pid === -1 || pid === -pgidOf(k);
  if (!self && others.length === 0) return -ESRCH;
  if (sig !== 0) {
    k.defer(() => {
      for (const p of others) p.sendSignal(killInfo(k, sig, SI_USER), "kill");
      if (self) k.sendSignal(killInfo(k, sig, SI_USER), "kill");
    });
  }
  return 0;
}

export function sysTgkill(k: Kernel, a: bigint[]): number {
  const tgid = int(a[0]), tid = int(a[1]), sig = int(a[2]);
  if (sig < 0 || sig > 64 || tgid <= 0 || tid <= 0) return -EINVAL;
  if (tgid !== k.pid || tid !== k.tid) return -ESRCH;
  if (sig !== 0) k.defer(() => k.sendSignal(killInfo(k, sig, SI_TKILL), "kill"));
  return 0;
}

export function sysTkill(k: Kernel, a: bigint[]): number {
  const tid = int(a[0]), sig = int(a[1]);
  if (sig < 0 || sig > 64 || tid <= 0) return -EINVAL;
  if (tid !== k.tid) return -ESRCH;
  if (sig !== 0) k.defer(() => k.sendSignal(killInfo(k, sig, SI_TKILL), "kill"));
  return 0;
}

/**
 * rt_sigsuspend: the temporary mask stays until a handler's frame is built (which saves the old
 * one); the call "returns" -ERESTARTNOHAND, which delivery turns into EINTR.
 */
export function sysRtSigsuspend(k: Kernel, a: bigint[]): number {
  if (a[1] !== 8n) return -EINVAL;
  const mask = k.read64(a[0]);
  const old = k.blocked;
  k.blocked = mask & ~UNBLOCKABLE;
  return sleepForSignal(k, old, "rt_sigsuspend");
}

/** pause: sleeps until a signal is delivered. */
export function sysPause(k: Kernel, _a: bigint[]): number {
  return sleepForSignal(k, k.blocked, "pause");
}

/**
 * Wakes at once when a signal is deliverable, or sleeps until an armed ITIMER_REAL fires. Nothing
 * else can send a signal to this single thread (no other processes), so a sleep that could never
 * end is reported and ends with EINTR instead of hanging the emulator.
 */
function sleepForSignal(k: Kernel, old: bigint, name: string): number {
  if (k.hasDeliverable() || k.itimers.cutWait(k, null) !== null) {
    k.savedMask = old;
    return -ERESTARTNOHAND;
  }
  const mask = k.blocked;
  k.blocked = old;
  if (k.procs.othersAlive(k)) {
    // Another process may signal (a child's SIGCHLD): wait; the call re-runs when one is due.
    const r = k.block({
      ready: () => {
        const now = k.blocked;
        k.blocked = mask;
        const due = k.hasDeliverable();
        k.blocked = now;
        return due;
      },
      interruptible: false,
      what: name,
    });
    return r === NO_RETURN ? -EINTR : r;
  }
  k.warnOnce(
    -1000 - name.length,
    `${name} would sleep forever: no signal can arrive (returned EINTR)`,
  );
  return -EINTR;
}

/** Reads a sender's siginfo for rt_(tg)sigqueueinfo; si_signo is the syscall's sig. */
function readQueuedInfo(k: Kernel, addr: bigint, sig: number) {
  const raw = k.readGuest(addr, 128).slice();
  const v = new DataView(raw.buffer);
  return {
    signo: sig,
    errno: v.getInt32(4, true),
    code: v.getInt32(8, true),
    addr: 0n,
    pid: v.getInt32(16, true),
    uid: v.getUint32(20, true),
    raw,
  };
}

/** rt_sigqueueinfo to self (si_code >= 0 or SI_TKILL only to oneself, as the kernel requires). */
export function sysRtSigqueueinfo(k: Kernel, a: bigint[]): number {
  const pid = int(a[0]), sig = int(a[1]);
  let info;
  try {
    info = readQueuedInfo(k, a[2], sig);
  } catch (e) {
    if (e instanceof MemFault) return -EFAULT;
    throw e;
  }
  if ((info.code >= 0 || info.code === SI_TKILL) && pid !== k.pid) return -EPERM;
  if (sig < 0 || sig > 64) return -EINVAL;
  if (pid !== k.pid) return -ESRCH;
  if (sig !== 0) k.defer(() => k.sendSignal(info, "kill"));
  return 0;
}

/** rt_tgsigqueueinfo to this thread. */
export function sysRtTgsigqueueinfo(k: Kernel, a: bigint[]): number {
  const tgid = int(a[0]), tid = int(a[1]), sig = int(a[2]);
  if (tid <= 0 || tgid <= 0) return -EINVAL;
  let info;
  try {
    info = readQueuedInfo(k, a[3], sig);
  } catch (e) {
    if (e instanceof MemFault) return -EFAULT;
    throw e;
  }
  if ((info.code >= 0 || info.code === SI_TKILL) && tid !== k.tid) return -EPERM;
  if (sig < 0 || sig > 64) return -EINVAL;
  if (tgid !== k.pid || tid !== k.tid) return -ESRCH;
  if (sig !== 0) k.defer(() => k.sendSignal(info, "kill"));
  return 0;
}

/**
 * Removes the pending signal next_signal() would pick from `set` (synchronous first, then the
 * lowest number; FIFO per real-time signal), blocked or not, and returns its siginfo or null.
 */
export function dequeueFrom(k: Kernel, set: bigint) {
  let best = 0;
  for (const sig of k.pending.keys()) {
    if (!(set & (1n << BigInt(sig - 1)))) continue;
    const sync = (SYNCHRONOUS_MASK & (1n << BigInt(sig - 1))) !== 0n;
    const bestSync = best !== 0 && (SYNCHRONOUS_MASK & (1n << BigInt(best - 1))) !== 0n;
    if (best === 0 || (sync && !bestSync) || (sync === bestSync && sig < best)) best = sig;
  }
  if (best === 0) return null;
  const list = k.pending.get(best)!;
  const { info } = list.shift()!;
  if (list.length === 0) k.pending.delete(best);
  return info;
}

/**
 * rt_sigtimedwait (sigwaitinfo, sigtimedwait, sigwait): takes a pending signal of the set without
 * running its handler. With none pending it waits; the only source of a new signal in a lone
 * process is ITIMER_REAL, whose expiry ends the wait (the set's signals are unblocked meanwhile,
 * as Linux does through real_blocked). A signal outside the set interrupts it with EINTR, a
 * timeout gives EAGAIN.
 */
export function sysRtSigtimedwait(k: Kernel, a: bigint[]): number {
  if (a[3] !== 8n) return -EINVAL;
  const set = k.read64(a[0]) & ~UNBLOCKABLE;
  let ns: number | null = null;
  if (a[2] !== 0n) {
    const raw = k.readGuest(a[2], 16);
    const v = new DataView(raw.buffer, raw.byteOffset);
    const sec = v.getBigInt64(0, true), nsec = v.getBigInt64(8, true);
    if (sec < 0n || nsec < 0n || nsec >= 1_000_000_000n) return -EINVAL;
    ns = Number(sec) * 1e9 + Number(nsec);
  }
  const take = () => {
    const info = dequeueFrom(k, set);
    if (!info) return 0;
    if (a[1] !== 0n) k.writeGuest(a[1], encodeSigInfo(info));
    return info.signo;
  };
  const now = take();
  if (now !== 0) return now;
  if (ns === 0) return -EAGAIN;
  const old = k.blocked;
  k.blocked = old & ~set;
  const interrupted = k.hasDeliverable();
  const waited = interrupted ? null : k.itimers.cutWait(k, ns);
  k.blocked = old;
  if (interrupted || waited !== null) {
    const got = take();
    return got !== 0 ? got : -EINTR;
  }
  if (ns !== null) {
    k.waitFor(ns);
    return -EAGAIN;
  }
  k.warnOnce(-1100, "rt_sigtimedwait would wait forever: no signal can arrive (returned EINTR)");
  return -EINTR;
}
