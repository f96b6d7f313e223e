/**
 * Rendering query results: `table` (cli-table3, for terminals), `csv` (RFC 4180) and `json`
 * (an array of row objects; 64-bit integers as numbers when exactly representable, else strings).
 * BLOBs are lowercase hex in every format.
 */
import Table from "cli-table3";
import type { QueryResult, QueryValue } from "./engine.ts";

export const OUTPUT_FORMATS = ["table", "csv", "json"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function isOutputFormat(name: string): name is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(name);
}

export function formatResult(result: QueryResult, format: OutputFormat): string {
  switch (format) {
    case "table":
      return formatTable(result);
    case "csv":
      return formatCsv(result);
    case "json":
      return formatJson(result);
  }
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The text of one cell for table and CSV output; null is the empty string in CSV. */
function cellText(v: QueryValue): string {
  if (v === null) return "";
  if (v instanceof Uint8Array) return hex(v);
  if (Array.isArray(v)) return `[${v.map(cellText).join(", ")}]`;
  return String(v);
}

export function formatTable(result: QueryResult): string {
  const table = new Table({
    head: result.columns.map((c) => c.name),
    // No colour codes (output may be piped); compact: no separator line between rows.
    style: { head: [], border: [], compact: true },
  });
  for (const row of result.rows) {
    table.push(row.map((v) => (v === null ? "NULL" : cellText(v))));
  }
  const n = result.rows.length;
  return `${table.toString()}\n${n} row${n === 1 ? "" : "s"}`;
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function formatCsv(result: QueryResult): string {
  const lines = [result.columns.map((c) => csvField(c.name)).join(",")];
  for (const row of result.rows) lines.push(row.map((v) => csvField(cellText(v))).join(","));
  return lines.join("\r\n") + "\r\n";
}

function jsonValue(v: QueryValue): unknown {
  if (typeof v === "bigint") {
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(v)
      : v.toString();
  }
  if (v instanceof Uint8Array) return hex(v);
  if (Array.isArray(v)) return v.map(jsonValue);
  return v;
}

export function formatJson(result: QueryResult): string {
  const rows = result.rows.map((row) =>
    Object.fromEntries(result.columns.map((c, i) => [c.name, jsonValue(row[i])]))
  );
  return JSON.stringify(rows, null, 2);
}
