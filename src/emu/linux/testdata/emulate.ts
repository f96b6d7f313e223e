/**
 * Test helper: runs a guest binary under the emulator with a capturing host and collects every
 * event, in emission order, for tests that compare with a native run.
 */
import { RealHost } from "../../host.ts";
import type { ExitEvent, SignalEvent, SigreturnEvent, SyscallEvent } from "../events.ts";
import { type GuestExit, runGuest } from "../kernel.ts";

export interface Emulated {
  exit: GuestExit;
  stdout: string;
  syscalls: SyscallEvent[];
  /** Signal events; their register words are copies (the kernel reuses its buffer). */
  signals: SignalEvent[];
  sigreturns: SigreturnEvent[];
  exits: ExitEvent[];
  /** seq of every event in emission order. */
  seqs: number[];
  warnings: string[];
}

export function emulate(path: string): Emulated {
  const host = new RealHost({ capture: true });
  const r: Omit<Emulated, "exit" | "stdout"> = {
    syscalls: [],
    signals: [],
    sigreturns: [],
    exits: [],
    seqs: [],
    warnings: [],
  };
  const exit = runGuest({
    image: Deno.readFileSync(path),
    programPath: path,
    argv: [path],
    env: [],
    host,
    onWarning: (m) => r.warnings.push(m),
    observer: {
      syscall: (e) => (r.syscalls.push(e), r.seqs.push(e.seq)),
      signal: (e) => (r.signals.push({ ...e, regWords: e.regWords.slice() }), r.seqs.push(e.seq)),
      sigreturn: (e) => (r.sigreturns.push(e), r.seqs.push(e.seq)),
      memWrite: () => {},
      exit: (e) => (r.exits.push(e), r.seqs.push(e.seq)),
    },
  });
  return { exit, stdout: new TextDecoder().decode(host.captured().stdout), ...r };
}
