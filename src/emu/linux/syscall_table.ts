/**
 * The one syscall table: number, name, typed argument signature (also used to decode traces)
 * and handler. Numbers not listed here return -ENOSYS (reported once each).
 */
import type { ArgType, SyscallEntry, SyscallHandler } from "./syscall_types.ts";
import * as io from "./sys_io.ts";
import * as fs from "./sys_fs.ts";
import * as pl from "./sys_poll.ts";
import * as mm from "./sys_mem.ts";
import * as pr from "./sys_proc.ts";
import * as sg from "./sys_signal.ts";
import * as tm from "./sys_timer.ts";
import * as wt from "./sys_wait.ts";

export { NO_RETURN } from "./syscall_types.ts";
export type { ArgType, SyscallEntry } from "./syscall_types.ts";

const ENOSYS_HANDLER: SyscallHandler = () => -38;

const ROWS: [number, string, ArgType[], SyscallHandler][] = [
  [0, "read", ["fd", "ptr", "size"], io.sysRead],
  [1, "write", ["fd", "ptr", "size"], io.sysWrite],
  [2, "open", ["path", "hex", "mode"], fs.sysOpen],
  [3, "close", ["fd"], io.sysClose],
  [4, "stat", ["path", "ptr"], fs.sysStat],
  [5, "fstat", ["fd", "ptr"], io.sysFstat],
  [6, "lstat", ["path", "ptr"], fs.sysLstat],
  [7, "poll", ["ptr", "uint", "int"], pl.sysPoll],
  [8, "lseek", ["fd", "int", "int"], io.sysLseek],
  [9, "mmap", ["ptr", "size", "hex", "hex", "fd", "hex"], mm.sysMmap],
  [10, "mprotect", ["ptr", "size", "hex"], mm.sysMprotect],
  [11, "munmap", ["ptr", "size"], mm.sysMunmap],
  [12, "brk", ["ptr"], mm.sysBrk],
  [13, "rt_sigaction", ["signo", "ptr", "ptr", "size"], sg.sysRtSigaction],
  [14, "rt_sigprocmask", ["int", "ptr", "ptr", "size"], sg.sysRtSigprocmask],
  [15, "rt_sigreturn", [], sg.sysRtSigreturn],
  [16, "ioctl", ["fd", "hex", "ptr"], io.sysIoctl],
  [17, "pread64", ["fd", "ptr", "size", "int"], io.sysPread64],
  [18, "pwrite64", ["fd", "ptr", "size", "int"], io.sysPwrite64],
  [19, "readv", ["fd", "ptr", "int"], io.sysReadv],
  [20, "writev", ["fd", "ptr", "int"], io.sysWritev],
  [21, "access", ["path", "int"], fs.sysAccess],
  [22, "pipe", ["ptr"], io.sysPipe],
  [23, "select", ["int", "ptr", "ptr", "ptr", "ptr"], pl.sysSelect],
  [24, "sched_yield", [], pr.sysSchedYield],
  [25, "mremap", ["ptr", "size", "size", "hex", "ptr"], mm.sysMremap],
  [28, "madvise", ["ptr", "size", "int"], mm.sysMadvise],
  [32, "dup", ["fd"], io.sysDup],
  [33, "dup2", ["fd", "fd"], io.sysDup2],
  [34, "pause", [], sg.sysPause],
  [35, "nanosleep", ["ptr", "ptr"], pr.sysNanosleep],
  [36, "getitimer", ["int", "ptr"], tm.sysGetitimer],
  [37, "alarm", ["uint"], tm.sysAlarm],
  [38, "setitimer", ["int", "ptr", "ptr"], tm.sysSetitimer],
  [39, "getpid", [], pr.sysGetpid],
  [40, "sendfile", ["fd", "fd", "ptr", "size"], io.sysSendfile],
  [56, "clone", ["hex", "ptr", "ptr", "ptr", "hex"], wt.sysClone],
  [57, "fork", [], wt.sysFork],
  [58, "vfork", [], wt.sysVfork],
  [59, "execve", ["path", "ptr", "ptr"], wt.sysExecve],
  [60, "exit", ["int"], pr.sysExitGroup],
  [61, "wait4", ["int", "ptr", "hex", "ptr"], wt.sysWait4],
  [62, "kill", ["int", "signo"], sg.sysKill],
  [63, "uname", ["ptr"], pr.sysUname],
  [72, "fcntl", ["fd", "int", "hex"], io.sysFcntl],
  [74, "fsync", ["fd"], io.sysFsync],
  [75, "fdatasync", ["fd"], io.sysFsync],
  [76, "truncate", ["path", "size"], fs.sysTruncate],
  [77, "ftruncate", ["fd", "size"], io.sysFtruncate],
  [79, "getcwd", ["ptr", "size"], fs.sysGetcwd],
  [80, "chdir", ["path"], fs.sysChdir],
  [81, "fchdir", ["fd"], fs.sysFchdir],
  [82, "rename", ["path", "path"], fs.sysRename],
  [83, "mkdir", ["path", "mode"], fs.sysMkdir],
  [84, "rmdir", ["path"], fs.sysRmdir],
  [85, "creat", ["path", "mode"], fs.sysCreat],
  [87, "unlink", ["path"], fs.sysUnlink],
  [88, "symlink", ["path", "path"], fs.sysSymlink],
  [89, "readlink", ["path", "ptr", "size"], fs.sysReadlink],
  [90, "chmod", ["path", "mode"], fs.sysChmod],
  [91, "fchmod", ["fd", "mode"], fs.sysFchmod],
  [95, "umask", ["mode"], pr.sysUmask],
  [96, "gettimeofday", ["ptr", "ptr"], pr.sysGettimeofday],
  [97, "getrlimit", ["int", "ptr"], pr.sysGetrlimit],
  [98, "getrusage", ["int", "ptr"], pr.sysGetrusage],
  [99, "sysinfo", ["ptr"], pr.sysSysinfo],
  [100, "times", ["ptr"], pr.sysTimes],
  [102, "getuid", [], pr.sysGetuid],
  [104, "getgid", [], pr.sysGetgid],
  [107, "geteuid", [], pr.sysGetuid],
  [108, "getegid", [], pr.sysGetgid],
  [110, "getppid", [], pr.sysGetppid],
  [111, "getpgrp", [], pr.sysGetpgrp],
  [115, "getgroups", ["int", "ptr"], pr.sysGetgroups],
  [118, "getresuid", ["ptr", "ptr", "ptr"], pr.sysGetresuid],
  [120, "getresgid", ["ptr", "ptr", "ptr"], pr.sysGetresgid],
  [121, "getpgid", ["int"], pr.sysGetpgrp],
  [124, "getsid", ["int"], pr.sysGetpgrp],
  [127, "rt_sigpending", ["ptr", "size"], sg.sysRtSigpending],
  [129, "rt_sigqueueinfo", ["int", "signo", "ptr"], sg.sysRtSigqueueinfo],
  [128, "rt_sigtimedwait", ["ptr", "ptr", "ptr", "size"], sg.sysRtSigtimedwait],
  [130, "rt_sigsuspend", ["ptr", "size"], sg.sysRtSigsuspend],
  [131, "sigaltstack", ["ptr", "ptr"], sg.sysSigaltstack],
  [157, "prctl", ["int", "hex", "hex", "hex", "hex"], pr.sysPrctl],
  [158, "arch_prctl", ["hex", "ptr"], pr.sysArchPrctl],
  [160, "setrlimit", ["int", "ptr"], pr.sysSetrlimit],
  [186, "gettid", [], pr.sysGettid],
  [200, "tkill", ["int", "signo"], sg.sysTkill],
  [201, "time", ["ptr"], pr.sysTime],
  [202, "futex", ["ptr", "int", "int", "ptr", "ptr", "int"], pr.sysFutex],
  [204, "sched_getaffinity", ["int", "size", "ptr"], pr.sysSchedGetaffinity],
  [217, "getdents64", ["fd", "ptr", "size"], fs.sysGetdents64],
  [218, "set_tid_address", ["ptr"], pr.sysSetTidAddress],
  [228, "clock_gettime", ["int", "ptr"], pr.sysClockGettime],
  [229, "clock_getres", ["int", "ptr"], pr.sysClockGetres],
  [230, "clock_nanosleep", ["int", "hex", "ptr", "ptr"], pr.sysClockNanosleep],
  [231, "exit_group", ["int"], pr.sysExitGroup],
  [234, "tgkill", ["int", "int", "signo"], sg.sysTgkill],
  [257, "openat", ["fd", "path", "hex", "mode"], fs.sysOpenat],
  [258, "mkdirat", ["fd", "path", "mode"], fs.sysMkdirat],
  [262, "newfstatat", ["fd", "path", "ptr", "hex"], fs.sysNewfstatat],
  [263, "unlinkat", ["fd", "path", "hex"], fs.sysUnlinkat],
  [264, "renameat", ["fd", "path", "fd", "path"], fs.sysRenameat],
  [266, "symlinkat", ["path", "fd", "path"], fs.sysSymlinkat],
  [267, "readlinkat", ["fd", "path", "ptr", "size"], fs.sysReadlinkat],
  [268, "fchmodat", ["fd", "path", "mode"], fs.sysFchmodat],
  [269, "faccessat", ["fd", "path", "int"], fs.sysFaccessat],
  [270, "pselect6", ["int", "ptr", "ptr", "ptr", "ptr", "ptr"], pl.sysPselect6],
  [271, "ppoll", ["ptr", "uint", "ptr", "ptr", "size"], pl.sysPpoll],
  [273, "set_robust_list", ["ptr", "size"], pr.sysSetRobustList],
  [292, "dup3", ["fd", "fd", "hex"], io.sysDup3],
  [293, "pipe2", ["ptr", "hex"], io.sysPipe2],
  [295, "preadv", ["fd", "ptr", "int", "int"], io.sysPreadv],
  [296, "pwritev", ["fd", "ptr", "int", "int"], io.sysPwritev],
  [297, "rt_tgsigqueueinfo", ["int", "int", "signo", "ptr"], sg.sysRtTgsigqueueinfo],
  [302, "prlimit64", ["int", "int", "ptr", "ptr"], pr.sysPrlimit64],
  [316, "renameat2", ["fd", "path", "fd", "path", "hex"], fs.sysRenameat2],
  [318, "getrandom", ["ptr", "size", "hex"], pr.sysGetrandom],
  [332, "statx", ["fd", "path", "hex", "hex", "ptr"], fs.sysStatx],
  [326, "copy_file_range", ["fd", "ptr", "fd", "ptr", "size", "hex"], io.sysCopyFileRange],
  [26, "msync", ["ptr", "size", "hex"], mm.sysMsync],
  [86, "link", ["path", "path"], fs.sysLink],
  [265, "linkat", ["fd", "path", "fd", "path", "hex"], fs.sysLinkat],
  [92, "chown", ["path", "int", "int"], fs.sysChown],
  [93, "fchown", ["fd", "int", "int"], fs.sysFchown],
  [94, "lchown", ["path", "int", "int"], fs.sysLchown],
  [260, "fchownat", ["fd", "path", "int", "int", "hex"], fs.sysFchownat],
  [280, "utimensat", ["fd", "path", "ptr", "hex"], fs.sysUtimensat],
  [235, "utimes", ["path", "ptr"], fs.sysUtimes],
  [261, "futimesat", ["fd", "path", "ptr"], fs.sysFutimesat],
  [162, "sync", [], fs.sysSync],
  [306, "syncfs", ["fd"], fs.sysSyncfs],
  [334, "rseq", ["ptr", "uint", "hex", "hex"], ENOSYS_HANDLER],
  [247, "waitid", ["int", "int", "ptr", "hex", "ptr"], wt.sysWaitid],
  [436, "close_range", ["uint", "uint", "hex"], io.sysCloseRange],
  [439, "faccessat2", ["fd", "path", "int", "hex"], fs.sysFaccessat2],
];

/** Implemented syscalls by number. */
export const SYSCALLS: ReadonlyMap<number, SyscallEntry> = new Map(
  ROWS.map(([nr, name, args, handler]) => [nr, { nr, name, args, handler }]),
);

/** Names of well-known syscalls that are deliberately not implemented (for readable traces). */
const KNOWN_NAMES: Record<number, string> = {
  27: "mincore",
  101: "ptrace",
  435: "clone3",
};

/** The table name for a syscall number (low 32 bits of rax), or "syscall_<nr>". */
export function syscallName(nr: number): string {
  return SYSCALLS.get(nr)?.name ?? KNOWN_NAMES[nr] ?? `syscall_${nr}`;
}
