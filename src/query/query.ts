/**
 * One-call querying for the CLI and the public API: SQL or a report name over one or more traces.
 */
import { openQuery } from "./duckdb_engine.ts";
import type { QueryResult } from "./engine.ts";
import { reportSql } from "./reports.ts";

/** Runs `sqlOrReport` (a report name from listReports(), or SQL) over the traces. */
export async function query(dirs: string[], sqlOrReport: string): Promise<QueryResult> {
  const engine = await openQuery(dirs);
  try {
    return await engine.run(reportSql(sqlOrReport.trim(), dirs.length) ?? sqlOrReport);
  } finally {
    engine.close();
  }
}
