/** Test helper: compiles a C source to a temp binary with gcc or musl-gcc (null when absent). */
export async function compileC(
  compiler: "gcc" | "musl-gcc",
  source: string,
  flags: string[] = ["-static", "-O2"],
): Promise<string | null> {
  const dir = await Deno.makeTempDir({ prefix: "sudtrace-kernel-" });
  const src = `${dir}/prog.c`;
  const out = `${dir}/prog`;
  await Deno.writeTextFile(src, source);
  try {
    const r = await new Deno.Command(compiler, {
      args: [...flags, src, "-o", out],
      stderr: "piped",
    })
      .output();
    if (!r.success) throw new Error(`${compiler} failed: ${new TextDecoder().decode(r.stderr)}`);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      console.log(`skipped: ${compiler} is not installed`);
      return null;
    }
    throw e;
  }
  return out;
}

/** Runs a binary natively without ASLR and with an empty environment. */
export async function runNative(
  path: string,
  args: string[] = [],
): Promise<{ stdout: string; code: number; signal: string | null }> {
  const r = await new Deno.Command("setarch", {
    args: ["-R", path, ...args],
    clearEnv: true,
    env: {},
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { stdout: new TextDecoder().decode(r.stdout), code: r.code, signal: r.signal };
}
