/**
 * epoll_create1/epoll_create, epoll_ctl and epoll_wait/epoll_pwait/epoll_pwait2, level-triggered
 * over every descriptor kind poll understands (EPOLLONESHOT; EPOLLET reports a change of
 * readiness, an approximation of edges). Waiting follows poll: another process may make a
 * descriptor ready (block), else only a timer signal or the timeout ends the wait.
 */
import type { Kernel } from "./kernel.ts";
import {
  EBADF,
  EEXIST,
  EINTR,
  EINVAL,
  ELOOP,
  EMFILE,
  ENOENT,
  EPERM,
  UNBLOCKABLE,
} from "./constants.ts";
import { type EpollEntry, EpollSet } from "./fd_kinds.ts";
import type { OpenFile } from "./fd_table.ts";
import { waitForEvents } from "./fd_wait.ts";
import { readiness } from "./sys_poll.ts";
import { int, num } from "./syscall_types.ts";

const EPOLL_CLOEXEC = 0x80000;
const EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
const EPOLLIN = 1, EPOLLERR = 8, EPOLLHUP = 0x10;
const EPOLLEXCLUSIVE = 1 << 28, EPOLLONESHOT = 1 << 30, EPOLLET = 1 << 31;
/** sizeof(struct epoll_event) on x86-64 (packed: u32 events, u64 data). */
const EVENT_SIZE = 12;

export function sysEpollCreate1(k: Kernel, a: bigint[]): number {
  const flags = int(a[0]);
  if (flags & ~EPOLL_CLOEXEC) return -EINVAL;
  const fd = k.fds.install(
    { kind: "epoll", set: new EpollSet(), flags: 2, refs: 0 },
    (flags & EPOLL_CLOEXEC) !== 0,
  );
  return fd < 0 ? -EMFILE : fd;
}

export const sysEpollCreate = (k: Kernel, a: bigint[]) =>
  int(a[0]) <= 0 ? -EINVAL : sysEpollCreate1(k, [0n]);

/** Files epoll can watch: the ones with a poll method (not regular files, /proc or /dev/null). */
function pollable(f: OpenFile): boolean {
  return f.kind !== "file" && f.kind !== "virtual" && f.kind !== "dev";
}

export function sysEpollCtl(k: Kernel, a: bigint[]): number {
  const epfd = int(a[0]), op = int(a[1]), fd = int(a[2]);
  let events = 0, data = 0n;
  if (op !== EPOLL_CTL_DEL) {
    const raw = k.readGuest(a[3], EVENT_SIZE);
    const v = new DataView(raw.buffer, raw.byteOffset);
    events = v.getUint32(0, true);
    data = v.getBigUint64(4, true);
  }
  const ep = k.fds.get(epfd), f = k.fds.get(fd);
  if (!ep || !f) return -EBADF;
  if (!pollable(f)) return -EPERM;
  if (ep.kind !== "epoll" || epfd === fd) return -EINVAL;
  if (events & EPOLLEXCLUSIVE && op !== EPOLL_CTL_ADD) return -EINVAL;
  if (f.kind === "epoll" && contains(f.set, ep.set, 0)) return -ELOOP;
  const set = ep.set;
  prune(set);
  const cur = set.entries.get(fd);
  const live = cur && cur.file === f ? cur : undefined;
  switch (op) {
    case EPOLL_CTL_ADD:
      if (live) return -EEXIST;
      set.entries.set(fd, {
        fd,
        file: f,
        events,
        data,
        disabled: false,
        lastReady: 0,
        lastGen: -1,
      });
      return 0;
    case EPOLL_CTL_MOD:
      if (!live) return -ENOENT;
      live.events = events;
      live.data = data;
      live.disabled = false;
      live.lastReady = 0;
      live.lastGen = -1;
      return 0;
    case EPOLL_CTL_DEL:
      if (!live) return -ENOENT;
      set.entries.delete(fd);
      return 0;
    default:
      return -EINVAL;
  }
}

/** Whether `inner` watches `target` (directly or through nested epolls). */
function contains(inner: EpollSet, target: EpollSet, depth: number): boolean {
  if (inner === target) return true;
  if (depth > 4) return false;
  for (const e of inner.entries.values()) {
    if (e.file.kind === "epoll" && contains(e.file.set, target, depth + 1)) return true;
  }
  return false;
}

/** Drops registrations whose file was closed for good (Linux removes them at the last close). */
function prune(set: EpollSet): void {
  for (const [fd, e] of set.entries) if (e.file.refs <= 0) set.entries.delete(fd);
}

/** The events an entry would report now (0 when none). */
function pending(k: Kernel, e: EpollEntry, depth: number): number {
  if (e.disabled) return 0;
  const now = e.file.kind === "epoll"
    ? (depth < 4 && epollReadyAt(k, e.file.set, depth + 1) ? 1 : 0)
    : readiness(k, e.file);
  const rev = now & ((e.events & 0xffff) | EPOLLERR | EPOLLHUP);
  if (e.events & EPOLLET && (rev & ~e.lastReady) === 0) {
    // No new kind of event: only newly arrived data is an edge.
    if (!(rev & EPOLLIN) || generation(e.file) === e.lastGen) return 0;
  }
  return rev;
}

/** How many times data arrived at a file (-1 when not tracked): each arrival is an edge. */
function generation(f: OpenFile): number {
  if (f.kind === "pipe") return f.pipe.pushes;
  if (f.kind === "socket") return f.sock.pushes;
  if (f.kind === "eventfd") return f.counter.writes;
  return -1;
}

function epollReadyAt(k: Kernel, set: EpollSet, depth: number): boolean {
  prune(set);
  for (const e of set.entries.values()) if (pending(k, e, depth)) return true;
  return false;
}

/** POLLIN readiness of an epoll descriptor: some registration has an event to report. */
export function epollReady(k: Kernel, set: EpollSet): boolean {
  return epollReadyAt(k, set, 0);
}

/** Collects up to max ready events (consuming ONESHOT/ET state); returns their bytes. */
function harvest(k: Kernel, set: EpollSet, max: number): Uint8Array {
  prune(set);
  const out: Uint8Array[] = [];
  for (const e of set.entries.values()) {
    if (e.events & EPOLLET && !e.disabled) {
      const now = readiness(k, e.file) & ((e.events & 0xffff) | EPOLLERR | EPOLLHUP);
      if (now === 0) e.lastReady = 0; // the edge re-arms once the file is drained
    }
    if (out.length >= max) continue;
    const rev = pending(k, e, 0);
    if (!rev) continue;
    const b = new Uint8Array(EVENT_SIZE);
    const v = new DataView(b.buffer);
    v.setUint32(0, rev, true);
    v.setBigUint64(4, e.data, true);
    out.push(b);
    if (e.events & EPOLLONESHOT) e.disabled = true;
    if (e.events & EPOLLET) {
      e.lastReady = rev;
      e.lastGen = generation(e.file);
    }
  }
  const bytes = new Uint8Array(out.length * EVENT_SIZE);
  out.forEach((b, i) => bytes.set(b, i * EVENT_SIZE));
  return bytes;
}

function doWait(
  k: Kernel,
  a: bigint[],
  timeout: number | null,
  mask: bigint | null,
): number {
  const max = int(a[2]);
  if (max <= 0 || max > Math.floor(0x7fffffff / EVENT_SIZE)) return -EINVAL;
  k.mem.checkWritable(num(a[1]), max * EVENT_SIZE);
  const ep = k.fds.get(int(a[0]));
  if (!ep) return -EBADF;
  if (ep.kind !== "epoll") return -EINVAL;
  const set = ep.set;
  if (mask !== null) {
    // The temporary mask applies to the check for a pending signal (as ppoll does here).
    const old = k.blocked;
    k.blocked = mask & ~UNBLOCKABLE;
    const interrupted = k.hasDeliverable();
    if (interrupted) {
      k.savedMask = old;
      return -EINTR;
    }
    k.blocked = old;
  }
  if (epollReady(k, set)) {
    const bytes = harvest(k, set, max);
    k.writeGuest(a[1], bytes);
    return bytes.length / EVENT_SIZE;
  }
  if (timeout === 0) return 0;
  if (k.procs.othersAlive(k)) {
    const how = waitForEvents(k, () => epollReady(k, set), timeout, "epoll_wait");
    return how === "signal" ? -EINTR : 0;
  }
  if (k.hasDeliverable() || k.itimers.cutWait(k, timeout) !== null) return -EINTR;
  if (timeout === null) {
    k.warnOnce(-4400, "epoll_wait would wait forever with nothing ready; returned 0");
  } else k.waitFor(timeout);
  return 0;
}

export function sysEpollWait(k: Kernel, a: bigint[]): number {
  const ms = int(a[3]);
  return doWait(k, a, ms < 0 ? null : ms * 1e6, null);
}

export function sysEpollPwait(k: Kernel, a: bigint[]): number {
  if (a[4] !== 0n && a[5] !== 8n) return -EINVAL;
  const ms = int(a[3]);
  return doWait(k, a, ms < 0 ? null : ms * 1e6, a[4] !== 0n ? k.read64(a[4]) : null);
}

/** epoll_pwait2: the timeout is a timespec (NULL waits forever). */
export function sysEpollPwait2(k: Kernel, a: bigint[]): number {
  if (a[4] !== 0n && a[5] !== 8n) return -EINVAL;
  let timeout: number | null = null;
  if (a[3] !== 0n) {
    const sec = BigInt.asIntN(64, k.read64(a[3])), ns = BigInt.asIntN(64, k.read64(a[3] + 8n));
    if (sec < 0n || ns < 0n || ns >= 1_000_000_000n) return -EINVAL;
    timeout = Number(sec * 1_000_000_000n + ns);
  }
  return doWait(k, a, timeout, a[4] !== 0n ? k.read64(a[4]) : null);
}
