/**
 * Guards the golden data: every binary in guests.json has a golden file that ends as the manifest
 * says, and (on a host that can run it, i.e. Linux x86-64 with a new enough kernel) running the
 * binary natively today still produces exactly that golden output, so stale goldens are caught.
 */
import assert from "node:assert/strict";
import { type Guest, listBinaries, loadManifest, parseManifest } from "./manifest.ts";
import { formatGolden, parseGolden } from "./golden_format.ts";
import { hostCanRun, runNative } from "./run_native.ts";
import { endsAsExpected } from "./expectation.ts";

const binaries = listBinaries(loadManifest());

Deno.test("manifest lists the required guests with the required libcs", () => {
  const names = new Set(binaries.map((b) => b.binary));
  for (
    const need of [
      "hello.glibc",
      "hello.musl",
      "demo_compat.glibc",
      "demo_compat.musl",
      "signals_basic.glibc",
      "sud_siginfo.glibc",
      "sud_region_stub.musl",
      "sud_bad_selector.musl",
      "sud_block_return.musl",
    ]
  ) assert.ok(names.has(need), `${need} missing from guests.json`);
});

Deno.test("manifest parser rejects malformed entries with a one-line reason", () => {
  assert.throws(() => parseManifest("{"), /not JSON/);
  assert.throws(
    () => parseManifest(JSON.stringify({ guests: [{ name: "x", source: "x.c" }] })),
    /guests\.json: guests\.0\./,
  );
  const one: Guest = {
    name: "a",
    source: "a.c",
    libcs: ["musl"],
    expect: { exit_code: 0 },
    dispatches: 0,
    shows: "a",
  };
  assert.throws(() => parseManifest(JSON.stringify({ guests: [one, one] })), /duplicate guest a/);
});

Deno.test("expectation check tells exits and signals apart", () => {
  const guest = binaries.find((b) => b.guest.name === "sud_bad_selector")!.guest;
  const killed = { binary: "b", stdout: "", exit_code: null, signal: "SIGSYS" };
  assert.equal(endsAsExpected(guest, killed), null);
  assert.equal(
    endsAsExpected(guest, { ...killed, exit_code: 0, signal: null }),
    "expected killed by SIGSYS, got exit 0",
  );
});

for (const bin of binaries) {
  Deno.test(`golden ${bin.binary}: present, well-formed and as the manifest expects`, () => {
    const golden = parseGolden(Deno.readTextFileSync(bin.goldenPath), bin.goldenPath);
    assert.equal(golden.binary, bin.binary);
    assert.equal(endsAsExpected(bin.guest, golden), null);
    assert.ok(Deno.statSync(bin.binPath).isFile, `${bin.binPath} is not built`);
  });

  Deno.test({
    name: `golden ${bin.binary}: a native run still matches`,
    ignore: !hostCanRun(bin.guest.min_kernel),
    fn: async () => {
      const golden = Deno.readTextFileSync(bin.goldenPath);
      assert.equal(formatGolden(await runNative(bin)), golden);
    },
  });
}

Deno.test("demo_compat reports the dispatch count the manifest promises", () => {
  for (const bin of binaries.filter((b) => b.guest.name === "demo_compat")) {
    const golden = parseGolden(Deno.readTextFileSync(bin.goldenPath), bin.goldenPath);
    const n = bin.guest.dispatches;
    assert.match(golden.stdout, new RegExp(`summary: ${n} foreign syscalls dispatched`));
    assert.equal(golden.stdout.match(/\[SIGSYS #\d+\]/g)?.length, n);
  }
});
