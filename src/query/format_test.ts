import assert from "node:assert/strict";
import type { QueryResult } from "./engine.ts";
import { formatCsv, formatJson, formatResult, formatTable, isOutputFormat } from "./format.ts";

const RESULT: QueryResult = {
  columns: [
    { name: "name", type: "VARCHAR" },
    { name: "n", type: "BIGINT" },
    { name: "big", type: "BIGINT" },
    { name: "bytes", type: "BLOB" },
    { name: "ok", type: "BOOLEAN" },
  ],
  rows: [
    ["write", 3n, -(2n ** 63n), new Uint8Array([0, 255]), true],
    ['say "hi", bye', 9007199254740993n, null, null, false],
  ],
};

Deno.test("csv quotes fields that need it and leaves nulls empty", () => {
  assert.equal(
    formatCsv(RESULT),
    "name,n,big,bytes,ok\r\n" +
      "write,3,-9223372036854775808,00ff,true\r\n" +
      '"say ""hi"", bye",9007199254740993,,,false\r\n',
  );
});

Deno.test("json keeps safe bigints as numbers and unsafe ones as strings", () => {
  assert.deepEqual(JSON.parse(formatJson(RESULT)), [
    { name: "write", n: 3, big: "-9223372036854775808", bytes: "00ff", ok: true },
    { name: 'say "hi", bye', n: "9007199254740993", big: null, bytes: null, ok: false },
  ]);
});

Deno.test("table shows headers, NULL and the row count", () => {
  const text = formatTable(RESULT);
  assert.match(text, /│ name\s+│ n\s+│ big/);
  assert.match(text, /NULL/);
  assert.match(text, /2 rows$/);
  assert.ok(!text.includes("\x1b["), "no colour codes");
  assert.equal(formatResult(RESULT, "table"), text);
});

Deno.test("output format names are validated", () => {
  assert.ok(isOutputFormat("csv"));
  assert.ok(!isOutputFormat("xml"));
});
