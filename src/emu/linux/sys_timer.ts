/**
 * alarm, setitimer, getitimer and the POSIX timers (timer_create...). ITIMER_REAL runs on the host's monotonic clock, read through the
 * taped host door only at points fixed by the instruction count (so replay reads the recorded
 * values at the same instructions and delivers SIGALRM where the recording did); ITIMER_VIRTUAL and
 * ITIMER_PROF run on guest CPU time derived from the instruction count and need no clock at all.
 *
 * The run loop calls `tick` when icount reaches `nextStop` (it caps the CPU budget there),
 * `afterSyscall` after each syscall and `afterDelivery` while an expired periodic SIGALRM waits to
 * be dequeued; blocking syscalls call `cutWait` so a wait ends when the timer expires. POSIX
 * timers on CLOCK_REALTIME/MONOTONIC/BOOTTIME share ITIMER_REAL's clock check points.
 */
import type { Kernel } from "./kernel.ts";
import { EINVAL, SI_KERNEL, SIG_IGN, SIGALRM, sigBit, SIGPROF, SIGVTALRM } from "./constants.ts";
import type { SigInfo } from "./signal_frame.ts";
import { int, u32 } from "./syscall_types.ts";

const ITIMER_REAL = 0, ITIMER_VIRTUAL = 1, ITIMER_PROF = 2;
/** Instructions between two reads of the clock while ITIMER_REAL is armed (~3 ms of guest code). */
export const REAL_CHECK_PERIOD = 1 << 20;
/** How many instructions a syscall counts for towards the next clock read. */
export const SYSCALL_WEIGHT = 1024;
/** Guest CPU time per retired instruction (ns): a nominal 1 G instructions/s CPU. */
export const NS_PER_INSN = 1;
/** One scheduler tick at HZ=250: Linux adds it to CPU itimers and reports it when one is due. */
const TICK_NS = 4_000_000;
const US = 1000n, SEC = 1_000_000_000n;

/** A POSIX timer (timer_create): expiry on CLOCK_MONOTONIC (null: disarmed), signal, overruns. */
interface PosixTimer {
  id: number;
  clock: number;
  signo: number;
  /** SIGEV_NONE timers expire without a signal. */
  silent: boolean;
  value: bigint;
  expires: bigint | null;
  incr: bigint;
  /** The queued siginfo while its signal is pending; the timer re-arms when it is dequeued. */
  queued: SigInfo | null;
  overrunLast: number;
}

const SI_TIMER = -2;

export class ITimers {
  /** ITIMER_REAL: armed (the hrtimer is queued), absolute CLOCK_MONOTONIC expiry and interval. */
  realActive = false;
  /** POSIX timers by id, and the ids of those whose signal waits to be dequeued. */
  readonly posix = new Map<number, PosixTimer>();
  private readonly posixAwaiting = new Set<PosixTimer>();
  realExpires = 0n;
  realIncr = 0n;
  /**
   * Expired with an interval and its SIGALRM pending: Linux re-arms a periodic ITIMER_REAL only
   * when that SIGALRM is dequeued (a blocked one stops the timer; an ignored one ends it).
   */
  private realWaiting = false;
  /** Something waits for its signal's dequeue (the run loop then calls afterDelivery). */
  get realAwaitingDequeue(): boolean {
    return this.realWaiting || this.posixAwaiting.size > 0;
  }
  /** icount at which the clock is read next while ITIMER_REAL is armed. */
  private nextRealCheck = Infinity;
  /** ITIMER_VIRTUAL and ITIMER_PROF: expiry as an icount (Infinity: off), interval in insns. */
  private readonly cpuExpires = [Infinity, Infinity];
  private readonly cpuIncr = [0, 0];
  /** The icount at which the run loop must stop and call tick (Infinity: nothing armed). */
  nextStop = Infinity;

  /** ITIMER_REAL or a POSIX timer is armed: the clock is read at check points. */
  private clockArmed(): boolean {
    if (this.realActive) return true;
    for (const t of this.posix.values()) if (t.expires !== null) return true;
    return false;
  }

  private update(): void {
    const real = this.clockArmed() ? this.nextRealCheck : Infinity;
    this.nextStop = Math.min(real, this.cpuExpires[0], this.cpuExpires[1]);
  }

  /** A check point: reads the clock for ITIMER_REAL, fires due timers. */
  tick(k: Kernel): void {
    const ic = k.cpu.icount;
    if (ic >= this.nextRealCheck && this.clockArmed()) {
      this.nextRealCheck = ic + REAL_CHECK_PERIOD;
      const now = monotonicNs(k);
      if (this.realActive && now >= this.realExpires) this.fireReal(k);
      this.firePosixDue(k, now);
    }
    for (let i = 0; i < 2; i++) {
      if (ic < this.cpuExpires[i]) continue;
      // check_cpu_itimer: the interval is added at expiry; the signal may be dropped if ignored.
      this.cpuExpires[i] = this.cpuIncr[i] > 0 ? this.cpuExpires[i] + this.cpuIncr[i] : Infinity;
      k.sendSignal(timerInfo(i === 0 ? SIGVTALRM : SIGPROF), "itimer");
    }
    this.update();
  }

  /** Syscalls advance the next clock read too, so a syscall-heavy guest still notices expiry. */
  afterSyscall(): void {
    if (this.nextRealCheck === Infinity || !this.clockArmed()) return;
    this.nextRealCheck -= SYSCALL_WEIGHT;
    this.update();
  }

  /**
   * The guest read CLOCK_MONOTONIC (the timer's clock) and got `ns`: a timer due by then fires
   * now, so the guest never sees a time past the expiry before its SIGALRM. The value is taped,
   * so replay fires at the same call.
   */
  sawMonotonic(k: Kernel, ns: bigint): void {
    if (this.realActive && ns >= this.realExpires) this.fireReal(k);
    this.firePosixDue(k, ns);
  }

  /** Re-arms an expired periodic ITIMER_REAL once its SIGALRM has left the pending set. */
  afterDelivery(k: Kernel): void {
    for (const t of this.posixAwaiting) {
      if (t.queued && k.pending.get(t.signo)?.some((p) => p.info === t.queued)) continue;
      // posixtimer_rearm at dequeue: forward past now; the missed periods are the overrun.
      this.posixAwaiting.delete(t);
      t.queued = null;
      if (t.expires === null) continue;
      const now = monotonicNs(k);
      const n = now >= t.expires ? (now - t.expires) / t.incr + 1n : 1n;
      t.overrunLast = Number(n - 1n);
      this.armPosix(k, t, t.expires + n * t.incr);
    }
    if (!this.realWaiting || k.pending.has(SIGALRM)) return;
    this.realWaiting = false;
    // hrtimer_forward: the next multiple of the interval after the old expiry that lies ahead.
    const now = monotonicNs(k);
    let exp = this.realExpires;
    if (now >= exp) exp += ((now - exp) / this.realIncr + 1n) * this.realIncr;
    this.armReal(k, exp);
  }

  private armReal(k: Kernel, expires: bigint): void {
    this.realActive = true;
    this.realExpires = expires;
    this.nextRealCheck = k.cpu.icount + REAL_CHECK_PERIOD;
    this.update();
  }

  private armPosix(k: Kernel, t: PosixTimer, expires: bigint | null): void {
    const wasArmed = this.clockArmed();
    t.expires = expires;
    if (expires !== null && !wasArmed) this.nextRealCheck = k.cpu.icount + REAL_CHECK_PERIOD;
    this.update();
  }

  private firePosixDue(k: Kernel, now: bigint): void {
    for (const t of this.posix.values()) {
      if (t.expires !== null && now >= t.expires) this.firePosix(k, t);
    }
  }

  /** The timer expires: queues its signal (SI_TIMER); a periodic one waits for the dequeue. */
  private firePosix(k: Kernel, t: PosixTimer): void {
    if (t.silent) {
      t.expires = t.incr > 0n ? t.expires! + t.incr : null;
      this.update();
      return;
    }
    const raw = new Uint8Array(128);
    const v = new DataView(raw.buffer);
    v.setInt32(0, t.signo, true);
    v.setInt32(8, SI_TIMER, true);
    v.setInt32(12, t.id, true);
    v.setBigUint64(24, t.value, true);
    const info: SigInfo = { signo: t.signo, errno: 0, code: SI_TIMER, addr: 0n, raw };
    k.sendSignal(info, "timer");
    const queued = k.pending.get(t.signo)?.some((p) => p.info === info) ?? false;
    if (t.incr > 0n && queued) {
      t.queued = info;
      this.posixAwaiting.add(t);
    } else if (t.incr > 0n) {
      this.armPosix(k, t, t.expires! + t.incr);
      return;
    } else t.expires = null;
    this.update();
  }

  /** timer_settime: (re)arms or disarms; a signal already queued stays queued. */
  setPosix(k: Kernel, id: number, expires: bigint | null, incr: bigint): void {
    const t = this.posix.get(id)!;
    t.incr = incr;
    t.overrunLast = 0;
    this.posixAwaiting.delete(t);
    t.queued = null;
    this.armPosix(k, t, expires);
  }

  deletePosix(id: number): void {
    const t = this.posix.get(id)!;
    this.posixAwaiting.delete(t);
    this.posix.delete(id);
    this.update();
  }

  /** Earliest armed POSIX timer whose signal would interrupt a wait now, or null. */
  private nextInterrupting(k: Kernel): PosixTimer | null {
    let best: PosixTimer | null = null;
    for (const t of this.posix.values()) {
      if (t.expires === null || t.silent || t.queued) continue;
      if (k.blocked & sigBit(t.signo) || k.actions[t.signo].handler === SIG_IGN) continue;
      if (!best || t.expires < best.expires!) best = t;
    }
    return best;
  }

  private fireReal(k: Kernel): void {
    this.realActive = false;
    k.sendSignal(timerInfo(SIGALRM), "itimer");
    this.realWaiting = this.realIncr > 0n && k.pending.has(SIGALRM);
    this.update();
  }

  /**
   * A blocking call is about to wait `ns` (null: forever) under the current signal mask. When
   * ITIMER_REAL expires first and its SIGALRM would interrupt the wait (not blocked, not
   * ignored), the wait is cut at the expiry: the time up to it is waited, the timer fires, and
   * the nanoseconds waited are returned (the caller then returns its ERESTART code). Otherwise
   * returns null and the caller waits as it would without a timer. The decision comes from one
   * taped clock read, so replay takes it identically without waiting.
   */
  cutWait(k: Kernel, ns: number | null): number | null {
    if (ns !== null && ns <= 0) return null;
    const real = this.realActive && !(k.blocked & sigBit(SIGALRM)) &&
      k.actions[SIGALRM].handler !== SIG_IGN;
    const timer = this.nextInterrupting(k);
    if (!real && !timer) {
      // A timer whose signal is blocked may still expire during the wait: read the clock right
      // after it, so its signal is pending before the guest runs on (as natively).
      if (this.clockArmed()) {
        this.nextRealCheck = k.cpu.icount;
        this.update();
      }
      return null;
    }
    const expires = real && (!timer || this.realExpires <= timer.expires!)
      ? this.realExpires
      : timer!.expires!;
    const left = Number(expires - monotonicNs(k));
    if (ns !== null && ns < left) return null;
    const waited = Math.max(0, left);
    k.waitFor(waited);
    if (real && expires === this.realExpires) this.fireReal(k);
    else this.firePosix(k, timer!);
    return waited;
  }

  /** The timer's current value and interval in ns (getitimer / the old value of setitimer). */
  private read(k: Kernel, which: number): [bigint, bigint] {
    if (which === ITIMER_REAL) {
      if (!this.realActive) return [0n, this.realIncr];
      const rem = this.realExpires - monotonicNs(k);
      return [rem > 0n ? rem : US, this.realIncr]; // itimer_get_remtime: at least 1 us if armed
    }
    const i = which - ITIMER_VIRTUAL, exp = this.cpuExpires[i];
    if (exp === Infinity) return [0n, BigInt(this.cpuIncr[i] * NS_PER_INSN)];
    const left = (exp - k.cpu.icount) * NS_PER_INSN;
    return [BigInt(left >= 0 ? left : TICK_NS), BigInt(this.cpuIncr[i] * NS_PER_INSN)];
  }

  /** do_setitimer: returns the old value and interval (ns). */
  set(k: Kernel, which: number, value: bigint, interval: bigint): [bigint, bigint] {
    const old = this.read(k, which);
    if (which === ITIMER_REAL) {
      this.realWaiting = false;
      this.realActive = false;
      this.realIncr = value !== 0n ? interval : 0n;
      if (value !== 0n) this.armReal(k, monotonicNs(k) + value);
    } else {
      const i = which - ITIMER_VIRTUAL;
      // set_cpu_itimer adds a tick to a non-zero value; expiries are icounts here.
      this.cpuExpires[i] = value !== 0n
        ? k.cpu.icount + Math.ceil((Number(value) + TICK_NS) / NS_PER_INSN)
        : Infinity;
      this.cpuIncr[i] = Math.ceil(Number(interval) / NS_PER_INSN);
    }
    this.update();
    return old;
  }

  get(k: Kernel, which: number): [bigint, bigint] {
    return this.read(k, which);
  }
}

function timerInfo(signo: number) {
  // SEND_SIG_PRIV: si_code SI_KERNEL, si_pid and si_uid 0.
  return { signo, errno: 0, code: SI_KERNEL, addr: 0n };
}

/** CLOCK_MONOTONIC in ns, through the (taped) host. */
function monotonicNs(k: Kernel): bigint {
  const t = k.host.clockGettime(1);
  return typeof t === "number" ? 0n : BigInt(t.sec) * SEC + BigInt(t.nsec);
}

/** A guest itimerval { interval, value } as ns, or -EINVAL (timeval_valid); faults throw. */
function readItimerval(k: Kernel, addr: bigint): [bigint, bigint] | number {
  const raw = k.readGuest(addr, 32);
  const v = new DataView(raw.buffer, raw.byteOffset);
  const f = [0, 8, 16, 24].map((o) => v.getBigInt64(o, true));
  for (const [sec, usec] of [[f[0], f[1]], [f[2], f[3]]]) {
    if (sec < 0n || usec < 0n || usec >= 1_000_000n) return -EINVAL;
  }
  return [f[2] * SEC + f[3] * US, f[0] * SEC + f[1] * US];
}

function writeItimerval(k: Kernel, addr: bigint, [value, interval]: [bigint, bigint]): void {
  const out = new Uint8Array(32);
  const v = new DataView(out.buffer);
  v.setBigInt64(0, interval / SEC, true);
  v.setBigInt64(8, (interval % SEC) / US, true);
  v.setBigInt64(16, value / SEC, true);
  v.setBigInt64(24, (value % SEC) / US, true);
  k.writeGuest(addr, out);
}

export function sysSetitimer(k: Kernel, a: bigint[]): number {
  const which = int(a[0]);
  // The new value is read and validated before `which` is (EFAULT/EINVAL before EINVAL); a NULL
  // one disarms (a misfeature Linux keeps).
  const next = a[1] !== 0n ? readItimerval(k, a[1]) : [0n, 0n] as [bigint, bigint];
  if (typeof next === "number") return next;
  if (which < ITIMER_REAL || which > ITIMER_PROF) return -EINVAL;
  const old = k.itimers.set(k, which, next[0], next[1]);
  if (a[2] !== 0n) writeItimerval(k, a[2], old); // a fault here leaves the new timer set
  return 0;
}

export function sysGetitimer(k: Kernel, a: bigint[]): number {
  const which = int(a[0]);
  if (which < ITIMER_REAL || which > ITIMER_PROF) return -EINVAL;
  writeItimerval(k, a[1], k.itimers.get(k, which));
  return 0;
}

/** alarm: ITIMER_REAL in whole seconds; returns the old value rounded as alarm_setitimer does. */
export function sysAlarm(k: Kernel, a: bigint[]): number {
  const [value] = k.itimers.set(k, ITIMER_REAL, BigInt(u32(a[0])) * SEC, 0n);
  const sec = value / SEC, nsec = value % SEC;
  return Number(sec + ((sec === 0n && nsec !== 0n) || nsec >= SEC / 2n ? 1n : 0n));
}

const SIGEV_SIGNAL = 0, SIGEV_NONE = 1, SIGEV_THREAD_ID = 4, TIMER_ABSTIME = 1;
/** Clocks a POSIX timer can use here: REALTIME, MONOTONIC, BOOTTIME (one time base for all). */
const TIMER_CLOCKS = new Set([0, 1, 7]);

/** A guest itimerspec { interval, value } as ns, or -EINVAL (timespec64_valid). */
function readItimerspec(k: Kernel, addr: bigint): [bigint, bigint] | number {
  const raw = k.readGuest(addr, 32);
  const v = new DataView(raw.buffer, raw.byteOffset);
  const f = [0, 8, 16, 24].map((o) => v.getBigInt64(o, true));
  for (const [sec, nsec] of [[f[0], f[1]], [f[2], f[3]]]) {
    if (sec < 0n || nsec < 0n || nsec >= SEC) return -EINVAL;
  }
  return [f[2] * SEC + f[3], f[0] * SEC + f[1]];
}

function writeItimerspec(k: Kernel, addr: bigint, value: bigint, interval: bigint): void {
  const out = new Uint8Array(32);
  const v = new DataView(out.buffer);
  v.setBigInt64(0, interval / SEC, true);
  v.setBigInt64(8, interval % SEC, true);
  v.setBigInt64(16, value / SEC, true);
  v.setBigInt64(24, value % SEC, true);
  k.writeGuest(addr, out);
}

/** timer_create(clockid, sigevent *, timer_t *): SIGEV_SIGNAL / SIGEV_NONE / SIGEV_THREAD_ID. */
export function sysTimerCreate(k: Kernel, a: bigint[]): number {
  const clock = int(a[0]);
  if (!TIMER_CLOCKS.has(clock)) {
    k.warnOnce(-1200, `timer_create on clock ${clock} is not supported (returned -EINVAL)`);
    return -EINVAL;
  }
  const timers = k.itimers.posix;
  let id = 0;
  while (timers.has(id)) id++;
  let signo = SIGALRM, notify = SIGEV_SIGNAL, value = BigInt(id);
  if (a[1] !== 0n) {
    const raw = k.readGuest(a[1], 20);
    const v = new DataView(raw.buffer, raw.byteOffset);
    value = v.getBigUint64(0, true);
    signo = v.getInt32(8, true);
    notify = v.getInt32(12, true);
    if (notify === SIGEV_THREAD_ID && v.getInt32(16, true) !== k.tid) return -EINVAL;
    if (notify !== SIGEV_SIGNAL && notify !== SIGEV_NONE && notify !== SIGEV_THREAD_ID) {
      return -EINVAL;
    }
    if (notify !== SIGEV_NONE && (signo < 1 || signo > 64)) return -EINVAL;
  }
  const id32 = new Uint8Array(4);
  new DataView(id32.buffer).setInt32(0, id, true);
  k.writeGuest(a[2], id32);
  timers.set(id, {
    id,
    clock,
    signo,
    silent: notify === SIGEV_NONE,
    value,
    expires: null,
    incr: 0n,
    queued: null,
    overrunLast: 0,
  });
  return 0;
}

function timerOf(k: Kernel, raw: bigint) {
  return k.itimers.posix.get(Number(BigInt.asIntN(32, raw))) ?? null;
}

/** Time to the next expiry; a periodic timer waiting for its dequeue reads as forwarded. */
function remaining(k: Kernel, t: { expires: bigint | null; incr: bigint }): bigint {
  if (t.expires === null) return 0n;
  const left = t.expires - monotonicNs(k);
  if (left > 0n) return left;
  return t.incr > 0n ? t.incr - (-left % t.incr) : 1n;
}

export function sysTimerSettime(k: Kernel, a: bigint[]): number {
  const t = timerOf(k, a[0]);
  const next = readItimerspec(k, a[2]);
  if (typeof next === "number") return next;
  if (!t) return -EINVAL;
  const [value, interval] = next;
  if (a[3] !== 0n) writeItimerspec(k, a[3], remaining(k, t), t.incr);
  let expires: bigint | null = null;
  if (value !== 0n) {
    const abs = (int(a[1]) & TIMER_ABSTIME) !== 0;
    // One time base (CLOCK_MONOTONIC): an absolute CLOCK_REALTIME value is converted once.
    if (!abs) expires = monotonicNs(k) + value;
    else expires = t.clock === 0 ? value - clockNs(k, 0) + monotonicNs(k) : value;
  }
  k.itimers.setPosix(k, t.id, expires, value !== 0n ? interval : 0n);
  return 0;
}

export function sysTimerGettime(k: Kernel, a: bigint[]): number {
  const t = timerOf(k, a[0]);
  if (!t) return -EINVAL;
  writeItimerspec(k, a[1], remaining(k, t), t.incr);
  return 0;
}

export function sysTimerGetoverrun(k: Kernel, a: bigint[]): number {
  const t = timerOf(k, a[0]);
  return t ? t.overrunLast : -EINVAL;
}

export function sysTimerDelete(k: Kernel, a: bigint[]): number {
  const t = timerOf(k, a[0]);
  if (!t) return -EINVAL;
  k.itimers.deletePosix(t.id);
  return 0;
}

function clockNs(k: Kernel, clock: number): bigint {
  const t = k.host.clockGettime(clock);
  return typeof t === "number" ? 0n : BigInt(t.sec) * SEC + BigInt(t.nsec);
}
