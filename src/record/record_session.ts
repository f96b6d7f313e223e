/**
 * `record()`: run a guest under the emulator with the real host taped, and write its trace.
 * This is where the kernel, the host door and the recorder meet.
 */
import { basename, join, resolve } from "node:path";
import { type Host, HOST_METHODS, RealHost, type RealHostOptions } from "../emu/host.ts";
import { tapHost } from "../emu/host_tap.ts";
import type { GuestCpu } from "../emu/cpu/cpu_api.ts";
import { type GuestExit, runGuestAsync } from "../emu/linux/kernel.ts";
import { CPU_PROFILE, TOOL_VERSION } from "../version.ts";
import type { Manifest } from "./manifest.ts";
import { Recorder } from "./recorder.ts";

export interface RecordOptions {
  /** Host path of the static x86-64 program. */
  program: string;
  /** Arguments after argv[0]. */
  args?: string[];
  /** argv[0] as the guest sees it (default: the program path as given). */
  argv0?: string;
  /** Trace directory (default `<tracesDir>/<name>-<time>`). */
  out?: string;
  /** Parent of default trace directories (default "traces"). */
  tracesDir?: string;
  /** Replace an existing trace directory. */
  overwrite?: boolean;
  /** Guest environment ("KEY=VALUE"). */
  env?: string[];
  /** Host options: root directory, captured output, canned stdin. */
  host?: RealHostOptions;
  maxInstructions?: number;
  /** Called between execution slices (about every 5 M instructions) with the progress so far. */
  onProgress?: (progress: RecordProgress) => void;
  /** Wraps the (taped) host, e.g. to inject failures; the tape records what the guest saw. */
  wrapHost?: (host: Host) => Host;
  /** The creation time written into the manifest (default: now). */
  now?: Date;
  onWarning?: (message: string) => void;
}

/** How far a recording has got. */
export interface RecordProgress {
  icount: number;
  syscalls: number;
  signals: number;
}

export interface RecordResult {
  /** The trace directory. */
  dir: string;
  exit: GuestExit;
  manifest: Manifest;
  /** The real host, e.g. to read captured output. */
  host: RealHost;
}

/** Compact local timestamp for default trace names: 20261128-153611. */
function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${
    p(d.getMinutes())
  }${p(d.getSeconds())}`;
}

/** A trace directory name that does not exist yet. */
export function defaultTraceDir(tracesDir: string, program: string, now: Date): string {
  const base = join(tracesDir, `${basename(program)}-${stamp(now)}`);
  let dir = base;
  for (let i = 2; exists(dir); i++) dir = `${base}-${i}`;
  return dir;
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Hex sha256 of bytes. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Runs the program and records it. Throws only for problems before the guest starts (unreadable
 * program, trace directory not creatable); everything the guest does ends in `exit`.
 */
export async function record(opts: RecordOptions): Promise<RecordResult> {
  const now = opts.now ?? new Date();
  const hostPath = resolve(opts.program);
  const image = Deno.readFileSync(hostPath);
  // Under --root the guest sees the program at its path inside the root (for /proc/self/exe).
  const root = opts.host?.root ? resolve(opts.host.root) : "/";
  const programPath = root !== "/" && hostPath.startsWith(`${root}/`)
    ? hostPath.slice(root.length)
    : hostPath;
  const argv = [opts.argv0 ?? opts.program, ...(opts.args ?? [])];
  const env = opts.env ?? [];
  const dir = opts.out ?? defaultTraceDir(opts.tracesDir ?? "traces", opts.program, now);
  const real = new RealHost(opts.host ?? {});
  const recorder = Recorder.create(dir, {
    tool_version: TOOL_VERSION,
    created: now.toISOString(),
    guest: {
      path: programPath,
      file: opts.program,
      sha256: await sha256Hex(image),
      argv,
      env,
      cwd: real.cwd(),
    },
    cpu_profile: CPU_PROFILE,
  }, { overwrite: opts.overwrite ?? false, background: true, chunkRows: 16384 });
  const taped: Host = tapHost<Host>(
    real,
    HOST_METHODS,
    (method, args, result) => recorder.recordHostCall(method, args, result),
  );
  const host = opts.wrapHost ? opts.wrapHost(taped) : taped;
  // Ctrl-C (or SIGTERM) ends the recording cleanly: the guest stops at the next slice boundary
  // and everything recorded so far is flushed. A second one exits at once.
  let stopReason: string | null = null;
  const listeners = (["SIGINT", "SIGTERM"] as const).map((name) => {
    const listener = () => {
      if (stopReason) Deno.exit(name === "SIGINT" ? 130 : 143);
      stopReason = `interrupted by ${name}`;
    };
    Deno.addSignalListener(name, listener);
    return [name, listener] as const;
  });
  let exit: GuestExit;
  let cpu: GuestCpu | null = null;
  try {
    exit = await runGuestAsync({
      image,
      programPath,
      argv,
      env,
      host,
      observer: recorder,
      maxInstructions: opts.maxInstructions,
      onWarning: opts.onWarning,
      onCpu: (c) => cpu = c,
      stopRequested: () => {
        if (opts.onProgress && cpu) {
          const counts = recorder.counts;
          opts.onProgress({
            icount: cpu.icount,
            syscalls: counts.syscalls,
            signals: counts.signals,
          });
        }
        return stopReason;
      },
    });
  } catch (e) {
    await recorder.settle().catch(() => {});
    recorder.abort(`internal error: ${e instanceof Error ? e.message : String(e)}`);
    throw e;
  } finally {
    for (const [name, listener] of listeners) Deno.removeSignalListener(name, listener);
  }
  try {
    await recorder.settle();
  } catch (e) {
    recorder.abort(e instanceof Error ? e.message : String(e));
    throw e;
  }
  if (exit.error?.kind === "internal" || exit.error?.kind === "interrupted") {
    // What was recorded is readable, but it is not the whole run.
    recorder.abort(
      exit.error.kind === "internal" ? `internal error: ${exit.error.message}` : exit.error.message,
    );
    return { dir, exit, manifest: recorder.manifest, host: real };
  }
  recorder.finish({
    status: exit.status,
    signal: exit.signal,
    core: exit.core,
    icount: exit.icount,
    error: exit.error ? `${exit.error.kind}: ${exit.error.message}` : null,
  });
  return { dir, exit, manifest: recorder.manifest, host: real };
}
