/**
 * Path syscalls: open, stat/statx, readlink, access, mkdir, unlink, rename, symlink, chmod, chdir,
 * getcwd, getdents64, truncate. Paths go through path_lookup.ts: the kernel answers /proc/self and
 * /dev itself, the host (confined to its root) answers the rest.
 */
import type { FileTime, HostDirEntry, HostStat } from "../host.ts";
import type { Kernel } from "./kernel.ts";
import {
  EACCES,
  EBADF,
  EEXIST,
  EFAULT,
  EINVAL,
  EISDIR,
  ELOOP,
  EMFILE,
  ENOENT,
  ENOTDIR,
  ENOTEMPTY,
  EPERM,
  ERANGE,
} from "./constants.ts";
import type { OpenFile } from "./fd_table.ts";
import {
  AT_EMPTY_PATH,
  AT_FDCWD,
  AT_REMOVEDIR,
  AT_SYMLINK_NOFOLLOW,
  followVirtual,
  type Lookup,
  lookupAt,
  readPath,
} from "./path_lookup.ts";
import { virtualStat } from "./procfs.ts";
import { statOfFile, writeStat } from "./sys_io.ts";
import { umaskOf } from "./sys_proc.ts";
import { int, num } from "./syscall_types.ts";

const O_ACCMODE = 3, O_CREAT = 0x40, O_EXCL = 0x80, O_NOCTTY = 0x100, O_TRUNC = 0x200;
const O_DIRECTORY = 0x10000, O_NOFOLLOW = 0x20000, O_CLOEXEC = 0x80000, O_PATH = 0x200000;
const O_TMPFILE = 0x410000, O_LARGEFILE = 0x8000;
const AT_NO_AUTOMOUNT = 0x800, AT_EACCESS = 0x200, AT_STATX_SYNC_TYPE = 0x6000;
const EOPNOTSUPP = 95;
const S_IFMT = 0o170000, S_IFDIR = 0o040000, S_IFREG = 0o100000;

const BIG = BigInt(AT_FDCWD);

/** Installs an open file description at the lowest free descriptor. */
function install(k: Kernel, file: OpenFile, flags: number): number {
  const fd = k.fds.install(file, (flags & O_CLOEXEC) !== 0);
  if (fd < 0) {
    if (file.kind === "file") k.host.close(file.handle);
    return -EMFILE;
  }
  return fd;
}

/** The status flags open() keeps (what F_GETFL later shows): 64-bit opens are O_LARGEFILE. */
function keptFlags(flags: number): number {
  return (flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC)) | O_LARGEFILE;
}

function openLookup(k: Kernel, l: Lookup, flags: number, mode: number): number {
  const acc = flags & O_ACCMODE;
  if (l.virt) {
    if (l.virt.kind === "symlink") {
      if (flags & O_NOFOLLOW) return -ELOOP;
      const t = followVirtual(k, l);
      if (typeof t === "number") return t;
      // A pipe, terminal or device: the link opens the same description.
      if (!("norm" in t)) return installShared(k, t, flags);
      return openLookup(k, t, flags, mode);
    }
    if ((flags & (O_CREAT | O_EXCL)) === (O_CREAT | O_EXCL)) return -EEXIST;
    switch (l.virt.kind) {
      case "dev":
        if (flags & O_DIRECTORY) return -ENOTDIR;
        return install(k, {
          kind: "dev",
          dev: l.virt.dev,
          path: l.norm,
          flags: keptFlags(flags),
          refs: 0,
        }, flags);
      case "file":
        if (flags & O_DIRECTORY) return -ENOTDIR;
        if (acc !== 0 && k.uid !== 0) return -EACCES; // 0444, but root may open it for writing
        return install(k, {
          kind: "virtual",
          path: l.norm,
          data: l.virt.content(),
          dirEntries: null,
          flags: keptFlags(flags),
          offset: 0,
          refs: 0,
        }, flags);
      case "dir":
        if (acc !== 0 || flags & O_CREAT) return -EISDIR;
        return install(k, {
          kind: "virtual",
          path: l.norm,
          data: new Uint8Array(0),
          dirEntries: [
            { name: ".", ino: 0x2002, type: 4 },
            { name: "..", ino: 0x2003, type: 4 },
            ...l.virt.entries(),
          ],
          flags: keptFlags(flags),
          offset: 0,
          refs: 0,
        }, flags);
    }
  }
  if ((flags & O_TMPFILE) === O_TMPFILE) return -EOPNOTSUPP;
  const opened = k.host.open(l.path, flags & ~O_PATH, (mode & ~umaskOf(k)) & 0o7777);
  if (typeof opened === "number") return opened;
  return install(k, {
    kind: "file",
    handle: opened.handle,
    path: l.norm,
    directory: opened.directory,
    flags: keptFlags(flags),
    offset: 0,
    dirEntries: null,
    refs: 0,
  }, flags);
}

/** A second descriptor on the same description (what opening /proc/self/fd/N of a pipe gives). */
function installShared(k: Kernel, f: OpenFile, flags: number): number {
  const fd = k.fds.install(f, (flags & O_CLOEXEC) !== 0);
  return fd < 0 ? -EMFILE : fd;
}

export function sysOpenat(k: Kernel, a: bigint[]): number {
  const l = lookupAt(k, int(a[0]), a[1]);
  if (typeof l === "number") return l;
  return openLookup(k, l, int(a[2]), int(a[3]));
}
export const sysOpen = (k: Kernel, a: bigint[]) => sysOpenat(k, [BIG, a[0], a[1], a[2]]);
export const sysCreat = (k: Kernel, a: bigint[]) => sysOpenat(k, [BIG, a[0], 0x241n, a[1]]);

/** stat of (dirfd, path) with AT_* flags: HostStat or -errno. */
function statAt(k: Kernel, dirfd: number, pathAddr: bigint, flags: number): HostStat | number {
  const empty = flags & AT_EMPTY_PATH &&
    (pathAddr === 0n || (readPath(k, pathAddr) === ""));
  if (empty) {
    if (dirfd === AT_FDCWD) return k.host.stat(k.cwdPath, true);
    const f = k.fds.get(dirfd);
    return f ? statOfFile(k, f) : -EBADF;
  }
  const l = lookupAt(k, dirfd, pathAddr);
  if (typeof l === "number") return l;
  const follow = !(flags & AT_SYMLINK_NOFOLLOW);
  if (l.virt) {
    if (!follow || l.virt.kind !== "symlink") return virtualStat(k, l.virt);
    const t = followVirtual(k, l);
    if (typeof t === "number") return t;
    if (!("norm" in t)) return statOfFile(k, t);
    if (t.virt) return virtualStat(k, t.virt);
    return k.host.stat(t.path, true);
  }
  return k.host.stat(l.path, follow);
}

export function sysNewfstatat(k: Kernel, a: bigint[]): number {
  const flags = int(a[3]);
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH)) return -EINVAL;
  return writeStat(k, a[2], statAt(k, int(a[0]), a[1], flags));
}
export const sysStat = (k: Kernel, a: bigint[]) => sysNewfstatat(k, [BIG, a[0], a[1], 0n]);
export const sysLstat = (k: Kernel, a: bigint[]) =>
  sysNewfstatat(k, [BIG, a[0], a[1], BigInt(AT_SYMLINK_NOFOLLOW)]);

const STATX_BASIC_STATS = 0x7ff, STATX_RESERVED = 0x80000000;

/** struct statx (256 bytes) from a stat; btime is not reported (not in the mask). */
export function encodeStatx(s: HostStat): Uint8Array {
  const out = new Uint8Array(256);
  const v = new DataView(out.buffer);
  const u64 = (off: number, x: number) =>
    v.setBigUint64(off, BigInt(Math.max(0, Math.floor(x))), true);
  const ts = (off: number, sec: number, nsec: number) => {
    v.setBigInt64(off, BigInt(Math.floor(sec)), true);
    v.setUint32(off + 8, nsec >>> 0, true);
  };
  v.setUint32(0, STATX_BASIC_STATS, true);
  v.setUint32(4, s.blksize >>> 0, true);
  v.setUint32(16, s.nlink >>> 0, true);
  v.setUint32(20, s.uid >>> 0, true);
  v.setUint32(24, s.gid >>> 0, true);
  v.setUint16(28, s.mode & 0xffff, true);
  u64(32, s.ino);
  u64(40, s.size);
  u64(48, s.blocks);
  ts(64, s.atimeSec, s.atimeNsec);
  ts(96, s.ctimeSec, s.ctimeNsec);
  ts(112, s.mtimeSec, s.mtimeNsec);
  const [rmaj, rmin] = splitDev(s.rdev), [dmaj, dmin] = splitDev(s.dev);
  v.setUint32(128, rmaj, true);
  v.setUint32(132, rmin, true);
  v.setUint32(136, dmaj, true);
  v.setUint32(140, dmin, true);
  return out;
}

/** Linux's dev_t encoding → (major, minor). */
function splitDev(dev: number): [number, number] {
  const d = BigInt(Math.max(0, Math.floor(dev)));
  const major = Number(((d >> 8n) & 0xfffn) | ((d >> 32n) & ~0xfffn));
  const minor = Number((d & 0xffn) | ((d >> 12n) & ~0xffn));
  return [major >>> 0, minor >>> 0];
}

export function sysStatx(k: Kernel, a: bigint[]): number {
  const flags = int(a[2]), mask = Number(a[3] & 0xffffffffn);
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE)) {
    return -EINVAL;
  }
  if ((flags & AT_STATX_SYNC_TYPE) === AT_STATX_SYNC_TYPE || mask & STATX_RESERVED) return -EINVAL;
  const s = statAt(k, int(a[0]), a[1], flags);
  if (typeof s === "number") return s;
  k.writeGuest(a[4], encodeStatx(s));
  return 0;
}

export function sysReadlinkat(k: Kernel, a: bigint[]): number {
  const size = int(a[3]);
  if (size <= 0) return -EINVAL;
  const l = lookupAt(k, int(a[0]), a[1]);
  if (typeof l === "number") return l;
  let target: string | number;
  if (l.norm === "/proc/self") target = String(k.pid);
  else if (l.virt) target = l.virt.kind === "symlink" ? l.virt.target : -EINVAL;
  else target = k.host.readlink(l.path);
  if (typeof target === "number") return target;
  const bytes = new TextEncoder().encode(target).subarray(0, size);
  k.writeGuest(a[2], bytes);
  return bytes.length;
}
export const sysReadlink = (k: Kernel, a: bigint[]) => sysReadlinkat(k, [BIG, a[0], a[1], a[2]]);

export function sysFaccessat2(k: Kernel, a: bigint[]): number {
  const mode = int(a[2]), flags = int(a[3]);
  if (mode & ~7) return -EINVAL;
  if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
  const s = statAt(k, int(a[0]), a[1], flags);
  if (typeof s === "number") return s;
  if (mode === 0) return 0;
  // The permission test of access(2), with the guest's ids (root: rw always, x if any x bit).
  if (k.uid === 0) {
    return mode & 1 && (s.mode & S_IFMT) !== S_IFDIR && !(s.mode & 0o111) ? -EACCES : 0;
  }
  const shift = s.uid === k.uid ? 6 : s.gid === k.gid ? 3 : 0;
  return ((s.mode >> shift) & mode) === mode ? 0 : -EACCES;
}
export const sysFaccessat = (k: Kernel, a: bigint[]) => sysFaccessat2(k, [a[0], a[1], a[2], 0n]);
export const sysAccess = (k: Kernel, a: bigint[]) => sysFaccessat2(k, [BIG, a[0], a[1], 0n]);

/** The last component of a path string ("" for "/"). */
function lastComponent(path: string): string {
  const parts = path.split("/").filter((p) => p !== "");
  return parts[parts.length - 1] ?? "";
}

export function sysUnlinkat(k: Kernel, a: bigint[]): number {
  const flags = int(a[2]);
  if (flags & ~AT_REMOVEDIR) return -EINVAL;
  const raw = readPath(k, a[1]);
  if (typeof raw === "number") return raw;
  const l = lookupAt(k, int(a[0]), a[1]);
  if (typeof l === "number") return l;
  if (flags & AT_REMOVEDIR) {
    const last = lastComponent(raw);
    if (last === ".") return -EINVAL;
    if (last === "..") return -ENOTEMPTY;
    if (l.norm === "/") return -EBUSY;
  }
  if (l.virt) return -EPERM;
  return flags & AT_REMOVEDIR ? k.host.rmdir(l.path) : k.host.unlink(l.path);
}
export const sysUnlink = (k: Kernel, a: bigint[]) => sysUnlinkat(k, [BIG, a[0], 0n]);
export const sysRmdir = (k: Kernel, a: bigint[]) =>
  sysUnlinkat(k, [BIG, a[0], BigInt(AT_REMOVEDIR)]);

const EBUSY = 16;

export function sysMkdirat(k: Kernel, a: bigint[]): number {
  const l = lookupAt(k, int(a[0]), a[1]);
  if (typeof l === "number") return l;
  if (l.virt || l.norm === "/") return -EEXIST;
  return k.host.mkdir(l.path, int(a[2]) & 0o1777 & ~umaskOf(k));
}
export const sysMkdir = (k: Kernel, a: bigint[]) => sysMkdirat(k, [BIG, a[0], a[1]]);

const RENAME_NOREPLACE = 1, RENAME_EXCHANGE = 2, RENAME_WHITEOUT = 4;

export function sysRenameat2(k: Kernel, a: bigint[]): number {
  const flags = Number(a[4] & 0xffffffffn);
  if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) return -EINVAL;
  if (flags & RENAME_EXCHANGE && flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)) return -EINVAL;
  if (flags & RENAME_WHITEOUT) return -EINVAL; // needs an overlay-capable file system
  const from = lookupAt(k, int(a[0]), a[1]);
  if (typeof from === "number") return from;
  const to = lookupAt(k, int(a[2]), a[3]);
  if (typeof to === "number") return to;
  if (from.virt || to.virt) return -EXDEV;
  if (flags & RENAME_EXCHANGE) {
    const s1 = k.host.stat(from.path, false), s2 = k.host.stat(to.path, false);
    if (typeof s1 === "number") return s1;
    if (typeof s2 === "number") return s2;
    // Three renames through a name in the destination's directory (single process: atomic).
    const tmp = to.norm + ".sudtrace-exchange";
    let r = k.host.rename(from.path, tmp);
    if (r < 0) return r;
    r = k.host.rename(to.path, from.path);
    if (r < 0) return k.host.rename(tmp, from.path), r;
    return k.host.rename(tmp, to.path);
  }
  if (flags & RENAME_NOREPLACE) {
    const src = k.host.stat(from.path, false);
    if (typeof src === "number") return src;
    if (typeof k.host.stat(to.path, false) !== "number") return -EEXIST;
  }
  return k.host.rename(from.path, to.path);
}
const EXDEV = 18;
export const sysRenameat = (k: Kernel, a: bigint[]) =>
  sysRenameat2(k, [a[0], a[1], a[2], a[3], 0n]);
export const sysRename = (k: Kernel, a: bigint[]) => sysRenameat2(k, [BIG, a[0], BIG, a[1], 0n]);

export function sysSymlinkat(k: Kernel, a: bigint[]): number {
  const target = readPath(k, a[0]);
  if (typeof target === "number") return target;
  if (target === "") return -ENOENT;
  const l = lookupAt(k, int(a[1]), a[2]);
  if (typeof l === "number") return l;
  if (l.virt) return -EEXIST;
  return k.host.symlink(target, l.path);
}
export const sysSymlink = (k: Kernel, a: bigint[]) => sysSymlinkat(k, [a[0], BIG, a[1]]);

const AT_SYMLINK_FOLLOW = 0x400;

/** linkat(olddirfd, oldpath, newdirfd, newpath, flags): a hard link. */
export function sysLinkat(k: Kernel, a: bigint[]): number {
  const flags = int(a[4]);
  if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) return -EINVAL;
  const from = lookupAt(k, int(a[0]), a[1]);
  if (typeof from === "number") return from;
  const to = lookupAt(k, int(a[2]), a[3]);
  if (typeof to === "number") return to;
  if (from.virt || to.virt) return -EXDEV;
  let src = from.path;
  if (flags & AT_SYMLINK_FOLLOW) {
    const real = k.host.realpath(from.path);
    if (typeof real === "number") return real;
    src = real;
  }
  const s = k.host.stat(src, false);
  if (typeof s === "number") return s;
  if ((s.mode & S_IFMT) === S_IFDIR) return -EPERM;
  return k.host.link(src, to.path);
}
export const sysLink = (k: Kernel, a: bigint[]) => sysLinkat(k, [BIG, a[0], BIG, a[1], 0n]);

/** fchownat(dirfd, path, uid, gid, flags) and the chown family. */
export function sysFchownat(k: Kernel, a: bigint[]): number {
  const flags = int(a[4]);
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
  const uid = int(a[2]), gid = int(a[3]);
  if (flags & AT_EMPTY_PATH && readPath(k, a[1]) === "") {
    return sysFchown(k, [a[0], a[2], a[3]]);
  }
  const l = lookupAt(k, int(a[0]), a[1]);
  if (typeof l === "number") return l;
  if (l.virt) return -EPERM;
  return k.host.chown(l.path, uid, gid, !(flags & AT_SYMLINK_NOFOLLOW));
}
export const sysChown = (k: Kernel, a: bigint[]) => sysFchownat(k, [BIG, a[0], a[1], a[2], 0n]);
export const sysLchown = (k: Kernel, a: bigint[]) =>
  sysFchownat(k, [BIG, a[0], a[1], a[2], BigInt(AT_SYMLINK_NOFOLLOW)]);
export function sysFchown(k: Kernel, a: bigint[]): number {
  const f = k.fds.get(int(a[0]));
  if (!f) return -EBADF;
  if (f.kind !== "file") return -EPERM;
  return k.host.chown(f.path, int(a[1]), int(a[2]), true);
}

export function sysFchmodat(k: Kernel, a: bigint[]): number {
  const l = lookupAt(k, int(a[0]), a[1]);
  if (typeof l === "number") return l;
  if (l.virt) return -EPERM;
  return k.host.chmod(l.path, int(a[2]) & 0o7777);
}
export const sysChmod = (k: Kernel, a: bigint[]) => sysFchmodat(k, [BIG, a[0], a[1]]);
export function sysFchmod(k: Kernel, a: bigint[]): number {
  const f = k.fds.get(int(a[0]));
  if (!f) return -EBADF;
  if (f.kind !== "file") return -EPERM;
  return k.host.chmod(f.path, int(a[1]) & 0o7777);
}

export function sysTruncate(k: Kernel, a: bigint[]): number {
  if (BigInt.asIntN(64, a[1]) < 0n) return -EINVAL;
  const l = lookupAt(k, AT_FDCWD, a[0]);
  if (typeof l === "number") return l;
  if (l.virt) return l.virt.kind === "dir" ? -EISDIR : -EACCES;
  const s = k.host.stat(l.path, true);
  if (typeof s === "number") return s;
  if ((s.mode & S_IFMT) === S_IFDIR) return -EISDIR;
  if ((s.mode & S_IFMT) !== S_IFREG) return -EINVAL;
  const h = k.host.open(l.path, 1, 0);
  if (typeof h === "number") return h;
  const r = k.host.ftruncate(h.handle, num(a[1]));
  k.host.close(h.handle);
  return r;
}

export function sysGetcwd(k: Kernel, a: bigint[]): number {
  const bytes = new TextEncoder().encode(k.cwdPath + "\0");
  if (num(a[1]) < bytes.length) return -ERANGE;
  k.writeGuest(a[0], bytes);
  return bytes.length;
}

export function sysChdir(k: Kernel, a: bigint[]): number {
  const l = lookupAt(k, AT_FDCWD, a[0]);
  if (typeof l === "number") return l;
  const t = followVirtual(k, l);
  if (typeof t === "number") return t;
  if (!("norm" in t)) return -ENOTDIR;
  if (t.virt) {
    if (t.virt.kind !== "dir") return -ENOTDIR;
    k.cwdPath = t.norm;
    return 0;
  }
  // getcwd shows the path with symlinks resolved, as the kernel's d_path does.
  const real = k.host.realpath(t.path);
  if (typeof real === "number") return real;
  const s = k.host.stat(real, true);
  if (typeof s === "number") return s;
  if ((s.mode & S_IFMT) !== S_IFDIR) return -ENOTDIR;
  k.cwdPath = real;
  return 0;
}

export function sysFchdir(k: Kernel, a: bigint[]): number {
  const f = k.fds.get(int(a[0]));
  if (!f) return -EBADF;
  if (f.kind === "file" && f.directory) k.cwdPath = f.path;
  else if (f.kind === "virtual" && f.dirEntries) k.cwdPath = f.path;
  else return -ENOTDIR;
  return 0;
}

export function sysGetdents64(k: Kernel, a: bigint[]): number {
  const f = k.fds.get(int(a[0]));
  if (!f) return -EBADF;
  let entries: HostDirEntry[];
  if (f.kind === "virtual" && f.dirEntries) entries = f.dirEntries;
  else if (f.kind === "file" && f.directory) {
    if (!f.dirEntries) {
      const list = k.host.readdir(f.path);
      if (typeof list === "number") return list;
      const self = k.host.stat(f.path, true);
      const ino = typeof self === "number" ? 1 : self.ino;
      f.dirEntries = [{ name: ".", ino, type: 4 }, { name: "..", ino: 1, type: 4 }, ...list];
    }
    entries = f.dirEntries;
  } else return -ENOTDIR;
  const cap = num(a[2]);
  const chunks: Uint8Array[] = [];
  let used = 0;
  const enc = new TextEncoder();
  while (f.offset < entries.length) {
    const e = entries[f.offset];
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
  if (chunks.length === 0 && f.offset < entries.length) return -EINVAL;
  const out = new Uint8Array(used);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  if (used > 0) k.writeGuest(a[1], out);
  return used;
}

const UTIME_NOW = (1 << 30) - 1, UTIME_OMIT = (1 << 30) - 2;

/** One timespec of utimensat: a time, "now", null (UTIME_OMIT), or -EINVAL. */
function fileTimeAt(k: Kernel, addr: bigint): FileTime | number {
  const sec = BigInt.asIntN(64, k.read64(addr));
  const nsec = BigInt.asIntN(64, k.read64(addr + 8n));
  if (nsec === BigInt(UTIME_NOW)) return "now";
  if (nsec === BigInt(UTIME_OMIT)) return null;
  if (nsec < 0n || nsec >= 1_000_000_000n) return -EINVAL;
  return [Number(sec), Number(nsec)];
}

/** Sets the times of (dirfd, path) or, with a NULL path, of the file open at dirfd. */
function setTimes(
  k: Kernel,
  dirfd: number,
  pathAddr: bigint,
  atime: FileTime,
  mtime: FileTime,
  flags: number,
): number {
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
  if (atime === null && mtime === null) return 0; // both omitted: nothing to do (no checks)
  let path: string;
  if (pathAddr === 0n || (flags & AT_EMPTY_PATH && readPath(k, pathAddr) === "")) {
    if (dirfd === AT_FDCWD) {
      if (pathAddr === 0n) return -EFAULT;
      path = k.cwdPath;
    } else {
      const f = k.fds.get(dirfd);
      if (!f) return -EBADF;
      if (f.kind !== "file") return -EPERM;
      path = f.path;
    }
  } else {
    const l = lookupAt(k, dirfd, pathAddr);
    if (typeof l === "number") return l;
    if (l.virt) return -EPERM;
    path = l.path;
  }
  return k.host.utimes(path, atime, mtime);
}

/** utimensat(dirfd, path, times[2], flags): touch and friends. */
export function sysUtimensat(k: Kernel, a: bigint[]): number {
  let atime: FileTime = "now", mtime: FileTime = "now";
  if (a[2] !== 0n) {
    const at = fileTimeAt(k, a[2]), mt = fileTimeAt(k, a[2] + 16n);
    if (typeof at === "number") return at;
    if (typeof mt === "number") return mt;
    atime = at;
    mtime = mt;
  }
  return setTimes(k, int(a[0]), a[1], atime, mtime, int(a[3]));
}

/** utimes(path, times[2] as timevals) and futimesat(dirfd, path, times). */
function utimesTimeval(k: Kernel, dirfd: number, path: bigint, times: bigint): number {
  if (path === 0n) return -EFAULT;
  if (times === 0n) return setTimes(k, dirfd, path, "now", "now", 0);
  const tv: [number, number][] = [];
  for (const at of [times, times + 16n]) {
    const sec = BigInt.asIntN(64, k.read64(at)), usec = BigInt.asIntN(64, k.read64(at + 8n));
    if (usec < 0n || usec >= 1_000_000n) return -EINVAL;
    tv.push([Number(sec), Number(usec) * 1000]);
  }
  return setTimes(k, dirfd, path, tv[0], tv[1], 0);
}
export const sysUtimes = (k: Kernel, a: bigint[]) => utimesTimeval(k, AT_FDCWD, a[0], a[1]);
export const sysFutimesat = (k: Kernel, a: bigint[]) => utimesTimeval(k, int(a[0]), a[1], a[2]);

/** sync and syncfs: the host flushes on its own schedule; nothing is lost by returning. */
export const sysSync = (_k: Kernel, _a: bigint[]) => 0;
export function sysSyncfs(k: Kernel, a: bigint[]): number {
  return k.fds.get(int(a[0])) ? 0 : -EBADF;
}
