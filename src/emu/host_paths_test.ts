import assert from "node:assert/strict";
import { type PathProbe, resolveUnderRoot } from "./host_paths.ts";
import { RealHost } from "./real_host.ts";

/** A fake tree: "d" = directory, "f" = file, "->target" = symlink. */
function probe(tree: Record<string, string>): PathProbe {
  return {
    kind: (p) => {
      const e = tree[p];
      return e === undefined ? null : e === "d" ? "dir" : e === "f" ? "other" : "symlink";
    },
    readlink: (p) => tree[p].slice(2),
  };
}

Deno.test("resolution follows symlinks inside the root and never above it", () => {
  const t = probe({
    "/r/a": "d",
    "/r/a/f": "f",
    "/r/abs": "->/a/f",
    "/r/up": "->../../../a",
    "/r/loop": "->loop",
    "/r/etc": "d",
  });
  const r = (p: string, follow = true) => resolveUnderRoot("/r", "/", p, follow, t);
  assert.deepEqual(r("/abs"), { guest: "/a/f", host: "/r/a/f" });
  assert.deepEqual(r("/up/f"), { guest: "/a/f", host: "/r/a/f" });
  assert.deepEqual(r("/../../../etc"), { guest: "/etc", host: "/r/etc" });
  assert.deepEqual(r("/abs", false), { guest: "/abs", host: "/r/abs" });
  assert.equal(r("/loop"), -40);
  assert.equal(r("/missing/x"), -2);
  assert.equal(r("/a/f/x"), -20);
  assert.equal(r("/a/f/"), -20);
  assert.deepEqual(r("/a/new"), { guest: "/a/new", host: "/r/a/new" });
});

Deno.test("a RealHost with a root cannot be led out of it by symlinks or ..", () => {
  const outside = Deno.makeTempDirSync();
  Deno.writeTextFileSync(`${outside}/secret`, "outside");
  const root = Deno.makeTempDirSync();
  Deno.mkdirSync(`${root}/etc`);
  Deno.writeTextFileSync(`${root}/etc/passwd`, "inside");
  Deno.symlinkSync("/etc/passwd", `${root}/abs`); // absolute: means <root>/etc/passwd
  Deno.symlinkSync("../../../../../../../etc/passwd", `${root}/rel`);
  Deno.symlinkSync(outside, `${root}/out`); // names a host dir; inside the root it does not exist
  const host = new RealHost({ root, cwd: "/", capture: true });
  const read = (p: string) => {
    const o = host.open(p, 0, 0);
    if (typeof o === "number") return o;
    const bytes = host.pread(o.handle, 100, 0);
    host.close(o.handle);
    return new TextDecoder().decode(bytes as Uint8Array);
  };
  assert.equal(read("/abs"), "inside");
  assert.equal(read("/rel"), "inside");
  assert.equal(read("/../../etc/passwd"), "inside");
  assert.equal(read("/out/secret"), -2);
  assert.equal(host.readlink("/abs"), "/etc/passwd");
  assert.equal(host.realpath("/rel"), "/etc/passwd");
  assert.equal(host.stat("/out", true), -2);
  assert.equal(typeof host.stat("/out", false), "object");
  // Creating through a symlink creates inside the root.
  Deno.symlinkSync("/made", `${root}/mk`);
  const w = host.open("/mk", 0x41, 0o600);
  assert.ok(typeof w !== "number");
  host.close(w.handle);
  assert.ok(Deno.statSync(`${root}/made`).isFile);
  assert.equal((Deno.statSync(`${root}/made`).mode ?? 0) & 0o777, 0o600);
  Deno.removeSync(root, { recursive: true });
  Deno.removeSync(outside, { recursive: true });
});
