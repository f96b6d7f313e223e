import assert from "node:assert/strict";
import { tapHost } from "./host_tap.ts";

Deno.test("tapHost() forwards calls and reports method, args and result in order", () => {
  const inner = {
    base: 10,
    add(a: number, b: number): number {
      return this.base + a + b;
    },
    bytes(n: number): Uint8Array {
      return new Uint8Array(n).fill(7);
    },
  };
  const seen: [string, unknown[], unknown][] = [];
  const host = tapHost(inner, ["add", "bytes"], (m, a, r) => seen.push([m, a, r]));
  assert.equal(host.add(1, 2), 13);
  assert.deepEqual(host.bytes(2), new Uint8Array([7, 7]));
  assert.deepEqual(seen, [["add", [1, 2], 13], ["bytes", [2], new Uint8Array([7, 7])]]);
});
