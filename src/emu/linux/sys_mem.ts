/** Memory-management syscalls: brk, mmap, munmap, mprotect, mremap, madvise. */
import { PAGE_SIZE, PROT_READ, PROT_WRITE } from "../mem/memory.ts";
import type { Kernel } from "./kernel.ts";
import { EACCES, EBADF, EEXIST, EFAULT, EINVAL, ENODEV, ENOMEM } from "./constants.ts";
import { int, num } from "./syscall_types.ts";
import { releaseShared, syncShared, trackShared } from "./shared_mappings.ts";

const MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20;
const MAP_FIXED_NOREPLACE = 0x100000;
/** Lowest address mmap hands out (vm.mmap_min_addr). */
const MMAP_MIN = 0x10000;
const USER_TOP = 0x7ffffffff000;

const pageUp = (a: number) => Math.ceil(a / PAGE_SIZE) * PAGE_SIZE;
const aligned = (a: number) => a % PAGE_SIZE === 0;

function anyMapped(k: Kernel, addr: number, len: number): boolean {
  for (let a = addr; a < addr + len; a += PAGE_SIZE) if (k.mem.page(a)) return true;
  return false;
}

export function sysBrk(k: Kernel, a: bigint[]): number {
  const want = num(a[0]);
  if (want < k.brkStart || want > USER_TOP) return k.brk;
  const oldTop = pageUp(k.brk), newTop = pageUp(want);
  if (newTop > oldTop) {
    if (anyMapped(k, oldTop, newTop - oldTop)) return k.brk;
    k.mem.map(oldTop, newTop - oldTop, PROT_READ | PROT_WRITE, "[heap]");
  } else if (newTop < oldTop) k.mem.unmap(newTop, oldTop - newTop);
  k.brk = want;
  return k.brk;
}

export function sysMmap(k: Kernel, a: bigint[]): number {
  const hint = num(a[0]), lenRaw = num(a[1]), prot = int(a[2]), flags = int(a[3]);
  const fd = int(a[4]), offset = num(a[5]);
  if (lenRaw === 0) return -EINVAL;
  if (!aligned(offset)) return -EINVAL;
  const type = flags & 3;
  if (type !== MAP_SHARED && type !== MAP_PRIVATE && type !== 3) return -EINVAL;
  const len = pageUp(lenRaw);
  if (len > USER_TOP) return -ENOMEM;

  let data: Uint8Array | null = null;
  let label = "";
  let sharedPath: string | null = null;
  // /dev/zero maps as anonymous memory.
  const dev = flags & MAP_ANONYMOUS ? undefined : k.fds.get(fd);
  const devZero = dev?.kind === "dev" && dev.dev === "zero";
  if (!(flags & MAP_ANONYMOUS) && !devZero) {
    const f = k.fds.get(fd);
    if (!f) return -EBADF;
    if (f.kind !== "file") return -ENODEV;
    if (f.directory) return -ENODEV;
    if ((f.flags & 3) === 1) return -EACCES;
    // A shared writable mapping needs a file open for writing too.
    if (type !== MAP_PRIVATE && prot & PROT_WRITE && (f.flags & 3) !== 2) return -EACCES;
    if (type !== MAP_PRIVATE && (f.flags & 3) === 2) sharedPath = f.path;
    const r = k.host.pread(f.handle, lenRaw, offset);
    if (typeof r === "number") return r;
    data = r;
    label = f.path;
  }

  let addr: number;
  if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
    if (!aligned(hint)) return -EINVAL;
    if (hint + len > USER_TOP || hint < MMAP_MIN && hint !== 0) return -ENOMEM;
    if (flags & MAP_FIXED_NOREPLACE && !(flags & MAP_FIXED) && anyMapped(k, hint, len)) {
      return -EEXIST;
    }
    addr = hint;
  } else {
    const h = Math.floor(hint / PAGE_SIZE) * PAGE_SIZE;
    if (h >= MMAP_MIN && h + len <= USER_TOP && !anyMapped(k, h, len)) addr = h;
    else {
      addr = k.mem.findFree(len, k.mmapTop, MMAP_MIN);
      if (addr < 0) return -ENOMEM;
    }
  }
  releaseShared(k, addr, len); // a MAP_FIXED mapping replaces what was there
  k.mem.map(addr, len, prot & 7, label);
  if (data && data.length > 0) k.mem.poke(addr, data);
  if (type === MAP_SHARED || type === 3) k.mem.markShared(addr, len);
  if (sharedPath !== null) {
    const r = trackShared(k, addr, len, sharedPath, offset);
    if (r < 0) {
      k.mem.unmap(addr, len);
      return r;
    }
  }
  // Pages wholly past the end of the file raise SIGBUS when touched, as natively.
  if (data) {
    const filePages = pageUp(data.length);
    if (filePages < len) k.mem.markBeyondEof(addr + filePages, len - filePages);
  }
  return addr;
}

export function sysMunmap(k: Kernel, a: bigint[]): number {
  const addr = num(a[0]), len = pageUp(num(a[1]));
  if (!aligned(addr) || len === 0 || addr + len > USER_TOP) return -EINVAL;
  releaseShared(k, addr, len);
  k.mem.unmap(addr, len);
  return 0;
}

const MS_ASYNC = 1, MS_INVALIDATE = 2, MS_SYNC = 4;

/** msync: shared file mappings in the range are written back to their files. */
export function sysMsync(k: Kernel, a: bigint[]): number {
  const addr = num(a[0]), len = pageUp(num(a[1])), flags = int(a[2]);
  if (!aligned(addr)) return -EINVAL;
  if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) return -EINVAL;
  if (flags & MS_ASYNC && flags & MS_SYNC) return -EINVAL;
  if (len === 0) return 0;
  for (let p = addr; p < addr + len; p += PAGE_SIZE) if (!k.mem.page(p)) return -ENOMEM;
  syncShared(k, addr, len);
  return 0;
}

export function sysMprotect(k: Kernel, a: bigint[]): number {
  const addr = num(a[0]), len = pageUp(num(a[1])), prot = int(a[2]);
  if (!aligned(addr)) return -EINVAL;
  if (prot & ~(7 | 0x01000000 | 0x02000000)) return -EINVAL;
  if (len === 0) return 0;
  return k.mem.protect(addr, len, prot & 7) ? 0 : -ENOMEM;
}

const MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2;

export function sysMremap(k: Kernel, a: bigint[]): number {
  const old = num(a[0]), oldLen = pageUp(num(a[1])), newLen = pageUp(num(a[2])), flags = int(a[3]);
  if (!aligned(old) || newLen === 0) return -EINVAL;
  if (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | 4)) return -EINVAL;
  if (flags & MREMAP_FIXED) return -EINVAL; // not supported: callers fall back
  if (!k.mem.isMapped(old, Math.max(oldLen, PAGE_SIZE))) return -EFAULT;
  if (newLen <= oldLen) {
    if (newLen < oldLen) k.mem.unmap(old + newLen, oldLen - newLen);
    return old;
  }
  const prot = k.mem.page(old)!.prot;
  if (!anyMapped(k, old + oldLen, newLen - oldLen) && old + newLen <= USER_TOP) {
    k.mem.map(old + oldLen, newLen - oldLen, prot);
    return old;
  }
  if (!(flags & MREMAP_MAYMOVE)) return -ENOMEM;
  const dest = k.mem.findFree(newLen, k.mmapTop, MMAP_MIN);
  if (dest < 0) return -ENOMEM;
  k.mem.map(dest, newLen, prot);
  for (let off = 0; off < oldLen; off += PAGE_SIZE) {
    const page = k.mem.page(old + off);
    if (page) k.mem.poke(dest + off, page.data);
  }
  k.mem.unmap(old, oldLen);
  return dest;
}

const MADV_DONTNEED = 4, MADV_FREE = 8;

export function sysMadvise(k: Kernel, a: bigint[]): number {
  const addr = num(a[0]), len = pageUp(num(a[1])), advice = int(a[2]);
  if (!aligned(addr)) return -EINVAL;
  if (advice === MADV_DONTNEED || advice === MADV_FREE) {
    // Private anonymous pages read back as zero afterwards.
    for (let p = addr; p < addr + len; p += PAGE_SIZE) {
      const page = k.mem.page(p);
      if (page && page.prot & PROT_WRITE) page.data.fill(0);
    }
  }
  return 0;
}
