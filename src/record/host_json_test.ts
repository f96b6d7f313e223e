import assert from "node:assert/strict";
import { decodeHostJson, encodeHostJson } from "./host_json.ts";

Deno.test("host json round-trips bytes, bigints and plain values", () => {
  const value = {
    data: new Uint8Array([0, 1, 255, 128]),
    big: 2n ** 64n - 1n,
    neg: -5n,
    list: [1, "x", null, new Uint8Array(0)],
  };
  const text = encodeHostJson(value);
  assert.match(text, /"\$bytes":"AAH/);
  assert.deepEqual(decodeHostJson(text), value);
});

Deno.test("host json leaves look-alike objects with extra keys alone", () => {
  const value = { $bytes: "AA==", other: 1 };
  assert.deepEqual(decodeHostJson(encodeHostJson(value)), value);
});

Deno.test("host json encodes large buffers", () => {
  const big = new Uint8Array(200_000).map((_, i) => i & 0xff);
  assert.deepEqual(decodeHostJson(encodeHostJson(big)), big);
});

Deno.test("host json encodes undefined as null", () => {
  assert.equal(encodeHostJson(undefined), "null");
});
