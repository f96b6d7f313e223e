import assert from "node:assert/strict";
import { Memory, PROT_READ, PROT_WRITE } from "../mem/memory.ts";
import { RealHost } from "../host.ts";
import { runGuest } from "./kernel.ts";
import { beginDecode, quoteBytes, resultText, sigsetText } from "./syscall_decode.ts";
import { normaliseLine, STRACE_GUESTS } from "./testdata/strace/strace_golden.ts";

const here = new URL("./testdata/strace/", import.meta.url).pathname;
const bin = new URL("../../../tests/guests/bin/", import.meta.url).pathname;

/** The emulated listing of a guest: executed calls only, as strace (which cannot see dispatched ones) shows them. */
function emulatedListing(guest: string): string {
  const path = bin + guest;
  const lines: string[] = [];
  runGuest({
    image: Deno.readFileSync(path),
    programPath: path,
    argv: [path],
    env: [],
    host: new RealHost({ capture: true }),
    observer: {
      decodeArgs: true,
      syscall: (e) => {
        if (e.decision !== "dispatch") lines.push(normaliseLine(e.argsText!));
      },
    },
  });
  return lines.map((l) => l + "\n").join("");
}

for (const guest of STRACE_GUESTS) {
  Deno.test(`args_text of ${guest} equals native strace -s 32 (golden listing)`, () => {
    const native = Deno.readTextFileSync(`${here}${guest}.txt`);
    assert.equal(emulatedListing(guest), native);
  });
}

/** A memory with one page at 0x10000 holding `bytes`. */
function memWith(bytes: Uint8Array): Memory {
  const mem = new Memory();
  mem.map(0x10000, 4096, PROT_READ | PROT_WRITE);
  mem.writeBytes(0x10000, bytes);
  return mem;
}

const enc = (s: string) => new TextEncoder().encode(s);
const args = (...a: bigint[]) => [...a, 0n, 0n, 0n, 0n, 0n, 0n].slice(0, 6);

Deno.test("strings are escaped like strace: C escapes, minimal octal unless an octal digit follows", () => {
  assert.equal(
    quoteBytes(Uint8Array.of(0x1b, 0x41, 0, 0x31, 0xff, 0x22, 0x5c)),
    '"\\33A\\0001\\377\\"\\\\"',
  );
  assert.equal(quoteBytes(enc("a\tb\n")), '"a\\tb\\n"');
  assert.equal(quoteBytes(Uint8Array.of(0x85, 0x2b), true), '"\\x85\\x2b"');
});

Deno.test("write buffers are cut at -s bytes with ..., paths are printed whole", () => {
  const long = "/a/very/long/path/that/is/longer/than/thirty-two/bytes";
  const mem = memWith(enc(long + "\0"));
  const w = beginDecode(mem, 1n, args(1n, 0x10000n, BigInt(long.length))).finish(
    BigInt(long.length),
    true,
  );
  assert.equal(w, `write(1, "${long.slice(0, 32)}"..., ${long.length}) = ${long.length}`);
  const o = beginDecode(mem, 257n, args(-100n & ((1n << 64n) - 1n), 0x10000n, 0x80000n));
  assert.equal(
    o.finish(-2n & ((1n << 64n) - 1n), true),
    `openat(AT_FDCWD, "${long}", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)`,
  );
  const c = beginDecode(mem, 257n, args(3n, 0x10000n, 0o1101n, 0o644n)).finish(4n, true);
  assert.equal(c, `openat(3, "${long}", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 4`);
});

Deno.test("unreadable pointers print as addresses, output args of failed calls too", () => {
  const mem = new Memory();
  assert.equal(
    beginDecode(mem, 1n, args(1n, 0x1234n, 5n)).finish(-14n, true),
    "write(1, 0x1234, 5) = -1 EFAULT (Bad address)",
  );
  assert.equal(
    beginDecode(mem, 5n, args(7n, 0x5000n)).finish(-9n, true),
    "fstat(7, 0x5000) = -1 EBADF (Bad file descriptor)",
  );
});

Deno.test("output arguments are read after the call: read() shows what the kernel wrote", () => {
  const mem = memWith(enc("old contents"));
  const d = beginDecode(mem, 0n, args(0n, 0x10000n, 100n));
  mem.writeBytes(0x10000, enc("new\n"));
  assert.equal(d.finish(4n, true), 'read(0, "new\\n", 100) = 4');
});

Deno.test("dispatched and unknown calls: hex arguments, no result", () => {
  const mem = new Memory();
  assert.equal(
    beginDecode(mem, 0x1001n, args(0x406470n, 0x1en)).finish(null, false),
    "syscall_0x1001(0x406470, 0x1e, 0, 0, 0, 0)",
  );
  // A known number that was dispatched still decodes with the Linux signature.
  assert.equal(beginDecode(mem, 3n, args(5n)).finish(null, false), "close(5)");
  assert.equal(beginDecode(mem, 231n, args(0n)).finish(null, true), "exit_group(0) = ?");
});

Deno.test("results: errno names, hex for mmap/brk, restart codes", () => {
  assert.equal(resultText(-38n), "-1 ENOSYS (Function not implemented)");
  assert.equal(resultText(0x7ffff7ff0000n, "hex"), "0x7ffff7ff0000");
  assert.equal(resultText(-512n), "? ERESTARTSYS (To be restarted if SA_RESTART is set)");
  assert.equal(resultText((1n << 64n) - 1n), "-1 EPERM (Operation not permitted)");
});

Deno.test("sigsets print like strace: names without SIG, ~[...] for mostly-full sets", () => {
  assert.equal(sigsetText(1n << 30n), "[SYS]");
  assert.equal(sigsetText(0n), "[]");
  assert.equal(sigsetText(~(7n << 31n) & ((1n << 64n) - 1n)), "~[RTMIN RT_1 RT_2]");
});

Deno.test("itimervals print like strace (setitimer/getitimer), alarm takes its seconds", () => {
  // Expected lines as `strace -e trace=setitimer,getitimer` printed them for sig_alarm.musl.
  const v = new BigInt64Array([0n, 0n, 0n, 1_000_000n]); // interval 0, value 0 s 1000000 us
  const mem = memWith(new Uint8Array(v.buffer));
  assert.equal(
    beginDecode(mem, 38n, args(0n, 0x10000n, 0n)).finish(-22n & ((1n << 64n) - 1n), true),
    "setitimer(ITIMER_REAL, {it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=0, " +
      "tv_usec=1000000}}, NULL) = -1 EINVAL (Invalid argument)",
  );
  const zero = memWith(new Uint8Array(32));
  assert.equal(
    beginDecode(zero, 36n, args(0n, 0x10000n)).finish(0n, true),
    "getitimer(ITIMER_REAL, {it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=0, tv_usec=0}}) = 0",
  );
  assert.equal(beginDecode(zero, 37n, args(2n)).finish(0n, true), "alarm(2) = 0");
});

Deno.test("sendfile shows its offset before => after, copy_file_range its offsets, like strace", () => {
  // Expected lines as `strace -e trace=sendfile,copy_file_range` printed them for sys_files.musl.
  const mem = memWith(new Uint8Array(new BigInt64Array([2n, 100n]).buffer));
  const d = beginDecode(mem, 40n, args(5n, 4n, 0x10000n, 5n));
  mem.writeBytes(0x10000, new Uint8Array(new BigInt64Array([6n]).buffer)); // the call moved it
  assert.equal(d.finish(4n, true), "sendfile(5, 4, [2] => [6], 5) = 4");
  assert.equal(
    beginDecode(mem, 40n, args(5n, 4n, 0n, 100n)).finish(0n, true),
    "sendfile(5, 4, NULL, 100) = 0",
  );
  const c = beginDecode(mem, 326n, args(4n, 0x10000n, 5n, 0x10008n, 4n, 0n));
  assert.equal(c.finish(4n, true), "copy_file_range(4, [6], 5, [100], 4, 0) = 4");
});

Deno.test("a repeated call reuses its line, any different argument or result formats anew", () => {
  const mem = new Memory();
  const line = (a0: bigint, ret: bigint | null, executed = true) =>
    beginDecode(mem, 0x1234n, args(a0, 1n)).finish(ret, executed);
  assert.equal(line(0n, 0n), "syscall_0x1234(0, 0x1, 0, 0, 0, 0) = 0");
  assert.equal(line(0n, 0n), "syscall_0x1234(0, 0x1, 0, 0, 0, 0) = 0");
  assert.equal(line(7n, 0n), "syscall_0x1234(0x7, 0x1, 0, 0, 0, 0) = 0");
  assert.equal(line(7n, 5n), "syscall_0x1234(0x7, 0x1, 0, 0, 0, 0) = 5");
  assert.equal(line(7n, null, false), "syscall_0x1234(0x7, 0x1, 0, 0, 0, 0)");
  // Memory-reading formatters: the entered texts decide (a path changed in memory shows).
  const m = memWith(enc("/a\0"));
  assert.equal(beginDecode(m, 87n, args(0x10000n)).finish(0n, true), 'unlink("/a") = 0');
  m.writeBytes(0x10000, enc("/b\0"));
  assert.equal(beginDecode(m, 87n, args(0x10000n)).finish(0n, true), 'unlink("/b") = 0');
});
