/**
 * Decodes one syscall into the text strace prints for it: `openat(AT_FDCWD, "/etc/passwd",
 * O_RDONLY|O_CLOEXEC) = 3`. Input arguments are read from guest memory before the call executes
 * (`beginDecode`), output arguments (read buffers, stat, old masks) after it (`finish`), as strace
 * does at syscall entry and exit. Strings are escaped like strace and cut at `limit` bytes (`-s 32`).
 *
 * Names follow the Linux numbering (low 32 bits of rax); unknown numbers print as
 * `syscall_0x<rax>(a0, …, a5)` in hex, as strace does. Memory that cannot be read prints as the
 * address. Decoding never throws for guest data.
 */
import { MemFault } from "../mem/memory.ts";
import { syscallName, SYSCALLS } from "./syscall_table.ts";
import type { ArgType } from "./syscall_types.ts";
import {
  ADDRESS_FAMILIES,
  ARCH_PRCTL_CODES,
  AT_FLAGS,
  CLOCK_IDS,
  EFD_FLAGS,
  enumText,
  EPOLL_CTL_OPS,
  EPOLL_EVENTS,
  ERRNOS,
  FCNTL_CMDS,
  flagsText,
  FUTEX_OPS,
  GRND_FLAGS,
  IOCTL_REQUESTS,
  ITIMER_WHICH,
  MADVISE_ADVICE,
  mapFlagsText,
  MSG_FLAGS,
  openFlagsText,
  PRCTL_OPTIONS,
  PROT_FLAGS,
  RLIMIT_RESOURCES,
  S_IFMT,
  SA_FLAGS,
  SEEK_WHENCE,
  SFD_FLAGS,
  SHUTDOWN_HOW,
  signalName,
  SIGPROCMASK_HOW,
  SOCKOPT_LEVELS,
  SOCKOPT_NAMES,
  sockTypeText,
  SUD_MODES,
} from "./syscall_decode_names.ts";

/** strace's default `-s`. */
export const DEFAULT_STRING_LIMIT = 32;

/** The part of guest memory the decoder reads (Memory satisfies it). */
export interface GuestMemoryView {
  readBytes(addr: number, len: number): Uint8Array;
  readInto(addr: number, out: Uint8Array): Uint8Array;
  readCString(addr: number, max?: number): Uint8Array;
}

const M64 = (1n << 64n) - 1n;
const PATH_MAX = 4096;

/** What a formatter sees: memory, the six arguments and (after the call) its result. */
interface Ctx {
  mem: GuestMemoryView;
  a: readonly bigint[];
  ret: bigint;
  rsp: bigint;
  limit: number;
}

type Fmt = (c: Ctx, v: bigint) => string;
/** An output argument: printed after a successful call, as an address otherwise. */
/** An in/out argument: printed at entry, and after a successful call as `before => after`. */
interface InOut {
  inout: Fmt;
}
interface Out {
  out: Fmt;
}
type ArgSpec = Fmt | Out | InOut;
interface Spec {
  /** Formatters per argument, or a function choosing them from the argument values. */
  args: readonly ArgSpec[] | ((a: readonly bigint[]) => readonly ArgSpec[]);
  ret?: "hex" | "oct" | "none";
}

// ---------------------------------------------------------------------------------------------
// Memory reads that turn a fault into null.

function readBytes(c: Ctx, addr: bigint, len: number): Uint8Array | null {
  if (addr === 0n || addr >= 0x800000000000n || len < 0) return null;
  try {
    return c.mem.readBytes(Number(addr), len);
  } catch (e) {
    if (e instanceof MemFault || e instanceof RangeError) return null;
    throw e;
  }
}

function readU64(c: Ctx, addr: bigint, count: number): bigint[] | null {
  if (count === 1) return readInto(c, addr, u64Scratch) ? [u64View.getBigUint64(0, true)] : null;
  const b = readBytes(c, addr, 8 * count);
  if (!b) return null;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return Array.from({ length: count }, (_, i) => v.getBigUint64(8 * i, true));
}

const u64Scratch = new Uint8Array(8);
const u64View = new DataView(u64Scratch.buffer);
function readInto(c: Ctx, addr: bigint, out: Uint8Array): Uint8Array | null {
  if (addr === 0n || addr >= 0x800000000000n) return null;
  try {
    return c.mem.readInto(Number(addr), out);
  } catch (e) {
    if (e instanceof MemFault || e instanceof RangeError) return null;
    throw e;
  }
}

/** Bytes of a NUL-terminated string (at most max + 1 so callers can tell it was longer). */
function readCString(c: Ctx, addr: bigint, max: number): Uint8Array | null {
  if (addr === 0n || addr >= 0x800000000000n) return null;
  try {
    return c.mem.readCString(Number(addr), max);
  } catch (e) {
    if (e instanceof MemFault || e instanceof RangeError) return null;
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Scalars.

const hex = (v: bigint): string => (v === 0n ? "0" : "0x" + (v & M64).toString(16));
const ptr = (v: bigint): string => (v === 0n ? "NULL" : "0x" + (v & M64).toString(16));
const i32 = (v: bigint): string => BigInt.asIntN(32, v).toString();
const u32 = (v: bigint): string => (v & 0xffffffffn).toString();
const u64 = (v: bigint): string => (v & M64).toString();
const i64 = (v: bigint): string => BigInt.asIntN(64, v).toString();
const octal = (v: bigint): string => "0" + (v & 0xffffffffn).toString(8).padStart(2, "0");

const fFd: Fmt = (_c, v) => i32(v);
const fDirfd: Fmt = (_c, v) => (BigInt.asIntN(32, v) === -100n ? "AT_FDCWD" : i32(v));
const fInt: Fmt = (_c, v) => i32(v);
const fUint: Fmt = (_c, v) => u32(v);
const fSize: Fmt = (_c, v) => u64(v);
const fOff: Fmt = (_c, v) => i64(v);
const fHex: Fmt = (_c, v) => hex(v);
const fPtr: Fmt = (_c, v) => ptr(v);
const fMode: Fmt = (_c, v) => octal(v);
const fSigno: Fmt = (_c, v) => {
  const s = Number(BigInt.asIntN(32, v));
  return s >= 1 && s <= 64 ? signalName(s) : String(s);
};
/** Formatters that read nothing but the argument value: a call made only of them can be cached. */
const SCALAR = new WeakSet<Fmt>([fFd, fDirfd, fInt, fUint, fSize, fOff, fHex, fPtr, fMode, fSigno]);
const scalar = (f: Fmt): Fmt => (SCALAR.add(f), f);
const fEnum = (names: Record<string, string>, decimal = false): Fmt =>
  scalar((_c, v) => enumText(v, names, decimal));
const fFlags = (table: Parameters<typeof flagsText>[1], zero = "0"): Fmt =>
  scalar((_c, v) => flagsText(v, table, zero));

// ---------------------------------------------------------------------------------------------
// Strings.

/** Quotes bytes like strace: C escapes, octal for the rest (3 digits before an octal digit). */
export function quoteBytes(bytes: Uint8Array, forceHex = false): string {
  let s = '"';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (forceHex) {
      s += "\\x" + b.toString(16).padStart(2, "0");
      continue;
    }
    switch (b) {
      case 0x22:
        s += '\\"';
        continue;
      case 0x5c:
        s += "\\\\";
        continue;
      case 0x0a:
        s += "\\n";
        continue;
      case 0x09:
        s += "\\t";
        continue;
      case 0x0d:
        s += "\\r";
        continue;
      case 0x0c:
        s += "\\f";
        continue;
      case 0x0b:
        s += "\\v";
        continue;
    }
    if (b >= 0x20 && b < 0x7f) {
      s += String.fromCharCode(b);
      continue;
    }
    const next = bytes[i + 1];
    const nextIsOctal = next !== undefined && next >= 0x30 && next <= 0x37;
    s += "\\" + (nextIsOctal ? b.toString(8).padStart(3, "0") : b.toString(8));
  }
  return s + '"';
}

/** A data buffer of `len` bytes, cut at the limit with `...` as strace marks it. */
function bufferText(c: Ctx, addr: bigint, len: bigint, forceHex = false): string {
  if (addr === 0n) return "NULL";
  const n = len > BigInt(c.limit) ? c.limit : Number(len);
  const b = readBytes(c, addr, n);
  if (!b) return ptr(addr);
  return quoteBytes(b, forceHex) + (len > BigInt(n) ? "..." : "");
}

/** A path: printed in full (strace does not apply -s to paths). */
const fPath: Fmt = (c, v) => {
  const b = readCString(c, v, PATH_MAX);
  return b ? quoteBytes(b) : ptr(v);
};

/** A NUL-terminated string cut at the limit. */
function cstringText(c: Ctx, addr: bigint): string {
  const b = readCString(c, addr, c.limit + 1);
  if (!b) return ptr(addr);
  return b.length > c.limit ? quoteBytes(b.subarray(0, c.limit)) + "..." : quoteBytes(b);
}

/** Input buffer whose length is argument `lenArg`. */
const fBuf = (lenArg: number): Fmt => (c, v) => bufferText(c, v, c.a[lenArg] & M64);
/** Output buffer holding `ret` bytes. */
const fRetBuf = (forceHex = false): Out => ({ out: (c, v) => bufferText(c, v, c.ret, forceHex) });

// ---------------------------------------------------------------------------------------------
// Structures.

/** A sigset as strace prints it: `[USR2 SYS]`, or `~[…]` when most signals are in it. */
export function sigsetText(set: bigint): string {
  // Programs use a handful of masks over and over (every rt_sigreturn prints one).
  let text = sigsetTexts.get(set);
  if (text === undefined) {
    text = formatSigset(set);
    if (sigsetTexts.size < 256) sigsetTexts.set(set, text);
  }
  return text;
}
const sigsetTexts = new Map<bigint, string>();

function formatSigset(set: bigint): string {
  // As two 32-bit halves: no BigInt loop.
  let lo = Number(set & 0xffffffffn), hi = Number((set >> 32n) & 0xffffffffn);
  if (lo === 0 && hi === 0) return "[]";
  let prefix = "";
  if ((popcount32(lo) + popcount32(hi)) * 2 > 64) {
    prefix = "~";
    lo = ~lo >>> 0;
    hi = ~hi >>> 0;
  }
  const names: string[] = [];
  for (let s = 1; s <= 64; s++) {
    const word = s <= 32 ? lo : hi;
    if ((word >>> ((s - 1) & 31)) & 1) names.push(shortSignalName(s));
  }
  return `${prefix}[${names.join(" ")}]`;
}

function popcount32(v: number): number {
  let n = 0;
  for (let w = v >>> 0; w !== 0; w &= w - 1) n++;
  return n;
}

const shortNames: string[] = [];
function shortSignalName(s: number): string {
  return shortNames[s] ??= signalName(s).replace(/^SIG/, "");
}

const fSigset: Fmt = (c, v) => {
  if (v === 0n) return "NULL";
  const w = readU64(c, v, 1);
  return w ? sigsetText(w[0]) : ptr(v);
};

const fSigaction: Fmt = (c, v) => {
  if (v === 0n) return "NULL";
  const w = readU64(c, v, 4);
  if (!w) return ptr(v);
  const [handler, flags, restorer, mask] = w;
  const h = handler === 0n ? "SIG_DFL" : handler === 1n ? "SIG_IGN" : ptr(handler);
  let s = `{sa_handler=${h}, sa_mask=${sigsetText(mask)}, sa_flags=${flagsText(flags, SA_FLAGS)}`;
  if (flags & 0x04000000n) s += `, sa_restorer=${ptr(restorer)}`;
  return s + "}";
};

const fTimespec: Fmt = (c, v) => {
  if (v === 0n) return "NULL";
  const w = readU64(c, v, 2);
  return w ? `{tv_sec=${i64(w[0])}, tv_nsec=${i64(w[1])}}` : ptr(v);
};

const fTimeval: Fmt = (c, v) => {
  if (v === 0n) return "NULL";
  const w = readU64(c, v, 2);
  return w ? `{tv_sec=${i64(w[0])}, tv_usec=${i64(w[1])}}` : ptr(v);
};

/** struct itimerval: interval, then value (two timevals), as strace prints it. */
const fItimerval: Fmt = (c, v) => {
  if (v === 0n) return "NULL";
  const w = readU64(c, v, 4);
  return w
    ? `{it_interval={tv_sec=${i64(w[0])}, tv_usec=${i64(w[1])}}, ` +
      `it_value={tv_sec=${i64(w[2])}, tv_usec=${i64(w[3])}}}`
    : ptr(v);
};

/** struct stat, abbreviated like strace without -v. */
const fStat: Fmt = (c, v) => {
  const b = readBytes(c, v, 144);
  if (!b) return ptr(v);
  const d = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const mode = d.getUint32(24, true);
  const type = S_IFMT[mode & 0o170000] ?? "0" + (mode & 0o170000).toString(8);
  const perm = "0" + (mode & 0o7777).toString(8).padStart(3, "0");
  const m = `st_mode=${type}|${perm}`;
  if (type === "S_IFCHR" || type === "S_IFBLK") {
    const rdev = d.getBigUint64(40, true);
    const major = ((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn);
    const minor = (rdev & 0xffn) | ((rdev >> 12n) & ~0xffn);
    return `{${m}, st_rdev=makedev(${hex(major)}, ${hex(minor)}), ...}`;
  }
  return `{${m}, st_size=${d.getBigInt64(48, true)}, ...}`;
};

function rlimValue(v: bigint): string {
  if (v === M64) return "RLIM64_INFINITY";
  if (v > 0n && v % 1024n === 0n) return `${v / 1024n}*1024`;
  return v.toString();
}

const fRlimit: Fmt = (c, v) => {
  if (v === 0n) return "NULL";
  const w = readU64(c, v, 2);
  return w ? `{rlim_cur=${rlimValue(w[0])}, rlim_max=${rlimValue(w[1])}}` : ptr(v);
};

const fWinsize: Fmt = (c, v) => {
  const b = readBytes(c, v, 8);
  if (!b) return ptr(v);
  const d = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const [r, col, x, y] = [0, 2, 4, 6].map((o) => d.getUint16(o, true));
  return `{ws_row=${r}, ws_col=${col}, ws_xpixel=${x}, ws_ypixel=${y}}`;
};

const fUtsname: Fmt = (c, v) => {
  const b = readBytes(c, v, 65 * 6);
  if (!b) return ptr(v);
  const field = (i: number) => {
    const f = b.subarray(65 * i, 65 * i + 65);
    const end = f.indexOf(0);
    return quoteBytes(f.subarray(0, end < 0 ? 65 : end));
  };
  return `{sysname=${field(0)}, nodename=${field(1)}, ...}`;
};

const fPipeFds: Fmt = (c, v) => {
  const b = readBytes(c, v, 8);
  if (!b) return ptr(v);
  const d = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return `[${d.getInt32(0, true)}, ${d.getInt32(4, true)}]`;
};

const fStackT: Fmt = (c, v) => {
  if (v === 0n) return "NULL";
  const w = readU64(c, v, 3);
  if (!w) return ptr(v);
  const flags = Number(w[1] & 0xffffffffn);
  const names = flagsText(
    BigInt(flags),
    [[1n, "SS_ONSTACK"], [2n, "SS_DISABLE"], [0x80000000n, "SS_AUTODISARM"]],
  );
  return `{ss_sp=${ptr(w[0])}, ss_flags=${names}, ss_size=${w[2]}}`;
};

/** iovec array; `total` bounds the bytes shown (the result of readv/writev), null = iov_len. */
function iovecText(c: Ctx, addr: bigint, count: bigint, total: bigint | null): string {
  const n = Number(count > 1024n ? 1024n : count);
  const w = readU64(c, addr, 2 * n);
  if (!w) return ptr(addr);
  let left = total;
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const base = w[2 * i], len = w[2 * i + 1];
    let shown = len;
    if (left !== null) {
      shown = left < len ? left : len;
      left -= shown;
    }
    const data = bufferText(c, base, shown);
    parts.push(`{iov_base=${data}, iov_len=${len}}`);
  }
  return `[${parts.join(", ")}]`;
}

const fIovIn = (countArg: number): Fmt => (c, v) => iovecText(c, v, c.a[countArg], null);
const fIovOut = (countArg: number): Out => ({
  out: (c, v) => iovecText(c, v, c.a[countArg], c.ret),
});

// ---------------------------------------------------------------------------------------------
// The table of decoders, by syscall name.

const out = (f: Fmt): Out => ({ out: f });
const inout = (f: Fmt): InOut => ({ inout: f });

/** A loff_t* / off_t*: `[value]` like strace, NULL, or the address when unreadable. */
const fOffPtr: Fmt = (c, v) => {
  if (v === 0n) return "NULL";
  const w = readU64(c, v, 1);
  return w ? `[${u64(w[0])}]` : ptr(v);
};

const SPECS: Record<string, Spec> = {
  read: { args: [fFd, fRetBuf(), fSize] },
  write: { args: [fFd, fBuf(2), fSize] },
  pread64: { args: [fFd, fRetBuf(), fSize, fOff] },
  pwrite64: { args: [fFd, fBuf(2), fSize, fOff] },
  readv: { args: [fFd, fIovOut(2), fInt] },
  writev: { args: [fFd, fIovIn(2), fInt] },
  open: {
    args: (a) => (a[1] & 0o20100100n ? [fPath, openFlags, fMode] : [fPath, openFlags]),
  },
  openat: {
    args: (a) =>
      a[2] & 0o20100100n ? [fDirfd, fPath, openFlags, fMode] : [fDirfd, fPath, openFlags],
  },
  creat: { args: [fPath, fMode] },
  close: { args: [fFd] },
  stat: { args: [fPath, out(fStat)] },
  lstat: { args: [fPath, out(fStat)] },
  fstat: { args: [fFd, out(fStat)] },
  newfstatat: { args: [fDirfd, fPath, out(fStat), fFlags(AT_FLAGS)] },
  lseek: { args: [fFd, fOff, fEnum(SEEK_WHENCE, true)] },
  mmap: {
    args: [fPtr, fSize, fFlags(PROT_FLAGS, "PROT_NONE"), (_c, v) => mapFlagsText(v), fFd, fHex],
    ret: "hex",
  },
  mprotect: { args: [fPtr, fSize, fFlags(PROT_FLAGS, "PROT_NONE")] },
  munmap: { args: [fPtr, fSize] },
  mremap: { args: [fPtr, fSize, fSize, fHex, fPtr], ret: "hex" },
  madvise: { args: [fPtr, fSize, fEnum(MADVISE_ADVICE, true)] },
  brk: { args: [fPtr], ret: "hex" },
  rt_sigaction: { args: [fSigno, fSigaction, out(fSigaction), fSize] },
  rt_sigprocmask: { args: [fEnum(SIGPROCMASK_HOW, true), fSigset, out(fSigset), fSize] },
  rt_sigpending: { args: [out(fSigset), fSize] },
  rt_sigreturn: {
    args: [(c) => {
      // The frame's uc_sigmask: frame = rsp - 8 (the restorer popped pretcode), mask at +304.
      const w = readU64(c, c.rsp + 296n, 1);
      return w ? `{mask=${sigsetText(w[0])}}` : "{mask=?}";
    }],
  },
  sigaltstack: { args: [fStackT, out(fStackT)] },
  ioctl: {
    args: (a) => {
      const req = Number(a[1] & 0xffffffffn);
      const argFmt: ArgSpec = req === 0x5413 ? out(fWinsize) : fPtr;
      return [fFd, fEnum(IOCTL_REQUESTS), argFmt];
    },
  },
  access: { args: [fPath, fAccessMode] },
  faccessat: { args: [fDirfd, fPath, fAccessMode] },
  faccessat2: { args: [fDirfd, fPath, fAccessMode, fFlags(AT_FLAGS)] },
  pipe: { args: [out(fPipeFds)] },
  pipe2: { args: [out(fPipeFds), (_c, v) => (v === 0n ? "0" : openFlagsText(v).slice(9))] },
  dup: { args: [fFd] },
  dup2: { args: [fFd, fFd] },
  dup3: { args: [fFd, fFd, (_c, v) => (v === 0n ? "0" : openFlagsText(v).slice(9))] },
  nanosleep: { args: [fTimespec, out(fTimespec)] },
  clock_nanosleep: { args: [fEnum(CLOCK_IDS, true), fHex, fTimespec, out(fTimespec)] },
  clock_gettime: { args: [fEnum(CLOCK_IDS, true), out(fTimespec)] },
  alarm: { args: [fUint] },
  sendfile: { args: [fFd, fFd, inout(fOffPtr), fSize] },
  copy_file_range: { args: [fFd, fOffPtr, fFd, fOffPtr, fSize, fUint] },
  setitimer: { args: [fEnum(ITIMER_WHICH, true), fItimerval, out(fItimerval)] },
  getitimer: { args: [fEnum(ITIMER_WHICH, true), out(fItimerval)] },
  clock_getres: { args: [fEnum(CLOCK_IDS, true), out(fTimespec)] },
  gettimeofday: { args: [out(fTimeval), fPtr] },
  time: { args: [fPtr] },
  exit: { args: [fInt], ret: "none" },
  exit_group: { args: [fInt], ret: "none" },
  kill: { args: [fInt, fSigno] },
  tkill: { args: [fInt, fSigno] },
  tgkill: { args: [fInt, fInt, fSigno] },
  uname: { args: [out(fUtsname)] },
  fcntl: {
    args: (a) => {
      const cmd = Number(a[1] & 0xffffffffn);
      const name = fEnum(FCNTL_CMDS, true);
      if (cmd === 1 || cmd === 3) return [fFd, name];
      if (cmd === 2) return [fFd, name, (_c, v) => (v === 1n ? "FD_CLOEXEC" : hex(v))];
      if (cmd === 4) return [fFd, name, (_c, v) => openFlagsText(v)];
      return [fFd, name, cmd === 0 || cmd === 1030 ? fInt : fHex];
    },
  },
  fsync: { args: [fFd] },
  fdatasync: { args: [fFd] },
  ftruncate: { args: [fFd, fOff] },
  getcwd: { args: [out((c, v) => bufferText(c, v, c.ret > 0n ? c.ret - 1n : 0n)), fSize] },
  chdir: { args: [fPath] },
  rename: { args: [fPath, fPath] },
  mkdir: { args: [fPath, fMode] },
  rmdir: { args: [fPath] },
  unlink: { args: [fPath] },
  readlink: { args: [fPath, fRetBuf(), fSize] },
  readlinkat: { args: [fDirfd, fPath, fRetBuf(), fSize] },
  mkdirat: { args: [fDirfd, fPath, fMode] },
  unlinkat: { args: [fDirfd, fPath, fFlags(AT_FLAGS)] },
  umask: { args: [fMode], ret: "oct" },
  getrlimit: { args: [fEnum(RLIMIT_RESOURCES, true), out(fRlimit)] },
  setrlimit: { args: [fEnum(RLIMIT_RESOURCES, true), fRlimit] },
  prlimit64: { args: [fInt, fEnum(RLIMIT_RESOURCES, true), fRlimit, out(fRlimit)] },
  prctl: {
    args: (a) => {
      const opt = fEnum(PRCTL_OPTIONS, true);
      if (a[0] === 59n) return [opt, fEnum(SUD_MODES, true), fHex, fHex, fPtr];
      if (a[0] === 15n) return [opt, (c, v) => cstringText(c, v)];
      return [opt, fHex, fHex, fHex, fHex];
    },
  },
  arch_prctl: { args: [fEnum(ARCH_PRCTL_CODES), fPtr] },
  set_tid_address: { args: [fPtr] },
  set_robust_list: { args: [fPtr, fSize] },
  futex: {
    args: (a) => {
      const op = Number(a[1] & 0xffffffffn);
      const base = FUTEX_OPS[String(op & 0x7f) as keyof typeof FUTEX_OPS];
      const opText = base
        ? base + (op & 128 ? "_PRIVATE" : "") + (op & 256 ? "|FUTEX_CLOCK_REALTIME" : "")
        : hex(BigInt(op));
      const opFmt: Fmt = () => opText;
      if ((op & 0x7f) === 1) return [fPtr, opFmt, fInt];
      return [fPtr, opFmt, fInt, fTimespec];
    },
  },
  getrandom: { args: [fRetBuf(true), fSize, fFlags(GRND_FLAGS)] },
  getdents64: { args: [fFd, fPtr, fSize] },
  poll: { args: [fPtr, fUint, fInt] },
  sched_getaffinity: { args: [fInt, fSize, fPtr] },
  rseq: { args: [fPtr, fHex, fInt, fHex] },
};

// Sockets, eventfd, signalfd, epoll.

/** struct epoll_event (packed, 12 bytes) as strace prints it. */
function epollEventText(b: Uint8Array, at: number): string {
  const d = new DataView(b.buffer, b.byteOffset + at, 12);
  const ev = flagsText(BigInt(d.getUint32(0, true)), EPOLL_EVENTS);
  const data = d.getBigUint64(4, true);
  return `{events=${ev}, data={u32=${data & 0xffffffffn}, u64=${data}}}`;
}

const fEpollEvent: Fmt = (c, v) => {
  if (v === 0n) return "NULL";
  const b = readBytes(c, v, 12);
  return b ? epollEventText(b, 0) : ptr(v);
};

/** epoll_wait's output: the events it returned. */
const fEpollEvents: Out = {
  out: (c, v) => {
    const n = Number(c.ret > 64n ? 64n : c.ret);
    const b = readBytes(c, v, 12 * n);
    if (!b) return ptr(v);
    return `[${Array.from({ length: n }, (_, i) => epollEventText(b, 12 * i)).join(", ")}]`;
  },
};

/** An int behind a pointer: `[value]` (getsockopt's value and length). */
const fIntPtr: Fmt = (c, v) => {
  const b = readBytes(c, v, 4);
  return b ? `[${new DataView(b.buffer, b.byteOffset, 4).getInt32(0, true)}]` : ptr(v);
};

/** struct msghdr: the iovecs (bounded by `total` after a receive) and the flags. */
function msghdrText(c: Ctx, v: bigint, total: bigint | null): string {
  const w = readU64(c, v, 7);
  if (!w) return ptr(v);
  const iov = iovecText(c, w[2], w[3], total);
  const flags = flagsText(w[6] & 0xffffffffn, MSG_FLAGS);
  return `{msg_name=${ptr(w[0])}, msg_namelen=${u32(w[1])}, msg_iov=${iov}, ` +
    `msg_iovlen=${u64(w[3])}, msg_controllen=${u64(w[5])}, msg_flags=${flags}}`;
}

const SOCKET_SPECS: Record<string, Spec> = {
  socket: { args: [fEnum(ADDRESS_FAMILIES, true), scalar((_c, v) => sockTypeText(v)), fInt] },
  socketpair: {
    args: [fEnum(ADDRESS_FAMILIES, true), (_c, v) => sockTypeText(v), fInt, out(fPipeFds)],
  },
  shutdown: { args: [fFd, fEnum(SHUTDOWN_HOW, true)] },
  sendto: { args: [fFd, fBuf(2), fSize, fFlags(MSG_FLAGS), fPtr, fInt] },
  recvfrom: { args: [fFd, fRetBuf(), fSize, fFlags(MSG_FLAGS), fPtr, fPtr] },
  sendmsg: { args: [fFd, (c, v) => msghdrText(c, v, null), fFlags(MSG_FLAGS)] },
  recvmsg: { args: [fFd, out((c, v) => msghdrText(c, v, c.ret)), fFlags(MSG_FLAGS)] },
  getsockopt: {
    args: [
      fFd,
      fEnum(SOCKOPT_LEVELS, true),
      fEnum(SOCKOPT_NAMES, true),
      out(fIntPtr),
      inout(fIntPtr),
    ],
  },
  setsockopt: {
    args: [fFd, fEnum(SOCKOPT_LEVELS, true), fEnum(SOCKOPT_NAMES, true), fIntPtr, fInt],
  },
  eventfd2: { args: [fUint, fFlags(EFD_FLAGS)] },
  eventfd: { args: [fUint] },
  signalfd4: { args: [fFd, fSigset, fSize, fFlags(SFD_FLAGS)] },
  signalfd: { args: [fFd, fSigset, fSize] },
  epoll_create1: { args: [fFlags([[0x80000n, "EPOLL_CLOEXEC"]])] },
  epoll_create: { args: [fInt] },
  epoll_ctl: { args: [fFd, fEnum(EPOLL_CTL_OPS, true), fFd, fEpollEvent] },
  epoll_wait: { args: [fFd, fEpollEvents, fInt, fInt] },
  epoll_pwait: { args: [fFd, fEpollEvents, fInt, fInt, fSigset, fSize] },
  epoll_pwait2: { args: [fFd, fEpollEvents, fInt, fTimespec, fSigset, fSize] },
};
Object.assign(SPECS, SOCKET_SPECS);

function openFlags(_c: Ctx, v: bigint): string {
  return openFlagsText(v & 0xffffffffn);
}

function fAccessMode(_c: Ctx, v: bigint): string {
  return v === 0n ? "F_OK" : flagsText(v, [[4n, "R_OK"], [2n, "W_OK"], [1n, "X_OK"]]);
}

/** Decoding from the coarse table signature for calls without a dedicated spec. */
function genericFormat(t: ArgType): Fmt {
  switch (t) {
    case "int":
      return fInt;
    case "uint":
      return fUint;
    case "fd":
      return fFd;
    case "ptr":
      return fPtr;
    case "path":
      return fPath;
    case "size":
      return fSize;
    case "signo":
      return fSigno;
    case "mode":
      return fMode;
    default:
      return fHex;
  }
}

// ---------------------------------------------------------------------------------------------
// Results.

/** `= -1 ENOENT (No such file or directory)`, `= 0x7f…` (hex calls), `= 3`. */
export function resultText(ret: bigint, style: "dec" | "hex" | "oct" = "dec"): string {
  const s = BigInt.asIntN(64, ret);
  if (s >= -4095n && s <= -1n) {
    const e = ERRNOS[Number(-s)];
    if (Number(-s) >= 512 && Number(-s) <= 516 && e) return `? ${e[0]} (${e[1]})`;
    return e ? `-1 ${e[0]} (${e[1]})` : `-1 errno ${-s}`;
  }
  if (style === "oct") return octal(ret);
  return style === "hex" ? hex(ret) : s.toString();
}

/** Formatters of a syscall without a table entry: six raw hex values. */
const UNKNOWN_SPECS: readonly ArgSpec[] = [fHex, fHex, fHex, fHex, fHex, fHex];

/**
 * The last line of each syscall number made only of scalar formatters, with the values it was
 * made from: a loop repeating the same call (a SUD handler's round trips, a polling loop) reuses
 * the text instead of formatting six numbers again.
 */
interface CachedLine {
  args: readonly bigint[];
  ret: bigint | null;
  executed: boolean;
  line: string;
}
const lastLines = new Map<bigint, CachedLine>();
/** The same for calls with memory-reading formatters, keyed on the texts formatted at entry. */
const lastEntered = new Map<
  bigint,
  { texts: string[]; ret: bigint | null; executed: boolean; line: string }
>();

/** What decoding a syscall number needs, worked out once per number. */
interface CallInfo {
  name: string;
  spec: Spec | undefined;
  /** The formatters, or null when the spec chooses them from the arguments (ioctl, fcntl…). */
  specs: readonly ArgSpec[] | null;
  /** Whether every formatter is scalar (null when the formatters depend on the arguments). */
  scalarOnly: boolean | null;
}
const callInfos = new Map<bigint, CallInfo>();

function allScalar(specs: readonly ArgSpec[]): boolean {
  return specs.every((f) => typeof f === "function" && SCALAR.has(f));
}

function callInfo(nr: bigint): CallInfo {
  let info = callInfos.get(nr);
  if (info) return info;
  const nr32 = Number(nr & 0xffffffffn);
  const known = (nr & M64) <= 0xffffffffn && !syscallName(nr32).startsWith("syscall_");
  const name = known ? syscallName(nr32) : `syscall_0x${(nr & M64).toString(16)}`;
  const spec = known ? SPECS[name] : undefined;
  let specs: readonly ArgSpec[] | null = UNKNOWN_SPECS;
  if (spec) specs = typeof spec.args === "function" ? null : spec.args;
  else if (known && SYSCALLS.has(nr32)) specs = SYSCALLS.get(nr32)!.args.map(genericFormat);
  info = { name, spec, specs, scalarOnly: specs === null ? null : allScalar(specs) };
  if (callInfos.size < 4096) callInfos.set(nr, info);
  return info;
}

/** A syscall whose input arguments are decoded; call `finish` once it has run (or not). */
export class SyscallDecode {
  readonly name: string;
  private readonly ctx: Ctx;
  private readonly specs: readonly ArgSpec[];
  private readonly entered: (string | null)[];
  private readonly retStyle: "dec" | "hex" | "oct" | "none";
  private readonly scalarOnly: boolean;

  constructor(
    mem: GuestMemoryView,
    readonly nr: bigint,
    args: readonly bigint[],
    rsp = 0n,
    limit = DEFAULT_STRING_LIMIT,
  ) {
    this.ctx = { mem, a: args, ret: 0n, rsp, limit };
    const info = callInfo(nr);
    this.name = info.name;
    const specs = info.specs ?? (info.spec!.args as (a: readonly bigint[]) => readonly ArgSpec[])(
      args,
    );
    this.specs = specs;
    this.retStyle = info.spec?.ret ?? "dec";
    this.scalarOnly = args.length >= 6 && (info.scalarOnly ?? allScalar(specs));
    const entered: (string | null)[] = [];
    // Scalar-only calls format at finish (maybe from the cache): nothing to read at entry.
    for (let i = 0; i < specs.length && !this.scalarOnly; i++) {
      const f = specs[i];
      if (typeof f === "function") entered.push(safe(f, this.ctx, args[i]));
      else if ("inout" in f) entered.push(safe(f.inout, this.ctx, args[i]));
      else entered.push(null);
    }
    this.entered = entered;
  }

  /** The full line: `name(args) = result`; without `= …` when the call did not execute. */
  finish(ret: bigint | null, executed: boolean): string {
    if (!this.scalarOnly) return this.finishEntered(ret, executed);
    const hit = lastLines.get(this.nr);
    const a = this.ctx.a;
    if (
      hit && hit.ret === ret && hit.executed === executed && hit.args[0] === a[0] &&
      hit.args[1] === a[1] && hit.args[2] === a[2] && hit.args[3] === a[3] &&
      hit.args[4] === a[4] && hit.args[5] === a[5]
    ) return hit.line;
    const line = this.format(ret, executed);
    lastLines.set(this.nr, { args: a.slice(0, 6), ret, executed, line });
    return line;
  }

  /**
   * Calls whose arguments were all formatted at entry (no output arguments): the line is the
   * previous one of the same number when those texts and the result are the same.
   */
  private finishEntered(ret: bigint | null, executed: boolean): string {
    const entered = this.entered;
    if (entered.length === 0 || entered.includes(null)) return this.format(ret, executed);
    const hit = lastEntered.get(this.nr);
    if (
      hit && hit.ret === ret && hit.executed === executed &&
      hit.texts.length === entered.length && hit.texts.every((t, i) => t === entered[i])
    ) return hit.line;
    const line = this.format(ret, executed);
    lastEntered.set(this.nr, { texts: entered as string[], ret, executed, line });
    return line;
  }

  private format(ret: bigint | null, executed: boolean): string {
    const c = this.ctx;
    const ok = executed && ret !== null && !isError(ret);
    if (ret !== null) c.ret = BigInt.asIntN(64, ret);
    let text = this.name + "(";
    for (let i = 0; i < this.specs.length; i++) {
      if (i > 0) text += ", ";
      const spec = this.specs[i];
      const entered = this.scalarOnly ? safe(spec as Fmt, c, c.a[i]) : this.entered[i];
      if (entered !== null) {
        text += entered;
        // An in/out value that the call changed is shown as `before => after`.
        if (ok && typeof spec !== "function" && "inout" in spec) {
          const after = safe(spec.inout, c, c.a[i]);
          if (after !== entered) text += " => " + after;
        }
      } else text += ok ? safe((spec as Out).out, c, c.a[i]) : ptr(c.a[i]);
    }
    const call = text + ")";
    if (!executed) return call;
    if (ret === null) return `${call} = ?`;
    return `${call} = ${resultText(ret, this.retStyle === "none" ? "dec" : this.retStyle)}`;
  }
}

function isError(ret: bigint): boolean {
  const s = BigInt.asIntN(64, ret);
  return s >= -4095n && s <= -1n;
}

/** A formatter bug must not stop the guest: fall back to the raw value. */
function safe(f: Fmt, c: Ctx, v: bigint): string {
  try {
    return f(c, v);
  } catch {
    return hex(v);
  }
}

/** Decodes the input arguments now; `finish` adds outputs and the result after the call. */
export function beginDecode(
  mem: GuestMemoryView,
  nr: bigint,
  args: readonly bigint[],
  rsp = 0n,
  limit = DEFAULT_STRING_LIMIT,
): SyscallDecode {
  return new SyscallDecode(mem, nr, args, rsp, limit);
}
