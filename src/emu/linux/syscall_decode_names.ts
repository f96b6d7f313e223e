/**
 * Symbolic names strace prints for Linux x86-64 numbers: errno names and messages, signal names,
 * and the flag and constant sets that syscall_decode.ts turns into `A|B|0x40` text.
 */

/** errno → [name, message as glibc's strerror words it]. */
export { signalName } from "./signal_names.ts";

export const ERRNOS: Record<number, [string, string]> = {
  1: ["EPERM", "Operation not permitted"],
  2: ["ENOENT", "No such file or directory"],
  3: ["ESRCH", "No such process"],
  4: ["EINTR", "Interrupted system call"],
  5: ["EIO", "Input/output error"],
  6: ["ENXIO", "No such device or address"],
  7: ["E2BIG", "Argument list too long"],
  8: ["ENOEXEC", "Exec format error"],
  9: ["EBADF", "Bad file descriptor"],
  10: ["ECHILD", "No child processes"],
  11: ["EAGAIN", "Resource temporarily unavailable"],
  12: ["ENOMEM", "Cannot allocate memory"],
  13: ["EACCES", "Permission denied"],
  14: ["EFAULT", "Bad address"],
  16: ["EBUSY", "Device or resource busy"],
  17: ["EEXIST", "File exists"],
  18: ["EXDEV", "Invalid cross-device link"],
  19: ["ENODEV", "No such device"],
  20: ["ENOTDIR", "Not a directory"],
  21: ["EISDIR", "Is a directory"],
  22: ["EINVAL", "Invalid argument"],
  23: ["ENFILE", "Too many open files in system"],
  24: ["EMFILE", "Too many open files"],
  25: ["ENOTTY", "Inappropriate ioctl for device"],
  26: ["ETXTBSY", "Text file busy"],
  27: ["EFBIG", "File too large"],
  28: ["ENOSPC", "No space left on device"],
  29: ["ESPIPE", "Illegal seek"],
  30: ["EROFS", "Read-only file system"],
  31: ["EMLINK", "Too many links"],
  32: ["EPIPE", "Broken pipe"],
  33: ["EDOM", "Numerical argument out of domain"],
  34: ["ERANGE", "Numerical result out of range"],
  35: ["EDEADLK", "Resource deadlock avoided"],
  36: ["ENAMETOOLONG", "File name too long"],
  38: ["ENOSYS", "Function not implemented"],
  39: ["ENOTEMPTY", "Directory not empty"],
  40: ["ELOOP", "Too many levels of symbolic links"],
  61: ["ENODATA", "No data available"],
  75: ["EOVERFLOW", "Value too large for defined data type"],
  88: ["ENOTSOCK", "Socket operation on non-socket"],
  90: ["EMSGSIZE", "Message too long"],
  92: ["ENOPROTOOPT", "Protocol not available"],
  93: ["EPROTONOSUPPORT", "Protocol not supported"],
  94: ["ESOCKTNOSUPPORT", "Socket type not supported"],
  95: ["EOPNOTSUPP", "Operation not supported"],
  97: ["EAFNOSUPPORT", "Address family not supported by protocol"],
  104: ["ECONNRESET", "Connection reset by peer"],
  106: ["EISCONN", "Transport endpoint is already connected"],
  107: ["ENOTCONN", "Transport endpoint is not connected"],
  110: ["ETIMEDOUT", "Connection timed out"],
  111: ["ECONNREFUSED", "Connection refused"],
  512: ["ERESTARTSYS", "To be restarted if SA_RESTART is set"],
  513: ["ERESTARTNOINTR", "To be restarted"],
  514: ["ERESTARTNOHAND", "To be restarted if no handler"],
  516: ["ERESTART_RESTARTBLOCK", "Interrupted by signal"],
};

/** A flag set: each entry is [bit value, name]; zero prints `zeroName` when given. */
export type FlagTable = readonly (readonly [bigint, string])[];

/** `A|B|0x40` as strace prints flags (unknown bits in hex at the end). */
export function flagsText(v: bigint, table: FlagTable, zeroName = "0"): string {
  if (v === 0n) return zeroName;
  const parts: string[] = [];
  let rest = v;
  for (const [bit, name] of table) {
    if (bit !== 0n && (rest & bit) === bit) {
      parts.push(name);
      rest &= ~bit;
    }
  }
  if (rest !== 0n) parts.push("0x" + rest.toString(16));
  return parts.join("|");
}

/** One value out of a set, else hex (or decimal with `decimal`). */
export function enumText(v: bigint, names: Record<string, string>, decimal = false): string {
  return names[v.toString()] ?? (decimal ? v.toString() : "0x" + v.toString(16));
}

export const OPEN_FLAGS: FlagTable = [
  [0o100n, "O_CREAT"],
  [0o200n, "O_EXCL"],
  [0o400n, "O_NOCTTY"],
  [0o1000n, "O_TRUNC"],
  [0o2000n, "O_APPEND"],
  [0o4000n, "O_NONBLOCK"],
  [0o10000n, "O_DSYNC"],
  [0o20000n, "O_ASYNC"],
  [0o40000n, "O_DIRECT"],
  [0o100000n, "O_LARGEFILE"],
  [0o200000n, "O_DIRECTORY"],
  [0o400000n, "O_NOFOLLOW"],
  [0o1000000n, "O_NOATIME"],
  [0o2000000n, "O_CLOEXEC"],
  [0o4010000n, "O_SYNC"],
  [0o10000000n, "O_PATH"],
  [0o20200000n, "O_TMPFILE"],
];

/** open flags: the access mode first (O_RDONLY is 0), then the other bits. */
export function openFlagsText(v: bigint): string {
  const acc = ["O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"][Number(v & 3n)];
  const rest = v & ~3n;
  return rest === 0n ? acc : `${acc}|${flagsText(rest, OPEN_FLAGS)}`;
}

export const AT_FLAGS: FlagTable = [
  [0x100n, "AT_SYMLINK_NOFOLLOW"],
  [0x200n, "AT_REMOVEDIR"],
  [0x400n, "AT_SYMLINK_FOLLOW"],
  [0x800n, "AT_NO_AUTOMOUNT"],
  [0x1000n, "AT_EMPTY_PATH"],
];

export const PROT_FLAGS: FlagTable = [
  [1n, "PROT_READ"],
  [2n, "PROT_WRITE"],
  [4n, "PROT_EXEC"],
  [0x1000000n, "PROT_GROWSDOWN"],
  [0x2000000n, "PROT_GROWSUP"],
];

export const MAP_FLAGS: FlagTable = [
  [0x10n, "MAP_FIXED"],
  [0x20n, "MAP_ANONYMOUS"],
  [0x40n, "MAP_32BIT"],
  [0x100n, "MAP_GROWSDOWN"],
  [0x800n, "MAP_DENYWRITE"],
  [0x1000n, "MAP_EXECUTABLE"],
  [0x2000n, "MAP_LOCKED"],
  [0x4000n, "MAP_NORESERVE"],
  [0x8000n, "MAP_POPULATE"],
  [0x10000n, "MAP_NONBLOCK"],
  [0x20000n, "MAP_STACK"],
  [0x40000n, "MAP_HUGETLB"],
  [0x80000n, "MAP_SYNC"],
  [0x100000n, "MAP_FIXED_NOREPLACE"],
];

/** mmap flags: the sharing type first, then the other bits. */
export function mapFlagsText(v: bigint): string {
  const type = { 1: "MAP_SHARED", 2: "MAP_PRIVATE", 3: "MAP_SHARED_VALIDATE" }[Number(v & 3n)];
  const rest = v & ~3n;
  const head = type ?? "0";
  return rest === 0n ? head : `${head}|${flagsText(rest, MAP_FLAGS)}`;
}

export const SA_FLAGS: FlagTable = [
  [0x04000000n, "SA_RESTORER"],
  [0x08000000n, "SA_ONSTACK"],
  [0x10000000n, "SA_RESTART"],
  [0x40000000n, "SA_NODEFER"],
  [0x80000000n, "SA_RESETHAND"],
  [1n, "SA_NOCLDSTOP"],
  [2n, "SA_NOCLDWAIT"],
  [4n, "SA_SIGINFO"],
];

export const SIGPROCMASK_HOW = { "0": "SIG_BLOCK", "1": "SIG_UNBLOCK", "2": "SIG_SETMASK" };

export const ARCH_PRCTL_CODES = {
  "4097": "ARCH_SET_GS",
  "4098": "ARCH_SET_FS",
  "4099": "ARCH_GET_FS",
  "4100": "ARCH_GET_GS",
  "4113": "ARCH_GET_CPUID",
  "4114": "ARCH_SET_CPUID",
};

export const PRCTL_OPTIONS = {
  "1": "PR_SET_PDEATHSIG",
  "2": "PR_GET_PDEATHSIG",
  "3": "PR_GET_DUMPABLE",
  "4": "PR_SET_DUMPABLE",
  "15": "PR_SET_NAME",
  "16": "PR_GET_NAME",
  "38": "PR_SET_NO_NEW_PRIVS",
  "39": "PR_GET_NO_NEW_PRIVS",
  "59": "PR_SET_SYSCALL_USER_DISPATCH",
};

export const SUD_MODES = {
  "0": "PR_SYS_DISPATCH_OFF",
  "1": "PR_SYS_DISPATCH_ON",
  "2": "PR_SYS_DISPATCH_INCLUSIVE_ON",
};

export const IOCTL_REQUESTS = {
  "21505": "TCGETS",
  "21506": "TCSETS",
  "21507": "TCSETSW",
  "21508": "TCSETSF",
  "21519": "TIOCGPGRP",
  "21520": "TIOCSPGRP",
  "21523": "TIOCGWINSZ",
  "21524": "TIOCSWINSZ",
  "21531": "FIONREAD",
  "21537": "FIONBIO",
  "21585": "FIOCLEX",
  "21584": "FIONCLEX",
};

export const FCNTL_CMDS = {
  "0": "F_DUPFD",
  "1": "F_GETFD",
  "2": "F_SETFD",
  "3": "F_GETFL",
  "4": "F_SETFL",
  "5": "F_GETLK",
  "6": "F_SETLK",
  "7": "F_SETLKW",
  "1030": "F_DUPFD_CLOEXEC",
};

export const ITIMER_WHICH = {
  "0": "ITIMER_REAL",
  "1": "ITIMER_VIRTUAL",
  "2": "ITIMER_PROF",
};

export const CLOCK_IDS = {
  "0": "CLOCK_REALTIME",
  "1": "CLOCK_MONOTONIC",
  "2": "CLOCK_PROCESS_CPUTIME_ID",
  "3": "CLOCK_THREAD_CPUTIME_ID",
  "4": "CLOCK_MONOTONIC_RAW",
  "5": "CLOCK_REALTIME_COARSE",
  "6": "CLOCK_MONOTONIC_COARSE",
  "7": "CLOCK_BOOTTIME",
};

export const RLIMIT_RESOURCES = {
  "0": "RLIMIT_CPU",
  "1": "RLIMIT_FSIZE",
  "2": "RLIMIT_DATA",
  "3": "RLIMIT_STACK",
  "4": "RLIMIT_CORE",
  "5": "RLIMIT_RSS",
  "6": "RLIMIT_NPROC",
  "7": "RLIMIT_NOFILE",
  "8": "RLIMIT_MEMLOCK",
  "9": "RLIMIT_AS",
};

export const FUTEX_OPS = {
  "0": "FUTEX_WAIT",
  "1": "FUTEX_WAKE",
  "9": "FUTEX_WAIT_BITSET",
  "10": "FUTEX_WAKE_BITSET",
};

export const SEEK_WHENCE = { "0": "SEEK_SET", "1": "SEEK_CUR", "2": "SEEK_END", "3": "SEEK_DATA" };

export const MADVISE_ADVICE = {
  "0": "MADV_NORMAL",
  "1": "MADV_RANDOM",
  "2": "MADV_SEQUENTIAL",
  "3": "MADV_WILLNEED",
  "4": "MADV_DONTNEED",
  "8": "MADV_FREE",
};

export const GRND_FLAGS: FlagTable = [[1n, "GRND_NONBLOCK"], [2n, "GRND_RANDOM"]];

export const S_IFMT: Record<number, string> = {
  0o140000: "S_IFSOCK",
  0o120000: "S_IFLNK",
  0o100000: "S_IFREG",
  0o060000: "S_IFBLK",
  0o040000: "S_IFDIR",
  0o020000: "S_IFCHR",
  0o010000: "S_IFIFO",
};

export const ADDRESS_FAMILIES = {
  "0": "AF_UNSPEC",
  "1": "AF_UNIX",
  "2": "AF_INET",
  "10": "AF_INET6",
  "16": "AF_NETLINK",
  "17": "AF_PACKET",
};

const SOCK_TYPES: Record<string, string> = {
  "1": "SOCK_STREAM",
  "2": "SOCK_DGRAM",
  "3": "SOCK_RAW",
  "5": "SOCK_SEQPACKET",
};

/** `SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC` (the type in the low 4 bits, then flags). */
export function sockTypeText(v: bigint): string {
  const t = v & 0xfn;
  const rest = flagsText(v & ~0xfn, [[0x800n, "SOCK_NONBLOCK"], [0x80000n, "SOCK_CLOEXEC"]], "");
  const name = SOCK_TYPES[t.toString()] ?? t.toString();
  return rest ? `${name}|${rest}` : name;
}

export const MSG_FLAGS: FlagTable = [
  [1n, "MSG_OOB"],
  [2n, "MSG_PEEK"],
  [4n, "MSG_DONTROUTE"],
  [8n, "MSG_CTRUNC"],
  [0x20n, "MSG_TRUNC"],
  [0x40n, "MSG_DONTWAIT"],
  [0x80n, "MSG_EOR"],
  [0x100n, "MSG_WAITALL"],
  [0x4000n, "MSG_NOSIGNAL"],
  [0x8000n, "MSG_MORE"],
  [0x40000000n, "MSG_CMSG_CLOEXEC"],
];

export const SHUTDOWN_HOW = { "0": "SHUT_RD", "1": "SHUT_WR", "2": "SHUT_RDWR" };

export const SOCKOPT_LEVELS = { "1": "SOL_SOCKET" };

export const SOCKOPT_NAMES = {
  "3": "SO_TYPE",
  "4": "SO_ERROR",
  "7": "SO_SNDBUF",
  "8": "SO_RCVBUF",
  "30": "SO_ACCEPTCONN",
  "38": "SO_PROTOCOL",
  "39": "SO_DOMAIN",
};

export const EFD_FLAGS: FlagTable = [
  [1n, "EFD_SEMAPHORE"],
  [0x800n, "EFD_NONBLOCK"],
  [0x80000n, "EFD_CLOEXEC"],
];

export const SFD_FLAGS: FlagTable = [[0x800n, "SFD_NONBLOCK"], [0x80000n, "SFD_CLOEXEC"]];

export const EPOLL_CTL_OPS = { "1": "EPOLL_CTL_ADD", "2": "EPOLL_CTL_DEL", "3": "EPOLL_CTL_MOD" };

export const EPOLL_EVENTS: FlagTable = [
  [1n, "EPOLLIN"],
  [2n, "EPOLLPRI"],
  [4n, "EPOLLOUT"],
  [8n, "EPOLLERR"],
  [0x10n, "EPOLLHUP"],
  [0x20n, "EPOLLNVAL"],
  [0x40n, "EPOLLRDNORM"],
  [0x80n, "EPOLLRDBAND"],
  [0x100n, "EPOLLWRNORM"],
  [0x200n, "EPOLLWRBAND"],
  [0x400n, "EPOLLMSG"],
  [0x2000n, "EPOLLRDHUP"],
  [1n << 28n, "EPOLLEXCLUSIVE"],
  [1n << 29n, "EPOLLWAKEUP"],
  [1n << 30n, "EPOLLONESHOT"],
  [1n << 31n, "EPOLLET"],
];
