/**
 * The verifier against a recorded synthetic run: the same events verify; every kind of change is
 * reported as the first divergence with the recorded and replayed rows and the differing fields.
 */
import assert from "node:assert/strict";
import type { KernelObserver } from "../emu/linux/events.ts";
import { Recorder } from "../record/recorder.ts";
import {
  emitTo,
  SYNTHETIC_BASE,
  type SyntheticEvent,
  syntheticEvents,
} from "../record/synthetic_events.ts";
import { openTrace } from "../record/trace_reader.ts";
import type { TableColumns } from "../record/table_columns.ts";
import { Divergence } from "./divergence.ts";
import { EVENT_TABLES, type EventTable, Verifier } from "./verifier.ts";

const EXIT = { status: 3, signal: null, core: false, icount: 91, error: null };

async function recorded(): Promise<Record<EventTable, TableColumns>> {
  const dir = Deno.makeTempDirSync();
  const rec = Recorder.create(dir, SYNTHETIC_BASE);
  emitTo(rec, syntheticEvents());
  rec.finish(EXIT);
  const trace = openTrace(dir);
  const tables = {} as Record<EventTable, TableColumns>;
  for (const t of EVENT_TABLES) tables[t] = await trace.readColumns(t);
  return tables;
}

/** Runs `events` through a fresh verifier; returns it after checkComplete. */
async function verify(events: SyntheticEvent[]): Promise<Verifier> {
  const v = new Verifier(await recorded());
  try {
    emitTo(v as KernelObserver, events);
  } catch (e) {
    assert.ok(e instanceof Divergence, String(e));
    assert.equal(e, v.divergence);
  }
  v.checkComplete();
  return v;
}

/** The synthetic events with the one at `index` changed by `edit`. */
function edited(index: number, edit: (e: Record<string, unknown>) => void): SyntheticEvent[] {
  const events = syntheticEvents();
  const ev = events[index];
  const e = { ...ev.e } as Record<string, unknown>;
  edit(e);
  events[index] = { ...ev, e } as unknown as SyntheticEvent;
  return events;
}

Deno.test("the recorded events verify, with the last five as the recent list", async () => {
  const v = await verify(syntheticEvents());
  assert.equal(v.divergence, null);
  assert.equal(v.verified, 12);
  assert.equal(v.decodeArgs, false);
  assert.deepEqual(
    v.recent.map((e) => [e.table, e.row.seq]),
    [["signals", 6n], ["syscalls", 7n], ["sigreturns", 8n], ["syscalls", 9n], ["exits", 10n]],
  );
});

Deno.test("a changed value is reported with both rows and the field name", async () => {
  const v = await verify(edited(2, (e) => e.ret = 6n));
  const d = v.divergence!;
  assert.equal(d.event, "syscalls");
  assert.equal(d.seq, 2);
  assert.deepEqual(d.fields, ["ret"]);
  const expected = d.expected as Record<string, unknown>;
  const actual = d.actual as Record<string, unknown>;
  assert.equal(expected.ret, 5n);
  assert.equal(actual.ret, 6n);
  // Values >= 2^63 are compared and shown as the stored (signed) INT64.
  assert.equal(expected.a3, actual.a3);
  assert.equal(actual.a5, -1n);
  assert.deepEqual(Object.keys(actual), Object.keys(expected));
  assert.deepEqual(v.recent.map((e) => e.row.seq), [0n, 1n]);
  assert.equal(v.verified, 2);
});

Deno.test("several changed fields, null against a value, and high registers", async () => {
  const v = await verify(edited(7, (e) => {
    const words = (e.regWords as Int32Array).slice();
    words[2 * 7] = 1; // r15 (sigcontext slot 7) := 1
    words[2 * 7 + 1] = 0;
    e.regWords = words; // rax keeps its recorded value (2^64 - 38)
    e.frameAddr = null;
    e.siArch = 0xc000_003f;
  }));
  assert.deepEqual(v.divergence?.fields, ["si_arch", "frame_addr", "r15"]);
  assert.equal(v.divergence?.event, "signals");
});

Deno.test("a recorded event that did not happen is missing", async () => {
  const events = syntheticEvents();
  events.splice(1, 1); // the SUD config
  const d = (await verify(events)).divergence!;
  assert.equal(d.event, "sud_configs");
  assert.equal(d.seq, 1);
  assert.deepEqual(d.fields, ["missing"]);
  assert.equal((d.actual as Record<string, unknown>).table, "syscalls");
  assert.equal((d.actual as Record<string, unknown>).seq, 2n);
  assert.equal((d.expected as Record<string, unknown>).selector, 0x4000_1000n);
});

Deno.test("an event of another kind at a recorded seq, and one past the trace", async () => {
  const events = syntheticEvents();
  events[1] = { kind: "syscall", e: { ...(events[0].e as object), seq: 1 } } as SyntheticEvent;
  let d = (await verify(events)).divergence!;
  assert.equal(d.event, "syscalls");
  assert.deepEqual(d.fields, ["kind"]);
  assert.equal((d.expected as Record<string, unknown>).table, "sud_configs");

  const longer = syntheticEvents();
  longer.push({
    kind: "exit",
    e: { seq: 11, tid: 100, icount: 92, status: 3, signal: null, core: false },
  });
  d = (await verify(longer)).divergence!;
  assert.equal(d.event, "exits");
  assert.equal(d.seq, 11);
  assert.equal(d.expected, null);
  assert.deepEqual(d.fields, ["kind"]);
});

Deno.test("memory writes: changed bytes, unexpected and missing writes", async () => {
  let d = (await verify(edited(4, (e) => e.bytes = new Uint8Array([104, 105, 0, 254]))))
    .divergence!;
  assert.equal(d.event, "mem_writes");
  assert.deepEqual(d.fields, ["bytes"]);

  d = (await verify(edited(4, (e) => e.seq = 4))).divergence!;
  assert.deepEqual(d.fields, ["unexpected write"]);
  assert.equal(d.expected, null);

  const events = syntheticEvents();
  events.splice(4, 1);
  d = (await verify(events)).divergence!;
  assert.equal(d.event, "mem_writes");
  assert.equal(d.seq, 3);
  assert.deepEqual(d.fields, ["missing"]);
  assert.equal(d.actual, null);
});

Deno.test("a run that stops early is missing its remaining events", async () => {
  const d = (await verify(syntheticEvents().slice(0, -1))).divergence!;
  assert.equal(d.event, "exits");
  assert.equal(d.seq, 10);
  assert.deepEqual(d.fields, ["missing"]);
});

Deno.test("fromEvents (rows) verifies like the columns read from disk", async () => {
  const tables = await recorded();
  const events = EVENT_TABLES.flatMap((table) =>
    tables[table].toRows().map((row) => ({ table, row }))
  );
  const v = Verifier.fromEvents(events);
  emitTo(v, syntheticEvents());
  v.checkComplete();
  assert.equal(v.divergence, null);
  assert.equal(v.verified, 12);
  const withText = Verifier.fromEvents([{
    table: "syscalls",
    row: { ...events[0].row, args_text: "x" },
  }]);
  assert.equal(withText.decodeArgs, true);
});
