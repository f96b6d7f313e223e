/**
 * Encodes one recorder chunk (PackedChunk: typed arrays per column) as a Parquet file without
 * per-value BigInt work: one row group, one SNAPPY data page (v2) per column, and per column the
 * smallest of a dictionary (built on int32 words), DELTA_BINARY_PACKED (counters, pointers that
 * move in small steps) or PLAIN (the typed array's bytes). hyparquet-writer supplies the snappy
 * compressor and the Thrift serializer of the footer.
 */
import { ByteWriter } from "hyparquet-writer/src/bytewriter.js";
import { snappyCompress } from "hyparquet-writer/src/snappy.js";
import { serializeTCompactProtocol } from "hyparquet-writer/src/thrift.js";
import type { PackedChunk, PackedColumn } from "./chunk_file.ts";
import type { ColumnKind, TableName } from "./schema.ts";
import { tableColumns } from "./schema.ts";
import {
  bitWidth,
  deltaPack64,
  Sink,
  WordDictionary,
  writeHybrid,
} from "./parquet_encode_values.ts";
import {
  ENC_DELTA_BINARY_PACKED,
  ENC_PLAIN,
  ENC_RLE,
  ENC_RLE_DICTIONARY,
  PAGE_DATA_V2,
  PAGE_DICTIONARY,
} from "./parquet_enums.ts";

// Parquet enum values (parquet.thrift).
const TYPE = { BOOLEAN: 0, INT32: 1, INT64: 2, BYTE_ARRAY: 6 } as const;
const REQUIRED = 0;
const OPTIONAL = 1;
const UTF8 = 0;
const CODEC_SNAPPY = 1;

/** Min/max statistics where range pruning pays off (the columns rows are ordered by). */
const STATISTICS_COLUMNS = new Set(["seq", "idx", "tid", "icount"]);
/**
 * Monotonic counters: delta encoding without trying a dictionary first (a few bytes per page
 * where 8-byte values would not compress).
 */
const DELTA_COLUMNS = new Set(["seq", "idx", "icount"]);

const PHYSICAL: Record<ColumnKind, number> = {
  "i64": TYPE.INT64,
  "i64?": TYPE.INT64,
  "i32": TYPE.INT32,
  "i32?": TYPE.INT32,
  "bool": TYPE.BOOLEAN,
  "str": TYPE.BYTE_ARRAY,
  "str?": TYPE.BYTE_ARRAY,
  "bytes": TYPE.BYTE_ARRAY,
};

/** One column's values, encoded but not yet compressed. */
interface Encoded {
  encoding: number;
  /** PLAIN dictionary page body, or null. */
  dict: Uint8Array | null;
  dictCount: number;
  /** Data page values section. */
  body: Uint8Array;
  /** Little-endian min and max (present values) for statistics columns. */
  min?: Uint8Array;
  max?: Uint8Array;
}

// Scratch space reused across columns and chunks (the worker encodes one chunk at a time).
const file = new Sink(1 << 20);
const levels = new Sink(1 << 12);
const values = new Sink(1 << 16);
const deltas = new Sink(1 << 12);
const dictPage = new Sink(1 << 12);
const table64 = new WordDictionary();
let present = new Uint8Array(0);
let codes = new Int32Array(0);
let words = new Int32Array(0);
const utf8 = new TextEncoder();

/** The Parquet file for one chunk; `chunk.columns` are in schema order. */
export function encodePacked(table: TableName, chunk: PackedChunk): Uint8Array {
  const defs = tableColumns(table);
  if (chunk.columns.length !== defs.length) {
    throw new Error(`${table}: ${chunk.columns.length} columns for ${defs.length} in the schema`);
  }
  const rows = chunk.rows;
  file.pos = 0;
  file.u32(0x31524150); // "PAR1"
  const columns: object[] = [];
  let uncompressedTotal = 0;
  if (rows > 0) {
    defs.forEach(([name, kind], i) => {
      const start = file.pos;
      const { meta, uncompressed } = writeColumn(name, kind, chunk.columns[i], rows);
      uncompressedTotal += uncompressed;
      columns.push({ field_2: BigInt(start), field_3: meta });
    });
  }
  const footer = new ByteWriter(4096);
  serializeTCompactProtocol(footer, {
    field_1: 2,
    field_2: [
      { field_4: "root", field_5: defs.length },
      ...defs.map(([name, kind]) => ({
        field_1: PHYSICAL[kind],
        field_3: kind.endsWith("?") ? OPTIONAL : REQUIRED,
        field_4: name,
        field_6: kind === "str" || kind === "str?" ? UTF8 : undefined,
      })),
    ],
    field_3: BigInt(rows),
    // One row group per chunk (none for an empty chunk): chunks are the unit of crash safety.
    field_4: rows > 0
      ? [{
        field_1: columns,
        field_2: BigInt(uncompressedTotal),
        field_3: BigInt(rows),
        field_6: BigInt(file.pos - 4),
      }]
      : [],
    field_5: [{ field_1: "sudtrace.table", field_2: table }],
    field_6: "sudtrace",
    // TypeDefinedOrder for every column.
    field_7: defs.map(() => ({ field_1: {} })),
  });
  const footerBytes = footer.getBytes();
  file.append(footerBytes);
  file.u32(footerBytes.length);
  file.u32(0x31524150);
  return file.view().slice();
}

/** Writes one column chunk to `file`; returns its ColumnMetaData (Thrift fields). */
function writeColumn(
  name: string,
  kind: ColumnKind,
  column: PackedColumn,
  rows: number,
): { meta: object; uncompressed: number } {
  const nullable = kind.endsWith("?");
  const numNulls = nullable ? presence(column, rows) : 0;
  if (!nullable) checkRequired(name, column, rows);
  levels.pos = 0;
  if (nullable) writeHybrid(levels, present, rows, 1);
  const stats = STATISTICS_COLUMNS.has(name);
  const encoded = encodeValues(name, kind, column, rows, numNulls, stats);

  const chunkStart = file.pos;
  let uncompressed = 0;
  let dictOffset: bigint | undefined;
  if (encoded.dict) {
    dictOffset = BigInt(file.pos);
    const packed = snappyCompress(encoded.dict);
    const headerStart = file.pos;
    pageHeader(PAGE_DICTIONARY, encoded.dict.length, packed.length);
    dictionaryHeader(encoded.dictCount);
    uncompressed += file.pos - headerStart + encoded.dict.length;
    file.append(packed);
  }
  const dataOffset = file.pos;
  const packed = snappyCompress(encoded.body);
  const levelBytes = levels.view();
  const headerStart = file.pos;
  pageHeader(
    PAGE_DATA_V2,
    levelBytes.length + encoded.body.length,
    levelBytes.length + packed.length,
  );
  dataPageV2Header(rows, numNulls, encoded.encoding, levelBytes.length);
  uncompressed += file.pos - headerStart + levelBytes.length + encoded.body.length;
  file.append(levelBytes);
  file.append(packed);

  const encodings = encoded.dict ? [ENC_PLAIN, encoded.encoding] : [encoded.encoding];
  if (nullable && !encodings.includes(ENC_RLE)) encodings.push(ENC_RLE);
  const meta = {
    field_1: PHYSICAL[kind],
    field_2: encodings,
    field_3: [name],
    field_4: CODEC_SNAPPY,
    field_5: BigInt(rows),
    field_6: BigInt(uncompressed),
    field_7: BigInt(file.pos - chunkStart),
    field_9: BigInt(dataOffset),
    field_11: dictOffset,
    field_12: stats
      ? {
        field_3: BigInt(numNulls),
        field_5: encoded.max,
        field_6: encoded.min,
        field_7: encoded.max ? true : undefined,
        field_8: encoded.min ? true : undefined,
      }
      : undefined,
  };
  return { meta, uncompressed };
}

/** Fills `present` (1 = value) for a nullable column; returns the number of nulls. */
function presence(column: PackedColumn, rows: number): number {
  if (present.length < rows) present = new Uint8Array(Math.max(rows, 2 * present.length));
  let nulls = 0;
  if (column.valid) {
    const valid = column.valid;
    for (let i = 0; i < rows; i++) {
      const p = valid[i] === 0 ? 0 : 1;
      present[i] = p;
      nulls += 1 - p;
    }
  } else if (column.dict) {
    const data = column.data as Int32Array;
    for (let i = 0; i < rows; i++) {
      const p = data[i] < 0 ? 0 : 1;
      present[i] = p;
      nulls += 1 - p;
    }
  } else if (column.values) {
    const vals = column.values;
    for (let i = 0; i < rows; i++) {
      const p = vals[i] === null || vals[i] === undefined ? 0 : 1;
      present[i] = p;
      nulls += 1 - p;
    }
  } else {
    present.fill(1, 0, rows);
  }
  return nulls;
}

function checkRequired(name: string, column: PackedColumn, rows: number): void {
  const fail = () => {
    throw new Error(`column ${name}: null in a required column`);
  };
  if (column.dict) {
    const data = column.data as Int32Array;
    for (let i = 0; i < rows; i++) if (data[i] < 0) fail();
  } else if (column.values) {
    for (let i = 0; i < rows; i++) if (column.values[i] == null) fail();
  }
}

function encodeValues(
  name: string,
  kind: ColumnKind,
  column: PackedColumn,
  rows: number,
  numNulls: number,
  stats: boolean,
): Encoded {
  const count = rows - numNulls;
  if (column.values) return encodeObjects(kind, column.values, rows, count);
  if (!column.data) throw new Error(`column ${name}: no data`);
  if (column.dict) return encodeCodes(column.data as Int32Array, column.dict, rows, count);
  switch (PHYSICAL[kind]) {
    case TYPE.INT64:
      return encodeInt64(column.data as BigInt64Array, rows, count, DELTA_COLUMNS.has(name), stats);
    case TYPE.INT32:
      return encodeInt32(column.data as Int32Array, rows, count, stats);
    case TYPE.BOOLEAN:
      return encodeBool(column.data as Uint8Array, rows);
  }
  throw new Error(`column ${name}: cannot encode ${kind} from typed data`);
}

/** The present values' words (a view of `data` when nothing is null). */
function presentWords(data: Int32Array, rows: number, count: number, perValue: number): Int32Array {
  if (count === rows) return data.subarray(0, rows * perValue);
  if (words.length < count * perValue) {
    words = new Int32Array(Math.max(count * perValue, 2 * words.length));
  }
  let k = 0;
  for (let i = 0; i < rows; i++) {
    if (!present[i]) continue;
    for (let j = 0; j < perValue; j++) words[k++] = data[i * perValue + j];
  }
  return words.subarray(0, count * perValue);
}

function ensureCodes(n: number): Int32Array {
  if (codes.length < n) codes = new Int32Array(Math.max(n, 2 * codes.length));
  return codes;
}

/** RLE_DICTIONARY page body: bit width, then the hybrid-coded indices. */
function dictionaryBody(indices: Int32Array, count: number, dictCount: number): Uint8Array {
  values.pos = 0;
  const width = bitWidth(dictCount - 1);
  values.byte(width);
  writeHybrid(values, indices, count, width);
  return values.view();
}

function encodeInt64(
  data: BigInt64Array,
  rows: number,
  count: number,
  preferDelta: boolean,
  stats: boolean,
): Encoded {
  const all = new Int32Array(data.buffer, data.byteOffset, 2 * rows);
  const w = presentWords(all, rows, count, 2);
  const range = stats ? minMax64(w, count) : {};
  const plainSize = 8 * count;
  let deltaSize: number | undefined;
  const tryDelta = () => {
    deltas.pos = 0;
    deltaSize = deltaPack64(w, count, deltas);
    return deltaSize;
  };
  const delta = (): Encoded => ({
    encoding: ENC_DELTA_BINARY_PACKED,
    dict: null,
    dictCount: 0,
    body: deltas.view(),
    ...range,
  });
  if (preferDelta && tryDelta() >= 0) return delta();
  // Long runs (constant columns): a dictionary with RLE indices wins, try it first. Otherwise
  // the delta size bounds what a dictionary may cost, so the attempt stops early on counters.
  if (deltaSize === undefined && runs64(w, count) * 8 > count) tryDelta();
  const budget = Math.min(
    plainSize / 2,
    deltaSize !== undefined && deltaSize >= 0 ? deltaSize : Infinity,
  );
  const dict = dictionary64(w, count, Math.floor(budget / 8));
  if (dict && 8 * dict.dictCount + dict.body.length <= budget) return { ...dict, ...range };
  if (deltaSize === undefined) tryDelta();
  if (deltaSize! >= 0 && deltaSize! < plainSize) return delta();
  return plain(new Uint8Array(w.buffer, w.byteOffset, plainSize), range);
}

/** Number of runs of equal values among `count` word pairs. */
function runs64(w: Int32Array, count: number): number {
  let runs = count ? 1 : 0;
  for (let i = 1; i < count; i++) {
    if (w[2 * i] !== w[2 * i - 2] || w[2 * i + 1] !== w[2 * i - 1]) runs++;
  }
  return runs;
}

/** A dictionary of at most `limit` int64 values and the RLE_DICTIONARY body, or null. */
function dictionary64(w: Int32Array, count: number, limit: number): Encoded | null {
  limit = Math.min(limit, Math.floor(count / 2));
  if (!count || limit <= 0) return null;
  table64.reset(limit);
  const indices = ensureCodes(count);
  let prevLo = 0, prevHi = 0, prev = -1;
  for (let i = 0; i < count; i++) {
    const lo = w[2 * i], hi = w[2 * i + 1];
    if (prev < 0 || lo !== prevLo || hi !== prevHi) {
      prev = table64.code(lo, hi);
      if (prev < 0) return null;
      prevLo = lo;
      prevHi = hi;
    }
    indices[i] = prev;
  }
  const d = table64.count;
  return {
    encoding: ENC_RLE_DICTIONARY,
    dict: new Uint8Array(table64.keys.buffer, 0, 8 * d),
    dictCount: d,
    body: dictionaryBody(indices, count, d),
  };
}

function encodeInt32(data: Int32Array, rows: number, count: number, stats: boolean): Encoded {
  const w = presentWords(data, rows, count, 1);
  const range = stats ? minMax32(w, count) : {};
  const plainSize = 4 * count;
  const limit = Math.floor(count / 2);
  if (count && limit > 0) {
    table64.reset(limit);
    const indices = ensureCodes(count);
    let prevValue = 0, prev = -1, ok = true;
    for (let i = 0; i < count; i++) {
      const v = w[i];
      if (prev < 0 || v !== prevValue) {
        prev = table64.code(v, 0);
        if (prev < 0) {
          ok = false;
          break;
        }
        prevValue = v;
      }
      indices[i] = prev;
    }
    if (ok) {
      const d = table64.count;
      const body = dictionaryBody(indices, count, d);
      if (2 * (4 * d + body.length) <= plainSize) {
        const dict = new Int32Array(d);
        for (let c = 0; c < d; c++) dict[c] = table64.keys[2 * c];
        return {
          encoding: ENC_RLE_DICTIONARY,
          dict: new Uint8Array(dict.buffer),
          dictCount: d,
          body,
          ...range,
        };
      }
    }
  }
  return plain(new Uint8Array(w.buffer, w.byteOffset, plainSize), range);
}

function plain(body: Uint8Array, range: Partial<Encoded>): Encoded {
  return { encoding: ENC_PLAIN, dict: null, dictCount: 0, body, ...range };
}

const SIGN = -0x80000000;

/** Little-endian bytes of the smallest and largest of `count` int64 word pairs. */
function minMax64(w: Int32Array, count: number): Partial<Encoded> {
  if (!count) return {};
  let min = 0, max = 0;
  // Low words compared as unsigned: flipping the sign bit keeps them small integers.
  let minHi = w[1], minLo = w[0] ^ SIGN, maxHi = minHi, maxLo = minLo;
  for (let i = 1; i < count; i++) {
    const hi = w[2 * i + 1], lo = w[2 * i] ^ SIGN;
    if (hi < minHi || (hi === minHi && lo < minLo)) {
      min = i;
      minHi = hi;
      minLo = lo;
    }
    if (hi > maxHi || (hi === maxHi && lo > maxLo)) {
      max = i;
      maxHi = hi;
      maxLo = lo;
    }
  }
  return { min: valueBytes(w, min, 8), max: valueBytes(w, max, 8) };
}

/** Little-endian bytes of the smallest and largest of `count` int32 values. */
function minMax32(w: Int32Array, count: number): Partial<Encoded> {
  if (!count) return {};
  let min = 0, max = 0;
  for (let i = 1; i < count; i++) {
    if (w[i] < w[min]) min = i;
    if (w[i] > w[max]) max = i;
  }
  return { min: valueBytes(w, min, 4), max: valueBytes(w, max, 4) };
}

function valueBytes(w: Int32Array, index: number, size: number): Uint8Array {
  return new Uint8Array(w.buffer, w.byteOffset + size * index, size).slice();
}

/** Booleans: RLE (a 4-byte length, then the hybrid encoding at width 1). */
function encodeBool(data: Uint8Array, rows: number): Encoded {
  values.pos = 0;
  values.u32(0);
  writeHybrid(values, data, rows, 1);
  const length = values.pos - 4;
  values.pos = 0;
  values.u32(length);
  values.pos = length + 4;
  return { encoding: ENC_RLE, dict: null, dictCount: 0, body: values.view() };
}

/** Recorder-coded strings: the chunk's dictionary and the present rows' codes. */
function encodeCodes(data: Int32Array, dict: string[], rows: number, count: number): Encoded {
  if (!count) return plain(new Uint8Array(0), {});
  let indices = data;
  if (count !== rows) {
    indices = ensureCodes(count);
    let k = 0;
    for (let i = 0; i < rows; i++) if (present[i]) indices[k++] = data[i];
  }
  for (let i = 0; i < count; i++) {
    if (indices[i] >= dict.length) throw new Error(`dictionary code ${indices[i]} out of range`);
  }
  dictPage.pos = 0;
  for (const s of dict) plainString(dictPage, s);
  const body = dictionaryBody(indices, count, dict.length);
  return { encoding: ENC_RLE_DICTIONARY, dict: dictPage.view(), dictCount: dict.length, body };
}

/** Free-text strings and bytes: strings dictionary-coded when that halves them, else PLAIN. */
function encodeObjects(kind: ColumnKind, vals: unknown[], rows: number, count: number): Encoded {
  if (kind === "bytes") {
    values.pos = 0;
    for (let i = 0; i < rows; i++) {
      const v = vals[i];
      if (v === null || v === undefined) continue;
      if (!(v instanceof Uint8Array)) throw new Error(`bytes column holds a ${typeof v}`);
      values.u32(v.length);
      values.append(v);
    }
    return plain(values.view(), {});
  }
  const distinct = new Map<string, number>();
  const dict: string[] = [];
  const indices = ensureCodes(count);
  let k = 0;
  for (let i = 0; i < rows && 2 * dict.length <= count; i++) {
    const v = vals[i];
    if (v === null || v === undefined) continue;
    const s = String(v);
    let c = distinct.get(s);
    if (c === undefined) {
      c = dict.length;
      dict.push(s);
      distinct.set(s, c);
    }
    indices[k++] = c;
  }
  if (count && k === count && 2 * dict.length <= count) {
    dictPage.pos = 0;
    const sizes = new Float64Array(dict.length);
    dict.forEach((s, c) => {
      const start = dictPage.pos;
      plainString(dictPage, s);
      sizes[c] = dictPage.pos - start;
    });
    let plainSize = 0;
    for (let i = 0; i < count; i++) plainSize += sizes[indices[i]];
    const body = dictionaryBody(indices, count, dict.length);
    if (2 * (dictPage.pos + body.length) <= plainSize) {
      return {
        encoding: ENC_RLE_DICTIONARY,
        dict: dictPage.view(),
        dictCount: dict.length,
        body,
      };
    }
  }
  values.pos = 0;
  for (let i = 0; i < rows; i++) {
    const v = vals[i];
    if (v === null || v === undefined) continue;
    plainString(values, String(v));
  }
  return plain(values.view(), {});
}

/** A PLAIN BYTE_ARRAY string: 4-byte length, then UTF-8. */
function plainString(out: Sink, s: string): void {
  out.ensure(4 + 3 * s.length);
  const start = out.pos;
  out.pos += 4;
  const { written } = utf8.encodeInto(s, out.bytes.subarray(out.pos));
  out.pos = start;
  out.u32(written);
  out.pos += written;
}

/** PageHeader fields 1-3 (type, sizes), Thrift compact; the caller adds one sub-header. */
function pageHeader(type: number, uncompressed: number, compressed: number): void {
  file.byte(0x15);
  file.zigzag(type);
  file.byte(0x15);
  file.zigzag(uncompressed);
  file.byte(0x15);
  file.zigzag(compressed);
}

/** Field 7 (DictionaryPageHeader: count, PLAIN), then the PageHeader's stop byte. */
function dictionaryHeader(count: number): void {
  file.byte(0x4c);
  file.byte(0x15);
  file.zigzag(count);
  file.byte(0x15);
  file.zigzag(ENC_PLAIN);
  file.byte(0);
  file.byte(0);
}

/** Field 8 (DataPageHeaderV2; is_compressed left at its default, true), then the stop byte. */
function dataPageV2Header(rows: number, nulls: number, encoding: number, defLength: number): void {
  file.byte(0x5c);
  file.byte(0x15);
  file.zigzag(rows);
  file.byte(0x15);
  file.zigzag(nulls);
  file.byte(0x15);
  file.zigzag(rows);
  file.byte(0x15);
  file.zigzag(encoding);
  file.byte(0x15);
  file.zigzag(defLength);
  file.byte(0x15);
  file.zigzag(0);
  file.byte(0);
  file.byte(0);
}
