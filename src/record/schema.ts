/**
 * The trace v1 table schemas: the single source of truth for the writer (Parquet types), the
 * reader (column checks, row types) and the query layer (typed empty views).
 *
 * Every 64-bit guest value (addresses, registers, masks, syscall numbers and arguments, return
 * values) is stored as a signed INT64 holding the two's complement of the value
 * (`BigInt.asIntN(64, v)`), so DuckDB, pandas and Spark all see a plain BIGINT. Recover the unsigned
 * value with `BigInt.asUintN(64, v)`; in the query layer the macros `u64(v)` and `hex64(v)` do it
 * (a plain `v::UBIGINT` cast rejects negative values).
 */

/** How one column is stored. A trailing `?` means nullable. */
export type ColumnKind =
  | "i64"
  | "i64?"
  | "i32"
  | "i32?"
  | "str"
  | "str?"
  | "bool"
  | "bytes";

/** The TypeScript value a reader gets for each kind. */
export interface KindValue {
  "i64": bigint;
  "i64?": bigint | null;
  "i32": number;
  "i32?": number | null;
  "str": string;
  "str?": string | null;
  "bool": boolean;
  "bytes": Uint8Array;
}

const REGISTER_COLUMNS = [
  ["rax", "i64"],
  ["rbx", "i64"],
  ["rcx", "i64"],
  ["rdx", "i64"],
  ["rsi", "i64"],
  ["rdi", "i64"],
  ["rbp", "i64"],
  ["rsp", "i64"],
  ["r8", "i64"],
  ["r9", "i64"],
  ["r10", "i64"],
  ["r11", "i64"],
  ["r12", "i64"],
  ["r13", "i64"],
  ["r14", "i64"],
  ["r15", "i64"],
  ["rip", "i64"],
  ["eflags", "i64"],
] as const;

/** Column order is the Parquet column order. */
export const TABLES = {
  syscalls: [
    ["seq", "i64"],
    ["tid", "i32"],
    ["icount", "i64"],
    ["pc", "i64"],
    ["nr", "i64"],
    ["name", "str"],
    ["a0", "i64"],
    ["a1", "i64"],
    ["a2", "i64"],
    ["a3", "i64"],
    ["a4", "i64"],
    ["a5", "i64"],
    ["decision", "str"],
    ["selector_addr", "i64?"],
    ["selector_value", "i32?"],
    ["ret", "i64?"],
    ["errno", "i32?"],
    ["handler_depth", "i32"],
    // The call as strace prints it, decoded at record time (null when decoding was off).
    ["args_text", "str?"],
  ],
  signals: [
    ["seq", "i64"],
    ["tid", "i32"],
    ["icount", "i64"],
    ["signo", "i32"],
    ["code", "i32"],
    ["errno", "i32"],
    ["addr", "i64"],
    ["si_syscall", "i32?"],
    // si_arch is a u32 (AUDIT_ARCH_X86_64 = 0xc000003e): INT64 keeps it positive.
    ["si_arch", "i64?"],
    ["cause", "str"],
    ["action", "str"],
    ["handler", "i64"],
    ["restorer", "i64"],
    ["sa_flags", "i64"],
    ["frame_addr", "i64?"],
    ["on_altstack", "bool"],
    ["mask_before", "i64"],
    ["mask_in_handler", "i64"],
    // Recorder-derived link: seq of the dispatched syscall this SIGSYS reports (cause "sud").
    ["syscall_seq", "i64?"],
    ...REGISTER_COLUMNS,
  ],
  sigreturns: [
    ["seq", "i64"],
    ["tid", "i32"],
    ["icount", "i64"],
    ["frame_addr", "i64"],
    ["signal_seq", "i64?"],
    ["rip", "i64"],
    ["rsp", "i64"],
    ["rax", "i64"],
    ["eflags", "i64"],
    ["mask_after", "i64"],
    ["changed", "str"],
  ],
  sud_configs: [
    ["seq", "i64"],
    ["tid", "i32"],
    ["icount", "i64"],
    ["mode", "i64"],
    ["offset", "i64"],
    ["len", "i64"],
    ["selector", "i64"],
    ["result", "i32"],
  ],
  mem_writes: [
    ["seq", "i64"],
    ["addr", "i64"],
    ["len", "i32"],
    ["bytes", "bytes"],
  ],
  exits: [
    ["seq", "i64"],
    ["tid", "i32"],
    ["icount", "i64"],
    ["status", "i32?"],
    ["signal", "i32?"],
    ["core", "bool"],
  ],
  host_calls: [
    ["idx", "i64"],
    ["method", "str"],
    ["args", "str"],
    ["result", "str"],
  ],
} as const satisfies Record<string, readonly (readonly [string, ColumnKind])[]>;

export type TableName = keyof typeof TABLES;

export const TABLE_NAMES = Object.keys(TABLES) as TableName[];

/** The row type a reader returns for table T. */
export type Row<T extends TableName> = {
  -readonly [C in (typeof TABLES)[T][number] as C[0]]: KindValue[C[1]];
};

/** Columns of a table as [name, kind] pairs. */
export function tableColumns(table: TableName): readonly (readonly [string, ColumnKind])[] {
  return TABLES[table];
}

export function isTableName(name: string): name is TableName {
  return Object.hasOwn(TABLES, name);
}

/** The column that orders a table's rows. */
export function orderColumn(table: TableName): "seq" | "idx" {
  return table === "host_calls" ? "idx" : "seq";
}

/** Signed INT64 view of a 64-bit guest value (two's complement). */
export function toInt64(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

/** errno for a raw syscall return: ret in [-4095, -1] means -ret, else null. */
export function errnoOf(ret: bigint | null): number | null {
  if (ret === null) return null;
  const s = BigInt.asIntN(64, ret);
  return s >= -4095n && s <= -1n ? Number(-s) : null;
}
