/** x86-64 Linux signal names, shared by the decoder, the reports and the tests. */

/** Standard signal names, indexed by number (1..31). */
export const SIGNAL_NAMES: readonly string[] = [
  "",
  "SIGHUP",
  "SIGINT",
  "SIGQUIT",
  "SIGILL",
  "SIGTRAP",
  "SIGABRT",
  "SIGBUS",
  "SIGFPE",
  "SIGKILL",
  "SIGUSR1",
  "SIGSEGV",
  "SIGUSR2",
  "SIGPIPE",
  "SIGALRM",
  "SIGTERM",
  "SIGSTKFLT",
  "SIGCHLD",
  "SIGCONT",
  "SIGSTOP",
  "SIGTSTP",
  "SIGTTIN",
  "SIGTTOU",
  "SIGURG",
  "SIGXCPU",
  "SIGXFSZ",
  "SIGVTALRM",
  "SIGPROF",
  "SIGWINCH",
  "SIGIO",
  "SIGPWR",
  "SIGSYS",
];

/** "SIGSYS", "SIGRTMIN", "SIGRT_3", or the number when out of range. */
export function signalName(signo: number): string {
  if (signo >= 1 && signo <= 31) return SIGNAL_NAMES[signo];
  if (signo === 32) return "SIGRTMIN";
  if (signo > 32 && signo <= 64) return `SIGRT_${signo - 32}`;
  return String(signo);
}

/** The number of a standard signal name ("SIGSYS" → 31), or undefined. */
export function signalNumber(name: string): number | undefined {
  const n = SIGNAL_NAMES.indexOf(name);
  return n > 0 ? n : undefined;
}
