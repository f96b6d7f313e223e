/**
 * Compares the kernel events of a replay with the rows of the trace, event by event. Events are
 * matched by seq; the first one that differs, or is missing, or was not recorded, is a Divergence.
 */
import type {
  ExitEvent,
  KernelObserver,
  MemWriteEvent,
  SignalEvent,
  SigreturnEvent,
  SudConfigEvent,
  SyscallEvent,
} from "../emu/linux/events.ts";
import { EventRows } from "../record/event_rows.ts";
import { type ColumnKind, tableColumns, type TableName } from "../record/schema.ts";
import { Divergence } from "./divergence.ts";

/** The event tables the verifier checks (host_calls are checked by the tape host). */
export const EVENT_TABLES = [
  "syscalls",
  "signals",
  "sigreturns",
  "sud_configs",
  "mem_writes",
  "exits",
] as const satisfies readonly TableName[];
export type EventTable = (typeof EVENT_TABLES)[number];

export type EventRow = Record<string, unknown>;

/** A recorded event: the table it came from and its row. */
export interface RecordedEvent {
  table: EventTable;
  row: EventRow;
}

/** A value in the stored form, so live and recorded rows compare directly. */
function normalise(kind: ColumnKind, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case "i64":
    case "i64?":
      return BigInt.asIntN(64, BigInt(value as bigint | number));
    case "i32":
    case "i32?":
      return Number(value);
    case "bool":
      return Boolean(value);
    default:
      return value;
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }
  return a === b;
}

export class Verifier implements KernelObserver {
  private readonly rows = new EventRows();
  /** Recorded events other than mem_writes, by seq. */
  private readonly bySeq = new Map<number, RecordedEvent>();
  /** Recorded mem_writes per syscall seq, in order. */
  private readonly writesBySeq = new Map<number, EventRow[]>();
  /** Recorded seqs in ascending order, and how many of them have been matched in order. */
  private readonly order: number[];
  private matchedUpTo = 0;
  private readonly matched = new Set<number>();
  /** The last few verified events, for the report. */
  readonly recent: RecordedEvent[] = [];
  verified = 0;
  /** The first divergence seen (also thrown to stop the guest). */
  divergence: Divergence | null = null;

  /** Decode arguments (args_text is compared) when the trace has them. */
  readonly decodeArgs: boolean;

  constructor(recorded: readonly RecordedEvent[]) {
    this.decodeArgs = recorded.some((e) => e.table === "syscalls" && e.row.args_text != null);
    for (const e of recorded) {
      const seq = Number(e.row.seq);
      if (e.table === "mem_writes") {
        const list = this.writesBySeq.get(seq) ?? [];
        list.push(e.row);
        this.writesBySeq.set(seq, list);
      } else this.bySeq.set(seq, e);
    }
    this.order = [...this.bySeq.keys()].sort((a, b) => a - b);
  }

  /** Supplies the live registers for divergence reports. */
  registers: () => Record<string, bigint> | null = () => null;

  /** Records and throws a divergence. */
  fail(d: Divergence): never {
    if (!this.divergence) {
      d.registers ??= this.registers();
      this.divergence = d;
    }
    throw d;
  }

  private check(table: EventTable, values: unknown[]): void {
    if (this.divergence) throw this.divergence;
    const live: EventRow = {};
    const columns = tableColumns(table);
    columns.forEach(([name, kind], i) => live[name] = normalise(kind, values[i]));
    const seq = Number(live.seq);
    if (table === "mem_writes") return this.checkWrite(seq, live);
    // Every recorded event before this one must already have happened.
    while (this.matchedUpTo < this.order.length && this.matched.has(this.order[this.matchedUpTo])) {
      this.matchedUpTo++;
    }
    const firstMissing = this.order[this.matchedUpTo];
    if (firstMissing !== undefined && firstMissing < seq) {
      const rec = this.bySeq.get(firstMissing)!;
      this.fail(new Divergence(rec.table, firstMissing, rec.row, { table, ...live }, ["missing"]));
    }
    const rec = this.bySeq.get(seq);
    if (!rec || rec.table !== table) {
      this.fail(
        new Divergence(table, seq, rec ? { table: rec.table, ...rec.row } : null, live, [
          "kind",
        ]),
      );
    }
    const fields = columns.map(([name]) => name).filter((n) => !sameValue(rec.row[n], live[n]));
    if (fields.length) this.fail(new Divergence(table, seq, rec.row, live, fields));
    this.matched.add(seq);
    this.accept(rec);
  }

  private checkWrite(seq: number, live: EventRow): void {
    const list = this.writesBySeq.get(seq);
    const rec = list?.shift();
    if (!rec) this.fail(new Divergence("mem_writes", seq, null, live, ["unexpected write"]));
    const fields = ["addr", "len", "bytes"].filter((n) => !sameValue(rec[n], live[n]));
    if (fields.length) this.fail(new Divergence("mem_writes", seq, rec, live, fields));
    this.accept({ table: "mem_writes", row: rec });
  }

  private accept(e: RecordedEvent): void {
    this.verified++;
    this.recent.push(e);
    if (this.recent.length > 5) this.recent.shift();
  }

  /** After the run: recorded events that never happened. */
  checkComplete(): void {
    if (this.divergence) return;
    for (const seq of this.order) {
      if (!this.matched.has(seq)) {
        const rec = this.bySeq.get(seq)!;
        this.divergence = new Divergence(rec.table, seq, rec.row, null, ["missing"]);
        return;
      }
    }
    for (const [seq, list] of this.writesBySeq) {
      if (list.length) {
        this.divergence = new Divergence("mem_writes", seq, list[0], null, ["missing"]);
        return;
      }
    }
  }

  syscall(e: SyscallEvent): void {
    this.check("syscalls", this.rows.syscall(e));
  }
  signal(e: SignalEvent): void {
    this.check("signals", this.rows.signal(e));
  }
  sigreturn(e: SigreturnEvent): void {
    this.check("sigreturns", this.rows.sigreturn(e));
  }
  sudConfig(e: SudConfigEvent): void {
    this.check("sud_configs", this.rows.sudConfig(e));
  }
  memWrite(e: MemWriteEvent): void {
    this.check("mem_writes", this.rows.memWrite(e));
  }
  exit(e: ExitEvent): void {
    this.check("exits", this.rows.exit(e));
  }
}
