/**
 * signalfd4/signalfd: a descriptor that reads the caller's pending signals of a mask as 128-byte
 * signalfd_siginfo records (dequeuing them, as sigtimedwait does). The signals are normally
 * blocked so that they stay pending instead of being delivered.
 */
import type { Kernel } from "./kernel.ts";
import {
  EAGAIN,
  EBADF,
  EINVAL,
  EMFILE,
  ERESTARTSYS,
  SI_KERNEL,
  SI_USER,
  sigBit,
  SIGBUS,
  SIGCHLD,
  SIGFPE,
  SIGILL,
  SIGSEGV,
  SIGSYS,
  SIGTRAP,
  UNBLOCKABLE,
} from "./constants.ts";
import type { OpenFile } from "./fd_table.ts";
import { waitUntil } from "./fd_wait.ts";
import { encodeSigInfo, type SigInfo } from "./signal_frame.ts";
import { dequeueFrom } from "./sys_signal.ts";
import { int } from "./syscall_types.ts";

const SFD_NONBLOCK = 0x800, SFD_CLOEXEC = 0x80000;
const SI_TIMER = -2, SI_SIGIO = -5, SIGPOLL = 29;

type SignalFile = Extract<OpenFile, { kind: "signalfd" }>;

export function sysSignalfd4(k: Kernel, a: bigint[]): number {
  const fd = int(a[0]), flags = int(a[3]);
  if (a[2] !== 8n || flags & ~(SFD_NONBLOCK | SFD_CLOEXEC)) return -EINVAL;
  const mask = k.read64(a[1]) & ~UNBLOCKABLE;
  if (fd !== -1) {
    const f = k.fds.get(fd);
    if (!f) return -EBADF;
    if (f.kind !== "signalfd") return -EINVAL;
    f.mask = mask;
    return fd;
  }
  const n = k.fds.install(
    { kind: "signalfd", mask, flags: 2 | (flags & SFD_NONBLOCK), refs: 0 },
    (flags & SFD_CLOEXEC) !== 0,
  );
  return n < 0 ? -EMFILE : n;
}

export const sysSignalfd = (k: Kernel, a: bigint[]) => sysSignalfd4(k, [a[0], a[1], a[2], 0n]);

/** True when the process has a pending signal of the mask. */
export function signalPending(k: Kernel, mask: bigint): boolean {
  for (const sig of k.pending.keys()) if (mask & sigBit(sig)) return true;
  return false;
}

/**
 * Converts a siginfo to struct signalfd_siginfo (signalfd_copyinfo): which union fields are
 * copied depends on the siginfo layout of the signal and code.
 */
export function signalfdRecord(info: SigInfo): Uint8Array {
  const si = encodeSigInfo(info);
  const s = new DataView(si.buffer, si.byteOffset, 128);
  const out = new Uint8Array(128);
  const o = new DataView(out.buffer);
  const sig = s.getInt32(0, true), code = s.getInt32(8, true);
  o.setUint32(0, sig, true);
  o.setInt32(4, s.getInt32(4, true), true);
  o.setInt32(8, code, true);
  const pidUid = () => {
    o.setUint32(12, s.getUint32(16, true), true);
    o.setUint32(16, s.getUint32(20, true), true);
  };
  const sigval = () => {
    o.setInt32(44, s.getInt32(24, true), true);
    o.setBigUint64(48, s.getBigUint64(24, true), true);
  };
  const fault = sig === SIGILL || sig === SIGFPE || sig === SIGSEGV || sig === SIGBUS ||
    sig === SIGTRAP;
  if (code > SI_USER && code < SI_KERNEL) {
    if (sig === SIGCHLD) {
      pidUid();
      o.setInt32(40, s.getInt32(24, true), true);
      o.setBigUint64(56, s.getBigUint64(32, true), true);
      o.setBigUint64(64, s.getBigUint64(40, true), true);
    } else if (fault) o.setBigUint64(72, s.getBigUint64(16, true), true);
    else if (sig === SIGSYS) {
      o.setBigUint64(72, s.getBigUint64(16, true), true); // ssi_call_addr goes to ssi_addr
      o.setInt32(84, s.getInt32(24, true), true);
      o.setUint32(96, s.getUint32(28, true), true);
    } else if (sig === SIGPOLL) {
      o.setUint32(28, s.getUint32(16, true), true);
      o.setInt32(20, s.getInt32(24, true), true);
    } else pidUid(); // SIL_KILL
  } else if (code === SI_TIMER) {
    o.setUint32(24, s.getUint32(16, true), true);
    o.setUint32(32, s.getUint32(20, true), true);
    sigval();
  } else if (code === SI_SIGIO) {
    o.setUint32(28, s.getUint32(16, true), true);
    o.setInt32(20, s.getInt32(24, true), true);
  } else if (code < 0) {
    pidUid();
    sigval();
  } else pidUid();
  return out;
}

/** read: as many records as fit and are pending; waits for the first one unless O_NONBLOCK. */
export function signalfdRead(k: Kernel, f: SignalFile, len: number): Uint8Array | number {
  if (len < 128) return -EINVAL;
  const mask = f.mask;
  const records: Uint8Array[] = [];
  while (records.length < Math.floor(len / 128)) {
    const info = dequeueFrom(k, mask);
    if (!info) break;
    records.push(signalfdRecord(info));
  }
  if (records.length === 0) {
    if (f.flags & SFD_NONBLOCK) return -EAGAIN;
    if (!k.procs.othersAlive(k)) {
      // Alone, only a timer can raise a signal: let it fire with the mask's signals unblocked.
      if (k.hasDeliverable()) return -ERESTARTSYS;
      const old = k.blocked;
      k.blocked = old & ~mask;
      const waited = k.itimers.cutWait(k, null);
      k.blocked = old;
      if (waited !== null) {
        const info = dequeueFrom(k, mask);
        return info ? signalfdRecord(info) : -ERESTARTSYS;
      }
    }
    return waitUntil(k, () => signalPending(k, mask), "read from a signalfd", -4300);
  }
  const out = new Uint8Array(records.length * 128);
  records.forEach((r, i) => out.set(r, i * 128));
  return out;
}
