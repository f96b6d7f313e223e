/**
 * `replay()`: re-execute a trace's guest with a host that answers from the trace (no host
 * syscalls) and verify every kernel event against the recorded rows.
 */
import { GPR_NAMES, type GuestCpu } from "../emu/cpu/cpu_api.ts";
import { type Host, HOST_METHODS } from "../emu/host.ts";
import { type GuestExit, runGuest } from "../emu/linux/kernel.ts";
import { sha256Hex } from "../record/record_session.ts";
import { openTrace } from "../record/trace_reader.ts";
import type { HostCall, TableColumns } from "../record/trace_reader.ts";
import { TraceError } from "../record/trace_error.ts";
import { Divergence } from "./divergence.ts";
import { tapeHost } from "./tape_host.ts";
import { EVENT_TABLES, type EventTable, type RecordedEvent, Verifier } from "./verifier.ts";

export interface ReplayOptions {
  /** Replay this build of the program instead of the recorded path (sha256 not checked). */
  binary?: string;
  /** Called with each recorded stdout/stderr write as the replay reaches it. */
  onOutput?: (fd: number, data: Uint8Array) => void;
}

export interface ReplayResult {
  /** True when every event and the exit matched. */
  ok: boolean;
  /** Events verified (syscalls, signals, sigreturns, SUD configs, memory writes, exits). */
  verified: number;
  /** Host calls answered from the tape. */
  hostCalls: number;
  exit: GuestExit;
  /** The first divergence, or null. */
  divergence: Divergence | null;
  /** The last events that matched before the divergence. */
  recent: RecordedEvent[];
}

/** Replays the trace in `dir`. Throws TraceError for unreadable traces. */
export async function replay(dir: string, opts: ReplayOptions = {}): Promise<ReplayResult> {
  const trace = openTrace(dir);
  const { manifest } = trace;
  const { path, file } = manifest.guest;
  // The program as it was given when recording (relative paths resolve against our cwd), else the
  // path the guest saw (which under --root is inside the root, not a host path).
  const programPath = opts.binary ?? (file !== undefined && isFile(file) ? file : path);
  let image: Uint8Array;
  try {
    image = Deno.readFileSync(programPath);
  } catch (e) {
    throw new TraceError(
      "missing",
      `${programPath}: cannot read the traced program (${
        e instanceof Error ? e.message : e
      }); pass --binary PATH`,
    );
  }
  if (!opts.binary && await sha256Hex(image) !== manifest.guest.sha256) {
    throw new TraceError(
      "corrupt",
      `${programPath} changed since it was recorded (sha256 differs); pass --binary ${programPath} to replay the new build against the trace`,
    );
  }
  // Columnar: the verifier compares against the stored columns; no object per recorded row.
  const recorded = {} as Record<EventTable, TableColumns>;
  for (const table of EVENT_TABLES) recorded[table] = await trace.readColumns(table);
  const tape: HostCall[] = await trace.hostCalls();
  const verifier = new Verifier(recorded);
  let answered = 0;
  const { host } = tapeHost<Host>(HOST_METHODS, tape, (call) => {
    answered++;
    if (call.method === "writeStd" && opts.onOutput) {
      const [fd, data] = call.args as [number, Uint8Array];
      opts.onOutput(fd, data);
    }
  });
  let thrown: unknown = null;
  let exit: GuestExit;
  try {
    exit = runGuest({
      image,
      programPath: manifest.guest.path,
      argv: manifest.guest.argv,
      env: manifest.guest.env,
      host: wrapDivergences(host, verifier),
      observer: verifier,
      // Warnings were shown when recording; a replay only reports divergences.
      onWarning: () => {},
      onCpu: (cpu) => verifier.registers = () => cpuRegisters(cpu),
    });
  } catch (e) {
    thrown = e;
    exit = { status: null, signal: null, core: false, icount: 0, error: null };
  }
  if (!verifier.divergence && thrown instanceof Divergence) verifier.divergence = thrown;
  if (!verifier.divergence && thrown) throw thrown;
  verifier.checkComplete();
  const recExit = manifest.exit;
  if (!verifier.divergence && recExit) {
    const fields = (["status", "signal", "core", "icount"] as const).filter((k) =>
      recExit[k] !== exit[k]
    );
    if (fields.length) {
      verifier.divergence = new Divergence("exit", -1, recExit, exit, [...fields]);
    }
  }
  return {
    ok: verifier.divergence === null,
    verified: verifier.verified,
    hostCalls: answered,
    exit,
    divergence: verifier.divergence,
    recent: verifier.recent,
  };
}

/** Makes tape divergences visible to the verifier even if the kernel swallows the exception. */
function wrapDivergences(host: Host, verifier: Verifier): Host {
  const wrapped: Record<string, unknown> = {};
  for (const name of HOST_METHODS) {
    const fn = host[name] as (...a: unknown[]) => unknown;
    wrapped[name] = (...args: unknown[]) => {
      try {
        return fn(...args);
      } catch (e) {
        if (e instanceof Divergence) verifier.fail(e);
        throw e;
      }
    };
  }
  return wrapped as unknown as Host;
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** rip, the 16 GPRs and rflags of the replaying CPU. */
function cpuRegisters(cpu: GuestCpu): Record<string, bigint> {
  const regs: Record<string, bigint> = { rip: BigInt(cpu.rip) };
  GPR_NAMES.forEach((name, i) => regs[name] = cpu.getReg(i));
  regs.rflags = BigInt(cpu.getRflags());
  return regs;
}
