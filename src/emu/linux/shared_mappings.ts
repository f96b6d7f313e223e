/**
 * MAP_SHARED file mappings: what the guest writes into them reaches the file, as natively. The
 * emulator keeps guest memory apart from the host file, so the bytes are written back at the
 * points where the guest can observe the file through the kernel: msync, munmap (and a mapping
 * replaced by MAP_FIXED), and process exit, whether by exit_group or by a signal (the page cache
 * outlives the process). Only bytes that differ from the file are written, so an unchanged
 * mapping leaves the file (and its mtime) alone. Reads of the file through read(2) while the
 * mapping is dirty are not coherent with it (documented limitation).
 */
import { PAGE_SIZE } from "../mem/memory.ts";
import type { Kernel } from "./kernel.ts";

/** Our own host handle on the file (the guest may close its descriptor after mmap). */
interface SharedFile {
  handle: number;
  /** Mapping pieces still using it (a partial munmap splits a mapping). */
  refs: number;
}

interface SharedMapping {
  addr: number;
  len: number;
  file: SharedFile;
  /** File offset of `addr`. */
  offset: number;
}

const mappings = new WeakMap<Kernel, SharedMapping[]>();

function listOf(k: Kernel): SharedMapping[] {
  let list = mappings.get(k);
  if (!list) {
    list = [];
    mappings.set(k, list);
    k.exitHooks.push(() => {
      for (const m of list!) writeBack(k, m, m.addr, m.addr + m.len);
    });
  }
  return list;
}

/** Tracks a MAP_SHARED mapping of a file open for writing; returns -errno when it cannot. */
export function trackShared(
  k: Kernel,
  addr: number,
  len: number,
  path: string,
  offset: number,
): number {
  const opened = k.host.open(path, 2, /* O_RDWR */ 0);
  if (typeof opened === "number") return opened;
  listOf(k).push({ addr, len, file: { handle: opened.handle, refs: 1 }, offset });
  return 0;
}

/** Writes the mapped bytes in [from, to) that differ from the file back to it. */
function writeBack(k: Kernel, m: SharedMapping, from: number, to: number): void {
  const st = k.host.fstat(m.file.handle);
  if (typeof st === "number") return;
  const start = Math.max(from, m.addr), end = Math.min(to, m.addr + m.len);
  for (let a = start - (start % PAGE_SIZE); a < end; a += PAGE_SIZE) {
    const page = k.mem.page(a);
    if (!page || page.beyondEof) continue;
    const fileOff = m.offset + (a - m.addr);
    if (fileOff >= st.size) break;
    const n = Math.min(PAGE_SIZE, st.size - fileOff);
    const now = page.data.subarray(0, n);
    const before = k.host.pread(m.file.handle, n, fileOff);
    if (typeof before !== "number" && sameBytes(before, now)) continue;
    k.host.pwrite(m.file.handle, now, fileOff);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** msync: writes back every shared mapping overlapping [addr, addr + len). */
export function syncShared(k: Kernel, addr: number, len: number): void {
  for (const m of mappings.get(k) ?? []) {
    if (m.addr < addr + len && addr < m.addr + m.len) writeBack(k, m, addr, addr + len);
  }
}

/**
 * Before [addr, addr + len) is unmapped or replaced by a new mapping: writes it back, and cuts
 * the range out of the tracked mappings (closing a file no piece uses any more).
 */
export function releaseShared(k: Kernel, addr: number, len: number): void {
  const list = mappings.get(k);
  if (!list || list.length === 0) return;
  syncShared(k, addr, len);
  const end = addr + len;
  const kept: SharedMapping[] = [];
  for (const m of list) {
    const mEnd = m.addr + m.len;
    if (mEnd <= addr || end <= m.addr) {
      kept.push(m);
      continue;
    }
    m.file.refs--;
    if (m.addr < addr) {
      kept.push({ ...m, len: addr - m.addr });
      m.file.refs++;
    }
    if (end < mEnd) {
      kept.push({ ...m, addr: end, len: mEnd - end, offset: m.offset + (end - m.addr) });
      m.file.refs++;
    }
    if (m.file.refs === 0) k.host.close(m.file.handle);
  }
  list.splice(0, list.length, ...kept);
}
