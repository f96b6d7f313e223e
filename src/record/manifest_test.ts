import assert from "node:assert/strict";
import { join } from "node:path";
import { type Manifest, writeManifest } from "./manifest.ts";
import { readManifest } from "./manifest_read.ts";
import { TraceError } from "./trace_error.ts";
import { Recorder } from "./recorder.ts";
import { SYNTHETIC_BASE } from "./synthetic_events.ts";

function validManifestDir(): { dir: string; manifest: Manifest } {
  const dir = Deno.makeTempDirSync();
  const manifest = Recorder.create(dir, SYNTHETIC_BASE).manifest;
  return { dir, manifest };
}

function expectError(dir: string, pattern: RegExp, kind: TraceError["kind"]): void {
  assert.throws(() => readManifest(dir), (err: unknown) => {
    assert.ok(err instanceof TraceError);
    assert.equal(err.kind, kind);
    assert.match(err.message, pattern);
    assert.ok(!err.message.includes("\n"));
    return true;
  });
}

Deno.test("manifest round-trips through write and read", () => {
  const { dir, manifest } = validManifestDir();
  assert.deepEqual(readManifest(dir), manifest);
  assert.equal(manifest.format, "sudtrace-trace");
  assert.equal(manifest.int64_encoding, "twos_complement");
});

Deno.test("missing manifest says which directory", () => {
  const dir = Deno.makeTempDirSync();
  expectError(dir, /manifest\.json: not found; is .* a sudtrace trace directory\?/, "missing");
});

Deno.test("manifest that is not JSON is corrupt", () => {
  const { dir } = validManifestDir();
  Deno.writeTextFileSync(join(dir, "manifest.json"), '{"format": "sudtrace-trace",');
  expectError(dir, /not valid JSON/, "corrupt");
});

Deno.test("manifest of another format or version is rejected by name", () => {
  const { dir, manifest } = validManifestDir();
  Deno.writeTextFileSync(join(dir, "manifest.json"), JSON.stringify({ format: "other" }));
  expectError(dir, /not a sudtrace trace manifest/, "corrupt");
  Deno.writeTextFileSync(
    join(dir, "manifest.json"),
    JSON.stringify({ ...manifest, format_version: 2 }),
  );
  expectError(dir, /format_version 2 is not supported/, "corrupt");
});

Deno.test("manifest with a bad field names the field", () => {
  const { dir, manifest } = validManifestDir();
  const bad = { ...manifest, counts: { ...manifest.counts, syscalls: -1 } };
  Deno.writeTextFileSync(join(dir, "manifest.json"), JSON.stringify(bad));
  expectError(dir, /invalid manifest at counts\.syscalls/, "corrupt");
  const noGuest = { ...manifest, guest: undefined };
  Deno.writeTextFileSync(join(dir, "manifest.json"), JSON.stringify(noGuest));
  expectError(dir, /invalid manifest at guest/, "corrupt");
});

Deno.test("what a writer gets wrong is caught when the manifest is read", () => {
  const { dir, manifest } = validManifestDir();
  writeManifest(dir, { ...manifest, created: "yesterday" });
  expectError(dir, /invalid manifest at created/, "corrupt");
});
