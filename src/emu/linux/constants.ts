/** Linux x86-64 ABI numbers the kernel layer needs (errno, signals, flags). */

export const EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, E2BIG = 7, EBADF = 9;
export const ECHILD = 10, EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14, EEXIST = 17;
export const ENODEV = 19,
  ENOTDIR = 20,
  EISDIR = 21,
  EINVAL = 22,
  EMFILE = 24,
  ENOTTY = 25,
  ESPIPE = 29;
export const EPIPE = 32, ERANGE = 34, ENAMETOOLONG = 36, ENOSYS = 38, ENOTEMPTY = 39;
export const ELOOP = 40, ENODATA = 61, EOPNOTSUPP = 95;

/** Kernel-internal restart codes (visible only through the SUD restart quirk). */
export const ERESTARTSYS = 512, ERESTARTNOINTR = 513, ERESTARTNOHAND = 514;
export const ERESTART_RESTARTBLOCK = 516;

export const SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6;
export const BUS_ADRERR = 2;
export const SIGBUS = 7, SIGFPE = 8, SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12;
export const SIGPIPE = 13, SIGALRM = 14, SIGTERM = 15, SIGSTKFLT = 16, SIGCHLD = 17;
export const SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20, SIGTTIN = 21, SIGTTOU = 22, SIGURG = 23;
export const SIGXCPU = 24, SIGXFSZ = 25, SIGVTALRM = 26, SIGPROF = 27, SIGWINCH = 28;
export const SIGIO = 29, SIGPWR = 30, SIGSYS = 31;
export const NSIG = 64;
/** The first real-time signal (the kernel's; libcs reserve a few above it). */
export const SIGRTMIN = 32;

/** si_code values. */
export const SI_USER = 0, SI_KERNEL = 0x80, SI_QUEUE = -1, SI_TKILL = -6;
export const SEGV_MAPERR = 1, SEGV_ACCERR = 2, ILL_ILLOPN = 2, FPE_INTDIV = 1, TRAP_BRKPT = 1;
export const SYS_USER_DISPATCH = 2;
export const AUDIT_ARCH_X86_64 = 0xc000003e;

/** sigaction flags. */
export const SA_NOCLDSTOP = 1, SA_NOCLDWAIT = 2, SA_SIGINFO = 4;
export const SA_RESTORER = 0x04000000, SA_ONSTACK = 0x08000000, SA_RESTART = 0x10000000;
export const SA_NODEFER = 0x40000000, SA_RESETHAND = 0x80000000;

/** sigaltstack flags. */
export const SS_ONSTACK = 1, SS_DISABLE = 2, SS_AUTODISARM = 0x80000000;
export const MINSIGSTKSZ = 2048;

export const SIG_DFL = 0n, SIG_IGN = 1n;

const SIG_BITS: bigint[] = Array.from(
  { length: 65 },
  (_, s) => (s === 0 ? 0n : 1n << BigInt(s - 1)),
);

/** The bit of a signal in a 64-bit sigset (a table: delivery asks for it per signal). */
export function sigBit(signo: number): bigint {
  return SIG_BITS[signo] ?? 1n << BigInt(signo - 1);
}

/** SIGKILL and SIGSTOP can never be blocked. */
export const UNBLOCKABLE = sigBit(SIGKILL) | sigBit(SIGSTOP);

/** Signals the kernel dequeues first because a fault/trap raised them (SYNCHRONOUS_MASK). */
export const SYNCHRONOUS_MASK = sigBit(SIGSEGV) | sigBit(SIGBUS) | sigBit(SIGILL) |
  sigBit(SIGTRAP) | sigBit(SIGFPE) | sigBit(SIGSYS);

/** What SIG_DFL does for a signal. */
export type DefaultAction = "terminate" | "core" | "ignore" | "stop";

export function defaultAction(signo: number): DefaultAction {
  switch (signo) {
    case SIGQUIT:
    case SIGILL:
    case SIGTRAP:
    case SIGABRT:
    case SIGBUS:
    case SIGFPE:
    case SIGSEGV:
    case SIGXCPU:
    case SIGXFSZ:
    case SIGSYS:
      return "core";
    case SIGCHLD:
    case SIGURG:
    case SIGWINCH:
    case SIGCONT:
      return "ignore";
    case SIGSTOP:
    case SIGTSTP:
    case SIGTTIN:
    case SIGTTOU:
      return "stop";
    default:
      return "terminate";
  }
}

/** Converts a guest 64-bit value to the signed number it means for errno-style results. */
export function toSigned64(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

export const MASK64 = (1n << 64n) - 1n;
