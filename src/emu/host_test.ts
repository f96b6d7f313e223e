import assert from "node:assert/strict";
import { HOST_METHODS, RealHost } from "./host.ts";
import { normaliseGuestPath } from "./real_host.ts";

Deno.test("guest paths are normalised and never climb above the root", () => {
  assert.equal(normaliseGuestPath("/a/./b/../c"), "/a/c");
  assert.equal(normaliseGuestPath("/../../etc/passwd"), "/etc/passwd");
  assert.equal(normaliseGuestPath("//"), "/");
  const host = new RealHost({ root: "/srv/jail", cwd: "/home" });
  assert.equal(host.hostPath("/../../etc/passwd"), "/srv/jail/etc/passwd");
  assert.equal(host.hostPath("../../x"), "/srv/jail/x");
  assert.equal(host.hostPath("/"), "/srv/jail");
});

Deno.test("files under a root: open, pread, pwrite, fstat, readdir, errors as -errno", () => {
  const root = Deno.makeTempDirSync();
  Deno.writeTextFileSync(`${root}/f.txt`, "hello world");
  const host = new RealHost({ root, cwd: "/", capture: true });
  const opened = host.open("/../f.txt", 0, 0);
  assert.ok(typeof opened !== "number");
  assert.equal(new TextDecoder().decode(host.pread(opened.handle, 5, 6) as Uint8Array), "world");
  const st = host.fstat(opened.handle);
  assert.ok(typeof st !== "number" && st.size === 11 && (st.mode & 0o170000) === 0o100000);
  assert.equal(host.close(opened.handle), 0);
  assert.equal(host.close(opened.handle), -9);
  assert.equal(host.open("/missing", 0, 0), -2);
  const w = host.open("/new.txt", 0x41 | 0x200, 0o644);
  assert.ok(typeof w !== "number");
  assert.equal(host.pwrite(w.handle, new TextEncoder().encode("abc"), 0), 3);
  host.close(w.handle);
  assert.equal(Deno.readTextFileSync(`${root}/new.txt`), "abc");
  const names = (host.readdir("/") as { name: string }[]).map((e) => e.name).sort();
  assert.deepEqual(names, ["f.txt", "new.txt"]);
  assert.equal(host.stat("/nope", true), -2);
  Deno.removeSync(root, { recursive: true });
});

Deno.test("captured standard streams and in-memory stdin", () => {
  const host = new RealHost({ capture: true, stdin: new TextEncoder().encode("input") });
  assert.equal(host.writeStd(1, new TextEncoder().encode("out")), 3);
  assert.equal(host.writeStd(2, new TextEncoder().encode("err")), 3);
  assert.equal(host.writeStd(3, new Uint8Array(1)), -9);
  const c = host.captured();
  assert.equal(new TextDecoder().decode(c.stdout), "out");
  assert.equal(new TextDecoder().decode(c.stderr), "err");
  assert.equal(new TextDecoder().decode(host.readStdin(3)), "inp");
  assert.equal(new TextDecoder().decode(host.readStdin(10)), "ut");
  assert.equal(host.readStdin(10).length, 0);
  assert.equal(host.isatty(1), false);
  assert.equal(host.winsize(1), null);
});

Deno.test("host results are JSON-able and every method is listed", () => {
  const host = new RealHost({ capture: true });
  for (const m of HOST_METHODS) assert.equal(typeof host[m], "function", m);
  const t = host.clockGettime(1);
  assert.ok(typeof t !== "number" && t.nsec >= 0 && t.nsec < 1e9);
  assert.equal(host.clockGettime(99), -22);
  assert.equal(host.randomBytes(70000).length, 70000);
  const st = host.statStd(1);
  assert.deepEqual(JSON.parse(JSON.stringify(st)), st);
});
