import assert from "node:assert/strict";
import { openQuery } from "./duckdb_engine.ts";
import type { QueryResult } from "./engine.ts";
import { listReports, reportSql } from "./reports.ts";
import { query } from "./query.ts";
import { recordSyntheticTrace } from "./query_fixture.ts";

/** Rows as objects, for readable assertions. */
function objects(r: QueryResult): Record<string, unknown>[] {
  return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]])));
}

Deno.test("every listed report runs on one trace and on two", async () => {
  const a = recordSyntheticTrace("a");
  const b = recordSyntheticTrace("b");
  const names = listReports().map((r) => r.name);
  assert.deepEqual(names, ["summary", "decisions", "signals", "sud", "selector"]);
  for (const dirs of [[a], [a, b]]) {
    const engine = await openQuery(dirs);
    try {
      for (const name of names) {
        const r = await engine.run(reportSql(name, dirs.length)!);
        assert.ok(r.rows.length > 0, `${name} on ${dirs.length} trace(s) returned rows`);
        assert.equal(r.columns[0].name === "trace", dirs.length > 1, name);
      }
    } finally {
      engine.close();
    }
  }
});

Deno.test("summary counts dispatched calls with their handler round trip", async () => {
  const rows = objects(await query([recordSyntheticTrace()], "summary"));
  const dispatched = rows.find((r) => r.decision === "dispatch")!;
  // Syscall at icount 60, its SIGSYS frame returned by rt_sigreturn at icount 80.
  assert.deepEqual(dispatched, {
    syscall: "getpid",
    decision: "dispatch",
    calls: 1n,
    errors: 0n, // the handler returned rax = 100
    rt_min: 20n,
    rt_avg: 20,
    rt_max: 20n,
    rt_total: 20n,
  });
  const open = rows.find((r) => r.syscall === "open")!;
  assert.equal(open.errors, 1n);
  assert.equal(open.rt_avg, null);
  assert.equal(rows.reduce((n, r) => n + Number(r.calls), 0), 7);
});

Deno.test("decisions lists every decision, zero counts included", async () => {
  const rows = objects(await query([recordSyntheticTrace()], "decisions"));
  assert.deepEqual(rows.map((r) => [r.decision, r.calls]), [
    ["no_sud", 1n],
    ["region", 2n],
    ["selector_allow", 3n],
    ["dispatch", 1n],
    ["kill_bad_selector", 0n],
    ["kill_unreadable_selector", 0n],
  ]);
  assert.equal(rows[2].percent, 42.9);
});

Deno.test("signals report names SIGSYS and its handler cost", async () => {
  const rows = objects(await query([recordSyntheticTrace()], "signals"));
  assert.deepEqual(rows, [{
    signo: 31,
    signal: "SIGSYS",
    cause: "sud",
    action: "handler",
    deliveries: 1n,
    returned: 1n,
    avg_handler_instructions: 20,
  }]);
});

Deno.test("sud and selector reports show the configuration and selector bytes", async () => {
  const dir = recordSyntheticTrace();
  const sud = objects(await query([dir], "sud"));
  assert.equal(sud.length, 1);
  assert.equal(sud[0].mode, "exclusive_on");
  assert.equal(sud[0].selector, "0x40001000");
  assert.equal(sud[0].errno, null);
  const sel = objects(await query([dir], "selector"));
  assert.deepEqual(sel.map((r) => [r.decision, r.selector_value, r.calls]), [
    ["dispatch", 1, 1n],
    ["no_sud", null, 1n],
    ["region", null, 1n],
    ["region", 1, 1n],
    ["selector_allow", 0, 3n],
  ]);
});

Deno.test("query() treats unknown names as SQL", async () => {
  const r = await query([recordSyntheticTrace()], "SELECT count(*) FROM mem_writes");
  assert.deepEqual(r.rows, [[1n]]);
  assert.equal(reportSql("nope", 1), undefined);
});
