import assert from "node:assert/strict";
import type { HostCall } from "../record/trace_reader.ts";
import { Divergence } from "./divergence.ts";
import { tapeHost } from "./tape_host.ts";

interface Toy {
  random(n: number): Uint8Array;
  clock(id: number): number;
}

const tape: HostCall[] = [
  { idx: 0, method: "random", args: [2], result: new Uint8Array([9, 8]) },
  { idx: 1, method: "clock", args: [1], result: 1234 },
];

Deno.test("tapeHost() answers calls from the tape in order", () => {
  const seen: number[] = [];
  const { host, remaining } = tapeHost<Toy>(["random", "clock"], tape, (c) => seen.push(c.idx));
  assert.deepEqual(host.random(2), new Uint8Array([9, 8]));
  assert.equal(remaining(), 1);
  assert.equal(host.clock(1), 1234);
  assert.equal(remaining(), 0);
  assert.deepEqual(seen, [0, 1]);
});

Deno.test("tapeHost() reports a divergence when arguments, method or length differ", () => {
  const a = tapeHost<Toy>(["random", "clock"], tape).host;
  assert.throws(() => a.random(3), (e) => e instanceof Divergence && e.fields[0] === "args");
  const b = tapeHost<Toy>(["random", "clock"], tape).host;
  assert.throws(() => b.clock(1), (e) => e instanceof Divergence && e.fields[0] === "method");
  const c = tapeHost<Toy>(["random", "clock"], tape).host;
  c.random(2);
  c.clock(1);
  assert.throws(() => c.clock(1), (e) => e instanceof Divergence && e.expected === null);
});
