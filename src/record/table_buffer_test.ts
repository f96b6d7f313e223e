import assert from "node:assert/strict";
import { TableBuffer } from "./table_buffer.ts";
import { EventRows } from "./event_rows.ts";
import { unpackColumns } from "./chunk_file.ts";
import { syntheticEvents } from "./synthetic_events.ts";
import type { SignalEvent, SigreturnEvent, SyscallEvent } from "../emu/linux/events.ts";
import { errnoOf, tableColumns, type TableName } from "./schema.ts";

/** The stored form of a row value (what a reader gets back). */
function stored(kind: string, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (kind.startsWith("i64")) return BigInt.asIntN(64, BigInt(v as bigint | number));
  return v;
}

function rowsOf(buf: TableBuffer): unknown[][] {
  const chunk = buf.take();
  const cols = unpackColumns(chunk);
  return Array.from({ length: chunk.rows }, (_, i) => cols.map((c) => c[i]));
}

function expected(table: TableName, rows: unknown[][]): unknown[][] {
  const kinds = tableColumns(table).map(([, k]) => k);
  return rows.map((r) => r.map((v, c) => stored(kinds[c], v)));
}

const syscalls = syntheticEvents().filter((e) => e.kind === "syscall").map((e) =>
  e.e as SyscallEvent
);
// Edge cases for the errno computed from the stored words.
for (const ret of [2n ** 64n - 4095n, 2n ** 64n - 4096n, 2n ** 64n - 1n, 0xffff_ffffn, 2n ** 63n]) {
  syscalls.push({ ...syscalls[0], ret, argsText: "x" });
}

Deno.test("direct writers store what the row methods produce", () => {
  const direct = new EventRows();
  const viaRows = new EventRows();
  const all = syntheticEvents();
  const signal = all.find((e) => e.kind === "signal")!.e as SignalEvent;
  const sigreturn = all.find((e) => e.kind === "sigreturn")!.e as SigreturnEvent;
  const cases: [TableName, (b: TableBuffer) => void, () => unknown[]][] = [];
  for (const e of syscalls) {
    cases.push(["syscalls", (b) => direct.writeSyscall(b, e), () => viaRows.syscall(e)]);
  }
  // After a dispatch (syscall_seq set), and without one (null), on another tid.
  cases.push(["signals", (b) => direct.writeSignal(b, signal), () => viaRows.signal(signal)]);
  const other = { ...signal, tid: 7, siArch: null, siSyscall: null, frameAddr: null };
  cases.push(["signals", (b) => direct.writeSignal(b, other), () => viaRows.signal(other)]);
  const multi = { ...sigreturn, signalSeq: null, changed: [] };
  for (const e of [sigreturn, multi, { ...sigreturn, changed: ["rip"] }]) {
    cases.push(["sigreturns", (b) => direct.writeSigreturn(b, e), () => viaRows.sigreturn(e)]);
  }
  for (const table of ["syscalls", "signals", "sigreturns"] as const) {
    const a = new TableBuffer(table);
    const b = new TableBuffer(table);
    const rows: unknown[][] = [];
    for (const [t, write, row] of cases) {
      if (t !== table) continue;
      write(a);
      const r = row();
      rows.push(r);
      b.append(r);
    }
    const want = expected(table, rows);
    assert.deepEqual(rowsOf(a), want, `${table}: direct`);
    assert.deepEqual(rowsOf(b), want, `${table}: append`);
  }
  const errnoCol = tableColumns("syscalls").findIndex(([n]) => n === "errno");
  const check = new TableBuffer("syscalls");
  for (const e of syscalls) new EventRows().writeSyscall(check, e);
  assert.deepEqual(rowsOf(check).map((r) => r[errnoCol]), syscalls.map((e) => errnoOf(e.ret)));
});

Deno.test("rows survive growth, take and recycled buffers", () => {
  const buf = new TableBuffer("sud_configs");
  const row = (
    i: number,
  ) => [i, i % 3, i * 2, BigInt(i) << 40n, -1n, 2n ** 64n - 1n, 7n, i ? -i : 0];
  const want = (from: number, n: number) =>
    expected("sud_configs", Array.from({ length: n }, (_, k) => row(from + k)));
  for (let i = 0; i < 1000; i++) buf.append(row(i)); // grows 256 -> 1024
  const first = buf.take();
  const cols = unpackColumns(first);
  assert.deepEqual(
    Array.from({ length: 1000 }, (_, i) => cols.map((c) => c[i])),
    want(0, 1000),
  );
  buf.recycle(first);
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 500; i++) buf.append(row(round * 500 + i));
    const chunk = buf.take();
    const c = unpackColumns(chunk);
    assert.deepEqual(
      Array.from({ length: 500 }, (_, i) => c.map((x) => x[i])),
      want(round * 500, 500),
    );
    buf.recycle(chunk);
  }
});

Deno.test("strings: dictionary-coded and plain columns, nulls kept", () => {
  const buf = new TableBuffer("syscalls");
  const e = syscalls[0];
  const rows = new EventRows();
  const names = ["read", "write", "read", "syscall_0x1234", "read"];
  names.forEach((name, k) =>
    rows.writeSyscall(buf, { ...e, name, argsText: k % 2 ? null : `${name}()` })
  );
  const got = rowsOf(buf);
  const col = (n: string) => tableColumns("syscalls").findIndex(([c]) => c === n);
  assert.deepEqual(got.map((r) => r[col("name")]), names);
  assert.deepEqual(got.map((r) => r[col("args_text")]), [
    "read()",
    null,
    "read()",
    null,
    "read()",
  ]);
  // The dictionary starts afresh with each chunk.
  rows.writeSyscall(buf, { ...e, name: "close" });
  assert.deepEqual(rowsOf(buf).map((r) => r[col("name")]), ["close"]);
});
