/** Process, identity, time, limits, prctl (incl. SUD) and futex syscalls. */
import type { Kernel } from "./kernel.ts";
import {
  EAGAIN,
  EINVAL,
  EPERM,
  ERESTART_RESTARTBLOCK,
  ERESTARTNOHAND,
  ERESTARTSYS,
  ESRCH,
} from "./constants.ts";
import { PR_SET_SYSCALL_USER_DISPATCH, setSyscallUserDispatch } from "./sud.ts";
import { int, NO_RETURN, num } from "./syscall_types.ts";
import { pgidOf, setPgid } from "./sys_wait.ts";

const M64 = (1n << 64n) - 1n;
const ETIMEDOUT = 110;

export const sysGetpid = (k: Kernel) => k.pid;
export const sysGettid = (k: Kernel) => k.tid;
/**
 * The parent pid is asked of the host once per run and then remembered: a syscall-heavy guest
 * calling getppid in a loop would otherwise put one host call per syscall on the tape.
 */
const parentPids = new WeakMap<Kernel, number>();
export const sysGetppid = (k: Kernel): number => {
  if (k.parent) return k.procs.all.includes(k.parent) ? k.parent.pid : 1; // orphan: init's
  let ppid = parentPids.get(k);
  if (ppid === undefined) parentPids.set(k, ppid = k.host.ppid());
  return ppid;
};
export const sysGetuid = (k: Kernel) => k.uid;
export const sysGetgid = (k: Kernel) => k.gid;
export const sysGetpgrp = (k: Kernel) => pgidOf(k);
/** getpgid(pid): the caller (0) or any process of the run. */
export function sysGetpgid(k: Kernel, a: bigint[]): number {
  const pid = int(a[0]);
  if (pid === 0) return pgidOf(k);
  const p = k.procs.find(pid);
  return p ? pgidOf(p) : -3; // ESRCH
}
export const sysSetpgid = (k: Kernel, a: bigint[]) => setPgid(k, int(a[0]), int(a[1]));
export const sysSchedYield = (k: Kernel) => {
  if (k.procs.all.length > 1) k.procs.yieldFrom(k);
  return 0;
};

export function sysExitGroup(k: Kernel, a: bigint[]): typeof NO_RETURN {
  return k.exitGroup(int(a[0]));
}

export function sysSetTidAddress(k: Kernel, _a: bigint[]): number {
  return k.tid;
}

export function sysSetRobustList(_k: Kernel, a: bigint[]): number {
  return a[1] === 24n ? 0 : -EINVAL;
}

const ARCH_SET_GS = 0x1001, ARCH_SET_FS = 0x1002, ARCH_GET_FS = 0x1003, ARCH_GET_GS = 0x1004;

export function sysArchPrctl(k: Kernel, a: bigint[]): number {
  const code = int(a[0]), addr = a[1];
  switch (code) {
    case ARCH_SET_FS:
    case ARCH_SET_GS:
      if (addr >= 0x800000000000n) return -EPERM;
      if (code === ARCH_SET_FS) k.cpu.fsBase = addr;
      else k.cpu.gsBase = addr;
      return 0;
    case ARCH_GET_FS:
      k.write64(addr, k.cpu.fsBase);
      return 0;
    case ARCH_GET_GS:
      k.write64(addr, k.cpu.gsBase);
      return 0;
    default:
      return -EINVAL;
  }
}

const UTS_FIELDS = ["Linux", "sudtrace", "6.18.0", "#1 SMP PREEMPT_DYNAMIC", "x86_64", "(none)"];

export function sysUname(k: Kernel, a: bigint[]): number {
  const out = new Uint8Array(65 * 6);
  const enc = new TextEncoder();
  UTS_FIELDS.forEach((s, i) => out.set(enc.encode(s), i * 65));
  k.writeGuest(a[0], out);
  return 0;
}

const RLIM_INFINITY = M64;
/** Soft/hard limits per resource (RLIMIT_CPU..RLIMIT_RTTIME), like a default Linux login. */
const DEFAULT_RLIMITS: [bigint, bigint][] = [
  [RLIM_INFINITY, RLIM_INFINITY], // CPU
  [RLIM_INFINITY, RLIM_INFINITY], // FSIZE
  [RLIM_INFINITY, RLIM_INFINITY], // DATA
  [8n << 20n, RLIM_INFINITY], // STACK
  [0n, RLIM_INFINITY], // CORE
  [RLIM_INFINITY, RLIM_INFINITY], // RSS
  [63432n, 63432n], // NPROC
  [1024n, 1048576n], // NOFILE
  [8n << 20n, 8n << 20n], // MEMLOCK
  [RLIM_INFINITY, RLIM_INFINITY], // AS
  [RLIM_INFINITY, RLIM_INFINITY], // LOCKS
  [63432n, 63432n], // SIGPENDING
  [819200n, 819200n], // MSGQUEUE
  [0n, 0n], // NICE
  [0n, 0n], // RTPRIO
  [RLIM_INFINITY, RLIM_INFINITY], // RTTIME
];

const rlimits = new WeakMap<Kernel, [bigint, bigint][]>();
function limitsOf(k: Kernel): [bigint, bigint][] {
  let l = rlimits.get(k);
  if (!l) rlimits.set(k, l = DEFAULT_RLIMITS.map(([s, h]) => [s, h]));
  return l;
}

/** RLIMIT_CORE's soft limit: 0 (the default) means a core action dumps nothing (no 0x80). */
export function coreLimit(k: Kernel): bigint {
  return limitsOf(k)[4][0];
}

/** fork(): the child starts with the parent's limits and umask. */
export function inheritProcState(parent: Kernel, child: Kernel): void {
  rlimits.set(child, limitsOf(parent).map(([s, h]) => [s, h]));
  umasks.set(child, umaskOf(parent));
}

export function sysPrlimit64(k: Kernel, a: bigint[]): number {
  const pid = int(a[0]), res = int(a[1]), next = a[2], old = a[3];
  if (pid !== 0 && pid !== k.pid) return -ESRCH;
  if (res < 0 || res >= 16) return -EINVAL;
  const limits = limitsOf(k);
  let want: [bigint, bigint] | null = null;
  if (next !== 0n) {
    want = [k.read64(next), k.read64(next + 8n)];
    if (want[0] > want[1]) return -EINVAL;
    if (want[1] > limits[res][1]) return -EPERM;
  }
  if (old !== 0n) {
    k.write64(old, limits[res][0]);
    k.write64(old + 8n, limits[res][1]);
  }
  if (want) limits[res] = want;
  return 0;
}

export const sysGetrlimit = (k: Kernel, a: bigint[]) => sysPrlimit64(k, [0n, a[0], 0n, a[1]]);
export const sysSetrlimit = (k: Kernel, a: bigint[]) => sysPrlimit64(k, [0n, a[0], a[1], 0n]);

export function sysGetrandom(k: Kernel, a: bigint[]): number {
  const flags = int(a[2]);
  if (flags & ~7 || (flags & 6) === 6) return -EINVAL; // GRND_INSECURE with GRND_RANDOM
  const len = Math.min(num(a[1]), 0x1ffffff);
  if (len === 0) return 0;
  k.mem.checkWritable(num(a[0]), len);
  k.writeGuest(a[0], k.host.randomBytes(len));
  return len;
}

function timespec(sec: number, frac: number): Uint8Array {
  const out = new Uint8Array(16);
  const v = new DataView(out.buffer);
  v.setBigInt64(0, BigInt(sec), true);
  v.setBigInt64(8, BigInt(frac), true);
  return out;
}

export function sysClockGettime(k: Kernel, a: bigint[]): number {
  const id = int(a[0]);
  const t = k.host.clockGettime(id);
  if (typeof t === "number") return t;
  k.writeGuest(a[1], timespec(t.sec, t.nsec));
  // CLOCK_MONOTONIC and its coarse variant (never ahead of it) tell ITIMER_REAL the time.
  if (id === 1 || id === 6) {
    k.itimers.sawMonotonic(k, BigInt(t.sec) * 1_000_000_000n + BigInt(t.nsec));
  }
  return 0;
}

export function sysClockGetres(k: Kernel, a: bigint[]): number {
  const id = int(a[0]);
  if (id < 0 || id > 11 || id === 10) return -EINVAL;
  if (a[1] !== 0n) k.writeGuest(a[1], timespec(0, id === 5 || id === 6 ? 4_000_000 : 1));
  return 0;
}

export function sysGettimeofday(k: Kernel, a: bigint[]): number {
  if (a[0] !== 0n) {
    const t = k.host.clockGettime(0);
    if (typeof t === "number") return t;
    k.writeGuest(a[0], timespec(t.sec, Math.floor(t.nsec / 1000)));
  }
  if (a[1] !== 0n) k.writeGuest(a[1], new Uint8Array(8));
  return 0;
}

export function sysTime(k: Kernel, a: bigint[]): number {
  const t = k.host.clockGettime(0);
  if (typeof t === "number") return t;
  if (a[0] !== 0n) k.write64(a[0], BigInt(t.sec));
  return t.sec;
}

/** A guest timespec as nanoseconds, or -EINVAL for a negative or unnormalised one. */
function readTimespecNs(k: Kernel, addr: bigint): bigint | number {
  const sec = BigInt.asIntN(64, k.read64(addr));
  const nsec = BigInt.asIntN(64, k.read64(addr + 8n));
  return sec < 0n || nsec < 0n || nsec >= 1_000_000_000n ? -EINVAL : sec * 1_000_000_000n + nsec;
}

/**
 * The guest waits the whole request in real time (Kernel.waitFor), as natively: its clocks come
 * from the host, so a sleep it measures must have taken that long. Only an ITIMER_REAL expiring
 * first can interrupt it: then the wait ends there, `rem` gets what is left and the call returns
 * -ERESTART_RESTARTBLOCK (EINTR once a handler runs, SA_RESTART or not, as Linux does).
 */
export function sysNanosleep(k: Kernel, a: bigint[]): number {
  const ns = readTimespecNs(k, a[0]);
  if (typeof ns === "number") return ns;
  return relativeSleep(k, Number(ns), a[1]);
}

function relativeSleep(k: Kernel, ns: number, rem: bigint): number {
  const waited = k.itimers.cutWait(k, ns);
  if (waited === null) {
    k.waitFor(ns);
    if (k.procs.all.length > 1) k.procs.yieldFrom(k); // others run while it sleeps
    return 0;
  }
  if (rem !== 0n) {
    const left = ns - waited;
    k.writeGuest(rem, timespec(Math.floor(left / 1e9), left % 1e9));
  }
  return -ERESTART_RESTARTBLOCK;
}

const TIMER_ABSTIME = 1;

export function sysClockNanosleep(k: Kernel, a: bigint[]): number {
  const id = int(a[0]);
  if (id < 0 || id > 11 || id === 10) return -EINVAL;
  if (id === 3) return -95; // EOPNOTSUPP: a thread CPU clock cannot be slept on
  if (id === 4 || id === 5 || id === 6) return -95; // EOPNOTSUPP: these clocks have no nsleep
  const ns = readTimespecNs(k, a[2]);
  if (typeof ns === "number") return ns;
  if (!(int(a[1]) & TIMER_ABSTIME)) return relativeSleep(k, Number(ns), a[3]);
  // An absolute deadline on that clock: wait for what is left of it now (nothing if it passed).
  // Interrupted, it returns -ERESTARTNOHAND and writes no `rem` (hrtimer_nanosleep).
  const now = k.host.clockGettime(id);
  if (typeof now === "number") return now;
  const left = Number(ns - (BigInt(now.sec) * 1_000_000_000n + BigInt(now.nsec)));
  if (k.itimers.cutWait(k, left) !== null) return -ERESTARTNOHAND;
  k.waitFor(left);
  return 0;
}

const PR_SET_PDEATHSIG = 1, PR_GET_DUMPABLE = 3, PR_SET_DUMPABLE = 4, PR_SET_NAME = 15;
const PR_GET_NAME = 16;

export function sysPrctl(k: Kernel, a: bigint[]): number {
  const option = int(a[0]);
  switch (option) {
    case PR_SET_SYSCALL_USER_DISPATCH: {
      const result = setSyscallUserDispatch(k.sud, a[1], a[2], a[3], a[4]);
      k.defer(() =>
        k.observer.sudConfig?.({
          seq: k.nextSeq(),
          tid: k.tid,
          icount: k.cpu.icount,
          mode: a[1],
          offset: a[2],
          len: a[3],
          selector: a[4],
          result,
        })
      );
      return result;
    }
    case PR_SET_NAME: {
      const bytes = k.mem.readCString(num(a[1]), 16);
      k.threadName = new TextDecoder().decode(bytes.subarray(0, 15));
      return 0;
    }
    case PR_GET_NAME: {
      const out = new Uint8Array(16);
      out.set(new TextEncoder().encode(k.threadName).subarray(0, 15));
      k.writeGuest(a[1], out);
      return 0;
    }
    case PR_GET_DUMPABLE:
      return 1;
    case PR_SET_DUMPABLE:
      return a[1] <= 1n ? 0 : -EINVAL;
    case PR_SET_PDEATHSIG:
      return a[1] <= 64n ? 0 : -EINVAL;
    default:
      return -EINVAL;
  }
}

const FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4;
const FUTEX_WAKE_OP = 5, FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10;

const FUTEX_CLOCK_REALTIME = 256;

export function sysFutex(k: Kernel, a: bigint[]): number | typeof NO_RETURN {
  const cmd = int(a[1]) & 0x7f;
  const addr = num(a[0]);
  if (addr % 4 !== 0) return -EINVAL;
  switch (cmd) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET: {
      if (cmd === FUTEX_WAIT_BITSET && int(a[5]) === 0) return -EINVAL; // empty bitset
      const cur = k.read32(addr);
      if (cur !== (Number(a[2] & 0xffffffffn))) return -EAGAIN;
      if (a[3] !== 0n) {
        // Nobody can wake a single thread: it sleeps until the timeout, as natively. FUTEX_WAIT
        // takes a relative timeout; FUTEX_WAIT_BITSET an absolute one on CLOCK_MONOTONIC (or
        // CLOCK_REALTIME with FUTEX_CLOCK_REALTIME).
        // An ITIMER_REAL expiring first interrupts it: -ERESTART_RESTARTBLOCK (EINTR).
        const ns = readTimespecNs(k, a[3]);
        if (typeof ns === "number") return ns;
        let wait = Number(ns);
        if (cmd !== FUTEX_WAIT) {
          const now = k.host.clockGettime(int(a[1]) & FUTEX_CLOCK_REALTIME ? 0 : 1);
          if (typeof now === "number") return now;
          wait = Number(ns - (BigInt(now.sec) * 1_000_000_000n + BigInt(now.nsec)));
        }
        if (k.itimers.cutWait(k, wait) !== null) return -ERESTART_RESTARTBLOCK;
        k.waitFor(wait);
        return -ETIMEDOUT;
      }
      // Without a timeout only a timer's SIGALRM can end the wait: -ERESTARTSYS, so SA_RESTART
      // re-runs the call (which then sees the word the handler may have changed).
      if (k.itimers.cutWait(k, null) !== null) return -ERESTARTSYS;
      // One thread waiting with nobody to wake it: natively this hangs forever.
      k.internal(`futex wait at 0x${addr.toString(16)} would block forever (single thread)`);
      return NO_RETURN;
    }
    case FUTEX_WAKE:
    case FUTEX_WAKE_BITSET:
    case FUTEX_REQUEUE:
    case FUTEX_CMP_REQUEUE:
    case FUTEX_WAKE_OP:
      k.read32(addr);
      return 0;
    default:
      return -38; // ENOSYS for the PI and newer operations
  }
}

export function sysSchedGetaffinity(k: Kernel, a: bigint[]): number {
  const pid = int(a[0]), len = num(a[1]);
  if (pid !== 0 && pid !== k.pid) return -ESRCH;
  // The host's CPUs, as natively (nproc, sysconf): asked once per run, taped for replay.
  let cpus = cpuCounts.get(k);
  if (cpus === undefined) cpus = k.host.cpuCount(), cpuCounts.set(k, cpus);
  if (len * 8 < cpus || len % 8 !== 0) return -EINVAL;
  // min(len, cpumask_size()): 32 bytes for the NR_CPUS=256 kernel this one models (measured).
  const size = Math.min(len, CPUMASK_BYTES);
  const mask = new Uint8Array(size);
  for (let c = 0; c < Math.min(cpus, size * 8); c++) mask[c >> 3] |= 1 << (c & 7);
  k.writeGuest(a[2], mask);
  return size;
}
const CPUMASK_BYTES = 32;
const cpuCounts = new WeakMap<Kernel, number>();

const umasks = new WeakMap<Kernel, number>();
/** The process's file creation mask (applied by open/mkdir; the host's own umask is undone). */
export function umaskOf(k: Kernel): number {
  return umasks.get(k) ?? 0o022;
}
export function sysUmask(k: Kernel, a: bigint[]): number {
  const old = umaskOf(k);
  umasks.set(k, int(a[0]) & 0o777);
  return old;
}

export function sysGetresuid(k: Kernel, a: bigint[]): number {
  for (let i = 0; i < 3; i++) k.write32(a[i], k.uid);
  return 0;
}
export function sysGetresgid(k: Kernel, a: bigint[]): number {
  for (let i = 0; i < 3; i++) k.write32(a[i], k.gid);
  return 0;
}

/** getgroups: one supplementary group, the primary one. */
export function sysGetgroups(k: Kernel, a: bigint[]): number {
  const size = int(a[0]);
  if (size < 0) return -EINVAL;
  if (size === 0) return 1;
  k.write32(a[1], k.gid);
  return 1;
}

/** The emulated machine's fixed memory: 4 GiB of RAM, no swap, as the emulator provides. */
const TOTAL_RAM = 4n << 30n, FREE_RAM = 3n << 30n;

export function sysSysinfo(k: Kernel, a: bigint[]): number {
  const up = k.host.clockGettime(7); // CLOCK_BOOTTIME
  const out = new Uint8Array(112);
  const v = new DataView(out.buffer);
  v.setBigInt64(0, BigInt(typeof up === "number" ? 0 : up.sec), true);
  v.setBigUint64(32, TOTAL_RAM, true);
  v.setBigUint64(40, FREE_RAM, true);
  v.setUint16(80, 1, true); // procs: this one
  v.setUint32(104, 1, true); // mem_unit
  k.writeGuest(a[0], out);
  return 0;
}

/** times(): no CPU time is accounted; returns clock ticks (USER_HZ 100) since boot. */
export function sysTimes(k: Kernel, a: bigint[]): number | bigint {
  if (a[0] !== 0n) k.writeGuest(a[0], new Uint8Array(32));
  const up = k.host.clockGettime(7);
  return typeof up === "number" ? 0 : up.sec * 100 + Math.floor(up.nsec / 10_000_000);
}

export function sysGetrusage(k: Kernel, a: bigint[]): number {
  const who = int(a[0]);
  if (who !== 0 && who !== -1 && who !== 1) return -EINVAL;
  k.writeGuest(a[1], new Uint8Array(144));
  return 0;
}
