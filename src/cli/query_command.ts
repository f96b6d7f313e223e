/** `sudtrace query`: SQL or a named report over one or more traces, printed as table/csv/json. */
import { QueryError } from "../query/engine.ts";
import { formatResult, type OutputFormat } from "../query/format.ts";
import { query } from "../query/query.ts";
import { listReports, reportSql } from "../query/reports.ts";
import { TraceError } from "../record/trace_error.ts";
import { EXIT_DATA, EXIT_NO_INPUT, EXIT_USAGE, UserError } from "./exit_codes.ts";

export interface QueryCommandOptions {
  report?: string;
  listReports?: boolean;
  format: OutputFormat;
}

function isDirectory(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

/** Splits the positional inputs into trace directories and the SQL (or report) to run. */
export function splitQueryInputs(
  inputs: string[],
  report: string | undefined,
): { traces: string[]; sql: string } {
  if (report !== undefined) {
    if (!reportSql(report, 1)) {
      const names = listReports().map((r) => r.name).join(", ");
      throw new UserError(`unknown report "${report}" (reports: ${names})`, EXIT_USAGE);
    }
    return { traces: inputs, sql: report };
  }
  if (inputs.length < 2) {
    throw new UserError(
      'give a trace directory and the SQL: query <trace>... "SELECT ..." (or --report NAME)',
      EXIT_USAGE,
    );
  }
  const sql = inputs[inputs.length - 1];
  const traces = inputs.slice(0, -1);
  // A last argument that is a directory means the SQL was forgotten.
  if (isDirectory(sql) && !reportSql(sql, 1)) {
    throw new UserError(
      `the last argument must be SQL or a report name, got directory ${sql}`,
      EXIT_USAGE,
    );
  }
  return { traces, sql };
}

export async function runQuery(inputs: string[], opts: QueryCommandOptions): Promise<number> {
  if (opts.listReports) {
    for (const r of listReports()) console.log(`${r.name.padEnd(10)} ${r.description}`);
    return 0;
  }
  const { traces, sql } = splitQueryInputs(inputs, opts.report);
  if (traces.length === 0) throw new UserError("give at least one trace directory", EXIT_USAGE);
  for (const t of traces) {
    if (!isDirectory(t)) throw new UserError(`${t}: no such trace directory`, EXIT_NO_INPUT);
  }
  try {
    const result = await query(traces, sql);
    const text = formatResult(result, opts.format);
    console.log(text.endsWith("\n") ? text.slice(0, -1) : text);
    return 0;
  } catch (e) {
    if (e instanceof QueryError || e instanceof TraceError) {
      throw new UserError(e.message, EXIT_DATA);
    }
    throw e;
  }
}
