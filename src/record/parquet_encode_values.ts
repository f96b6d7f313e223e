/**
 * Value-level Parquet encodings on typed arrays, with no per-value allocation: a growable byte
 * sink, the RLE / bit-packed hybrid (dictionary indices, levels, booleans), DELTA_BINARY_PACKED
 * for int64 values held as (low, high) int32 word pairs, and a hash table that builds int64/int32
 * dictionaries on those words instead of on BigInts.
 */

const TWO_32 = 4294967296;

/** A growable byte buffer written front to back. */
export class Sink {
  bytes: Uint8Array;
  pos = 0;

  constructor(size = 1 << 16) {
    this.bytes = new Uint8Array(size);
  }

  /** Room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(2 * this.bytes.length, this.pos + n));
    grown.set(this.bytes.subarray(0, this.pos));
    this.bytes = grown;
  }

  byte(b: number): void {
    this.ensure(1);
    this.bytes[this.pos++] = b;
  }

  u32(n: number): void {
    this.ensure(4);
    const b = this.bytes, p = this.pos;
    b[p] = n;
    b[p + 1] = n >>> 8;
    b[p + 2] = n >>> 16;
    b[p + 3] = n >>> 24;
    this.pos = p + 4;
  }

  /** Unsigned varint of a non-negative integer up to 2^53. */
  varint(n: number): void {
    this.ensure(8);
    const b = this.bytes;
    while (n >= 128) {
      b[this.pos++] = (n % 128) | 0x80;
      n = Math.floor(n / 128);
    }
    b[this.pos++] = n;
  }

  /** Zigzag varint of an integer with |n| < 2^52. */
  zigzag(n: number): void {
    this.varint(n >= 0 ? 2 * n : -2 * n - 1);
  }

  append(src: Uint8Array): void {
    this.ensure(src.length);
    this.bytes.set(src, this.pos);
    this.pos += src.length;
  }

  /** The bytes written so far (a view: copy before the sink is reused). */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.pos);
  }
}

/** Bits needed for unsigned values up to `max`. */
export function bitWidth(max: number): number {
  return max === 0 ? 0 : 32 - Math.clz32(max);
}

/**
 * `n` values of `width` bits, LSB first, from values[start...]; positions at or past `count`
 * are padding (0). Values must be unsigned and below 2^width.
 */
function packBits(
  out: Sink,
  values: ArrayLike<number>,
  start: number,
  n: number,
  count: number,
  width: number,
): void {
  out.ensure(Math.ceil(n * width / 8) + 1);
  const b = out.bytes;
  let pos = out.pos;
  const end = Math.min(start + n, count);
  if (width <= 24) {
    // bits < 8 before each value, so bits + width stays below 32.
    let acc = 0, bits = 0;
    for (let i = start; i < end; i++) {
      acc |= values[i] << bits;
      bits += width;
      while (bits >= 8) {
        b[pos++] = acc;
        acc >>>= 8;
        bits -= 8;
      }
    }
    const padBits = (start + n - end) * width;
    bits += padBits;
    while (bits > 0) {
      b[pos++] = acc;
      acc >>>= 8;
      bits -= 8;
    }
  } else {
    // Up to 39 pending bits: exact in a double.
    let acc = 0, scale = 1;
    for (let i = start; i < end; i++) {
      acc += (values[i] >>> 0) * scale;
      scale *= 2 ** width;
      while (scale >= 256) {
        const low = acc % 256;
        b[pos++] = low;
        acc = (acc - low) / 256;
        scale /= 256;
      }
    }
    let bits = Math.log2(scale) + (start + n - end) * width;
    while (bits > 0) {
      const low = acc % 256;
      b[pos++] = low;
      acc = (acc - low) / 256;
      bits -= 8;
    }
  }
  out.pos = pos;
}

/**
 * The RLE / bit-packed hybrid encoding of values[0, count) at `width` bits: runs of 8 or more
 * equal values become RLE runs, the rest groups of 8 bit-packed values.
 */
export function writeHybrid(
  out: Sink,
  values: ArrayLike<number>,
  count: number,
  width: number,
): void {
  const runBytes = (width + 7) >> 3;
  let i = 0;
  let packStart = 0;
  let groups = 0;
  while (i < count) {
    const v = values[i];
    let j = i + 1;
    while (j < count && values[j] === v) j++;
    if (j - i >= 8) {
      if (groups) {
        out.varint(groups * 2 + 1);
        packBits(out, values, packStart, groups * 8, count, width);
        groups = 0;
      }
      out.varint((j - i) * 2);
      for (let k = 0; k < runBytes; k++) out.byte((v >>> (8 * k)) & 0xff);
      i = j;
    } else {
      if (!groups) packStart = i;
      groups++;
      i += 8;
    }
  }
  if (groups) {
    out.varint(groups * 2 + 1);
    packBits(out, values, packStart, groups * 8, count, width);
  }
}

// DELTA_BINARY_PACKED layout: blocks of 128 values in 4 miniblocks of 32.
const BLOCK = 128;
const MINIBLOCKS = 4;
const PER_MINI = BLOCK / MINIBLOCKS;
/** Values with a high word in this range are below 2^51: their deltas and zigzags stay exact. */
const SAFE_HIGH = 1 << 19;

const deltaScratch = new Float64Array(BLOCK);

/**
 * DELTA_BINARY_PACKED of `n` int64 values given as word pairs (words[2i] low, words[2i+1] high),
 * computed in doubles, appended to `out`. Returns the encoded size in bytes, or -1 (with `out`
 * partly written) as soon as a value is beyond ±2^51 or a block's deltas span 32 bits or more:
 * the caller then picks another encoding, which also keeps the fast reader's arithmetic exact.
 */
export function deltaPack64(words: Int32Array, n: number, out: Sink): number {
  const start = out.pos;
  out.varint(BLOCK);
  out.varint(MINIBLOCKS);
  out.varint(n);
  if (n === 0) {
    out.byte(0);
    return out.pos - start;
  }
  let hi = words[1];
  if (hi >= SAFE_HIGH || hi < -SAFE_HIGH) return -1;
  let prev = hi * TWO_32 + (words[0] >>> 0);
  out.zigzag(prev);
  const deltas = deltaScratch;
  const widths = [0, 0, 0, 0];
  for (let index = 1; index < n; index += BLOCK) {
    const m = Math.min(BLOCK, n - index);
    let minDelta = Infinity;
    for (let k = 0; k < m; k++) {
      const i = index + k;
      hi = words[2 * i + 1];
      if (hi >= SAFE_HIGH || hi < -SAFE_HIGH) return -1;
      const v = hi * TWO_32 + (words[2 * i] >>> 0);
      const d = v - prev;
      prev = v;
      deltas[k] = d;
      if (d < minDelta) minDelta = d;
    }
    for (let mb = 0; mb < MINIBLOCKS; mb++) {
      let max = 0;
      const end = Math.min(m, (mb + 1) * PER_MINI);
      for (let k = mb * PER_MINI; k < end; k++) {
        const adjusted = deltas[k] - minDelta;
        deltas[k] = adjusted;
        if (adjusted > max) max = adjusted;
      }
      if (max >= TWO_32) return -1;
      widths[mb] = max >= 2 ** 31 ? 32 : bitWidth(max);
    }
    out.zigzag(minDelta);
    for (let mb = 0; mb < MINIBLOCKS; mb++) out.byte(widths[mb]);
    for (let mb = 0; mb < MINIBLOCKS; mb++) {
      if (widths[mb]) packBits(out, deltas, mb * PER_MINI, PER_MINI, m, widths[mb]);
    }
  }
  return out.pos - start;
}

/**
 * Open-addressing hash table from 64-bit keys, given as (low, high) int32 words, to dense codes
 * in insertion order. Reused across columns; `reset` clears only the slots used.
 */
export class WordDictionary {
  #mask = 0;
  #slots = new Int32Array(0);
  #used = new Int32Array(0);
  /** The distinct keys in code order, as word pairs. */
  keys = new Int32Array(0);
  count = 0;
  #limit = 0;

  /** Empties the table; at most `limit` distinct keys will be accepted. */
  reset(limit: number): void {
    for (let i = 0; i < this.count; i++) this.#slots[this.#used[i]] = -1;
    this.count = 0;
    this.#limit = limit;
    if (this.#slots.length < 2 * limit) {
      let cap = 16;
      while (cap < 2 * limit) cap *= 2;
      this.#slots = new Int32Array(cap).fill(-1);
      this.#used = new Int32Array(cap);
      this.keys = new Int32Array(2 * cap);
      this.#mask = cap - 1;
    }
  }

  /** The key's code (added if new), or -1 once `limit` keys are taken. */
  code(lo: number, hi: number): number {
    let h = Math.imul(lo, 0x9e3779b1) ^ Math.imul(hi ^ 0x7f4a7c15, 0x85ebca77);
    h ^= h >>> 15;
    const mask = this.#mask, slots = this.#slots, keys = this.keys;
    let slot = h & mask;
    for (;;) {
      const c = slots[slot];
      if (c < 0) break;
      if (keys[2 * c] === lo && keys[2 * c + 1] === hi) return c;
      slot = (slot + 1) & mask;
    }
    if (this.count >= this.#limit) return -1;
    const c = this.count++;
    slots[slot] = c;
    this.#used[c] = slot;
    keys[2 * c] = lo;
    keys[2 * c + 1] = hi;
    return c;
  }
}
