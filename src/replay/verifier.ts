/**
 * Compares the kernel events of a replay with the rows of the trace, event by event. Events are
 * matched by seq; the first one that differs, or is missing, or was not recorded, is a Divergence.
 *
 * The trace stays columnar (table_columns.ts): one cursor per table walks its rows in seq order,
 * so the next expected event is the smallest cursor seq, and a live event is compared value by
 * value against the cursor row. Row objects are built only for reports.
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
import { type ColumnPart, TableColumns } from "../record/table_columns.ts";
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

/** A value in the stored form, so live and recorded rows compare directly (for reports). */
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

/** A live event's values as a stored row. */
function liveRow(table: EventTable, values: readonly unknown[]): EventRow {
  const live: EventRow = {};
  tableColumns(table).forEach(([name, kind], i) => live[name] = normalise(kind, values[i]));
  return live;
}

const TWO_32 = 4294967296;
/** Scratch for splitting a live bigint into the two 32-bit words of its two's complement. */
const SCRATCH64 = new BigInt64Array(1);
const SCRATCH32 = new Int32Array(SCRATCH64.buffer);

const I64 = 0, I32 = 1, BOOL = 2, OBJ = 3, BYTES = 4;

function compareKind(kind: ColumnKind): number {
  switch (kind) {
    case "i64":
    case "i64?":
      return I64;
    case "i32":
    case "i32?":
      return I32;
    case "bool":
      return BOOL;
    case "bytes":
      return BYTES;
    default:
      return OBJ;
  }
}

/** Whether live value `v` equals row r of column `p` (`how` from compareKind). */
function same(how: number, p: ColumnPart, r: number, v: unknown): boolean {
  const codes = p.codes;
  const code = codes === null ? r : codes[r];
  if (code === p.nullCode) return v === null || v === undefined;
  if (v === null || v === undefined) return false;
  switch (how) {
    case I64: {
      const lo = p.words[2 * code], hi = p.words[2 * code + 1];
      if (typeof v === "bigint") {
        SCRATCH64[0] = v;
        return SCRATCH32[0] === lo && SCRATCH32[1] === hi;
      }
      const n = v as number;
      return (n | 0) === lo && (Math.floor(n / TWO_32) | 0) === hi && Number.isInteger(n);
    }
    case I32:
      return (typeof v === "number" ? v : Number(v)) === p.ints[code];
    case BOOL:
      return Boolean(v) === (p.ints[code] === 1);
    case BYTES: {
      const a = p.objects[code] as Uint8Array, b = v as Uint8Array;
      if (!(b instanceof Uint8Array) || a.length !== b.length) return false;
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
      return true;
    }
    default:
      return p.objects[code] === v;
  }
}

/** Walks one table's rows in seq order. */
class Cursor {
  /** Global row index of the next unmatched row. */
  row = 0;
  /** Its part, row within the part, and the part's end (global). */
  private part = 0;
  local = 0;
  private partEnd: number;
  readonly how: number[];

  constructor(readonly table: EventTable, readonly data: TableColumns) {
    this.how = tableColumns(table).map(([, kind]) => compareKind(kind));
    this.partEnd = data.parts.length ? data.parts[0].rows : 0;
  }

  /** seq of the next unmatched row, or Infinity when every row is matched. */
  seq(): number {
    return this.row < this.data.rows ? this.data.order[this.row] : Infinity;
  }

  columns(): readonly ColumnPart[] {
    return this.data.parts[this.part].columns;
  }

  advance(): void {
    this.row++;
    this.local++;
    if (this.row >= this.partEnd && this.part + 1 < this.data.parts.length) {
      this.part++;
      this.local = 0;
      this.partEnd += this.data.parts[this.part].rows;
    }
  }

  rowAt(i: number): EventRow {
    return this.data.rowAt(i);
  }

  /** Names of the columns where live `values` differ from the cursor row (null when none). */
  differing(values: readonly unknown[]): string[] | null {
    return this.compare(this.columns(), this.local, values);
  }

  /** The same for any row. */
  differingAt(i: number, values: readonly unknown[]): string[] | null {
    const k = this.data.partOf(i);
    return this.compare(this.data.parts[k].columns, i - this.data.starts[k], values);
  }

  private compare(
    columns: readonly ColumnPart[],
    r: number,
    values: readonly unknown[],
  ): string[] | null {
    const how = this.how;
    let fields: string[] | null = null;
    for (let c = 0; c < how.length; c++) {
      if (!same(how[c], columns[c], r, values[c])) (fields ??= []).push(this.data.names[c]);
    }
    return fields;
  }
}

const RECENT = 5;

export class Verifier implements KernelObserver {
  private readonly rows = new EventRows();
  /** Cursors over every event table but mem_writes, which are matched per syscall seq. */
  private readonly cursors: Cursor[];
  private readonly writes: Cursor;
  /** The first recorded mem_write passed over without being matched (-1: none). */
  private skippedWrite = -1;
  /** The last few verified events, as (cursor, row) in a ring; see `recent`. */
  private readonly recentCursor: Cursor[] = [];
  private readonly recentRow: number[] = [];
  private recentNext = 0;
  verified = 0;
  /** The first divergence seen (also thrown to stop the guest). */
  divergence: Divergence | null = null;

  /** Decode arguments (args_text is compared) when the trace has them. */
  readonly decodeArgs: boolean;

  constructor(recorded: Readonly<Record<EventTable, TableColumns>>) {
    this.cursors = EVENT_TABLES.filter((t) => t !== "mem_writes").map((t) =>
      new Cursor(t, recorded[t])
    );
    this.writes = new Cursor("mem_writes", recorded.mem_writes);
    const syscalls = recorded.syscalls;
    const argsText = syscalls.names.indexOf("args_text");
    this.decodeArgs = syscalls.parts.some((p) => hasValue(p.columns[argsText], p.rows));
  }

  /** A verifier over recorded events given as rows (tests). */
  static fromEvents(recorded: readonly RecordedEvent[]): Verifier {
    const tables = {} as Record<EventTable, TableColumns>;
    for (const table of EVENT_TABLES) {
      const rows = recorded.filter((e) => e.table === table).map((e) => e.row);
      tables[table] = TableColumns.fromRows(table, rows).sorted();
    }
    return new Verifier(tables);
  }

  /** The last verified events (at most 5), oldest first. */
  get recent(): RecordedEvent[] {
    const out: RecordedEvent[] = [];
    const n = this.recentCursor.length;
    for (let k = 0; k < n; k++) {
      const i = n < RECENT ? k : (this.recentNext + k) % RECENT;
      const cursor = this.recentCursor[i];
      out.push({ table: cursor.table, row: cursor.rowAt(this.recentRow[i]) });
    }
    return out;
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

  /** The unmatched recorded event with the smallest seq (null when all are matched). */
  private next(): Cursor | null {
    let best: Cursor | null = null;
    let bestSeq = Infinity;
    for (const c of this.cursors) {
      const s = c.seq();
      if (s < bestSeq) {
        best = c;
        bestSeq = s;
      }
    }
    return best;
  }

  private check(table: EventTable, values: unknown[]): void {
    if (this.divergence) throw this.divergence;
    const seq = Number(values[0]);
    let rec = this.next();
    const recSeq = rec ? rec.seq() : Infinity;
    // Every recorded event before this one must already have happened.
    if (recSeq < seq) {
      this.fail(
        new Divergence(rec!.table, recSeq, rec!.rowAt(rec!.row), {
          table,
          ...liveRow(table, values),
        }, ["missing"]),
      );
    }
    let row = rec ? rec.row : -1;
    if (recSeq > seq) {
      // Not the next recorded event: a seq already matched is checked against its row again
      // (the kernel never repeats a seq), any other is not in the trace.
      const again = this.matchedRow(seq);
      rec = again?.cursor ?? null;
      row = again?.row ?? -1;
    }
    if (!rec || rec.table !== table) {
      this.fail(
        new Divergence(
          table,
          seq,
          rec ? { table: rec.table, ...rec.rowAt(row) } : null,
          liveRow(table, values),
          ["kind"],
        ),
      );
    }
    const fields = row === rec.row ? rec.differing(values) : rec.differingAt(row, values);
    if (fields) {
      this.fail(new Divergence(table, seq, rec.rowAt(row), liveRow(table, values), fields));
    }
    this.accept(rec, row);
  }

  /** The last already-matched row with this seq (later tables first, as a by-seq index had). */
  private matchedRow(seq: number): { cursor: Cursor; row: number } | null {
    for (let k = this.cursors.length - 1; k >= 0; k--) {
      const c = this.cursors[k];
      const order = c.data.order;
      // Last row before the cursor with order <= seq.
      let lo = 0, hi = c.row;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (order[mid] <= seq) lo = mid + 1;
        else hi = mid;
      }
      if (lo > 0 && order[lo - 1] === seq) return { cursor: c, row: lo - 1 };
    }
    return null;
  }

  private checkWrite(values: unknown[]): void {
    if (this.divergence) throw this.divergence;
    const seq = Number(values[0]);
    const w = this.writes;
    // Writes recorded for earlier syscalls that did not happen: reported at the end (missing).
    while (w.seq() < seq) {
      if (this.skippedWrite < 0) this.skippedWrite = w.row;
      w.advance();
    }
    if (w.seq() !== seq) {
      this.fail(
        new Divergence("mem_writes", seq, null, liveRow("mem_writes", values), [
          "unexpected write",
        ]),
      );
    }
    // seq matches by construction; addr, len and bytes are compared.
    const fields = w.differing(values)?.filter((f) => f !== "seq");
    if (fields?.length) {
      this.fail(
        new Divergence("mem_writes", seq, w.rowAt(w.row), liveRow("mem_writes", values), fields),
      );
    }
    this.accept(w, w.row);
  }

  /** Row `row` of cursor `c` matched; the cursor moves on if it was its next row. */
  private accept(c: Cursor, row: number): void {
    this.verified++;
    if (this.recentCursor.length < RECENT) {
      this.recentCursor.push(c);
      this.recentRow.push(row);
    } else {
      this.recentCursor[this.recentNext] = c;
      this.recentRow[this.recentNext] = row;
      this.recentNext = (this.recentNext + 1) % RECENT;
    }
    if (row === c.row) c.advance();
  }

  /** After the run: recorded events that never happened. */
  checkComplete(): void {
    if (this.divergence) return;
    const rec = this.next();
    if (rec) {
      this.divergence = new Divergence(rec.table, rec.seq(), rec.rowAt(rec.row), null, ["missing"]);
      return;
    }
    const w = this.writes;
    const left = this.skippedWrite >= 0 ? this.skippedWrite : w.row < w.data.rows ? w.row : -1;
    if (left >= 0) {
      this.divergence = new Divergence(
        "mem_writes",
        w.data.order[left],
        w.rowAt(left),
        null,
        ["missing"],
      );
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
    this.checkWrite(this.rows.memWrite(e));
  }
  exit(e: ExitEvent): void {
    this.check("exits", this.rows.exit(e));
  }
}

/** Whether any of the first `rows` rows of a column is not null. */
function hasValue(p: ColumnPart, rows: number): boolean {
  if (p.codes === null) return rows > 0;
  for (let r = 0; r < rows; r++) if (p.codes[r] !== p.nullCode) return true;
  return false;
}
