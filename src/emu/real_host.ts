/**
 * The real machine behind the host door (Deno APIs). Guest paths are confined under `root`: they
 * are resolved component by component with symlinks followed inside the root (`host_paths.ts`),
 * so neither ".." nor a symlink can lead out of it.
 */
import type { FileTime, Host, HostDirEntry, HostOpened, HostStat } from "./host.ts";
import { resolveUnderRoot } from "./host_paths.ts";
import { concatBytes } from "./bytes.ts";

export interface RealHostOptions {
  /** Host directory that the guest sees as "/". Default "/". */
  root?: string;
  /** Guest working directory (absolute guest path). Default: the host cwd when root is "/", else "/". */
  cwd?: string;
  /** Keep stdout/stderr in memory (see `captured`) instead of writing to the real streams. */
  capture?: boolean;
  /** Serve these bytes as standard input instead of the real stdin. */
  stdin?: Uint8Array;
}

const ERRNO_BY_CODE: Record<string, number> = {
  EPERM: 1,
  ENOENT: 2,
  EIO: 5,
  EBADF: 9,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EBUSY: 16,
  EEXIST: 17,
  EXDEV: 18,
  ENOTDIR: 20,
  EISDIR: 21,
  EINVAL: 22,
  EMFILE: 24,
  ENOSPC: 28,
  ESPIPE: 29,
  EROFS: 30,
  EPIPE: 32,
  ENAMETOOLONG: 36,
  ENOTEMPTY: 39,
  ELOOP: 40,
};
const ERRNO_BY_NAME: Record<string, number> = {
  NotFound: 2,
  PermissionDenied: 13,
  AlreadyExists: 17,
  NotADirectory: 20,
  IsADirectory: 21,
  InvalidData: 22,
  FilesystemLoop: 40,
  BrokenPipe: 32,
};
const EBADF = 9, EINVAL = 22, EIO = 5, EEXIST = 17, ENOTDIR = 20, EISDIR = 21, ELOOP = 40;
const EACCES = 13;
const O_CREAT = 0x40, O_EXCL = 0x80, O_TRUNC = 0x200, O_APPEND = 0x400, O_DIRECTORY = 0x10000;
const O_NOFOLLOW = 0x20000;

/** Converts a thrown Deno error into a negative errno. */
function errnoOf(e: unknown): number {
  const err = e as { code?: unknown; name?: unknown };
  if (typeof err?.code === "string" && err.code in ERRNO_BY_CODE) return -ERRNO_BY_CODE[err.code];
  if (typeof err?.name === "string" && err.name in ERRNO_BY_NAME) return -ERRNO_BY_NAME[err.name];
  return -EIO;
}

/** Normalises an absolute guest path: resolves "." and "..", never above "/". */
export function normaliseGuestPath(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return "/" + out.join("/");
}

function toStat(info: Deno.FileInfo): HostStat {
  const split = (d: Date | null) => {
    const ms = d ? d.getTime() : 0;
    const sec = Math.floor(ms / 1000);
    return [sec, (ms - sec * 1000) * 1_000_000];
  };
  const [as, an] = split(info.atime);
  const [ms, mn] = split(info.mtime);
  const [cs, cn] = split(info.ctime ?? info.mtime);
  return {
    dev: info.dev ?? 0,
    ino: info.ino ?? 0,
    mode: info.mode ?? 0,
    nlink: info.nlink ?? 1,
    uid: info.uid ?? 0,
    gid: info.gid ?? 0,
    rdev: info.rdev ?? 0,
    size: info.size,
    blksize: info.blksize ?? 4096,
    blocks: info.blocks ?? 0,
    atimeSec: as,
    atimeNsec: an,
    mtimeSec: ms,
    mtimeNsec: mn,
    ctimeSec: cs,
    ctimeNsec: cn,
  };
}

interface OpenEntry {
  file: Deno.FsFile | null;
  append: boolean;
}

export class RealHost implements Host {
  private readonly root: string;
  private readonly guestCwd: string;
  private readonly capture: boolean;
  private stdinBytes: Uint8Array | null;
  private readonly handles = new Map<number, OpenEntry>();
  private nextHandle = 1;
  private readonly out: Uint8Array[] = [];
  private readonly err: Uint8Array[] = [];
  private readonly monotonicBase: number;

  constructor(options: RealHostOptions = {}) {
    this.root = (options.root ?? "/").replace(/\/+$/, "");
    this.guestCwd = options.cwd ?? (this.root === "" ? Deno.cwd() : "/");
    this.capture = options.capture ?? false;
    this.stdinBytes = options.stdin ?? null;
    this.monotonicBase = readUptimeMs();
  }

  /** Captured standard output and error (with `capture: true`). */
  captured(): { stdout: Uint8Array; stderr: Uint8Array } {
    return { stdout: concatBytes(this.out), stderr: concatBytes(this.err) };
  }

  /** The host path for a guest path, resolved lexically (symlinks are not looked at). */
  hostPath(guestPath: string): string {
    const abs = guestPath.startsWith("/") ? guestPath : this.guestCwd + "/" + guestPath;
    const norm = normaliseGuestPath(abs);
    return this.root === "" ? norm : this.root + (norm === "/" ? "" : norm);
  }

  clockGettime(clockId: number): { sec: number; nsec: number } | number {
    let ms: number;
    switch (clockId) {
      case 0: // REALTIME
      case 5: // REALTIME_COARSE
      case 11: // TAI (close enough)
      case 8: // REALTIME_ALARM
        ms = performance.timeOrigin + performance.now();
        break;
      case 1: // MONOTONIC
      case 4: // MONOTONIC_RAW
      case 6: // MONOTONIC_COARSE
      case 7: // BOOTTIME
      case 9: // BOOTTIME_ALARM
      case 2: // PROCESS_CPUTIME_ID (wall time since start approximates it)
      case 3: // THREAD_CPUTIME_ID
        ms = (clockId === 2 || clockId === 3 ? 0 : this.monotonicBase) + performance.now();
        break;
      default:
        return -EINVAL;
    }
    const sec = Math.floor(ms / 1000);
    return { sec, nsec: Math.min(999_999_999, Math.floor((ms - sec * 1000) * 1e6)) };
  }

  sleep(sec: number, nsec: number): void {
    const ms = sec * 1000 + nsec / 1e6;
    if (!(ms > 0)) return;
    // Atomics.wait may return a little early; the guest's clocks read performance.now(), so wait
    // until that clock has advanced by the whole request.
    const deadline = performance.now() + ms;
    for (let left = ms; left > 0; left = deadline - performance.now()) {
      Atomics.wait(sleepCell, 0, 0, left);
    }
  }

  randomBytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, i + 65536));
    return out;
  }

  writeStd(fd: number, data: Uint8Array): number {
    if (fd !== 1 && fd !== 2) return -EBADF;
    if (this.capture) {
      (fd === 1 ? this.out : this.err).push(data.slice());
      return data.length;
    }
    const stream = fd === 1 ? Deno.stdout : Deno.stderr;
    try {
      let done = 0;
      while (done < data.length) done += stream.writeSync(data.subarray(done));
      return done;
    } catch (e) {
      return errnoOf(e);
    }
  }

  readStdin(max: number): Uint8Array {
    if (this.stdinBytes) {
      const chunk = this.stdinBytes.slice(0, max);
      this.stdinBytes = this.stdinBytes.subarray(chunk.length);
      return chunk;
    }
    if (this.capture) return new Uint8Array(0);
    const buf = new Uint8Array(Math.min(max, 1 << 20));
    try {
      const n = Deno.stdin.readSync(buf);
      return n === null ? new Uint8Array(0) : buf.slice(0, n);
    } catch {
      return new Uint8Array(0);
    }
  }

  isatty(fd: number): boolean {
    if (this.capture) return false;
    if (fd === 0) return this.stdinBytes === null && Deno.stdin.isTerminal();
    if (fd === 1) return Deno.stdout.isTerminal();
    if (fd === 2) return Deno.stderr.isTerminal();
    return false;
  }

  winsize(fd: number): { rows: number; cols: number } | null {
    if (!this.isatty(fd)) return null;
    try {
      const { columns, rows } = Deno.consoleSize();
      return { rows, cols: columns };
    } catch {
      return null;
    }
  }

  statStd(fd: number): HostStat | number {
    if (fd < 0 || fd > 2) return -EBADF;
    if (this.capture || (fd === 0 && this.stdinBytes)) {
      // An in-memory pipe: S_IFIFO | 0600.
      return { ...toStat(Deno.statSync("/")), mode: 0o10600, size: 0, ino: 1 + fd, nlink: 1 };
    }
    try {
      return toStat(Deno.statSync(`/proc/self/fd/${fd}`));
    } catch (e) {
      return errnoOf(e);
    }
  }

  pid(): number {
    return Deno.pid;
  }
  ppid(): number {
    return Deno.ppid;
  }
  cpuCount(): number {
    return Math.max(1, Math.min(navigator.hardwareConcurrency ?? 1, 1024));
  }
  uid(): number {
    return Deno.uid() ?? 0;
  }
  gid(): number {
    return Deno.gid() ?? 0;
  }
  cwd(): string {
    return this.guestCwd;
  }

  /** Resolves a guest path inside the root (see host_paths.ts): host path or -errno. */
  private resolve(guestPath: string, followLast: boolean): string | number {
    const r = resolveUnderRoot(this.root, this.guestCwd, guestPath, followLast);
    return typeof r === "number" ? r : r.host;
  }

  /** The canonical guest path (symlinks resolved inside the root), as getcwd would show it. */
  realpath(path: string): string | number {
    const r = resolveUnderRoot(this.root, this.guestCwd, path, true);
    if (typeof r === "number") return r;
    try {
      Deno.statSync(r.host);
      return r.guest;
    } catch (e) {
      return errnoOf(e);
    }
  }

  open(path: string, flags: number, mode: number): HostOpened | number {
    const exclusive = (flags & (O_CREAT | O_EXCL)) === (O_CREAT | O_EXCL);
    // O_EXCL never follows the last symlink (even a dangling one is "existing").
    const host = this.resolve(path, !(flags & O_NOFOLLOW) && !exclusive);
    if (typeof host === "number") return host;
    const acc = flags & 3;
    let info: Deno.FileInfo | null = null;
    try {
      info = Deno.lstatSync(host);
    } catch {
      info = null;
    }
    if (info?.isSymlink) return exclusive ? -EEXIST : -ELOOP; // only left with O_NOFOLLOW/O_EXCL
    if (info && exclusive) return -EEXIST;
    const directory = info?.isDirectory ?? false;
    if (flags & O_DIRECTORY && info && !directory) return -ENOTDIR;
    if (directory && (acc !== 0 || flags & O_CREAT)) return -EISDIR;
    if (!info && flags & O_DIRECTORY && !(flags & O_CREAT)) return -2;
    try {
      const file = Deno.openSync(host, {
        read: acc === 0 || acc === 2,
        write: acc === 1 || acc === 2,
        append: (flags & O_APPEND) !== 0,
        truncate: (flags & O_TRUNC) !== 0 && acc !== 0,
        create: (flags & O_CREAT) !== 0,
        createNew: exclusive,
        mode: mode & 0o7777,
      });
      // The guest's umask is applied by the kernel; undo the host process's own umask.
      if (!info && flags & O_CREAT) this.tryOp(() => Deno.chmodSync(host, mode & 0o7777));
      const handle = this.nextHandle++;
      this.handles.set(handle, { file, append: (flags & O_APPEND) !== 0 });
      return { handle, directory };
    } catch (e) {
      return errnoOf(e);
    }
  }

  close(handle: number): number {
    const entry = this.handles.get(handle);
    if (!entry) return -EBADF;
    this.handles.delete(handle);
    try {
      entry.file?.close();
    } catch {
      // Closing can only fail for an already-closed resource; the handle is gone either way.
    }
    return 0;
  }

  pread(handle: number, len: number, offset: number): Uint8Array | number {
    const entry = this.handles.get(handle);
    if (!entry?.file) return -EBADF;
    try {
      entry.file.seekSync(offset, Deno.SeekMode.Start);
      const buf = new Uint8Array(len);
      let done = 0;
      while (done < len) {
        const n = entry.file.readSync(buf.subarray(done));
        if (n === null || n === 0) break;
        done += n;
      }
      return buf.slice(0, done);
    } catch (e) {
      return errnoOf(e);
    }
  }

  pwrite(handle: number, data: Uint8Array, offset: number): number {
    const entry = this.handles.get(handle);
    if (!entry?.file) return -EBADF;
    try {
      if (!entry.append) entry.file.seekSync(offset, Deno.SeekMode.Start);
      let done = 0;
      while (done < data.length) done += entry.file.writeSync(data.subarray(done));
      return done;
    } catch (e) {
      return errnoOf(e);
    }
  }

  fstat(handle: number): HostStat | number {
    const entry = this.handles.get(handle);
    if (!entry?.file) return -EBADF;
    try {
      return toStat(entry.file.statSync());
    } catch (e) {
      return errnoOf(e);
    }
  }

  ftruncate(handle: number, len: number): number {
    const entry = this.handles.get(handle);
    if (!entry?.file) return -EBADF;
    try {
      entry.file.truncateSync(len);
      return 0;
    } catch (e) {
      return errnoOf(e);
    }
  }

  stat(path: string, follow: boolean): HostStat | number {
    const host = this.resolve(path, follow);
    if (typeof host === "number") return host;
    try {
      return toStat(Deno.lstatSync(host));
    } catch (e) {
      return errnoOf(e);
    }
  }

  readlink(path: string): string | number {
    const host = this.resolve(path, false);
    if (typeof host === "number") return host;
    try {
      if (!Deno.lstatSync(host).isSymlink) return -EINVAL;
      return Deno.readLinkSync(host);
    } catch (e) {
      return errnoOf(e);
    }
  }

  readdir(path: string): HostDirEntry[] | number {
    const host = this.resolve(path, true);
    if (typeof host === "number") return host;
    try {
      const out: HostDirEntry[] = [];
      for (const e of Deno.readDirSync(host)) {
        let ino = 0;
        try {
          ino = Deno.lstatSync(host + "/" + e.name).ino ?? 0;
        } catch {
          ino = 0;
        }
        out.push({
          name: e.name,
          ino,
          type: e.isDirectory ? 4 : e.isSymlink ? 10 : e.isFile ? 8 : 0,
        });
      }
      return out;
    } catch (e) {
      return errnoOf(e);
    }
  }

  access(path: string, mode: number): number {
    const host = this.resolve(path, true);
    if (typeof host === "number") return host;
    let info: Deno.FileInfo;
    try {
      info = Deno.statSync(host);
    } catch (e) {
      return errnoOf(e);
    }
    return accessAllowed(info, mode & 7, Deno.uid() ?? 0, Deno.gid() ?? 0) ? 0 : -EACCES;
  }

  unlink(path: string): number {
    const host = this.resolve(path, false);
    if (typeof host === "number") return host;
    return this.tryOp(() => {
      if (Deno.lstatSync(host).isDirectory) throw Object.assign(new Error(), { code: "EISDIR" });
      Deno.removeSync(host);
    });
  }
  mkdir(path: string, mode: number): number {
    const host = this.resolve(path, false);
    if (typeof host === "number") return host;
    return this.tryOp(() => {
      Deno.mkdirSync(host, { mode: mode & 0o7777 });
      Deno.chmodSync(host, mode & 0o7777); // the kernel applied the guest's umask already
    });
  }
  rmdir(path: string): number {
    const host = this.resolve(path, false);
    if (typeof host === "number") return host;
    return this.tryOp(() => {
      if (!Deno.lstatSync(host).isDirectory) throw Object.assign(new Error(), { code: "ENOTDIR" });
      Deno.removeSync(host);
    });
  }
  rename(from: string, to: string): number {
    const a = this.resolve(from, false);
    if (typeof a === "number") return a;
    const b = this.resolve(to, false);
    if (typeof b === "number") return b;
    return this.tryOp(() => Deno.renameSync(a, b));
  }
  symlink(target: string, path: string): number {
    const host = this.resolve(path, false);
    if (typeof host === "number") return host;
    // The target is stored verbatim: it is resolved inside the root whenever it is followed.
    return this.tryOp(() => Deno.symlinkSync(target, host));
  }
  chmod(path: string, mode: number): number {
    const host = this.resolve(path, true);
    if (typeof host === "number") return host;
    return this.tryOp(() => Deno.chmodSync(host, mode & 0o7777));
  }

  link(from: string, to: string): number {
    const src = this.resolve(from, false), dst = this.resolve(to, false);
    if (typeof src === "number") return src;
    if (typeof dst === "number") return dst;
    return this.tryOp(() => Deno.linkSync(src, dst));
  }

  chown(path: string, uid: number, gid: number, follow: boolean): number {
    const host = this.resolve(path, follow);
    if (typeof host === "number") return host;
    try {
      const info = Deno.lstatSync(host);
      if (info.isSymlink) {
        // Deno has no lchown: a symlink keeps its owner, which is right when nothing changes.
        const same = (uid === -1 || uid === info.uid) && (gid === -1 || gid === info.gid);
        return same ? 0 : -1; // -EPERM
      }
      Deno.chownSync(host, uid === -1 ? null : uid, gid === -1 ? null : gid);
      return 0;
    } catch (e) {
      return errnoOf(e);
    }
  }

  utimes(path: string, atime: FileTime, mtime: FileTime): number {
    const host = this.resolve(path, true);
    if (typeof host === "number") return host;
    try {
      const info = Deno.statSync(host);
      const now = Date.now() / 1000;
      // Deno takes seconds (fractions kept to about a microsecond).
      const pick = (t: FileTime, current: Date | null) =>
        t === "now" ? now : t === null ? (current?.getTime() ?? 0) / 1000 : t[0] + t[1] / 1e9;
      Deno.utimeSync(host, pick(atime, info.atime), pick(mtime, info.mtime));
      return 0;
    } catch (e) {
      return errnoOf(e);
    }
  }

  private tryOp(op: () => void): number {
    try {
      op();
      return 0;
    } catch (e) {
      return errnoOf(e);
    }
  }
}

/** access(2)'s permission test (root may read and write anything, and execute if any x bit). */
export function accessAllowed(
  info: Deno.FileInfo,
  mode: number,
  uid: number,
  gid: number,
): boolean {
  if (mode === 0) return true;
  const perm = info.mode ?? 0;
  if (uid === 0) return !(mode & 1) || info.isDirectory || (perm & 0o111) !== 0;
  const shift = info.uid === uid ? 6 : info.gid === gid ? 3 : 0;
  const have = (perm >> shift) & 7;
  return (have & mode) === mode;
}

/** System uptime in ms, so CLOCK_MONOTONIC looks like the kernel's (time since boot). */
/** Never notified: Atomics.wait on it is a plain blocking sleep. */
const sleepCell = new Int32Array(new SharedArrayBuffer(4));

function readUptimeMs(): number {
  try {
    const text = Deno.readTextFileSync("/proc/uptime");
    return Math.floor(parseFloat(text.split(" ")[0]) * 1000) - performance.now();
  } catch {
    return 0;
  }
}
