import assert from "node:assert/strict";
import { emulate } from "./testdata/emulate.ts";
import { compileC, runNative } from "./testdata/compile.ts";

/** The exec'd program: what it sees of its own identity, then a distinctive exit status. */
const TARGET = `
#include <stdio.h>
#include <unistd.h>
#include <sys/auxv.h>
int main(int argc, char **argv) {
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  exe[n < 0 ? 0 : n] = 0;
  printf("target argc %d argv0 [%s] argv1 [%s]\\n", argc, argv[0], argc > 1 ? argv[1] : "");
  printf("exe [%s] execfn [%s]\\n", exe, (char *)getauxval(AT_EXECFN));
  return 5;
}`;

const launcher = (target: string) => `
#include <stdio.h>
#include <unistd.h>
int main(void) {
  char *argv[] = {"renamed", "arg", 0};
  char *envp[] = {0};
  printf("launcher\\n");
  fflush(stdout);
  execve("${target}", argv, envp);
  printf("execve failed\\n");
  return 1;
}`;

Deno.test("execve: another static program replaces the image, as native", async () => {
  const target = await compileC("musl-gcc", TARGET);
  if (!target) return;
  const bin = await compileC("musl-gcc", launcher(target));
  if (!bin) return;
  const native = await runNative(bin);
  const emu = emulate(bin);
  assert.equal(emu.stdout, native.stdout);
  assert.ok(emu.stdout.includes(`exe [${target}] execfn [${target}]`), emu.stdout);
  assert.equal(emu.exit.status, native.code);
  assert.equal(emu.exit.status, 5);
  const execs = emu.syscalls.filter((e) => e.name === "execve");
  assert.equal(execs.length, 1);
  assert.equal(execs[0].ret, 0n); // strace's "= 0"
  assert.deepEqual(emu.warnings, []);
});

Deno.test("execve: a dynamically linked program is refused with -ENOEXEC and one warning", async () => {
  const dynamic = await compileC("gcc", TARGET, ["-O2"]);
  if (!dynamic) return;
  const bin = await compileC("musl-gcc", launcher(dynamic));
  if (!bin) return;
  const emu = emulate(bin); // natively the program would run: this is our limit, not Linux's
  assert.equal(emu.stdout, "launcher\nexecve failed\n");
  assert.equal(emu.exit.status, 1);
  const exec = emu.syscalls.find((e) => e.name === "execve")!;
  assert.equal(exec.ret, BigInt.asUintN(64, -8n)); // -ENOEXEC
  assert.equal(emu.warnings.length, 1);
  assert.ok(emu.warnings[0].includes(dynamic) && emu.warnings[0].includes("PT_INTERP"));
});
