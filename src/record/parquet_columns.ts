/**
 * Decodes a chunk file's columns straight into typed arrays (see table_columns.ts), without the
 * per-value work of a general reader: dictionary codes stay codes, runs become `fill`, delta-packed
 * counters are summed in doubles. It covers what our writer produces (data page v2 with PLAIN,
 * dictionary, RLE boolean or delta-packed values, uncompressed or snappy); any other layout is
 * handed to hyparquet's column reader, so every valid chunk still reads, only slower.
 */
import {
  ENC_DELTA_BINARY_PACKED,
  ENC_PLAIN,
  ENC_PLAIN_DICTIONARY,
  ENC_RLE,
  ENC_RLE_DICTIONARY,
  PAGE_DATA_V1,
  PAGE_DATA_V2,
  PAGE_DICTIONARY,
} from "./parquet_enums.ts";
import {
  type ColumnMetaData,
  type FileMetaData,
  parquetRead,
  type SchemaElement,
  snappyUncompress,
} from "hyparquet";
import type { ColumnKind, TableName } from "./schema.ts";
import { tableColumns } from "./schema.ts";
import { ColumnPart, columnPartFromValues, type RowPart } from "./table_columns.ts";

/** A layout this decoder does not handle: the caller falls back to hyparquet. */
class Unsupported extends Error {}

const TWO_32 = 4294967296;
const utf8 = new TextDecoder();

/** The columns of every row group of a chunk, in schema order. Throws on corrupt data. */
export async function decodeChunkColumns(
  file: ArrayBuffer,
  metadata: FileMetaData,
  table: TableName,
): Promise<RowPart[]> {
  try {
    return fastDecode(new Uint8Array(file), metadata, table);
  } catch (err) {
    if (!(err instanceof Unsupported)) throw err;
    return [await genericDecode(file, metadata, table)];
  }
}

/** The fast path alone: throws (instead of falling back) on a layout it does not cover. */
export function fastDecode(
  bytes: Uint8Array,
  metadata: FileMetaData,
  table: TableName,
): RowPart[] {
  const schema = new Map(metadata.schema.slice(1).map((e) => [e.name, e]));
  if (metadata.schema.slice(1).some((e) => e.num_children)) throw new Unsupported();
  return metadata.row_groups.map((group) => {
    const rows = Number(group.num_rows);
    const columns = tableColumns(table).map(([name, kind]) => {
      const chunk = group.columns.find((c) => c.meta_data?.path_in_schema[0] === name);
      if (!chunk?.meta_data || chunk.file_path) throw new Unsupported();
      return decodeColumn(bytes, chunk.meta_data, schema.get(name)!, kind, rows);
    });
    return { rows, columns };
  });
}

/** hyparquet's general path, one value per row, for layouts the fast path does not cover. */
async function genericDecode(
  file: ArrayBuffer,
  metadata: FileMetaData,
  table: TableName,
): Promise<RowPart> {
  const defs = tableColumns(table);
  const rows = Number(metadata.num_rows);
  const values = defs.map(() => new Array<unknown>(rows).fill(null));
  const index = new Map(defs.map(([name], i) => [name, i]));
  await parquetRead({
    file,
    metadata,
    columns: defs.map(([name]) => name),
    utf8: false,
    onChunk: ({ columnName, columnData, rowStart }) => {
      const out = values[index.get(columnName)!];
      for (let i = 0; i < columnData.length; i++) out[rowStart + i] = columnData[i];
    },
  });
  return { rows, columns: defs.map(([, kind], i) => columnPartFromValues(kind, values[i])) };
}

/** The physical type a column kind is stored as. */
const PHYSICAL: Record<ColumnKind, string> = {
  "i64": "INT64",
  "i64?": "INT64",
  "i32": "INT32",
  "i32?": "INT32",
  "bool": "BOOLEAN",
  "str": "BYTE_ARRAY",
  "str?": "BYTE_ARRAY",
  "bytes": "BYTE_ARRAY",
};

/** Growable store of one column's distinct values (dictionary first, then plain pages). */
class Values {
  count = 0;
  words = new Int32Array(0);
  ints = new Int32Array(0);
  objects: unknown[] = [];

  constructor(readonly type: string) {}

  /** Room for `n` more values; returns the index of the first. */
  reserve(n: number): number {
    const start = this.count;
    const need = start + n;
    if (this.type === "INT64" && this.words.length < 2 * need) {
      const w = new Int32Array(2 * Math.max(need, 2 * this.count));
      w.set(this.words);
      this.words = w;
    } else if ((this.type === "INT32" || this.type === "BOOLEAN") && this.ints.length < need) {
      const w = new Int32Array(Math.max(need, 2 * this.count));
      w.set(this.ints);
      this.ints = w;
    }
    this.count = need;
    return start;
  }
}

/** One data page, kept until the column's value count (and so its code width) is known. */
interface Page {
  row: number;
  numValues: number;
  present: number;
  /** Definition levels (1 = present) when the column is nullable. */
  defs: Uint8Array | null;
  /** Dictionary-coded: the page body (bit width byte, then codes); else null. */
  dictBody: Uint8Array | null;
  /** Plain-coded: index of the page's first value in the column's values. */
  first: number;
}

function decodeColumn(
  bytes: Uint8Array,
  meta: ColumnMetaData,
  element: SchemaElement,
  kind: ColumnKind,
  rows: number,
): ColumnPart {
  const type = PHYSICAL[kind];
  const isString = element.converted_type === "UTF8" || element.logical_type?.type === "STRING";
  const plainType = (element.converted_type === undefined || isString) &&
    (element.logical_type === undefined || isString);
  if (meta.type !== type || element.type !== type || !plainType) throw new Unsupported();
  if (element.repetition_type === "REPEATED") throw new Unsupported();
  if (meta.codec !== "SNAPPY" && meta.codec !== "UNCOMPRESSED") throw new Unsupported();
  const nullable = element.repetition_type === "OPTIONAL";
  const snappy = meta.codec === "SNAPPY";
  const values = new Values(type);
  const pages: Page[] = [];
  let dictSize = -1;
  let row = 0;
  const dictOffset = meta.dictionary_page_offset;
  let pos = Number(
    dictOffset !== undefined && dictOffset > 0n ? dictOffset : meta.data_page_offset,
  );
  const end = pos + Number(meta.total_compressed_size);
  if (end > bytes.length) throw new Error("column chunk runs past the end of the file");
  while (row < rows && pos < end) {
    const r = new Thrift(bytes, pos);
    const header = r.struct();
    const bodyStart = r.pos;
    const pageType = header[1] as number;
    const uncompressed = header[2] as number;
    const compressed = header[3] as number;
    pos = bodyStart + compressed;
    if (compressed < 0 || pos > end) throw new Error("page runs past its column chunk");
    if (pageType === PAGE_DICTIONARY) {
      const dh = header[7] as Fields | undefined;
      if (!dh || dictSize >= 0 || values.count) throw new Unsupported();
      const count = dh[1] as number;
      if (dh[2] !== ENC_PLAIN && dh[2] !== ENC_PLAIN_DICTIONARY) throw new Unsupported();
      const body = inflate(bytes.subarray(bodyStart, pos), uncompressed, snappy);
      readPlain(body, 0, type, isString, count, values);
      dictSize = count;
    } else if (pageType === PAGE_DATA_V2) {
      const h = header[8] as Fields | undefined;
      if (!h) throw new Error("data page v2 without its header");
      const numValues = h[1] as number;
      const numNulls = h[2] as number;
      const encoding = h[4] as number;
      const defLength = h[5] as number;
      const repLength = h[6] as number;
      if (repLength || numValues > rows - row || numNulls > numValues) {
        throw new Error("page levels do not fit the column");
      }
      if (numNulls && !nullable) throw new Error("nulls in a required column");
      let defs: Uint8Array | null = null;
      if (nullable && numNulls) {
        defs = new Uint8Array(numValues);
        readHybrid(bytes, bodyStart + repLength, bodyStart + repLength + defLength, 1, defs, 2);
      }
      const dataStart = bodyStart + repLength + defLength;
      const body = inflate(
        bytes.subarray(dataStart, pos),
        uncompressed - repLength - defLength,
        snappy && h[7] !== false,
      );
      const present = numValues - numNulls;
      const page: Page = { row, numValues, present, defs, dictBody: null, first: values.count };
      if (encoding === ENC_RLE_DICTIONARY || encoding === ENC_PLAIN_DICTIONARY) {
        if (dictSize < 0) throw new Error("dictionary-coded page without a dictionary");
        page.dictBody = body;
      } else readPageValues(body, encoding, type, isString, present, values);
      pages.push(page);
      row += numValues;
    } else if (pageType === PAGE_DATA_V1) {
      throw new Unsupported();
    }
    // Index pages carry nothing we need.
  }
  if (row !== rows) throw new Error(`column has ${row} values for ${rows} rows`);
  const identity = dictSize < 0 && pages.every((p) => !p.defs);
  const out = identity ? null : rowCodes(pages, rows, values.count, dictSize);
  return new ColumnPart(
    kind,
    out?.codes ?? null,
    out?.nullCode ?? -1,
    values.words,
    values.ints,
    values.objects,
  );
}

/** Every row's value index (in the narrowest array for `count` values) from the pages. */
function rowCodes(
  pages: Page[],
  rows: number,
  count: number,
  dictSize: number,
): { codes: Uint8Array | Uint16Array | Int32Array; nullCode: number } {
  const codes = count < 0xff
    ? new Uint8Array(rows)
    : count < 0xffff
    ? new Uint16Array(rows)
    : new Int32Array(rows);
  const nullCode = count < 0xff ? 0xff : count < 0xffff ? 0xffff : -1;
  for (const p of pages) {
    const { row, numValues, present, defs, dictBody } = p;
    if (!defs) {
      const target = codes.subarray(row, row + numValues);
      if (dictBody) {
        if (present) readHybrid(dictBody, 1, dictBody.length, dictBody[0], target, dictSize);
      } else {
        for (let i = 0; i < numValues; i++) target[i] = p.first + i;
      }
      continue;
    }
    let ids: Int32Array;
    if (dictBody) {
      ids = new Int32Array(present);
      if (present) readHybrid(dictBody, 1, dictBody.length, dictBody[0], ids, dictSize);
    } else {
      ids = new Int32Array(present);
      for (let i = 0; i < present; i++) ids[i] = p.first + i;
    }
    let k = 0;
    for (let i = 0; i < numValues; i++) codes[row + i] = defs[i] ? ids[k++] : nullCode;
    if (k !== present) throw new Error("definition levels disagree with the null count");
  }
  return { codes, nullCode };
}

/** Decodes a data page's `count` present values (not dictionary-coded) into `values`. */
function readPageValues(
  body: Uint8Array,
  encoding: number,
  type: string,
  isString: boolean,
  count: number,
  values: Values,
): void {
  if (encoding === ENC_PLAIN) readPlain(body, 0, type, isString, count, values);
  else if (encoding === ENC_RLE && type === "BOOLEAN") {
    const start = values.reserve(count);
    if (body.length < 4) throw new Error("boolean run data ends early");
    const length = new DataView(body.buffer, body.byteOffset).getUint32(0, true);
    readHybrid(body, 4, 4 + length, 1, values.ints.subarray(start, start + count), 2);
  } else if (encoding === ENC_DELTA_BINARY_PACKED && (type === "INT64" || type === "INT32")) {
    readDelta(body, type, count, values);
  } else throw new Unsupported();
}

function inflate(data: Uint8Array, size: number, snappy: boolean): Uint8Array {
  if (!snappy) return data;
  const out = new Uint8Array(size);
  snappyUncompress(data, out);
  return out;
}

/** PLAIN values appended to `values`. */
function readPlain(
  body: Uint8Array,
  pos: number,
  type: string,
  isString: boolean,
  count: number,
  values: Values,
): void {
  const start = values.reserve(count);
  if (type === "INT64" || type === "INT32") {
    const size = type === "INT64" ? 8 : 4;
    if (pos + count * size > body.length) throw new Error("plain values run past the page");
    const target = type === "INT64" ? values.words : values.ints;
    // Both sides little-endian (x86-64): a byte copy is the decode.
    new Uint8Array(target.buffer, start * size, count * size)
      .set(body.subarray(pos, pos + count * size));
  } else if (type === "BOOLEAN") {
    if (pos + ((count + 7) >> 3) > body.length) throw new Error("plain values run past the page");
    for (let i = 0; i < count; i++) values.ints[start + i] = (body[pos + (i >> 3)] >> (i & 7)) & 1;
  } else {
    const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
    for (let i = 0; i < count; i++) {
      if (pos + 4 > body.length) throw new Error("plain values run past the page");
      const len = view.getUint32(pos, true);
      pos += 4;
      if (pos + len > body.length) throw new Error("plain values run past the page");
      const raw = body.subarray(pos, pos + len);
      values.objects.push(isString ? utf8.decode(raw) : raw.slice());
      pos += len;
    }
  }
}

/**
 * RLE / bit-packed hybrid values of `width` bits from body[pos, end) into all of `out`; each must
 * be below `limit` (a dictionary's size, 2 for levels).
 */
function readHybrid(
  body: Uint8Array,
  pos: number,
  end: number,
  width: number,
  out: Int32Array | Uint16Array | Uint8Array,
  limit: number,
): void {
  if (width > 32) throw new Error(`bit width ${width}`);
  const count = out.length;
  const runBytes = (width + 7) >> 3;
  let n = 0;
  while (n < count) {
    if (pos >= end) throw new Error("run-length data ends early");
    let header = 0, scale = 1, b: number;
    do {
      b = body[pos++];
      header += (b & 0x7f) * scale;
      scale *= 128;
    } while (b & 0x80 && pos < end);
    if (header % 2 === 1) {
      const total = (header - 1) / 2 * 8;
      const take = Math.min(total, count - n);
      if (pos + Math.ceil(take * width / 8) > end) throw new Error("bit-packed run past its data");
      if (unpack(body, pos, width, out, n, take) >= limit) throw new Error("value out of range");
      pos += total * width / 8;
      n += take;
    } else {
      let value = 0;
      for (let i = 0; i < runBytes; i++) value |= body[pos++] << (8 * i);
      const run = header / 2;
      if (value >>> 0 >= limit && run) throw new Error("value out of range");
      out.fill(value, n, Math.min(count, n + run));
      n += run;
    }
  }
}

/**
 * `take` values of `width` (<= 32) bits, LSB first, from byte `pos` into out[at...]; returns the
 * largest (unsigned).
 */
function unpack(
  body: Uint8Array,
  pos: number,
  width: number,
  out: Int32Array | Uint16Array | Uint8Array,
  at: number,
  take: number,
): number {
  if (width === 0) {
    out.fill(0, at, at + take);
    return 0;
  }
  let max = 0;
  const mask = width === 32 ? -1 : (1 << width) - 1;
  let bit = 0;
  for (let i = 0; i < take; i++, bit += width) {
    const p = pos + (bit >> 3);
    const shift = bit & 7;
    let v = (body[p] | body[p + 1] << 8 | body[p + 2] << 16 | body[p + 3] << 24) >>> shift;
    if (shift + width > 32) v |= body[p + 4] << (32 - shift);
    v = (v & mask) >>> 0;
    if (v > max) max = v;
    out[at + i] = v;
  }
  return max;
}

/**
 * DELTA_BINARY_PACKED values appended to `values`, summed in doubles: exact while values stay
 * within ±2^53 and packed deltas within 32 bits (counters); anything else is Unsupported.
 */
function readDelta(body: Uint8Array, type: string, count: number, values: Values): void {
  const r = new Thrift(body, 0);
  const blockSize = r.varint();
  const miniblocks = r.varint();
  const total = r.varint();
  let value = r.zigzag();
  if (total !== count) throw new Error(`delta page holds ${total} values, expected ${count}`);
  if (!miniblocks || blockSize % miniblocks || (blockSize / miniblocks) % 8) {
    throw new Error("bad delta block layout");
  }
  const perMini = blockSize / miniblocks;
  const start = values.reserve(count);
  const int32 = type === "INT32";
  const words = values.words, ints = values.ints;
  const deltas = new Int32Array(perMini);
  const put = (i: number, v: number) => {
    if (int32) ints[start + i] = v;
    else {
      words[2 * (start + i)] = v | 0;
      words[2 * (start + i) + 1] = Math.floor(v / TWO_32) | 0;
    }
  };
  if (count) put(0, value);
  let n = 1;
  let pos = r.pos;
  while (n < count) {
    r.pos = pos;
    const minDelta = r.zigzag();
    pos = r.pos;
    const widths = body.subarray(pos, pos + miniblocks);
    pos += miniblocks;
    for (let m = 0; m < miniblocks && n < count; m++) {
      const width = widths[m];
      if (width > 32) throw new Unsupported();
      const take = Math.min(perMini, count - n);
      if (pos + Math.ceil(take * width / 8) > body.length) throw new Error("delta data ends early");
      unpack(body, pos, width, deltas, 0, take);
      for (let i = 0; i < take; i++) {
        // Packed deltas are unsigned: undo the Int32Array's sign for width 32.
        value += minDelta + (deltas[i] >>> 0);
        if (int32) value |= 0;
        else if (value > Number.MAX_SAFE_INTEGER || value < -Number.MAX_SAFE_INTEGER) {
          throw new Unsupported();
        }
        put(n++, value);
      }
      pos += perMini * width / 8;
    }
  }
}

type Fields = Record<number, unknown>;

/** Just enough of the Thrift compact protocol to read page headers and delta varints. */
class Thrift {
  constructor(readonly bytes: Uint8Array, public pos: number) {}

  byte(): number {
    if (this.pos >= this.bytes.length) throw new Error("header runs past the end of the data");
    return this.bytes[this.pos++];
  }

  /** Unsigned varint as a double; Unsupported past 2^53. */
  varint(): number {
    let v = 0, scale = 1, b: number;
    do {
      b = this.byte();
      v += (b & 0x7f) * scale;
      scale *= 128;
    } while (b & 0x80);
    if (v > Number.MAX_SAFE_INTEGER) throw new Unsupported();
    return v;
  }

  zigzag(): number {
    const v = this.varint();
    return v % 2 ? -(v + 1) / 2 : v / 2;
  }

  /** A struct as field id → value (ints, bools, nested structs; other values skipped). */
  struct(): Fields {
    const out: Fields = {};
    let id = 0;
    for (;;) {
      const head = this.byte();
      const type = head & 0x0f;
      if (type === 0) return out;
      const delta = head >> 4;
      id = delta ? id + delta : this.zigzag();
      out[id] = this.value(type);
    }
  }

  value(type: number): unknown {
    switch (type) {
      case 1:
        return true;
      case 2:
        return false;
      case 3:
        return this.byte();
      case 4:
      case 5:
      case 6:
        return this.zigzag();
      case 7:
        this.skip(8);
        return null;
      case 8:
        this.skip(this.varint());
        return null;
      case 9:
      case 10: {
        const head = this.byte();
        const size = head >> 4 === 15 ? this.varint() : head >> 4;
        for (let i = 0; i < size; i++) this.element(head & 0x0f);
        return null;
      }
      case 11: {
        const size = this.varint();
        if (!size) return null;
        const kv = this.byte();
        for (let i = 0; i < size; i++) {
          this.element(kv >> 4);
          this.element(kv & 0x0f);
        }
        return null;
      }
      case 12:
        return this.struct();
      default:
        throw new Error(`bad thrift type ${type}`);
    }
  }

  /** A list, set or map element: booleans take a byte there. */
  element(type: number): void {
    if (type === 1 || type === 2) this.byte();
    else this.value(type);
  }

  skip(n: number): void {
    if (this.pos + n > this.bytes.length) throw new Error("header runs past the end of the data");
    this.pos += n;
  }
}
