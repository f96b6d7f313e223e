/**
 * alarm, setitimer and getitimer. ITIMER_REAL runs on the host's monotonic clock, read through the
 * taped host door only at points fixed by the instruction count (so replay reads the recorded
 * values at the same instructions and delivers SIGALRM where the recording did); ITIMER_VIRTUAL and
 * ITIMER_PROF run on guest CPU time derived from the instruction count and need no clock at all.
 *
 * The run loop calls `tick` when icount reaches `nextStop` (it caps the CPU budget there),
 * `afterSyscall` after each syscall and `afterDelivery` while an expired periodic SIGALRM waits to
 * be dequeued; blocking syscalls call `cutWait` so a wait ends when the timer expires.
 */
import type { Kernel } from "./kernel.ts";
import { EINVAL, SI_KERNEL, SIG_IGN, SIGALRM, sigBit, SIGPROF, SIGVTALRM } from "./constants.ts";
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

export class ITimers {
  /** ITIMER_REAL: armed (the hrtimer is queued), absolute CLOCK_MONOTONIC expiry and interval. */
  realActive = false;
  realExpires = 0n;
  realIncr = 0n;
  /**
   * Expired with an interval and its SIGALRM pending: Linux re-arms a periodic ITIMER_REAL only
   * when that SIGALRM is dequeued (a blocked one stops the timer; an ignored one ends it).
   */
  realAwaitingDequeue = false;
  /** icount at which the clock is read next while ITIMER_REAL is armed. */
  private nextRealCheck = Infinity;
  /** ITIMER_VIRTUAL and ITIMER_PROF: expiry as an icount (Infinity: off), interval in insns. */
  private readonly cpuExpires = [Infinity, Infinity];
  private readonly cpuIncr = [0, 0];
  /** The icount at which the run loop must stop and call tick (Infinity: nothing armed). */
  nextStop = Infinity;

  private update(): void {
    const real = this.realActive ? this.nextRealCheck : Infinity;
    this.nextStop = Math.min(real, this.cpuExpires[0], this.cpuExpires[1]);
  }

  /** A check point: reads the clock for ITIMER_REAL, fires due timers. */
  tick(k: Kernel): void {
    const ic = k.cpu.icount;
    if (this.realActive && ic >= this.nextRealCheck) {
      this.nextRealCheck = ic + REAL_CHECK_PERIOD;
      if (monotonicNs(k) >= this.realExpires) this.fireReal(k);
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
    if (!this.realActive) return;
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
  }

  /** Re-arms an expired periodic ITIMER_REAL once its SIGALRM has left the pending set. */
  afterDelivery(k: Kernel): void {
    if (k.pending.has(SIGALRM)) return;
    this.realAwaitingDequeue = false;
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

  private fireReal(k: Kernel): void {
    this.realActive = false;
    k.sendSignal(timerInfo(SIGALRM), "itimer");
    this.realAwaitingDequeue = this.realIncr > 0n && k.pending.has(SIGALRM);
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
    if (!this.realActive || (ns !== null && ns <= 0)) return null;
    if (k.blocked & sigBit(SIGALRM) || k.actions[SIGALRM].handler === SIG_IGN) return null;
    const left = Number(this.realExpires - monotonicNs(k));
    if (ns !== null && ns < left) return null;
    const waited = Math.max(0, left);
    k.waitFor(waited);
    this.fireReal(k);
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
      this.realAwaitingDequeue = false;
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
