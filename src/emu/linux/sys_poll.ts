/**
 * poll, ppoll, select and pselect6 over the guest's descriptors. There is one thread and no time
 * passes, so a call never waits: what is ready now is the answer, and a finite timeout expires at
 * once. Waiting forever with nothing ready would hang natively; we report it and return 0.
 */
import type { Kernel } from "./kernel.ts";
import { EBADF, EINVAL } from "./constants.ts";
import type { OpenFile } from "./fd_table.ts";
import { int, num } from "./syscall_types.ts";

const POLLIN = 1, POLLPRI = 2, POLLOUT = 4, POLLERR = 8, POLLHUP = 0x10, POLLNVAL = 0x20;
const POLLRDNORM = 0x40, POLLWRNORM = 0x100;
const MAX_FDS = 1024;

/** The events an open file has now (POLLIN/OUT plus HUP/ERR). */
function readiness(f: OpenFile): number {
  switch (f.kind) {
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

function nothingReady(k: Kernel, call: string, forever: boolean): number {
  if (forever) k.warnOnce(-7, `${call} would wait forever with nothing ready; returned 0`);
  return 0;
}

function doPoll(k: Kernel, fds: bigint, n: number, forever: boolean, call: string): number {
  if (n > MAX_FDS) return -EINVAL;
  if (n === 0) return nothingReady(k, call, forever);
  const raw = k.readGuest(fds, n * 8);
  const v = new DataView(raw.buffer);
  let ready = 0;
  for (let i = 0; i < n; i++) {
    const fd = v.getInt32(i * 8, true);
    const events = v.getInt16(i * 8 + 4, true);
    let rev = 0;
    if (fd >= 0) {
      const f = k.fds.get(fd);
      // POLLERR and POLLHUP are always reported, whatever was asked.
      rev = f ? readiness(f) & (events | POLLERR | POLLHUP) & ~POLLPRI : POLLNVAL;
    }
    v.setInt16(i * 8 + 6, rev, true);
    if (rev) ready++;
  }
  k.writeGuest(fds, raw);
  return ready || nothingReady(k, call, forever);
}

/**
 * Validates a timespec, or a timeval (usec = true: select normalises extra microseconds into
 * seconds, so only negative values are wrong); returns -EINVAL, 0 (zero) or 1 (positive).
 */
function checkTime(k: Kernel, addr: bigint, usec: boolean): number {
  const sec = BigInt.asIntN(64, k.read64(addr));
  const frac = BigInt.asIntN(64, k.read64(addr + 8n));
  if (sec < 0n || frac < 0n || (!usec && frac >= 1_000_000_000n)) return -EINVAL;
  return sec === 0n && frac === 0n ? 0 : 1;
}

export function sysPoll(k: Kernel, a: bigint[]): number {
  return doPoll(k, a[0], num(a[1]), int(a[2]) < 0, "poll");
}

export function sysPpoll(k: Kernel, a: bigint[]): number {
  if (a[3] !== 0n && a[4] !== 8n) return -EINVAL;
  let forever = true;
  if (a[2] !== 0n) {
    const t = checkTime(k, a[2], false);
    if (t < 0) return t;
    forever = false;
  }
  const r = doPoll(k, a[0], num(a[1]), forever, "ppoll");
  if (r === 0 && a[2] !== 0n) k.writeGuest(a[2], new Uint8Array(16)); // no time left
  return r;
}

function doSelect(
  k: Kernel,
  nfdsRaw: number,
  sets: bigint[],
  forever: boolean,
  call: string,
): number {
  if (nfdsRaw < 0) return -EINVAL;
  const nfds = Math.min(nfdsRaw, MAX_FDS);
  const bytes = Math.ceil(nfds / 64) * 8;
  const inSets = sets.map((p) => (p === 0n || bytes === 0 ? null : k.readGuest(p, bytes)));
  const outSets = inSets.map((s) => (s ? new Uint8Array(s.length) : null));
  const want = [POLLIN | POLLHUP | POLLERR, POLLOUT | POLLERR, POLLPRI];
  let count = 0;
  for (let fd = 0; fd < nfds; fd++) {
    const bit = 1 << (fd & 7), byte = fd >> 3;
    if (!inSets.some((s) => s && s[byte] & bit)) continue;
    const f = k.fds.get(fd);
    if (!f) return -EBADF;
    const rev = readiness(f);
    for (let i = 0; i < 3; i++) {
      if (inSets[i] && inSets[i]![byte] & bit && rev & want[i]) {
        outSets[i]![byte] |= bit;
        count++;
      }
    }
  }
  sets.forEach((p, i) => {
    if (outSets[i]) k.writeGuest(p, outSets[i]!);
  });
  return count || nothingReady(k, call, forever);
}

export function sysSelect(k: Kernel, a: bigint[]): number {
  let forever = true;
  if (a[4] !== 0n) {
    const t = checkTime(k, a[4], true);
    if (t < 0) return t;
    forever = false;
  }
  const r = doSelect(k, int(a[0]), [a[1], a[2], a[3]], forever, "select");
  if (r === 0 && a[4] !== 0n) k.writeGuest(a[4], new Uint8Array(16)); // Linux updates the timeout
  return r;
}

export function sysPselect6(k: Kernel, a: bigint[]): number {
  let forever = true;
  if (a[4] !== 0n) {
    const t = checkTime(k, a[4], false);
    if (t < 0) return t;
    forever = false;
  }
  if (a[5] !== 0n) {
    // { const sigset_t *ss; size_t ss_len; }
    const mask = k.read64(a[5]), len = k.read64(a[5] + 8n);
    if (mask !== 0n && len !== 8n) return -EINVAL;
  }
  const r = doSelect(k, int(a[0]), [a[1], a[2], a[3]], forever, "pselect6");
  if (r === 0 && a[4] !== 0n) k.writeGuest(a[4], new Uint8Array(16));
  return r;
}
