import assert from "node:assert/strict";
import { encodeHostValue } from "../emu/host_tap.ts";
import { Divergence } from "./divergence.ts";
import { tapeHost } from "./tape_host.ts";

interface Toy {
  random(n: number): Uint8Array;
  clock(id: number): number;
}

const tape = [
  {
    idx: 0,
    method: "random",
    args: encodeHostValue([2]),
    result: encodeHostValue(new Uint8Array([9, 8])),
  },
  { idx: 1, method: "clock", args: encodeHostValue([1]), result: encodeHostValue(1234) },
];

Deno.test("tapeHost() answers calls from the tape in order", () => {
  const { host, remaining } = tapeHost<Toy>(["random", "clock"], tape);
  assert.deepEqual(host.random(2), new Uint8Array([9, 8]));
  assert.equal(remaining(), 1);
  assert.equal(host.clock(1), 1234);
  assert.equal(remaining(), 0);
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
