import assert from "node:assert/strict";
import { join } from "node:path";
import { openQuery } from "./duckdb_engine.ts";
import { QueryError, type QueryResult } from "./engine.ts";
import { recordSyntheticTrace } from "./query_fixture.ts";
import { Recorder } from "../record/recorder.ts";
import { SYNTHETIC_BASE } from "../record/synthetic_events.ts";
import { TABLE_NAMES } from "../record/schema.ts";

async function runOn(dirs: string[], sql: string): Promise<QueryResult> {
  const engine = await openQuery(dirs);
  try {
    return await engine.run(sql);
  } finally {
    engine.close();
  }
}

async function rejection(p: Promise<unknown>): Promise<QueryError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof QueryError, `expected QueryError, got ${err}`);
    assert.ok(!err.message.includes("\n"), "one-line message");
    return err;
  }
  throw new Error("expected a rejection");
}

Deno.test("DuckDB sees the recorded trace: dispatch count and signed INT64 values", async () => {
  const dir = recordSyntheticTrace();
  const r = await runOn([dir], "SELECT count(*) AS n FROM syscalls WHERE decision = 'dispatch'");
  assert.deepEqual(r.columns, [{ name: "n", type: "BIGINT" }]);
  assert.deepEqual(r.rows, [[1n]]);
  const v = await runOn(
    [dir],
    "SELECT a5, ret, errno, u64(a3) AS a3u, hex64(a3) AS a3x FROM syscalls WHERE name = 'open'",
  );
  assert.deepEqual(v.rows, [[-1n, -2n, 2, 0xffff_ffff_ffff_f000n, "0xfffffffffffff000"]]);
});

Deno.test("every table is a view with the schema's columns, plus trace", async () => {
  const dir = recordSyntheticTrace("t1");
  const engine = await openQuery([dir]);
  try {
    for (const table of TABLE_NAMES) {
      const r = await engine.run(`SELECT * FROM ${table} LIMIT 0`);
      assert.equal(r.columns.at(-1)?.name, "trace", table);
    }
    const types = await engine.run("SELECT bytes, on_altstack FROM mem_writes, signals");
    assert.deepEqual(types.rows, [[new Uint8Array([104, 105, 0, 255]), false]]);
    const t = await engine.run("SELECT DISTINCT trace FROM syscalls");
    assert.deepEqual(t.rows, [["t1"]]);
  } finally {
    engine.close();
  }
});

Deno.test("tables with no rows are typed empty views", async () => {
  const dir = `${Deno.makeTempDirSync()}/empty`;
  Recorder.create(dir, SYNTHETIC_BASE).finish({
    status: 0,
    signal: null,
    core: false,
    icount: 0,
    error: null,
  });
  const r = await runOn([dir], "SELECT count(*), sum(ret) FROM syscalls");
  assert.deepEqual(r.rows, [[0n, null]]);
});

Deno.test("an aborted trace with missing tables still queries (typed empty views)", async () => {
  const dir = `${Deno.makeTempDirSync()}/aborted`;
  const rec = Recorder.create(dir, SYNTHETIC_BASE);
  rec.abort("SIGINT"); // nothing recorded: no chunk files at all
  const r = await runOn([dir], "SELECT count(*) FROM signals WHERE frame_addr > 0");
  assert.deepEqual(r.rows, [[0n]]);
  const full = recordSyntheticTrace("partial", { abort: true });
  const s = await runOn([full], "SELECT status, count(*) FROM traces, syscalls GROUP BY 1");
  assert.deepEqual(s.rows, [["incomplete", 7n]]);
});

Deno.test("several traces are unioned with a trace column", async () => {
  const a = recordSyntheticTrace("run-a");
  const b = recordSyntheticTrace("run-b", { chunkRows: 2 });
  const r = await runOn(
    [a, b],
    "SELECT trace, count(*) FROM syscalls GROUP BY trace ORDER BY trace",
  );
  assert.deepEqual(r.rows, [["run-a", 7n], ["run-b", 7n]]);
  const same = await runOn([a, a], "SELECT DISTINCT trace FROM exits ORDER BY 1");
  assert.deepEqual(same.rows, [["run-a"], ["run-a#2"]]);
});

Deno.test("bad SQL is a one-line QueryError naming the trace", async () => {
  const dir = recordSyntheticTrace("named");
  const err = await rejection(runOn([dir], "SELEC * FROM syscalls"));
  assert.match(err.message, /^query failed on trace named: Parser Error: syntax error/);
  const missing = await rejection(runOn([dir], "SELECT nope FROM syscalls"));
  assert.match(missing.message, /Binder Error/);
});

Deno.test("a damaged chunk is reported clearly when the trace is opened", async () => {
  const dir = recordSyntheticTrace("damaged");
  const chunk = join(dir, "signals", "part-00000.parquet");
  const bytes = Deno.readFileSync(chunk);
  Deno.writeFileSync(chunk, bytes.subarray(0, bytes.length >> 1));
  const err = await rejection(openQuery([dir]));
  assert.match(err.message, /^trace damaged: .*signals\/part-00000\.parquet: truncated or corrupt/);
});

Deno.test("a damaged chunk interior is reported by DuckDB as a one-line error", async () => {
  const dir = recordSyntheticTrace("garbled");
  const chunk = join(dir, "syscalls", "part-00000.parquet");
  const bytes = Deno.readFileSync(chunk);
  const footerLen = new DataView(bytes.buffer).getUint32(bytes.length - 8, true);
  bytes.fill(0xff, bytes.length - 8 - footerLen, bytes.length - 8); // footer garbage, magic intact
  Deno.writeFileSync(chunk, bytes);
  const err = await rejection(
    (async () => {
      const engine = await openQuery([dir]);
      try {
        await engine.run("SELECT count(*) FROM syscalls");
      } finally {
        engine.close();
      }
    })(),
  );
  assert.match(
    err.message,
    /^trace garbled: .*syscalls\/part-00000\.parquet: DuckDB cannot read this Parquet chunk \(.+\); re-record/,
  );
});

Deno.test("a directory that is not a trace is a clear error", async () => {
  const err = await rejection(openQuery([Deno.makeTempDirSync()]));
  assert.match(err.message, /manifest\.json: not found/);
  assert.match((await rejection(openQuery([]))).message, /no trace given/);
});
