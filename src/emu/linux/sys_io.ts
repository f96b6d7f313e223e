/** File and descriptor syscalls, backed by the host door and in-kernel pipes. */
import type { HostStat } from "../host.ts";
import type { Kernel } from "./kernel.ts";
import {
  EAGAIN,
  EBADF,
  EINVAL,
  EISDIR,
  EMFILE,
  ENOENT,
  ENOTDIR,
  ENOTTY,
  EPIPE,
  ERANGE,
  ESPIPE,
  SI_USER,
  SIGPIPE,
} from "./constants.ts";
import { type OpenFile, PipeBuffer } from "./fd_table.ts";
import { int, num } from "./syscall_types.ts";

const AT_FDCWD = -100;
const AT_SYMLINK_NOFOLLOW = 0x100;
const AT_EMPTY_PATH = 0x1000;
const O_ACCMODE = 3, O_APPEND = 0x400, O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000;
/** Linux caps one read/write at MAX_RW_COUNT. */
const MAX_RW = 0x7ffff000;
/** Largest chunk moved through memory at once (keeps huge counts from allocating huge buffers). */
const CHUNK = 1 << 20;

function joinPath(dir: string, rel: string): string {
  if (rel.startsWith("/")) return rel;
  return (dir.endsWith("/") ? dir : dir + "/") + rel;
}

/** Resolves a (dirfd, path) pair to an absolute guest path, or -errno. */
function resolveAt(k: Kernel, dirfd: number, path: string): string | number {
  if (path.startsWith("/")) return path;
  if (dirfd === AT_FDCWD) return joinPath(k.cwdPath, path);
  const f = k.fds.get(dirfd);
  if (!f) return -EBADF;
  if (f.kind !== "file" || !f.directory) return -ENOTDIR;
  return joinPath(f.path, path);
}

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

function statOfFile(k: Kernel, f: OpenFile): HostStat | number {
  if (f.kind === "std") return k.host.statStd(f.stdFd);
  if (f.kind === "file") return k.host.fstat(f.handle);
  // Pipes: S_IFIFO | 0600, as pipefs reports them.
  return {
    dev: 14,
    ino: 1000,
    mode: 0o10600,
    nlink: 1,
    uid: k.uid,
    gid: k.gid,
    rdev: 0,
    size: 0,
    blksize: 4096,
    blocks: 0,
    atimeSec: 0,
    atimeNsec: 0,
    mtimeSec: 0,
    mtimeNsec: 0,
    ctimeSec: 0,
    ctimeNsec: 0,
  };
}

function writeStat(k: Kernel, addr: bigint, s: HostStat | number): number {
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
      if (f.pipe.size === 0) return f.pipe.writers === 0 ? new Uint8Array(0) : -EAGAIN;
      return f.pipe.take(len);
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
      f.pipe.push(data);
      return data.length;
  }
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

function readIovecs(k: Kernel, iov: bigint, cnt: number): [bigint, number][] | number {
  if (cnt < 0 || cnt > 1024) return -EINVAL;
  const out: [bigint, number][] = [];
  const raw = k.readGuest(iov, cnt * 16);
  const v = new DataView(raw.buffer);
  for (let i = 0; i < cnt; i++) {
    const len = v.getBigUint64(i * 16 + 8, true);
    if (len >= 1n << 63n) return -EINVAL;
    out.push([v.getBigUint64(i * 16, true), num(len)]);
  }
  return out;
}

export function sysWritev(k: Kernel, a: bigint[]): number {
  const f = k.fds.get(int(a[0]));
  if (!f) return -EBADF;
  const iovs = readIovecs(k, a[1], int(a[2]));
  if (typeof iovs === "number") return iovs;
  const parts = iovs.filter(([, len]) => len > 0).map(([base, len]) => k.readGuest(base, len));
  const total = parts.reduce((n, p) => n + p.length, 0);
  if (total === 0) return 0;
  const data = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    data.set(p, at);
    at += p.length;
  }
  return writeTo(k, f, data, null);
}

export function sysReadv(k: Kernel, a: bigint[]): number {
  const f = k.fds.get(int(a[0]));
  if (!f) return -EBADF;
  const iovs = readIovecs(k, a[1], int(a[2]));
  if (typeof iovs === "number") return iovs;
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

function openPath(k: Kernel, path: string, flags: number, mode: number): number {
  const opened = k.host.open(path, flags, mode);
  if (typeof opened === "number") return opened;
  const file: OpenFile = {
    kind: "file",
    handle: opened.handle,
    path,
    directory: opened.directory,
    flags: flags & ~O_CLOEXEC,
    offset: 0,
    dirEntries: null,
    refs: 0,
  };
  const fd = k.fds.install(file, (flags & O_CLOEXEC) !== 0);
  if (fd < 0) {
    k.host.close(opened.handle);
    return -EMFILE;
  }
  return fd;
}

export function sysOpenat(k: Kernel, a: bigint[]): number {
  const path = k.readString(a[1]);
  if (path === "") return -ENOENT;
  const abs = resolveAt(k, int(a[0]), path);
  if (typeof abs === "number") return abs;
  return openPath(k, abs, int(a[2]), int(a[3]));
}

export const sysOpen = (k: Kernel, a: bigint[]) =>
  sysOpenat(k, [BigInt(AT_FDCWD), a[0], a[1], a[2]]);
export const sysCreat = (k: Kernel, a: bigint[]) =>
  sysOpenat(k, [BigInt(AT_FDCWD), a[0], 0x241n, a[1]]);

function closeFile(k: Kernel, f: OpenFile | undefined | null): void {
  if (f && f.kind === "file") k.host.close(f.handle);
}

export function sysClose(k: Kernel, a: bigint[]): number {
  const r = k.fds.remove(int(a[0]));
  if (r === null) return -EBADF;
  closeFile(k, r);
  return 0;
}

export function sysLseek(k: Kernel, a: bigint[]): number {
  const f = k.fds.get(int(a[0]));
  if (!f) return -EBADF;
  if (f.kind !== "file") return -ESPIPE;
  const off = Number(BigInt.asIntN(64, a[1]));
  const whence = int(a[2]);
  let base: number;
  if (whence === 0) base = 0;
  else if (whence === 1) base = f.offset;
  else if (whence === 2) {
    const s = k.host.fstat(f.handle);
    if (typeof s === "number") return s;
    base = s.size;
  } else return -EINVAL;
  const pos = base + off;
  if (pos < 0) return -EINVAL;
  f.offset = pos;
  if (f.directory && pos === 0) f.dirEntries = null;
  return pos;
}

export function sysFstat(k: Kernel, a: bigint[]): number {
  const f = k.fds.get(int(a[0]));
  if (!f) return -EBADF;
  return writeStat(k, a[1], statOfFile(k, f));
}

function statPath(k: Kernel, dirfd: number, path: string, flags: number, out: bigint): number {
  if (path === "") {
    if (!(flags & AT_EMPTY_PATH)) return -ENOENT;
    if (dirfd === AT_FDCWD) return writeStat(k, out, k.host.stat(k.cwdPath, true));
    const f = k.fds.get(dirfd);
    if (!f) return -EBADF;
    return writeStat(k, out, statOfFile(k, f));
  }
  const abs = resolveAt(k, dirfd, path);
  if (typeof abs === "number") return abs;
  return writeStat(k, out, k.host.stat(abs, !(flags & AT_SYMLINK_NOFOLLOW)));
}

export const sysNewfstatat = (k: Kernel, a: bigint[]) =>
  statPath(k, int(a[0]), k.readString(a[1]), int(a[3]), a[2]);
export const sysStat = (k: Kernel, a: bigint[]) =>
  statPath(k, AT_FDCWD, k.readString(a[0]), 0, a[1]);
export const sysLstat = (k: Kernel, a: bigint[]) =>
  statPath(k, AT_FDCWD, k.readString(a[0]), AT_SYMLINK_NOFOLLOW, a[1]);

const TCGETS = 0x5401, TIOCGWINSZ = 0x5413, TIOCGPGRP = 0x540f, FIONBIO = 0x5421;

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
    default:
      return -ENOTTY;
  }
}

function u32of(v: bigint): number {
  return Number(v & 0xffffffffn);
}

function doReadlink(k: Kernel, path: string, buf: bigint, size: number): number {
  if (size <= 0) return -EINVAL;
  let target: string | number;
  if (path === "/proc/self/exe" || path === `/proc/${k.pid}/exe`) target = k.exePath();
  else if (path.startsWith("/proc/self/fd/")) {
    const f = k.fds.get(parseInt(path.slice(14), 10));
    if (!f) return -ENOENT;
    target = f.kind === "file" ? f.path : f.kind === "pipe" ? "pipe:[1000]" : `/dev/std${f.stdFd}`;
  } else target = k.host.readlink(path);
  if (typeof target === "number") return target;
  const bytes = new TextEncoder().encode(target).subarray(0, size);
  k.writeGuest(buf, bytes);
  return bytes.length;
}

export function sysReadlinkat(k: Kernel, a: bigint[]): number {
  const path = k.readString(a[1]);
  if (path === "") return -ENOENT;
  const abs = resolveAt(k, int(a[0]), path);
  if (typeof abs === "number") return abs;
  return doReadlink(k, abs, a[2], int(a[3]));
}

export const sysReadlink = (k: Kernel, a: bigint[]) =>
  sysReadlinkat(k, [BigInt(AT_FDCWD), a[0], a[1], a[2]]);

export function sysGetcwd(k: Kernel, a: bigint[]): number {
  const bytes = new TextEncoder().encode(k.cwdPath + "\0");
  if (num(a[1]) < bytes.length) return -ERANGE;
  k.writeGuest(a[0], bytes);
  return bytes.length;
}

export function sysChdir(k: Kernel, a: bigint[]): number {
  const path = k.readString(a[0]);
  if (path === "") return -ENOENT;
  const abs = joinPath(k.cwdPath, path);
  const s = k.host.stat(abs, true);
  if (typeof s === "number") return s;
  if ((s.mode & 0o170000) !== 0o040000) return -ENOTDIR;
  k.cwdPath = normalise(abs);
  return 0;
}

function normalise(path: string): string {
  const out: string[] = [];
  for (const p of path.split("/")) {
    if (p === "" || p === ".") continue;
    if (p === "..") out.pop();
    else out.push(p);
  }
  return "/" + out.join("/");
}

const F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_DUPFD_CLOEXEC = 1030;

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
  const pipe = new PipeBuffer();
  const cloexec = (flags & O_CLOEXEC) !== 0;
  const r = k.fds.install(
    { kind: "pipe", pipe, end: "read", flags: flags & O_NONBLOCK, refs: 0 },
    cloexec,
  );
  if (r < 0) return -EMFILE;
  const w = k.fds.install({
    kind: "pipe",
    pipe,
    end: "write",
    flags: 1 | (flags & O_NONBLOCK),
    refs: 0,
  }, cloexec);
  if (w < 0) {
    k.fds.remove(r);
    return -EMFILE;
  }
  const out = new Uint8Array(8);
  const v = new DataView(out.buffer);
  v.setInt32(0, r, true);
  v.setInt32(4, w, true);
  k.writeGuest(a[0], out);
  return 0;
}

export const sysPipe = (k: Kernel, a: bigint[]) => sysPipe2(k, [a[0], 0n]);

const POLLIN = 1, POLLOUT = 4, POLLERR = 8, POLLHUP = 0x10, POLLNVAL = 0x20;

export function sysPoll(k: Kernel, a: bigint[]): number {
  const n = num(a[1]);
  if (n > 1024) return -EINVAL;
  if (n === 0) return 0;
  const raw = k.readGuest(a[0], n * 8);
  const v = new DataView(raw.buffer);
  let ready = 0;
  for (let i = 0; i < n; i++) {
    const fd = v.getInt32(i * 8, true);
    const events = v.getInt16(i * 8 + 4, true);
    let rev = 0;
    if (fd >= 0) {
      const f = k.fds.get(fd);
      if (!f) rev = POLLNVAL;
      else if (f.kind === "pipe") {
        if (f.end === "read") {
          if (f.pipe.size > 0) rev |= events & POLLIN;
          if (f.pipe.writers === 0) rev |= POLLHUP;
        } else {
          rev |= f.pipe.readers === 0 ? POLLERR : events & POLLOUT;
        }
      } else rev = events & (POLLIN | POLLOUT); // files and standard streams are always ready
    }
    v.setInt16(i * 8 + 6, rev, true);
    if (rev) ready++;
  }
  k.writeGuest(a[0], raw);
  return ready;
}

export function sysGetdents64(k: Kernel, a: bigint[]): number {
  const f = k.fds.get(int(a[0]));
  if (!f) return -EBADF;
  if (f.kind !== "file" || !f.directory) return -ENOTDIR;
  if (!f.dirEntries) {
    const list = k.host.readdir(f.path);
    if (typeof list === "number") return list;
    const self = k.host.stat(f.path, true);
    const ino = typeof self === "number" ? 1 : self.ino;
    f.dirEntries = [{ name: ".", ino, type: 4 }, { name: "..", ino: 1, type: 4 }, ...list];
  }
  const cap = num(a[2]);
  const chunks: Uint8Array[] = [];
  let used = 0;
  const enc = new TextEncoder();
  while (f.offset < f.dirEntries.length) {
    const e = f.dirEntries[f.offset];
    const name = enc.encode(e.name);
    const reclen = Math.ceil((19 + name.length + 1) / 8) * 8;
    if (used + reclen > cap) break;
    const rec = new Uint8Array(reclen);
    const v = new DataView(rec.buffer);
    v.setBigUint64(0, BigInt(e.ino), true);
    v.setBigUint64(8, BigInt(f.offset + 1), true);
    v.setUint16(16, reclen, true);
    rec[18] = e.type;
    rec.set(name, 19);
    chunks.push(rec);
    used += reclen;
    f.offset++;
  }
  if (chunks.length === 0 && f.offset < f.dirEntries.length) return -EINVAL;
  const out = new Uint8Array(used);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  if (used > 0) k.writeGuest(a[1], out);
  return used;
}

function pathArg(k: Kernel, dirfd: number, p: bigint): string | number {
  const path = k.readString(p);
  if (path === "") return -ENOENT;
  return resolveAt(k, dirfd, path);
}

export function sysFaccessat(k: Kernel, a: bigint[]): number {
  const abs = pathArg(k, int(a[0]), a[1]);
  return typeof abs === "number" ? abs : k.host.access(abs, int(a[2]));
}
export const sysAccess = (k: Kernel, a: bigint[]) =>
  sysFaccessat(k, [BigInt(AT_FDCWD), a[0], a[1]]);

export function sysUnlinkat(k: Kernel, a: bigint[]): number {
  const abs = pathArg(k, int(a[0]), a[1]);
  if (typeof abs === "number") return abs;
  return int(a[2]) & 0x200 ? k.host.rmdir(abs) : k.host.unlink(abs);
}
export const sysUnlink = (k: Kernel, a: bigint[]) => sysUnlinkat(k, [BigInt(AT_FDCWD), a[0], 0n]);
export const sysRmdir = (k: Kernel, a: bigint[]) =>
  sysUnlinkat(k, [BigInt(AT_FDCWD), a[0], 0x200n]);

export function sysMkdirat(k: Kernel, a: bigint[]): number {
  const abs = pathArg(k, int(a[0]), a[1]);
  return typeof abs === "number" ? abs : k.host.mkdir(abs, int(a[2]));
}
export const sysMkdir = (k: Kernel, a: bigint[]) => sysMkdirat(k, [BigInt(AT_FDCWD), a[0], a[1]]);

export function sysRename(k: Kernel, a: bigint[]): number {
  const from = pathArg(k, AT_FDCWD, a[0]);
  if (typeof from === "number") return from;
  const to = pathArg(k, AT_FDCWD, a[1]);
  if (typeof to === "number") return to;
  return k.host.rename(from, to);
}

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
