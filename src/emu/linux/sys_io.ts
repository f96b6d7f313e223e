/** File and descriptor syscalls, backed by the host door and in-kernel pipes. */
import type { HostStat } from "../host.ts";
import type { Kernel } from "./kernel.ts";
import {
  EAGAIN,
  EBADF,
  EINVAL,
  EISDIR,
  EMFILE,
  ENOTTY,
  EPIPE,
  ERESTARTSYS,
  ESPIPE,
  SI_USER,
  SIGPIPE,
} from "./constants.ts";
import { type OpenFile, PipeBuffer } from "./fd_table.ts";
import { kernelStat, virtualStat } from "./procfs.ts";
import { checkIovecsWritable, gatherIovecs, readIovecs, scatterIovecs } from "./iovec.ts";
import { int, NO_RETURN, num } from "./syscall_types.ts";
import { sockRecv, sockSend, writeFdPair } from "./sys_socket.ts";
import { eventfdRead, eventfdWrite } from "./sys_eventfd.ts";
import { signalfdRead } from "./sys_signalfd.ts";

const O_ACCMODE = 3, O_APPEND = 0x400, O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000;
const ENOSPC = 28, ENXIO = 6;
/** Default pipe capacity (16 pages) and the size up to which a pipe write is atomic. */
const PIPE_CAPACITY = 65536, PIPE_BUF = 4096;
/** Linux caps one read/write at MAX_RW_COUNT. */
const MAX_RW = 0x7ffff000;
/** Largest chunk moved through memory at once (keeps huge counts from allocating huge buffers). */
const CHUNK = 1 << 20;

/** Encodes struct stat (144 bytes). */
export function encodeStat(s: HostStat): Uint8Array {
  const out = new Uint8Array(144);
  const v = new DataView(out.buffer);
  const u = (off: number, x: number) =>
    v.setBigUint64(off, BigInt(Math.max(0, Math.floor(x))), true);
  u(0, s.dev);
  u(8, s.ino);
  u(16, s.nlink);
  v.setUint32(24, s.mode >>> 0, true);
  v.setUint32(28, s.uid >>> 0, true);
  v.setUint32(32, s.gid >>> 0, true);
  u(40, s.rdev);
  u(48, s.size);
  u(56, s.blksize);
  u(64, s.blocks);
  u(72, s.atimeSec);
  u(80, s.atimeNsec);
  u(88, s.mtimeSec);
  u(96, s.mtimeNsec);
  u(104, s.ctimeSec);
  u(112, s.ctimeNsec);
  return out;
}

/** fstat of an open file description. */
export function statOfFile(k: Kernel, f: OpenFile): HostStat | number {
  if (f.kind === "std") return k.host.statStd(f.stdFd);
  if (f.kind === "file") return k.host.fstat(f.handle);
  if (f.kind === "dev") return virtualStat(k, { kind: "dev", dev: f.dev });
  if (f.kind === "virtual") {
    return virtualStat(
      k,
      f.dirEntries ? { kind: "dir", entries: () => [] } : {
        kind: "file",
        content: () => f.data,
      },
    );
  }
  if (f.kind === "socket") return kernelStat(k, { dev: 8, ino: f.sock.ino, mode: 0o140777 });
  // eventfd, signalfd, epoll: one shared anonymous inode, mode 0600 without a file type.
  if (f.kind !== "pipe") return kernelStat(k, { dev: 15, ino: 1, mode: 0o600, blksize: 4096 });
  // Pipes: S_IFIFO | 0600, as pipefs reports them.
  return kernelStat(k, { dev: 14, ino: f.pipe.ino, mode: 0o10600 });
}

export function writeStat(k: Kernel, addr: bigint, s: HostStat | number): number {
  if (typeof s === "number") return s;
  k.writeGuest(addr, encodeStat(s));
  return 0;
}

/** Reads up to len bytes from an open file into a fresh buffer (or -errno). */
function readFrom(k: Kernel, f: OpenFile, len: number, offset: number | null): Uint8Array | number {
  if ((f.flags & O_ACCMODE) === 1) return -EBADF;
  switch (f.kind) {
    case "std":
      return f.stdFd === 0 ? k.host.readStdin(len) : -EBADF;
    case "file": {
      if (f.directory) return -EISDIR;
      const r = k.host.pread(f.handle, len, offset ?? f.offset);
      if (typeof r !== "number" && offset === null) f.offset += r.length;
      return r;
    }
    case "pipe":
      if (f.end !== "read") return -EBADF;
      if (offset !== null) return -ESPIPE;
      if (f.pipe.size === 0) {
        if (f.pipe.writers === 0 || f.flags & O_NONBLOCK) {
          return f.pipe.writers === 0 ? new Uint8Array(0) : -EAGAIN;
        }
        // Another process may still write: wait for it (the scheduler runs the others).
        if (k.procs.othersAlive(k)) {
          const pipe = f.pipe;
          const r = k.block({
            ready: () => pipe.size > 0 || pipe.writers === 0,
            interruptible: true,
            what: "read from an empty pipe",
          });
          return r === NO_RETURN ? -EAGAIN : r; // blocked: the result is not used
        }
        // Nobody else can write; only a signal (an ITIMER_REAL expiry) can end the wait.
        if (signalEndsWait(k)) return -ERESTARTSYS;
        k.warnOnce(
          -1,
          "read from an empty pipe with writers would block forever; returned -EAGAIN",
        );
        return -EAGAIN;
      }
      return f.pipe.take(len);
    case "virtual": {
      if (f.dirEntries) return -EISDIR;
      const at = offset ?? f.offset;
      const r = f.data.slice(Math.min(at, f.data.length), Math.min(at + len, f.data.length));
      if (offset === null) f.offset += r.length;
      return r;
    }
    case "socket": {
      if (offset !== null) return -ESPIPE;
      const r = sockRecv(k, f, len, 0);
      return typeof r === "number" ? r : r.data;
    }
    case "eventfd":
      return offset !== null ? -ESPIPE : eventfdRead(k, f, len);
    case "signalfd":
      return offset !== null ? -ESPIPE : signalfdRead(k, f, len);
    case "epoll":
      return -EINVAL;
    case "dev":
      if (f.dev === "null") return new Uint8Array(0);
      if (f.dev === "zero" || f.dev === "full") return new Uint8Array(len);
      return k.host.randomBytes(len);
  }
}

function writeTo(k: Kernel, f: OpenFile, data: Uint8Array, offset: number | null): number {
  if ((f.flags & O_ACCMODE) === 0 && f.kind !== "std") return -EBADF;
  switch (f.kind) {
    case "std":
      return f.stdFd === 0 ? -EBADF : k.host.writeStd(f.stdFd, data);
    case "file": {
      const n = k.host.pwrite(f.handle, data, offset ?? f.offset);
      if (n > 0 && offset === null) {
        if (f.flags & O_APPEND) {
          const s = k.host.fstat(f.handle);
          f.offset = typeof s === "number" ? f.offset + n : s.size;
        } else f.offset += n;
      }
      return n;
    }
    case "pipe":
      if (f.end !== "write") return -EBADF;
      if (offset !== null) return -ESPIPE;
      if (f.pipe.readers === 0) {
        k.defer(() =>
          k.sendSignal({
            signo: SIGPIPE,
            errno: 0,
            code: SI_USER,
            addr: 0n,
            pid: k.pid,
            uid: k.uid,
          }, "kill")
        );
        return -EPIPE;
      }
      return writePipe(k, f.pipe, data, (f.flags & O_NONBLOCK) !== 0);
    case "virtual":
      return -EBADF;
    case "socket":
      return offset !== null ? -ESPIPE : sockSend(k, f, data, 0);
    case "eventfd":
      return offset !== null ? -ESPIPE : eventfdWrite(k, f, data);
    case "signalfd":
    case "epoll":
      return -EINVAL;
    case "dev":
      return f.dev === "full" ? -ENOSPC : data.length;
  }
}

/**
 * A lone process waiting forever: true when a signal is deliverable or an armed ITIMER_REAL fires
 * first (the wait then ends with -ERESTARTSYS, so SA_RESTART decides between EINTR and a re-run).
 */
function signalEndsWait(k: Kernel): boolean {
  return k.hasDeliverable() || k.itimers.cutWait(k, null) !== null;
}

/**
 * pipe_write with the default capacity: a write of up to PIPE_BUF bytes goes in whole or not at
 * all; a larger one fills what room there is. What does not fit waits for a reader; when no other
 * process could read, only a signal ends that wait (a partial count, else -ERESTARTSYS).
 */
function writePipe(k: Kernel, pipe: PipeBuffer, data: Uint8Array, nonblock: boolean): number {
  if (k.procs.othersAlive(k)) {
    pipe.push(data); // a reader may drain it meanwhile: no capacity limit across processes
    return data.length;
  }
  const room = Math.max(0, PIPE_CAPACITY - pipe.size);
  const n = data.length <= PIPE_BUF && data.length > room ? 0 : Math.min(room, data.length);
  if (n > 0) pipe.push(data.subarray(0, n));
  if (n === data.length) return n;
  if (nonblock) return n > 0 ? n : -EAGAIN;
  if (signalEndsWait(k)) return n > 0 ? n : -ERESTARTSYS;
  k.warnOnce(-2, "write to a full pipe nobody reads would block forever; returned -EAGAIN");
  return n > 0 ? n : -EAGAIN;
}

function doRead(k: Kernel, fd: number, buf: bigint, count: bigint, offset: number | null): number {
  const f = k.fds.get(fd);
  if (!f) return -EBADF;
  const len = Math.min(num(count), MAX_RW, CHUNK * 16);
  if (len === 0) return 0;
  k.mem.checkWritable(num(buf), len);
  const r = readFrom(k, f, len, offset);
  if (typeof r === "number") return r;
  k.writeGuest(buf, r);
  return r.length;
}

function doWrite(k: Kernel, fd: number, buf: bigint, count: bigint, offset: number | null): number {
  const f = k.fds.get(fd);
  if (!f) return -EBADF;
  const len = Math.min(num(count), MAX_RW);
  if (len === 0) return 0;
  return writeTo(k, f, k.readGuest(buf, len), offset);
}

export const sysRead = (k: Kernel, a: bigint[]) => doRead(k, int(a[0]), a[1], a[2], null);
export const sysWrite = (k: Kernel, a: bigint[]) => doWrite(k, int(a[0]), a[1], a[2], null);
export const sysPread64 = (k: Kernel, a: bigint[]) =>
  a[3] >= 1n << 63n ? -EINVAL : doRead(k, int(a[0]), a[1], a[2], num(a[3]));
export const sysPwrite64 = (k: Kernel, a: bigint[]) =>
  a[3] >= 1n << 63n ? -EINVAL : doWrite(k, int(a[0]), a[1], a[2], num(a[3]));

export function sysWritev(k: Kernel, a: bigint[]): number {
  const f = k.fds.get(int(a[0]));
  if (!f) return -EBADF;
  const iovs = readIovecs(k, a[1], int(a[2]));
  if (typeof iovs === "number") return iovs;
  const data = gatherIovecs(k, iovs);
  if (data.length === 0) return 0;
  return writeTo(k, f, data, null);
}

export function sysReadv(k: Kernel, a: bigint[]): number {
  const f = k.fds.get(int(a[0]));
  if (!f) return -EBADF;
  const iovs = readIovecs(k, a[1], int(a[2]));
  if (typeof iovs === "number") return iovs;
  if (f.kind !== "file" && f.kind !== "virtual" && f.kind !== "dev") return readScatter(k, f, iovs);
  let total = 0;
  for (const [base, len] of iovs) {
    if (len === 0) continue;
    k.mem.checkWritable(num(base), len);
    const r = readFrom(k, f, len, null);
    if (typeof r === "number") return total > 0 ? total : r;
    k.writeGuest(base, r);
    total += r.length;
    if (r.length < len) break;
  }
  return total;
}

/**
 * readv from a pipe, socket or other stream: one read of the whole length (so a datagram is one
 * message and a blocking read blocks before anything is consumed), then spread over the buffers.
 */
function readScatter(k: Kernel, f: OpenFile, iovs: [bigint, number][]): number {
  checkIovecsWritable(k, iovs);
  const total = iovs.reduce((n, [, len]) => n + len, 0);
  if (total === 0) return 0;
  const r = readFrom(k, f, Math.min(total, MAX_RW), null);
  if (typeof r === "number") return r;
  scatterIovecs(k, iovs, r);
  return r.length;
}

/** preadv/pwritev: the offset is one 64-bit argument on x86-64 (a[3]); a[4] is ignored. */
export function sysPreadv(k: Kernel, a: bigint[]): number {
  const f = k.fds.get(int(a[0]));
  if (!f) return -EBADF;
  const iovs = readIovecs(k, a[1], int(a[2]));
  if (typeof iovs === "number") return iovs;
  if (a[3] >= 1n << 63n) return -EINVAL;
  let at = num(a[3]), total = 0;
  for (const [base, len] of iovs) {
    if (len === 0) continue;
    k.mem.checkWritable(num(base), len);
    const r = readFrom(k, f, len, at);
    if (typeof r === "number") return total > 0 ? total : r;
    k.writeGuest(base, r);
    total += r.length;
    at += r.length;
    if (r.length < len) break;
  }
  return total;
}

export function sysPwritev(k: Kernel, a: bigint[]): number {
  const f = k.fds.get(int(a[0]));
  if (!f) return -EBADF;
  const iovs = readIovecs(k, a[1], int(a[2]));
  if (typeof iovs === "number") return iovs;
  if (a[3] >= 1n << 63n) return -EINVAL;
  const data = gatherIovecs(k, iovs);
  return data.length === 0 ? 0 : writeTo(k, f, data, num(a[3]));
}

const CLOSE_RANGE_UNSHARE = 2, CLOSE_RANGE_CLOEXEC = 4;

export function sysCloseRange(k: Kernel, a: bigint[]): number {
  const first = u32of(a[0]), last = u32of(a[1]), flags = u32of(a[2]);
  if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC) || first > last) return -EINVAL;
  for (const fd of [...k.fds.slots.keys()]) {
    if (fd < first || fd > last) continue;
    if (flags & CLOSE_RANGE_CLOEXEC) k.fds.slots.get(fd)!.cloexec = true;
    else closeFile(k, k.fds.remove(fd));
  }
  return 0;
}

export function closeFile(k: Kernel, f: OpenFile | undefined | null): void {
  if (f && f.kind === "file") k.host.close(f.handle);
}

export function sysClose(k: Kernel, a: bigint[]): number {
  const r = k.fds.remove(int(a[0]));
  if (r === null) return -EBADF;
  closeFile(k, r);
  return 0;
}

const SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2, SEEK_DATA = 3, SEEK_HOLE = 4;

export function sysLseek(k: Kernel, a: bigint[]): number {
  const f = k.fds.get(int(a[0]));
  if (!f) return -EBADF;
  const off = Number(BigInt.asIntN(64, a[1]));
  const whence = int(a[2]);
  if (f.kind === "dev") return whence >= SEEK_SET && whence <= SEEK_END ? 0 : -EINVAL;
  // Anonymous inodes (noop_llseek): the position stays 0 whatever is asked.
  if (f.kind === "eventfd" || f.kind === "signalfd" || f.kind === "epoll") return 0;
  if (f.kind !== "file" && f.kind !== "virtual") return -ESPIPE;
  let base: number;
  if (whence === SEEK_SET) base = 0;
  else if (whence === SEEK_CUR) base = f.offset;
  else if (f.kind === "virtual") return -EINVAL; // seq files cannot seek from the end
  else if (whence === SEEK_END || whence === SEEK_DATA || whence === SEEK_HOLE) {
    const s = k.host.fstat(f.handle);
    if (typeof s === "number") return s;
    if (whence === SEEK_END) base = s.size;
    else {
      // No holes are visible: data runs up to the end of the file.
      if (off < 0 || off >= s.size) return -ENXIO;
      f.offset = whence === SEEK_DATA ? off : s.size;
      return f.offset;
    }
  } else return -EINVAL;
  const pos = base + off;
  if (pos < 0) return -EINVAL;
  f.offset = pos;
  if (pos === 0 && f.kind === "file" && f.directory) f.dirEntries = null;
  return pos;
}

export function sysFstat(k: Kernel, a: bigint[]): number {
  const f = k.fds.get(int(a[0]));
  if (!f) return -EBADF;
  return writeStat(k, a[1], statOfFile(k, f));
}

const TCGETS = 0x5401, TIOCGWINSZ = 0x5413, TIOCGPGRP = 0x540f, FIONBIO = 0x5421;
const FIONREAD = 0x541b, FIONCLEX = 0x5450, FIOCLEX = 0x5451;

export function sysIoctl(k: Kernel, a: bigint[]): number {
  const f = k.fds.get(int(a[0]));
  if (!f) return -EBADF;
  const req = u32of(a[1]);
  const tty = f.kind === "std" && k.host.isatty(f.stdFd);
  switch (req) {
    case TCGETS: {
      if (!tty) return -ENOTTY;
      // A cooked terminal: iflag ICRNL|IXON, oflag OPOST|ONLCR, cflag B38400|CS8|CREAD, lflag
      // ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, line 0, default control characters.
      const t = new Uint8Array(36);
      const v = new DataView(t.buffer);
      v.setUint32(0, 0x500, true);
      v.setUint32(4, 0x5, true);
      v.setUint32(8, 0xbf, true);
      v.setUint32(12, 0x8a3b, true);
      t.set([3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0], 17);
      k.writeGuest(a[2], t);
      return 0;
    }
    case TIOCGWINSZ: {
      const ws = f.kind === "std" ? k.host.winsize(f.stdFd) : null;
      if (!ws) return -ENOTTY;
      const w = new Uint8Array(8);
      const v = new DataView(w.buffer);
      v.setUint16(0, ws.rows, true);
      v.setUint16(2, ws.cols, true);
      k.writeGuest(a[2], w);
      return 0;
    }
    case TIOCGPGRP:
      if (!tty) return -ENOTTY;
      k.write32(a[2], k.pid);
      return 0;
    case FIONBIO:
      if (k.read32(a[2])) f.flags |= O_NONBLOCK;
      else f.flags &= ~O_NONBLOCK;
      return 0;
    case FIOCLEX:
    case FIONCLEX:
      k.fds.slots.get(int(a[0]))!.cloexec = req === FIOCLEX;
      return 0;
    case FIONREAD: {
      let n: number;
      if (f.kind === "pipe") n = f.pipe.size;
      else if (f.kind === "socket") {
        n = f.sock.stream ? f.sock.rxSize : (f.sock.rx[0]?.length ?? 0);
      } else if (f.kind === "file" && !f.directory) {
        const st = k.host.fstat(f.handle);
        if (typeof st === "number") return st;
        n = Math.max(0, st.size - f.offset);
      } else if (f.kind === "virtual" && !f.dirEntries) n = Math.max(0, f.data.length - f.offset);
      else return -ENOTTY;
      k.write32(a[2], n);
      return 0;
    }
    default:
      return -ENOTTY;
  }
}

function u32of(v: bigint): number {
  return Number(v & 0xffffffffn);
}

const F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_DUPFD_CLOEXEC = 1030;
const F_GETLK = 5, F_SETLK = 6, F_SETLKW = 7, F_OFD_GETLK = 36, F_OFD_SETLK = 37;
const F_OFD_SETLKW = 38, F_GETPIPE_SZ = 1032, F_UNLCK = 2;

export function sysFcntl(k: Kernel, a: bigint[]): number {
  const fd = int(a[0]), cmd = int(a[1]), arg = a[2];
  const slot = k.fds.slots.get(fd);
  if (!slot) return -EBADF;
  switch (cmd) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC: {
      const min = int(arg);
      if (min < 0 || min >= 1024) return -EINVAL;
      const n = k.fds.install(slot.file, cmd === F_DUPFD_CLOEXEC, min);
      return n < 0 ? -EMFILE : n;
    }
    case F_GETFD:
      return slot.cloexec ? 1 : 0;
    case F_SETFD:
      slot.cloexec = (int(arg) & 1) !== 0;
      return 0;
    case F_GETFL:
      return slot.file.kind === "file" ? slot.file.flags | 0x8000 : slot.file.flags; // O_LARGEFILE
    case F_SETFL: {
      const settable = O_APPEND | O_NONBLOCK | 0x2000 | 0x4000 | 0x40000; // APPEND NONBLOCK ASYNC DIRECT NOATIME
      slot.file.flags = (slot.file.flags & ~settable) | (int(arg) & settable);
      return 0;
    }
    case F_GETLK:
    case F_OFD_GETLK: {
      // One process holds every lock there is, so no lock ever conflicts: report F_UNLCK.
      const lk = k.readGuest(arg, 32);
      const type = lk[0] | lk[1] << 8;
      if (type > 2) return -EINVAL;
      k.writeGuest(arg, new Uint8Array([F_UNLCK, 0]));
      return 0;
    }
    case F_SETLK:
    case F_SETLKW:
    case F_OFD_SETLK:
    case F_OFD_SETLKW: {
      const lk = k.readGuest(arg, 32);
      return (lk[0] | lk[1] << 8) > 2 ? -EINVAL : 0;
    }
    case F_GETPIPE_SZ:
      return slot.file.kind === "pipe" ? 65536 : -EBADF;
    default:
      return -EINVAL;
  }
}

export function sysDup(k: Kernel, a: bigint[]): number {
  const f = k.fds.get(int(a[0]));
  if (!f) return -EBADF;
  const n = k.fds.install(f, false);
  return n < 0 ? -EMFILE : n;
}

function dupTo(k: Kernel, oldfd: number, newfd: number, cloexec: boolean): number {
  const f = k.fds.get(oldfd);
  if (!f) return -EBADF;
  if (newfd < 0 || newfd >= 1024) return -EBADF;
  closeFile(k, k.fds.setAt(newfd, f, cloexec));
  return newfd;
}

export function sysDup2(k: Kernel, a: bigint[]): number {
  const oldfd = int(a[0]), newfd = int(a[1]);
  if (oldfd === newfd) return k.fds.get(oldfd) ? newfd : -EBADF;
  return dupTo(k, oldfd, newfd, false);
}

export function sysDup3(k: Kernel, a: bigint[]): number {
  const oldfd = int(a[0]), newfd = int(a[1]), flags = int(a[2]);
  if (flags & ~O_CLOEXEC) return -EINVAL;
  if (oldfd === newfd) return -EINVAL;
  return dupTo(k, oldfd, newfd, (flags & O_CLOEXEC) !== 0);
}

export function sysPipe2(k: Kernel, a: bigint[]): number {
  const flags = int(a[1]);
  if (flags & ~(O_CLOEXEC | O_NONBLOCK | 0x4000)) return -EINVAL;
  k.mem.checkWritable(num(a[0]), 8);
  const pipe = new PipeBuffer(k.fds.nextPipeIno++);
  const cloexec = (flags & O_CLOEXEC) !== 0;
  const fds = k.fds.installPair(
    { kind: "pipe", pipe, end: "read", flags: flags & O_NONBLOCK, refs: 0 },
    { kind: "pipe", pipe, end: "write", flags: 1 | (flags & O_NONBLOCK), refs: 0 },
    cloexec,
  );
  if (!fds) return -EMFILE;
  writeFdPair(k, a[0], fds);
  return 0;
}

export const sysPipe = (k: Kernel, a: bigint[]) => sysPipe2(k, [a[0], 0n]);

export function sysFtruncate(k: Kernel, a: bigint[]): number {
  const f = k.fds.get(int(a[0]));
  if (!f) return -EBADF;
  if (f.kind !== "file" || (f.flags & O_ACCMODE) === 0) return -EINVAL;
  return k.host.ftruncate(f.handle, num(a[1]));
}

/** fsync/fdatasync: nothing is buffered in the kernel here. */
export function sysFsync(k: Kernel, a: bigint[]): number {
  return k.fds.get(int(a[0])) ? 0 : -EBADF;
}

/**
 * Copies up to `count` bytes from `from` (at `inAt`, or its offset when null) to `to` (at `outAt`
 * or its offset) in chunks, stopping at end of input or a short write; returns the bytes copied
 * or the first error when nothing was copied.
 */
function copyBetween(
  k: Kernel,
  from: OpenFile,
  to: OpenFile,
  count: number,
  inAt: number | null,
  outAt: number | null,
): { copied: number; error: number } {
  let copied = 0;
  while (copied < count) {
    const r = readFrom(
      k,
      from,
      Math.min(count - copied, CHUNK),
      inAt === null ? null : inAt + copied,
    );
    if (typeof r === "number") return { copied, error: r };
    if (r.length === 0) break;
    const w = writeTo(k, to, r, outAt === null ? null : outAt + copied);
    if (w < 0) return { copied, error: w };
    copied += w;
    if (w < r.length) {
      // A short write: the unwritten input must not count as consumed.
      if (inAt === null && from.kind === "file") from.offset -= r.length - w;
      break;
    }
  }
  return { copied, error: 0 };
}

/** A guest loff_t* argument: null for NULL, else the offset (-EINVAL when negative). */
function offsetArg(k: Kernel, p: bigint): number | null | "einval" {
  if (p === 0n) return null;
  const v = BigInt.asIntN(64, k.read64(p));
  return v < 0n ? "einval" : Number(v);
}

/** sendfile(out_fd, in_fd, offset*, count): in-kernel copy (tar, cp and friends use it). */
export function sysSendfile(k: Kernel, a: bigint[]): number {
  const to = k.fds.get(int(a[0])), from = k.fds.get(int(a[1]));
  if (!to || !from) return -EBADF;
  if ((from.flags & O_ACCMODE) === 1 || ((to.flags & O_ACCMODE) === 0 && to.kind !== "std")) {
    return -EBADF;
  }
  if (to.flags & O_APPEND) return -EINVAL;
  const at = offsetArg(k, a[2]);
  if (at === "einval") return -EINVAL;
  if (at !== null && from.kind === "pipe") return -ESPIPE;
  const count = Math.min(num(a[3]), MAX_RW);
  const { copied, error } = copyBetween(k, from, to, count, at, null);
  if (at !== null) k.write64(a[2], BigInt(at + copied));
  return copied > 0 || error === 0 ? copied : error;
}

/** copy_file_range(fd_in, off_in*, fd_out, off_out*, len, flags): between regular files. */
export function sysCopyFileRange(k: Kernel, a: bigint[]): number {
  if (a[5] !== 0n) return -EINVAL;
  const from = k.fds.get(int(a[0])), to = k.fds.get(int(a[2]));
  if (!from || !to) return -EBADF;
  if ((from.flags & O_ACCMODE) === 1 || (to.flags & O_ACCMODE) === 0) return -EBADF;
  if (to.flags & O_APPEND) return -EBADF;
  if ((from.kind === "file" && from.directory) || (to.kind === "file" && to.directory)) {
    return -EISDIR;
  }
  if (from.kind !== "file" || to.kind !== "file") return -EINVAL; // pipes, devices, procfs
  const inAt = offsetArg(k, a[1]), outAt = offsetArg(k, a[3]);
  if (inAt === "einval" || outAt === "einval") return -EINVAL;
  const count = Math.min(num(a[4]), MAX_RW);
  if (from.path === to.path) {
    // Within one file the ranges must not overlap (EINVAL, as measured natively).
    const i0 = inAt ?? from.offset, o0 = outAt ?? to.offset;
    if (count > 0 && i0 < o0 + count && o0 < i0 + count) return -EINVAL;
  }
  const { copied, error } = copyBetween(k, from, to, count, inAt, outAt);
  if (inAt !== null) k.write64(a[1], BigInt(inAt + copied));
  if (outAt !== null) k.write64(a[3], BigInt(outAt + copied));
  return copied > 0 || error === 0 ? copied : error;
}
