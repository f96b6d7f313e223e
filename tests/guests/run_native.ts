/**
 * Runs a guest binary natively under fixed conditions so its output is reproducible: empty
 * environment, stdin from a fixed file (or /dev/null), no core dumps, cwd in a scratch directory
 * (a crashing guest must not leave files in the repository).
 */
import type { GuestBinary } from "./manifest.ts";
import type { Golden } from "./golden_format.ts";

// `exec` keeps the guest as the direct child, so a fatal signal is reported as the child's signal.
// $0 is the guest, $1 its stdin file, the rest its arguments.
const LAUNCHER = 'ulimit -c 0 && in="$1" && shift && exec "$0" "$@" < "$in"';

export async function runNative(bin: GuestBinary): Promise<Golden> {
  const scratch = await Deno.makeTempDir({ prefix: "sudtrace-guest-" });
  try {
    const out = await new Deno.Command("/bin/sh", {
      args: ["-c", LAUNCHER, bin.binPath, bin.stdinPath ?? "/dev/null", ...bin.args],
      clearEnv: true,
      env: {},
      cwd: scratch,
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).output();
    return {
      binary: bin.binary,
      stdout: new TextDecoder().decode(out.stdout),
      exit_code: out.signal === null ? out.code : null,
      signal: out.signal,
    };
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
}

/** True when this host can run the guests natively and its kernel is at least `min` (major.minor). */
export function hostCanRun(min = "5.11"): boolean {
  if (Deno.build.os !== "linux" || Deno.build.arch !== "x86_64") return false;
  const [major, minor] = Deno.osRelease().split(/[.-]/).map(Number);
  const [wantMajor, wantMinor] = min.split(".").map(Number);
  return major > wantMajor || (major === wantMajor && minor >= wantMinor);
}
