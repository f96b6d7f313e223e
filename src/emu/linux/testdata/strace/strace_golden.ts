/** Which guests have a native strace listing, and how listings are made comparable. */

export const STRACE_GUESTS = [
  "hello.musl",
  "demo_compat.musl",
  "signals_basic.musl",
  "sud_region_stub.musl",
];

/**
 * Keeps only syscall lines (no execve, no `---`/`+++` lines), joins strace's result padding to
 * one space and replaces what differs between runs: stack addresses and pids.
 */
export function normaliseStrace(text: string): string {
  const lines: string[] = [];
  for (const raw of text.split("\n")) {
    if (raw === "" || raw.startsWith("execve(") || raw.startsWith("---")) continue;
    if (raw.startsWith("+++")) continue;
    lines.push(normaliseLine(raw.replace(/\) +=( |$)/, ") =$1")));
  }
  return lines.map((l) => l + "\n").join("");
}

/** The replacements shared by native and emulated lines. */
export function normaliseLine(line: string): string {
  return line
    .replace(/0x7ff[0-9a-f]{9}\b/g, "STACK")
    .replace(/^(set_tid_address\(.*\)) = \d+$/, "$1 = PID")
    .replace(/^(t?kill)\(\d+,/, "$1(PID,")
    .replace(/^tgkill\(\d+, \d+,/, "tgkill(PID, PID,")
    .replace(/^(getpid|gettid)\(\) = \d+$/, "$1() = PID");
}
