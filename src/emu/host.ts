/**
 * The host door: the ONLY way nondeterminism (clock, randomness, real files, terminal, ids, stdin)
 * enters the emulated kernel. Every argument and result is JSON-able (numbers, strings, booleans,
 * plain objects/arrays) or a Uint8Array, so a wrapper can record a tape of calls and replay it.
 * Failures are returned as negative errno numbers, never thrown.
 */

/** What stat(2) reports, as plain numbers (exact below 2^53, which covers real files). */
/** A time to set on a file: [sec, nsec], the host's current time, or unchanged (null). */
export type FileTime = [number, number] | "now" | null;

export interface HostStat {
  dev: number;
  ino: number;
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  rdev: number;
  size: number;
  blksize: number;
  blocks: number;
  atimeSec: number;
  atimeNsec: number;
  mtimeSec: number;
  mtimeNsec: number;
  ctimeSec: number;
  ctimeNsec: number;
}

/** One directory entry, as getdents64 needs it. */
export interface HostDirEntry {
  name: string;
  ino: number;
  /** DT_* type: 4 directory, 8 regular, 10 symlink, 0 unknown. */
  type: number;
}

/** An opened host file or directory. */
export interface HostOpened {
  handle: number;
  directory: boolean;
}

export interface Host {
  /** clock_gettime for CLOCK_* ids; negative errno for unknown ids. */
  clockGettime(clockId: number): { sec: number; nsec: number } | number;
  /** n bytes of entropy (getrandom, AT_RANDOM). */
  randomBytes(n: number): Uint8Array;
  /**
   * Blocks for at least sec seconds + nsec nanoseconds of real time (nanosleep, poll timeouts).
   * It returns nothing the guest can see, so it is never taped (UNTAPED_HOST_METHODS).
   */
  sleep(sec: number, nsec: number): void;

  /** Writes to the guest's standard output (fd 1) or error (fd 2); returns bytes written. */
  writeStd(fd: number, data: Uint8Array): number;
  /** Reads up to max bytes of standard input; an empty array is end of file. */
  readStdin(max: number): Uint8Array;
  /** True when the given standard stream (0, 1, 2) is a terminal. */
  isatty(fd: number): boolean;
  /** Terminal size of a standard stream, or null when it is not a terminal. */
  winsize(fd: number): { rows: number; cols: number } | null;
  /** fstat of a standard stream (0, 1, 2). */
  statStd(fd: number): HostStat | number;

  pid(): number;
  ppid(): number;
  /** Online CPUs of the machine (what sched_getaffinity reports, as natively). */
  cpuCount(): number;
  uid(): number;
  gid(): number;
  /** The working directory as the guest sees it (an absolute guest path). */
  cwd(): string;

  /** Opens a guest path (Linux open flags and mode). */
  open(path: string, flags: number, mode: number): HostOpened | number;
  close(handle: number): number;
  /** Reads up to len bytes at offset; negative errno on failure. */
  pread(handle: number, len: number, offset: number): Uint8Array | number;
  /** Writes data at offset (or at the end for append handles); returns bytes written. */
  pwrite(handle: number, data: Uint8Array, offset: number): number;
  fstat(handle: number): HostStat | number;
  ftruncate(handle: number, len: number): number;
  /**
   * Paths below are guest paths (absolute, or relative to cwd()); the host resolves them inside
   * its root, following symlinks itself, so that no path leads outside the root.
   */
  /** stat (follow = true) or lstat (follow = false) of a guest path. */
  stat(path: string, follow: boolean): HostStat | number;
  readlink(path: string): string | number;
  /** Entries of a directory, without "." and "..". */
  readdir(path: string): HostDirEntry[] | number;
  /** access(2)-like check: 0 or negative errno. */
  access(path: string, mode: number): number;
  unlink(path: string): number;
  mkdir(path: string, mode: number): number;
  rmdir(path: string): number;
  rename(from: string, to: string): number;
  /** Creates a symlink at path holding target verbatim. */
  symlink(target: string, path: string): number;
  /** chmod of a guest path (symlinks followed). */
  chmod(path: string, mode: number): number;
  /** A hard link at `to` to the file at `from` (neither followed if a symlink). */
  link(from: string, to: string): number;
  /** chown of a guest path; -1 keeps an id; `follow` false acts on a symlink itself. */
  chown(path: string, uid: number, gid: number, follow: boolean): number;
  /**
   * Sets a guest path's access and modification times (symlinks followed): [sec, nsec], "now",
   * or null to keep the current one. Returns 0 or a negative errno.
   */
  utimes(path: string, atime: FileTime, mtime: FileTime): number;
  /** The canonical guest path (symlinks resolved inside the root), or negative errno. */
  realpath(path: string): string | number;
}

/** Every Host method, for generic wrappers (tape recording and replay). */
export const HOST_METHODS: readonly (keyof Host)[] = [
  "clockGettime",
  "randomBytes",
  "sleep",
  "writeStd",
  "readStdin",
  "isatty",
  "winsize",
  "statStd",
  "pid",
  "ppid",
  "cpuCount",
  "uid",
  "gid",
  "cwd",
  "open",
  "close",
  "pread",
  "pwrite",
  "fstat",
  "ftruncate",
  "stat",
  "readlink",
  "readdir",
  "access",
  "unlink",
  "mkdir",
  "rmdir",
  "rename",
  "symlink",
  "chmod",
  "link",
  "chown",
  "utimes",
  "realpath",
];

/**
 * Host methods that return nothing the guest can observe: the tap forwards them without reporting
 * a call and a replay answers them without consuming the tape. `sleep` is one: the guest only
 * learns that time passed through clockGettime (taped), and how a wait is cut into host calls
 * depends on the wall clock of the recording run, so it must not be part of the tape.
 */
export const UNTAPED_HOST_METHODS: ReadonlySet<string> = new Set<keyof Host>(["sleep"]);

export { RealHost, type RealHostOptions } from "./real_host.ts";
