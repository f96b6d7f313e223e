/**
 * Observing the host door: wraps any Host so that every call and its result are reported, which is
 * how recording stores the nondeterministic inputs a replay needs. Generic over the method list so
 * new Host methods are taped without touching this file.
 */

/** Receives each host call after it returned. */
export type HostCallListener = (method: string, args: unknown[], result: unknown) => void;

/** Returns a host whose methods forward to `inner` and report each call to `listener`. */
export function tapHost<T extends object>(
  inner: T,
  methods: readonly (keyof T)[],
  listener: HostCallListener,
): T {
  const tapped = Object.create(inner) as T;
  for (const name of methods) {
    const original = inner[name];
    if (typeof original !== "function") continue;
    const method = String(name);
    (tapped as Record<string, unknown>)[method] = (...args: unknown[]) => {
      const result = (original as (...a: unknown[]) => unknown).apply(inner, args);
      listener(method, args, result);
      return result;
    };
  }
  return tapped;
}

/**
 * JSON text for a host value: Uint8Array becomes {"$bytes": base64}; everything else must already
 * be JSON-able (the Host contract).
 */
export function encodeHostValue(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value, (_key, v) => {
    if (v instanceof Uint8Array) return { $bytes: bytesToBase64(v) };
    if (typeof v === "bigint") return { $bigint: v.toString() };
    return v;
  });
}

/** Inverse of encodeHostValue. */
export function decodeHostValue(text: string): unknown {
  return JSON.parse(text, (_key, v) => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      if (typeof v.$bytes === "string" && Object.keys(v).length === 1) {
        return base64ToBytes(v.$bytes);
      }
      if (typeof v.$bigint === "string" && Object.keys(v).length === 1) return BigInt(v.$bigint);
    }
    return v;
  });
}

function bytesToBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

function base64ToBytes(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
