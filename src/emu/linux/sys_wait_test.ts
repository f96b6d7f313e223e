import assert from "node:assert/strict";
import { emulate } from "./testdata/emulate.ts";
import { compileC, runNative } from "./testdata/compile.ts";

const FORK_AND_CRASH = `
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
  pid_t pid = fork();
  if (pid == 0) { *(volatile int *)0 = 1; }
  int st;
  waitpid(pid, &st, 0);
  printf("status 0x%x\\n", st);
  pid = fork();
  if (pid == 0) _exit(7);
  waitpid(pid, &st, 0);
  printf("status 0x%x\\n", st);
  return 3;
}`;

Deno.test("fork: child events carry the child's tid in one global seq order, as native", async () => {
  const bin = await compileC("musl-gcc", FORK_AND_CRASH);
  if (!bin) return;
  const native = await runNative(bin);
  const emu = emulate(bin);
  assert.equal(emu.stdout, native.stdout);
  assert.equal(emu.exit.status, native.code);
  // seq: every event numbered once, in emission order across processes.
  assert.deepEqual(emu.seqs, emu.seqs.map((_, i) => i));
  const forks = emu.syscalls.filter((e) => e.name === "fork");
  assert.equal(forks.length, 2);
  const parent = forks[0].tid;
  const kids = forks.map((f) => Number(f.ret));
  assert.deepEqual(kids, [parent + 1, parent + 2]);
  // Exits: the crashed child (SIGSEGV), the exiting child, then the parent.
  assert.deepEqual(
    emu.exits.map((e) => [e.tid, e.status, e.signal]),
    [[kids[0], null, 11], [kids[1], 7, null], [parent, 3, null]],
  );
  // The child ran first: its exit precedes the parent's wait4 that reaps it.
  const wait = emu.syscalls.find((e) => e.name === "wait4")!;
  assert.equal(wait.tid, parent);
  assert.ok(emu.exits[0].seq < wait.seq);
});

const DEADLOCK = `
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
  int p[2];
  pipe(p);
  pid_t pid = fork();
  if (pid == 0) { char c; read(p[0], &c, 1); _exit(0); }
  waitpid(pid, 0, 0);
  return 0;
}`;

Deno.test("fork: processes blocked on each other end the run with a clear report", async () => {
  // Natively this hangs: the child reads a pipe whose writer the waiting parent holds.
  const bin = await compileC("musl-gcc", DEADLOCK);
  if (!bin) return;
  const emu = emulate(bin);
  assert.equal(emu.exit.error?.kind, "internal");
  assert.match(emu.exit.error!.message, /every process is blocked/);
  assert.match(emu.exit.error!.message, /read from an empty pipe/);
});

Deno.test("clone with CLONE_VM|CLONE_THREAD stays ENOSYS", async () => {
  const bin = await compileC(
    "musl-gcc",
    `#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(void) {
  long r = syscall(SYS_clone, 0x10900 /* VM|SIGHAND|THREAD */, 0, 0, 0, 0);
  printf("%ld\\n", r);
  return 0;
}`,
  );
  if (!bin) return;
  const emu = emulate(bin);
  assert.equal(emu.stdout, "-1\n");
  const clone = emu.syscalls.find((e) => e.name === "clone")!;
  assert.equal(BigInt.asIntN(64, clone.ret!), -38n);
});
