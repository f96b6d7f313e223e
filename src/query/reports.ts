/**
 * Named reports: plain SQL over the trace views. `{{trace}}` expands to `trace, ` when several
 * traces are queried together (group and order per trace) and to nothing for one trace.
 */
import { DECISIONS } from "../emu/linux/events.ts";
import { SIGNAL_NAMES } from "../emu/linux/signal_names.ts";
import { sqlString } from "./views.ts";

export interface Report {
  name: string;
  description: string;
  /** SQL template; see the module comment for `{{trace}}`. */
  sql: string;
}

const DECISION_LIST = DECISIONS.map((d, i) => `(${sqlString(d)}, ${i})`).join(", ");

const SIGNAL_LIST = SIGNAL_NAMES.slice(1).map((n, i) => `(${i + 1}, ${sqlString(n)})`).join(", ");

/** The first rt_sigreturn of each delivered frame (a handler may re-enter; the first closes it). */
const FIRST_SIGRETURN = `
  SELECT trace, signal_seq, min(icount) AS icount, arg_min(rax, seq) AS rax
  FROM sigreturns WHERE signal_seq IS NOT NULL GROUP BY trace, signal_seq`;

const REPORTS: Report[] = [
  {
    name: "summary",
    description:
      "per syscall and decision: calls, errors, and for dispatched calls the handler round trip in instructions (like strace -c, dispatched calls included)",
    sql: `
WITH rt AS (${FIRST_SIGRETURN}),
attempts AS (
  SELECT s.trace, s.name, s.decision,
    -- A dispatched call's result is the rax the handler left in the frame.
    s.errno IS NOT NULL OR (s.decision = 'dispatch' AND r.rax BETWEEN -4095 AND -1) AS failed,
    r.icount - s.icount AS round_trip
  FROM syscalls s
  LEFT JOIN signals g ON g.trace = s.trace AND g.syscall_seq = s.seq
  LEFT JOIN rt r ON r.trace = g.trace AND r.signal_seq = g.seq
)
SELECT {{trace}} name AS syscall, decision, count(*) AS calls,
  count(*) FILTER (WHERE failed) AS errors,
  min(round_trip) AS rt_min, round(avg(round_trip), 1) AS rt_avg, max(round_trip) AS rt_max,
  sum(round_trip) AS rt_total
FROM attempts
GROUP BY ALL
ORDER BY {{trace}} calls DESC, syscall, decision`,
  },
  {
    name: "decisions",
    description: "syscall attempts per SUD decision (every decision listed, zero included)",
    sql: `
WITH d(decision, ord) AS (VALUES ${DECISION_LIST}),
counted AS (
  SELECT t.trace, d.decision, d.ord, count(s.seq) AS calls
  FROM traces t CROSS JOIN d
  LEFT JOIN syscalls s ON s.trace = t.trace AND s.decision = d.decision
  GROUP BY t.trace, d.decision, d.ord
)
SELECT {{trace}} decision, calls,
  round(100.0 * calls / nullif(sum(calls) OVER (PARTITION BY trace), 0), 1) AS percent
FROM counted
ORDER BY {{trace}} ord`,
  },
  {
    name: "signals",
    description:
      "signal deliveries per signal, cause and action, with the handler cost until rt_sigreturn",
    sql: `
WITH rt AS (${FIRST_SIGRETURN}),
names(signo, signal) AS (VALUES ${SIGNAL_LIST}),
x AS (
  SELECT g.trace, g.signo, g.cause, g.action, r.icount - g.icount AS handler_cost
  FROM signals g LEFT JOIN rt r ON r.trace = g.trace AND r.signal_seq = g.seq
)
SELECT {{trace}} x.signo, coalesce(n.signal, 'SIGRT' || x.signo) AS signal, cause, action,
  count(*) AS deliveries, count(handler_cost) AS returned,
  round(avg(handler_cost), 1) AS avg_handler_instructions
FROM x LEFT JOIN names n ON n.signo = x.signo
GROUP BY ALL
ORDER BY {{trace}} x.signo, cause, action`,
  },
  {
    name: "sud",
    description: "every Syscall User Dispatch configuration call, in order",
    sql: `
SELECT {{trace}} seq, tid, icount,
  CASE mode WHEN 0 THEN 'off' WHEN 1 THEN 'exclusive_on' WHEN 2 THEN 'inclusive_on'
    ELSE 'mode_' || mode END AS mode,
  printf('0x%x', "offset") AS "offset", len, printf('0x%x', selector) AS selector, result,
  CASE WHEN result < 0 THEN -result END AS errno
FROM sud_configs
ORDER BY {{trace}} seq`,
  },
  {
    name: "selector",
    description: "selector bytes seen per decision (NULL: selector not read)",
    sql: `
SELECT {{trace}} decision, selector_value, count(*) AS calls,
  count(DISTINCT selector_addr) AS selector_addresses
FROM syscalls
GROUP BY ALL
ORDER BY {{trace}} decision, selector_value NULLS FIRST`,
  },
];

export function listReports(): { name: string; description: string }[] {
  return REPORTS.map(({ name, description }) => ({ name, description }));
}

export function findReport(name: string): Report | undefined {
  return REPORTS.find((r) => r.name === name);
}

/** The SQL of a named report for `traceCount` traces, or undefined for an unknown name. */
export function reportSql(name: string, traceCount: number): string | undefined {
  const report = findReport(name);
  if (!report) return undefined;
  return report.sql.replaceAll("{{trace}}", traceCount > 1 ? "trace, " : "").trim();
}
