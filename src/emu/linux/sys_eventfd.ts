/** eventfd2/eventfd: a 64-bit counter read and written 8 bytes at a time. */
import type { Kernel } from "./kernel.ts";
import { EAGAIN, EINVAL, EMFILE } from "./constants.ts";
import { EventCounter } from "./fd_kinds.ts";
import type { OpenFile } from "./fd_table.ts";
import { waitUntil } from "./fd_wait.ts";
import { int, u32 } from "./syscall_types.ts";

const EFD_SEMAPHORE = 1, EFD_NONBLOCK = 0x800, EFD_CLOEXEC = 0x80000;
const MAX = 0xfffffffffffffffen;

type EventFile = Extract<OpenFile, { kind: "eventfd" }>;

export function sysEventfd2(k: Kernel, a: bigint[]): number {
  const flags = int(a[1]);
  if (flags & ~(EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC)) return -EINVAL;
  const counter = new EventCounter(BigInt(u32(a[0])), (flags & EFD_SEMAPHORE) !== 0);
  const fd = k.fds.install(
    { kind: "eventfd", counter, flags: 2 | (flags & EFD_NONBLOCK), refs: 0 },
    (flags & EFD_CLOEXEC) !== 0,
  );
  return fd < 0 ? -EMFILE : fd;
}

export const sysEventfd = (k: Kernel, a: bigint[]) => sysEventfd2(k, [a[0], 0n]);

function nonblocking(f: EventFile): boolean {
  return (f.flags & EFD_NONBLOCK) !== 0;
}

/** read: the counter (or 1 in semaphore mode) as 8 bytes; waits while it is zero. */
export function eventfdRead(k: Kernel, f: EventFile, len: number): Uint8Array | number {
  if (len < 8) return -EINVAL;
  const c = f.counter;
  if (c.value === 0n) {
    if (nonblocking(f)) return -EAGAIN;
    return waitUntil(k, () => c.value > 0n, "read from an eventfd at zero", -4200);
  }
  const v = c.semaphore ? 1n : c.value;
  c.value -= v;
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, v, true);
  return out;
}

/** write: adds the 8-byte value; waits (EAGAIN when non-blocking) while it would overflow. */
export function eventfdWrite(k: Kernel, f: EventFile, data: Uint8Array): number {
  if (data.length < 8) return -EINVAL;
  const v = new DataView(data.buffer, data.byteOffset).getBigUint64(0, true);
  if (v === 0xffffffffffffffffn) return -EINVAL;
  const c = f.counter;
  if (MAX - c.value < v) {
    if (nonblocking(f)) return -EAGAIN;
    return waitUntil(k, () => MAX - c.value >= v, "write to a full eventfd", -4201);
  }
  c.value += v;
  c.writes++;
  return 8;
}

/** POLLIN while the counter is above zero, POLLOUT while 1 more fits. */
export function eventfdReadiness(f: EventFile): number {
  const POLLIN = 1, POLLOUT = 4, POLLRDNORM = 0x40, POLLWRNORM = 0x100;
  return (f.counter.value > 0n ? POLLIN | POLLRDNORM : 0) |
    (f.counter.value < MAX ? POLLOUT | POLLWRNORM : 0);
}
