/**
 * JSON encoding for the host-call replay tape. Host calls return bytes and 64-bit values, which
 * plain JSON cannot hold, so they are tagged: Uint8Array as {"$bytes": "<base64>"} and bigint as
 * {"$bigint": "<decimal>"}. Decoding reverses exactly that and nothing else.
 */

export function encodeHostJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => {
    if (typeof v === "bigint") return { $bigint: v.toString() };
    if (v instanceof Uint8Array) return { $bytes: bytesToBase64(v) };
    return v;
  }) ?? "null";
}

export function decodeHostJson(text: string): unknown {
  return JSON.parse(text, (_key, v) => {
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1 && typeof v.$bytes === "string") return base64ToBytes(v.$bytes);
      if (keys.length === 1 && typeof v.$bigint === "string") return BigInt(v.$bigint);
    }
    return v;
  });
}

export function bytesToBase64(bytes: Uint8Array): string {
  let s = "";
  // Chunked so large buffers do not overflow the argument limit of fromCharCode.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

export function base64ToBytes(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
