import assert from "node:assert/strict";
import { ChunkAccumulator } from "./chunk_accumulator.ts";
import { TableBuffer } from "./table_buffer.ts";
import { unpackColumns } from "./chunk_file.ts";

/** A syscalls segment from TableBuffer.append rows (generic path: the recorder's packing). */
function segmentOf(rows: unknown[][]) {
  const buf = new TableBuffer("syscalls");
  for (const r of rows) buf.append(r);
  return buf.take();
}

function row(seq: number, name: string, args: string | null, ret: bigint | null): unknown[] {
  return [
    seq,
    1,
    seq * 10,
    0x401000n,
    39n,
    name,
    0n,
    1n,
    2n,
    3n,
    4n,
    -1n,
    "no_sud",
    null,
    null,
    ret,
    ret === null ? null : 0,
    0,
    args,
  ];
}

Deno.test("segments with their own dictionaries are re-coded into one chunk dictionary", () => {
  const acc = new ChunkAccumulator("syscalls");
  const a = segmentOf([row(0, "getpid", "getpid()", 5n), row(1, "read", null, null)]);
  const b = segmentOf([row(2, "read", "read(0)", 1n), row(3, "getpid", "getpid()", 5n)]);
  acc.append(a, 0, a.rows);
  acc.append(b, 1, 1); // only row 3
  acc.append(b, 0, 1); // then row 2
  const cols = unpackColumns(acc.chunk());
  assert.deepEqual(cols[0], new BigInt64Array([0n, 1n, 3n, 2n]));
  assert.deepEqual(cols[5], ["getpid", "read", "getpid", "read"]);
  assert.deepEqual(cols[18], ["getpid()", null, "getpid()", "read(0)"]);
  assert.deepEqual(cols[15], [5n, null, 5n, 1n]);
  assert.deepEqual(cols[11], new BigInt64Array([-1n, -1n, -1n, -1n]));
  // The chunk dictionary holds each string once.
  assert.deepEqual(acc.chunk().columns[5].dict, ["getpid", "read"]);
});

Deno.test("reset keeps arrays, forgets rows and dictionaries; growth keeps earlier rows", () => {
  const acc = new ChunkAccumulator("syscalls");
  const many = Array.from({ length: 3000 }, (_, i) => row(i, `n${i % 7}`, `t${i}`, BigInt(i)));
  const seg = segmentOf(many);
  acc.append(seg, 0, 1000);
  acc.append(seg, 1000, 2000); // grows past the first capacity
  let cols = unpackColumns(acc.chunk());
  assert.equal(acc.rows, 3000);
  assert.deepEqual(Array.from(cols[0] as BigInt64Array).map(Number), [...Array(3000).keys()]);
  assert.equal((cols[18] as string[])[2999], "t2999");
  acc.reset();
  assert.equal(acc.rows, 0);
  acc.append(segmentOf([row(7, "x", "x()", null)]), 0, 1);
  cols = unpackColumns(acc.chunk());
  assert.deepEqual(cols[5], ["x"]);
  assert.deepEqual(acc.chunk().columns[5].dict, ["x"]);
});

Deno.test("plain columns (mem_writes bytes) are appended value by value", () => {
  const buf = new TableBuffer("mem_writes");
  buf.append([0, 0x1000n, 2, new Uint8Array([1, 2])]);
  buf.append([1, 0x2000n, 1, new Uint8Array([3])]);
  const acc = new ChunkAccumulator("mem_writes");
  const seg = buf.take();
  acc.append(seg, 1, 1);
  acc.append(seg, 0, 1);
  const cols = unpackColumns(acc.chunk());
  assert.deepEqual(cols[3], [new Uint8Array([3]), new Uint8Array([1, 2])]);
  assert.deepEqual(cols[2], new Int32Array([1, 2]));
});
