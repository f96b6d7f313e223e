/**
 * Processes: fork and clone without CLONE_VM (a copied address space), vfork and
 * clone(CLONE_VM | CLONE_VFORK) (the parent's memory, parent blocked), wait4 and waitid,
 * and what happens when a child ends (zombie, SIGCHLD, orphans); waits also report stops and
 * continues (job_control.ts). execve is in sys_exec.ts; threads are not
 * supported (-ENOSYS). Scheduling is in process_table.ts.
 */
import { Kernel } from "./kernel.ts";
import { Cpu } from "../cpu/cpu.ts";
import { RAX, RSP } from "../cpu/cpu_api.ts";
import { MemFault } from "../mem/memory.ts";
import { EACCES, EFAULT, EINVAL, ENOSYS, SIG_IGN, SIGCHLD, SIGCONT } from "./constants.ts";
import { closeFile } from "./sys_io.ts";
import { coreLimit, inheritProcState } from "./sys_proc.ts";
import { int, NO_RETURN } from "./syscall_types.ts";
import { execve } from "./sys_exec.ts";
import { CLD_CONTINUED, CLD_STOPPED } from "./job_control.ts";

const ECHILD = 10, ESRCH = 3, EBADF = 9, EPERM = 1;

const CLONE_VM = 0x100, CLONE_FS = 0x200, CLONE_FILES = 0x400, CLONE_SIGHAND = 0x800;
const CLONE_PIDFD = 0x1000, CLONE_PTRACE = 0x2000, CLONE_VFORK = 0x4000, CLONE_PARENT = 0x8000;
const CLONE_THREAD = 0x10000, CLONE_SETTLS = 0x80000, CLONE_PARENT_SETTID = 0x100000;
const CLONE_CHILD_CLEARTID = 0x200000, CLONE_UNTRACED = 0x800000, CLONE_CHILD_SETTID = 0x1000000;
/** Flags this model honours (or may ignore without a visible difference) without CLONE_VM. */
const CLONE_SUPPORTED = 0xff | CLONE_VFORK | CLONE_SETTLS | CLONE_PARENT_SETTID |
  CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | CLONE_PTRACE | CLONE_UNTRACED;

const WNOHANG = 1, WUNTRACED = 2, WSTOPPED = 2, WEXITED = 4, WCONTINUED = 8;
const WNOWAIT = 0x01000000, WNOTHREAD = 0x20000000, WALL = 0x40000000, WCLONE = 0x80000000;
const CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3;
const SA_NOCLDWAIT = 2n;
const P_ALL = 0, P_PID = 1, P_PGID = 2, P_PIDFD = 3;

/** Process groups: a child starts in its parent's; the initial process leads its own. */
const pgids = new WeakMap<Kernel, number>();
export function pgidOf(k: Kernel): number {
  return pgids.get(k) ?? k.pid;
}

/**
 * setpgid(pid, pgid) within the run: the caller or one of its children (ESRCH otherwise), into
 * its own new group or an existing group of the run (EPERM otherwise); EACCES for a child that
 * has exec'd. No sessions, so the session-leader case does not arise.
 */
export function setPgid(k: Kernel, pid: number, pgid: number): number {
  if (pgid < 0) return -EINVAL;
  const target = pid === 0 ? k : k.procs.find(pid);
  if (!target || (target !== k && target.parent !== k)) return -ESRCH;
  if (target !== k && execed.has(target)) return -EACCES; // a child that has exec'd
  const want = pgid === 0 ? target.pid : pgid;
  if (want !== target.pid && !k.procs.all.some((p) => !p.zombie && pgidOf(p) === want)) {
    return -EPERM;
  }
  pgids.set(target, want);
  return 0;
}

export const sysFork = (k: Kernel) => forkProcess(k, SIGCHLD, 0, 0n, 0n, 0n, 0n);
/** vfork: the child borrows the parent's memory; the parent waits until the child has exited. */
export const sysVfork = (k: Kernel) =>
  forkProcess(k, SIGCHLD, CLONE_VM | CLONE_VFORK, 0n, 0n, 0n, 0n);

/** A parent in vfork: the child it waits for (the call re-runs when the parent resumes). */
const vforkChildren = new WeakMap<Kernel, Kernel>();

/**
 * The parent side of CLONE_VFORK: blocked (not interruptible, as natively killable only) until
 * the child ends or execs, then the re-run call returns the child's pid.
 */
function vforkWait(k: Kernel, child: Kernel): number | typeof NO_RETURN {
  const done = () => child.zombie || child.exitState !== null || execed.has(child);
  if (done()) {
    vforkChildren.delete(k);
    return child.pid;
  }
  vforkChildren.set(k, child);
  return k.block({ ready: done, interruptible: false, what: `vfork child ${child.pid}` });
}

/** clone(flags, stack, parent_tid, child_tid, tls): without CLONE_VM only (or with CLONE_VFORK). */
export function sysClone(k: Kernel, a: bigint[]): number | typeof NO_RETURN {
  const flags = Number(a[0] & 0xffffffffn);
  if (a[0] >> 32n) return -EINVAL; // clone's flags are an unsigned long; high bits are invalid
  if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM)) return -EINVAL;
  if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND)) return -EINVAL;
  const vmShare = (flags & CLONE_VM) !== 0 && !(flags & CLONE_VFORK);
  if (vmShare || flags & CLONE_THREAD) {
    k.warnOnce(
      -56,
      "clone with CLONE_VM/CLONE_THREAD (threads) is not supported (returned -ENOSYS)",
    );
    return -ENOSYS;
  }
  const other = flags & ~CLONE_SUPPORTED & ~CLONE_VM;
  if (other & (CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_PIDFD | CLONE_PARENT) || other) {
    k.warnOnce(-57, `clone flags 0x${other.toString(16)} are not supported (returned -ENOSYS)`);
    return -ENOSYS;
  }
  return forkProcess(k, flags & 0xff, flags, a[1], a[2], a[3], a[4]);
}

/** Processes that have exec'd: a vfork parent waiting for one goes on (its memory is back). */
const execed = new WeakSet<Kernel>();

/** execve of a static image (sys_exec.ts); a vfork child's exec releases its parent. */
export const sysExecve = (k: Kernel, a: bigint[]) => execve(k, a, () => execed.add(k));

/** Creates the child (copied memory, CPU, fds, signal state) and makes it run next. */
function forkProcess(
  k: Kernel,
  exitSignal: number,
  flags: number,
  stack: bigint,
  parentTid: bigint,
  childTid: bigint,
  tls: bigint,
): number | typeof NO_RETURN {
  if (!(k.cpu instanceof Cpu)) return -ENOSYS;
  const waiting = vforkChildren.get(k);
  if (waiting) return vforkWait(k, waiting);
  const vfork = (flags & CLONE_VFORK) !== 0;
  // CLONE_VM with CLONE_VFORK: the child writes the parent's memory while the parent waits.
  const mem = k.mem.clone(vfork && (flags & CLONE_VM) !== 0);
  const cpu = k.cpu.cloneState(mem);
  const pid = k.procs.allocPid();
  const child = new Kernel(cpu, k.host, {
    observer: k.observer,
    programPath: k.programPath,
    onWarning: (m) => k.warnOnce(-1 - pid * 1000, m), // forwarded (one warning per kind anyway)
    forkOf: { parent: k, pid, fds: k.fds.fork() },
  });
  copySignalState(k, child);
  child.sud.selector = k.sud.selector; // dup_task_struct: the work bit is cleared, fields stay
  child.sud.offset = k.sud.offset;
  child.sud.len = k.sud.len;
  child.sud.armed = false;
  child.brkStart = k.brkStart;
  child.brk = k.brk;
  child.stackLow = k.stackLow;
  child.mmapTop = k.mmapTop;
  child.threadName = k.threadName;
  child.exitSignal = exitSignal;
  pgids.set(child, pgidOf(k));
  inheritProcState(k, child);
  cpu.setReg(RAX, 0n);
  if (stack !== 0n) cpu.setReg(RSP, stack);
  if (flags & CLONE_SETTLS) cpu.fsBase = tls;
  if (flags & CLONE_CHILD_SETTID) pokeTid(child, childTid, pid);
  if (flags & CLONE_PARENT_SETTID) pokeTid(k, parentTid, pid);
  k.procs.add(child);
  k.procs.current = child; // child first: the parent goes on once the child exits or blocks
  return vfork ? vforkWait(k, child) : pid;
}

/** The tid store of CLONE_*_SETTID: a bad address is silently ignored, as natively. */
function pokeTid(k: Kernel, addr: bigint, pid: number): void {
  try {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, pid, true);
    k.mem.writeBytes(Number(addr), b);
  } catch (e) {
    if (!(e instanceof MemFault)) throw e;
  }
}

/** Actions, mask, altstack, fault fields and handler frames are copied; pending is cleared. */
function copySignalState(from: Kernel, to: Kernel): void {
  from.actions.forEach((a, i) => Object.assign(to.actions[i], a));
  to.blocked = from.blocked;
  to.altstack = { ...from.altstack };
  to.faultErr = from.faultErr;
  to.faultTrapno = from.faultTrapno;
  to.faultCr2 = from.faultCr2;
  for (const f of from.frames) to.frames.push({ ...f, words: f.words.slice() });
}

/** Which children a wait selects: pid > 0 one, -1 any, 0 own group, < -1 that group. */
function selects(k: Kernel, pid: number, options: number): (p: Kernel) => boolean {
  return (p) => {
    if (pid > 0 && p.pid !== pid) return false;
    if (pid === 0 && pgidOf(p) !== pgidOf(k)) return false;
    if (pid < -1 && pgidOf(p) !== -pid) return false;
    // __WCLONE selects the children that signal something other than SIGCHLD; __WALL both.
    return (options & WALL) !== 0 || ((p.exitSignal !== SIGCHLD) === ((options & WCLONE) !== 0));
  };
}

/** What a wait may report: exits always for wait4; stops with WUNTRACED; continues likewise. */
interface Wanted {
  exited: boolean;
  stopped: boolean;
  continued: boolean;
}

/** A reportable child event: its exit, its stop (not yet reported) or its continue. */
interface Report {
  p: Kernel;
  kind: "exit" | "stop" | "continue";
}

/**
 * The first selected child with something to report (wait_consider_task, in list order: an exit,
 * else a stop, else a continue), "none" when nothing is selected at all, or null (wait more).
 */
function findReport(k: Kernel, sel: (p: Kernel) => boolean, w: Wanted): Report | "none" | null {
  const kids = k.procs.childrenOf(k).filter(sel);
  if (kids.length === 0) return "none";
  for (const p of kids) {
    if (p.zombie) {
      if (w.exited) return { p, kind: "exit" };
    } else if (w.stopped && p.job.waitStop) return { p, kind: "stop" };
    else if (w.continued && p.job.waitContinued) return { p, kind: "continue" };
  }
  return null;
}

/** Reports `r` to the waiter: a zombie is reaped, a stop or continue is reported only once. */
function consume(k: Kernel, r: Report): void {
  if (r.kind === "exit") reap(k, r.p);
  else if (r.kind === "stop") r.p.job.waitStop = 0;
  else r.p.job.waitContinued = false;
}

/** The wait status of a report: 0x7f | sig << 8 when stopped, 0xffff when continued. */
function reportStatus(r: Report): number {
  if (r.kind === "stop") return 0x7f | (r.p.job.waitStop << 8);
  if (r.kind === "continue") return 0xffff;
  return waitStatus(r.p);
}

/** The wait status word: code << 8 when exited, signal | 0x80 (core) when killed. */
export function waitStatus(p: Kernel): number {
  const e = p.ended!;
  if (e.signal === null) return (e.code! & 0xff) << 8;
  return e.signal | (e.core ? 0x80 : 0);
}

function cldCode(p: Kernel): number {
  const e = p.ended!;
  return e.signal === null ? CLD_EXITED : e.core ? CLD_DUMPED : CLD_KILLED;
}

function waitBlock(k: Kernel, sel: (p: Kernel) => boolean, w: Wanted): number {
  const r = k.block({
    ready: () => findReport(k, sel, w) !== null,
    interruptible: true,
    what: "wait for a child",
  });
  return r === NO_RETURN ? 0 : r;
}

export function sysWait4(k: Kernel, a: bigint[]): number {
  const pid = int(a[0]), options = int(a[2]) >>> 0;
  if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | WNOTHREAD | WCLONE | WALL)) return -EINVAL;
  if (pid === -0x80000000) return -ESRCH;
  const sel = selects(k, pid, options);
  const w = {
    exited: true,
    stopped: (options & WUNTRACED) !== 0,
    continued: (options & WCONTINUED) !== 0,
  };
  const r = findReport(k, sel, w);
  if (r === "none") return -ECHILD;
  if (r === null) return options & WNOHANG ? 0 : waitBlock(k, sel, w);
  const status = reportStatus(r);
  consume(k, r);
  if (a[1] !== 0n && !tryWrite(() => k.write32(a[1], status))) return -EFAULT;
  if (a[3] !== 0n && !tryWrite(() => k.writeGuest(a[3], new Uint8Array(144)))) return -EFAULT;
  return r.p.pid;
}

export function sysWaitid(k: Kernel, a: bigint[]): number {
  const idtype = int(a[0]), id = int(a[1]), infop = a[2], options = int(a[3]) >>> 0;
  const allowed = WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED | WNOTHREAD | WCLONE | WALL;
  if (options & ~allowed || !(options & (WEXITED | WSTOPPED | WCONTINUED))) return -EINVAL;
  let pid: number;
  if (idtype === P_ALL) pid = -1;
  else if (idtype === P_PID) {
    if (id <= 0) return -EINVAL;
    pid = id;
  } else if (idtype === P_PGID) {
    if (id < 0) return -EINVAL;
    pid = id === 0 ? 0 : -id;
  } else if (idtype === P_PIDFD) return -EBADF; // no pidfds in this model
  else return -EINVAL;
  const base = selects(k, pid, options);
  // Without WEXITED a zombie does not count as a waitable child (ECHILD when only zombies).
  const sel = (p: Kernel) => base(p) && ((options & WEXITED) !== 0 || !p.zombie);
  const w = {
    exited: (options & WEXITED) !== 0,
    stopped: (options & WSTOPPED) !== 0,
    continued: (options & WCONTINUED) !== 0,
  };
  const r = findReport(k, sel, w);
  if (r === "none") return -ECHILD;
  if (r === null && !(options & WNOHANG)) return waitBlock(k, sel, w);
  const z = r?.p ?? null;
  let code = 0, status = 0;
  if (r) {
    code = r.kind === "stop" ? CLD_STOPPED : r.kind === "continue" ? CLD_CONTINUED : cldCode(r.p);
    status = r.kind === "stop"
      ? r.p.job.waitStop
      : r.kind === "continue"
      ? SIGCONT
      : r.p.ended!.signal ?? r.p.ended!.code!;
    if (!(options & WNOWAIT)) consume(k, r);
  }
  if (a[4] !== 0n && !tryWrite(() => k.writeGuest(a[4], new Uint8Array(144)))) return -EFAULT;
  if (infop === 0n) return 0;
  // si_signo, si_errno, si_code, si_pid, si_uid, si_status: all 0 when WNOHANG found nothing.
  const info = new Uint8Array(28);
  const v = new DataView(info.buffer);
  if (z) {
    v.setInt32(0, SIGCHLD, true);
    v.setInt32(8, code, true);
    v.setInt32(16, z.pid, true);
    v.setUint32(20, z.uid, true);
    v.setInt32(24, status, true);
  }
  const ok = tryWrite(() => {
    k.writeGuest(infop, info.subarray(0, 12));
    k.writeGuest(infop + 16n, info.subarray(16, 28));
  });
  return ok ? 0 : -EFAULT;
}

function tryWrite(fn: () => void): boolean {
  try {
    fn();
    return true;
  } catch (e) {
    if (e instanceof MemFault) return false;
    throw e;
  }
}

function reap(k: Kernel, z: Kernel): void {
  k.procs.remove(z);
}

/**
 * A child process has ended (exit or fatal signal; its exit event is emitted): it closes its
 * descriptors, its own children are discarded (orphans are not run on), and it becomes a zombie
 * for its parent, or is reaped at once when the parent ignores SIGCHLD or set SA_NOCLDWAIT. The
 * parent gets the exit signal with CLD_* siginfo.
 */
export function processExited(child: Kernel): void {
  const procs = child.procs;
  releaseResources(child);
  for (const p of procs.childrenOf(child)) discard(p);
  const e = child.ended ?? { code: 0, signal: null, core: false };
  if (e.signal !== null && e.core && coreLimit(child) === 0n) e.core = false; // no dump: no 0x80
  child.ended = e;
  const parent = child.parent;
  if (!parent || !procs.all.includes(parent)) {
    procs.remove(child);
    return;
  }
  const act = parent.actions[SIGCHLD];
  let sig = child.exitSignal;
  const autoReap = sig === SIGCHLD &&
    (act.handler === SIG_IGN || (act.flags & SA_NOCLDWAIT) !== 0n);
  if (sig === SIGCHLD && act.handler === SIG_IGN) sig = 0;
  if (autoReap) procs.remove(child);
  else child.zombie = true;
  if (sig > 0 && sig <= 64) {
    const raw = new Uint8Array(128);
    const v = new DataView(raw.buffer);
    v.setInt32(0, sig, true);
    v.setInt32(8, cldCode(child), true);
    v.setInt32(16, child.pid, true);
    v.setUint32(20, child.uid, true);
    v.setInt32(24, e.signal ?? e.code!, true);
    parent.sendSignal(
      { signo: sig, errno: 0, code: cldCode(child), addr: 0n, pid: child.pid, raw },
      "child",
    );
  }
}

/** An orphan: removed with its descendants, its descriptors released (pipes see the close). */
function discard(p: Kernel): void {
  for (const c of p.procs.childrenOf(p)) discard(c);
  if (!p.zombie) releaseResources(p);
  p.procs.remove(p);
}

function releaseResources(p: Kernel): void {
  for (const fd of [...p.fds.slots.keys()]) closeFile(p, p.fds.remove(fd));
  p.blockedOn = null;
}
