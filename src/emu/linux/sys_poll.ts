/**
 * poll, ppoll, select and pselect6 over the guest's descriptors. There is one thread, so nothing
 * becomes ready while a call waits: what is ready now is the answer. With nothing ready a finite
 * timeout is waited out in real time (Kernel.waitFor) and the call returns 0, as natively, unless
 * an ITIMER_REAL expires first and its SIGALRM interrupts the wait. Waiting forever with nothing
 * ready and no timer would hang natively; we report it and return 0.
 */
import type { Kernel } from "./kernel.ts";
import { EBADF, EINVAL, ERESTART_RESTARTBLOCK, ERESTARTNOHAND, UNBLOCKABLE } from "./constants.ts";
import type { OpenFile } from "./fd_table.ts";
import { socketReadiness } from "./sys_socket.ts";
import { eventfdReadiness } from "./sys_eventfd.ts";
import { signalPending } from "./sys_signalfd.ts";
import { epollReady } from "./sys_epoll.ts";
import { int, num } from "./syscall_types.ts";
import { waitForEvents } from "./fd_wait.ts";

const POLLIN = 1, POLLPRI = 2, POLLOUT = 4, POLLERR = 8, POLLHUP = 0x10, POLLNVAL = 0x20;
const POLLRDNORM = 0x40, POLLWRNORM = 0x100;
const MAX_FDS = 1024;

/** The events an open file has now for process k (POLLIN/OUT plus HUP/ERR). */
export function readiness(k: Kernel, f: OpenFile): number {
  switch (f.kind) {
    case "socket":
      return socketReadiness(f.sock);
    case "eventfd":
      return eventfdReadiness(f);
    case "signalfd":
      return signalPending(k, f.mask) ? POLLIN | POLLRDNORM : 0;
    case "epoll":
      return epollReady(k, f.set) ? POLLIN | POLLRDNORM : 0;
    case "pipe":
      if (f.end === "read") {
        return (f.pipe.size > 0 ? POLLIN | POLLRDNORM : 0) |
          (f.pipe.writers === 0 ? POLLHUP : 0);
      }
      return f.pipe.readers === 0 ? POLLERR | POLLOUT | POLLWRNORM : POLLOUT | POLLWRNORM;
    case "std":
      return f.stdFd === 0 ? POLLIN | POLLRDNORM : POLLOUT | POLLWRNORM;
    default:
      return POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM; // regular files are always ready
  }
}

/** The timeout of a call in nanoseconds; null waits forever. */
type Timeout = number | null;

/** Writes the time left back to the guest's timeout (select, pselect6, ppoll do). */
type WriteLeft = ((ns: number) => void) | null;

/**
 * Nothing is ready: ppoll/pselect6 wait with their own signal mask (`mask`), and a pending signal
 * it unblocks interrupts them at once (ERESTARTNOHAND, delivered as EINTR with the old mask
 * saved in the frame, like sigsuspend). An ITIMER_REAL expiring within the timeout interrupts the
 * wait there (poll: ERESTART_RESTARTBLOCK; the others ERESTARTNOHAND and the time left written
 * back; EINTR with a handler either way). Otherwise the timeout passes, or forever is reported.
 */
function nothingReady(
  k: Kernel,
  call: string,
  timeout: Timeout,
  mask: bigint | null,
  writeLeft: WriteLeft = null,
  recheck: () => boolean = () => false,
): number {
  const old = k.blocked;
  if (mask !== null) {
    k.blocked = mask & ~UNBLOCKABLE;
    if (k.hasDeliverable()) {
      k.savedMask = old;
      return -ERESTARTNOHAND;
    }
  }
  if (timeout !== 0 && k.procs.othersAlive(k)) {
    // Another process may make a descriptor ready: wait for it (under the caller's own mask).
    k.blocked = old;
    const how = waitForEvents(k, recheck, timeout, call);
    if (how === "signal") {
      return call === "poll" && timeout !== null ? -ERESTART_RESTARTBLOCK : -ERESTARTNOHAND;
    }
    return how === "blocked" ? BLOCKED : 0;
  }
  const waited = k.itimers.cutWait(k, timeout);
  if (waited !== null) {
    if (mask !== null) k.savedMask = old;
    if (timeout !== null) writeLeft?.(timeout - waited);
    return call === "poll" ? -ERESTART_RESTARTBLOCK : -ERESTARTNOHAND;
  }
  k.blocked = old;
  if (timeout === null) k.warnOnce(-7, `${call} would wait forever with nothing ready; returned 0`);
  else k.waitFor(timeout);
  return 0;
}

/** nothingReady blocked the call: nothing may be written back (it re-runs when resumed). */
const BLOCKED = -1_000_000;

/** A timespec (or with usec, a timeval) of `ns` nanoseconds. */
function timeBytes(ns: number, usec: boolean): Uint8Array {
  const out = new Uint8Array(16);
  const v = new DataView(out.buffer);
  const sec = Math.floor(ns / 1e9), frac = ns - sec * 1e9;
  v.setBigInt64(0, BigInt(sec), true);
  v.setBigInt64(8, BigInt(usec ? Math.floor(frac / 1000) : Math.floor(frac)), true);
  return out;
}

function doPoll(
  k: Kernel,
  fds: bigint,
  n: number,
  timeout: Timeout,
  call: string,
  mask: bigint | null = null,
  writeLeft: WriteLeft = null,
): number {
  if (n > MAX_FDS) return -EINVAL;
  if (n === 0) return nothingReady(k, call, timeout, mask, writeLeft);
  const raw = k.readGuest(fds, n * 8);
  const v = new DataView(raw.buffer);
  const scan = (): number => {
    let ready = 0;
    for (let i = 0; i < n; i++) {
      const fd = v.getInt32(i * 8, true);
      const events = v.getInt16(i * 8 + 4, true);
      let rev = 0;
      if (fd >= 0) {
        const f = k.fds.get(fd);
        // POLLERR and POLLHUP are always reported, whatever was asked.
        rev = f ? readiness(k, f) & (events | POLLERR | POLLHUP) & ~POLLPRI : POLLNVAL;
      }
      v.setInt16(i * 8 + 6, rev, true);
      if (rev) ready++;
    }
    return ready;
  };
  const ready = scan();
  const r = ready || nothingReady(k, call, timeout, mask, writeLeft, () => scan() > 0);
  if (r === BLOCKED) return 0; // the call re-runs when it resumes
  k.writeGuest(fds, raw);
  return r;
}

/**
 * Reads a timespec, or a timeval (usec = true: select normalises extra microseconds into
 * seconds, so only negative values are wrong); returns -EINVAL or the timeout in nanoseconds.
 */
function readTimeout(k: Kernel, addr: bigint, usec: boolean): number {
  const sec = BigInt.asIntN(64, k.read64(addr));
  const frac = BigInt.asIntN(64, k.read64(addr + 8n));
  if (sec < 0n || frac < 0n || (!usec && frac >= 1_000_000_000n)) return -EINVAL;
  return Number(sec * 1_000_000_000n + (usec ? frac * 1000n : frac));
}

export function sysPoll(k: Kernel, a: bigint[]): number {
  const ms = int(a[2]);
  return doPoll(k, a[0], num(a[1]), ms < 0 ? null : ms * 1e6, "poll");
}

export function sysPpoll(k: Kernel, a: bigint[]): number {
  if (a[3] !== 0n && a[4] !== 8n) return -EINVAL;
  let timeout: Timeout = null;
  if (a[2] !== 0n) {
    timeout = readTimeout(k, a[2], false);
    if (timeout < 0) return timeout;
  }
  const mask = a[3] !== 0n ? k.read64(a[3]) : null;
  const left = (ns: number) => k.writeGuest(a[2], timeBytes(ns, false));
  const r = doPoll(k, a[0], num(a[1]), timeout, "ppoll", mask, left);
  if (r === 0 && a[2] !== 0n) k.writeGuest(a[2], new Uint8Array(16)); // no time left
  return r;
}

function doSelect(
  k: Kernel,
  nfdsRaw: number,
  sets: bigint[],
  timeout: Timeout,
  call: string,
  mask: bigint | null = null,
  writeLeft: WriteLeft = null,
): number {
  if (nfdsRaw < 0) return -EINVAL;
  const nfds = Math.min(nfdsRaw, MAX_FDS);
  const bytes = Math.ceil(nfds / 64) * 8;
  const inSets = sets.map((p) => (p === 0n || bytes === 0 ? null : k.readGuest(p, bytes)));
  const want = [POLLIN | POLLHUP | POLLERR, POLLOUT | POLLERR, POLLPRI];
  let outSets: (Uint8Array | null)[] = [];
  const scan = (): number => {
    outSets = inSets.map((s) => (s ? new Uint8Array(s.length) : null));
    let count = 0;
    for (let fd = 0; fd < nfds; fd++) {
      const bit = 1 << (fd & 7), byte = fd >> 3;
      if (!inSets.some((s) => s && s[byte] & bit)) continue;
      const f = k.fds.get(fd);
      if (!f) return -EBADF;
      const rev = readiness(k, f);
      for (let i = 0; i < 3; i++) {
        if (inSets[i] && inSets[i]![byte] & bit && rev & want[i]) {
          outSets[i]![byte] |= bit;
          count++;
        }
      }
    }
    return count;
  };
  const count = scan();
  if (count < 0) return count;
  const r = count || nothingReady(k, call, timeout, mask, writeLeft, () => scan() !== 0);
  if (r === BLOCKED) return 0;
  if (r === 0) scan(); // resumed after a timeout: report what is ready now (nothing)
  sets.forEach((p, i) => {
    if (outSets[i]) k.writeGuest(p, outSets[i]!);
  });
  return r;
}

export function sysSelect(k: Kernel, a: bigint[]): number {
  let timeout: Timeout = null;
  if (a[4] !== 0n) {
    timeout = readTimeout(k, a[4], true);
    if (timeout < 0) return timeout;
  }
  const left = (ns: number) => k.writeGuest(a[4], timeBytes(ns, true));
  const r = doSelect(k, int(a[0]), [a[1], a[2], a[3]], timeout, "select", null, left);
  if (r === 0 && a[4] !== 0n) k.writeGuest(a[4], new Uint8Array(16)); // Linux updates the timeout
  return r;
}

export function sysPselect6(k: Kernel, a: bigint[]): number {
  let timeout: Timeout = null;
  if (a[4] !== 0n) {
    timeout = readTimeout(k, a[4], false);
    if (timeout < 0) return timeout;
  }
  let mask: bigint | null = null;
  if (a[5] !== 0n) {
    // { const sigset_t *ss; size_t ss_len; }
    const ss = k.read64(a[5]), len = k.read64(a[5] + 8n);
    if (ss !== 0n && len !== 8n) return -EINVAL;
    if (ss !== 0n) mask = k.read64(ss);
  }
  const left = (ns: number) => k.writeGuest(a[4], timeBytes(ns, false));
  const r = doSelect(k, int(a[0]), [a[1], a[2], a[3]], timeout, "pselect6", mask, left);
  if (r === 0 && a[4] !== 0n) k.writeGuest(a[4], new Uint8Array(16));
  return r;
}
