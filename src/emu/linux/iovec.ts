/** Guest iovec arrays (readv/writev, sendmsg/recvmsg): parsing, gathering and scattering. */
import type { Kernel } from "./kernel.ts";
import { EINVAL } from "./constants.ts";
import { num } from "./syscall_types.ts";
import { concatBytes } from "../bytes.ts";

/** [base, len] pairs of a guest iovec array, or -EINVAL (count over IOV_MAX, length ≥ 2^63). */
export function readIovecs(k: Kernel, iov: bigint, cnt: number): [bigint, number][] | number {
  if (cnt < 0 || cnt > 1024) return -EINVAL;
  const raw = k.readGuest(iov, cnt * 16);
  const v = new DataView(raw.buffer, raw.byteOffset);
  const out: [bigint, number][] = [];
  for (let i = 0; i < cnt; i++) {
    const len = v.getBigUint64(i * 16 + 8, true);
    if (len >= 1n << 63n) return -EINVAL;
    out.push([v.getBigUint64(i * 16, true), num(len)]);
  }
  return out;
}

/** The bytes of every buffer, in order, as one array. */
export function gatherIovecs(k: Kernel, iovs: [bigint, number][]): Uint8Array {
  return concatBytes(iovs.filter(([, n]) => n > 0).map(([b, n]) => k.readGuest(b, n)));
}

/** Checks that every buffer is writable, so a fault is reported before anything is consumed. */
export function checkIovecsWritable(k: Kernel, iovs: [bigint, number][]): void {
  for (const [base, len] of iovs) if (len > 0) k.mem.checkWritable(num(base), len);
}

/** Writes data across the buffers in order (as much as fits). */
export function scatterIovecs(k: Kernel, iovs: [bigint, number][], data: Uint8Array): void {
  let at = 0;
  for (const [base, len] of iovs) {
    if (at >= data.length) break;
    const n = Math.min(len, data.length - at);
    k.writeGuest(base, data.subarray(at, at + n));
    at += n;
  }
}
