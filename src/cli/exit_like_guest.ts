/**
 * Ending sudtrace the way the guest ended: a guest killed by a signal makes `sudtrace record` die
 * of the same signal, as strace does, so a parent's waitpid (WIFSIGNALED/WTERMSIG) and a shell's
 * "Segmentation fault" message match the native run. Deno keeps SIGSEGV/SIGBUS (V8's handler) and
 * ignores SIGPIPE, so the default action is restored through libc first (needs --allow-ffi);
 * RLIMIT_CORE is set to 0 so that no core file of Deno itself is written. Without FFI the exit
 * code is 128 + signal, what a shell reports for a signal death.
 */

const RLIMIT_CORE = 4;
const SIG_DFL = 0n;

/** Kills this process with `signo` (default action). Returns only if that was not possible. */
export function dieBySignal(signo: number): void {
  let lib: Deno.DynamicLibrary<typeof SYMBOLS>;
  try {
    if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") return;
    lib = Deno.dlopen("libc.so.6", SYMBOLS);
  } catch {
    return; // not glibc, or no FFI: the caller exits with 128 + signal
  }
  try {
    lib.symbols.setrlimit(RLIMIT_CORE, new BigUint64Array([0n, 0n]));
    lib.symbols.signal(signo, SIG_DFL);
    const set = new BigUint64Array(16); // sigset_t: unblock just this signal
    set[Math.floor((signo - 1) / 64)] = 1n << BigInt((signo - 1) % 64);
    lib.symbols.sigprocmask(1, /* SIG_UNBLOCK */ set, null);
    lib.symbols.kill(Deno.pid, signo);
  } finally {
    lib.close();
  }
}

const SYMBOLS = {
  setrlimit: { parameters: ["i32", "buffer"], result: "i32" },
  signal: { parameters: ["i32", "u64"], result: "u64" },
  sigprocmask: { parameters: ["i32", "buffer", "buffer"], result: "i32" },
  kill: { parameters: ["i32", "i32"], result: "i32" },
} as const;
