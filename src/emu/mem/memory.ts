/**
 * Paged guest memory: 4 KiB pages allocated lazily, per-page protections, a small direct-mapped
 * TLB for the hot read/write paths, and precise faults.
 *
 * Addresses are JavaScript numbers. User addresses are below 2^47, so they are exact; anything
 * negative or at/above 2^47 is simply never mapped and faults like an unmapped page.
 */

export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;
export const PAGE_MASK = PAGE_SIZE - 1;

export const PROT_NONE = 0;
export const PROT_READ = 1;
const READABLE = 7; // PROT_READ | PROT_WRITE | PROT_EXEC
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;

/** Highest user address + 1 with 4-level paging (TASK_SIZE_MAX + page). */
export const USER_ADDR_LIMIT = 0x800000000000;

/** The kind of access that faulted, as the page-fault error code describes it. */
export type AccessKind = "read" | "write" | "exec";

/**
 * A guest memory access that the MMU refuses. Thrown by the access methods and turned into a
 * precise CPU fault (and then a SIGSEGV) by the layers above.
 */
export class MemFault extends Error {
  constructor(
    /** The first faulting byte address. */
    readonly addr: number,
    readonly access: AccessKind,
    /** True when the page exists but its protection forbids the access (SEGV_ACCERR). */
    readonly present: boolean,
    /**
     * True when the hardware page-table entry is present (the error code's P bit): the page was
     * accessed since it was mapped and is not PROT_NONE. Linux populates PTEs lazily, so a write
     * to a never-touched read-only page reports P=0 natively.
     */
    readonly pte: boolean = present,
  ) {
    super(
      `memory fault: ${access} at 0x${addr.toString(16)} (${present ? "protection" : "unmapped"})`,
    );
  }

  /** The x86 page-fault error code: P=1, W/R=2, U/S=4 (always user), I/D=16. */
  get errorCode(): number {
    let code = 4;
    if (this.pte) code |= 1;
    if (this.access === "write") code |= 2;
    if (this.access === "exec") code |= 16;
    return code;
  }
}

/** One mapped page. */
export interface Page {
  data: Uint8Array;
  /** The same bytes as a DataView (compiled code reads and writes whole words through it). */
  view: DataView;
  prot: number;
  /** Set when decoded code was cached from this page; writes then invalidate the cache. */
  code: boolean;
  /** Set once the page has been accessed (Linux would have a PTE): see `MemFault.pte`. */
  touched?: boolean;
  /** A page of a file mapping wholly beyond the file's end: any access is SIGBUS natively. */
  beyondEof?: boolean;
  /** A MAP_SHARED page: fork() shares its bytes with the child instead of copying them. */
  shared?: boolean;
}

/** A contiguous run of pages with the same protection and label, for /proc/self/maps. */
export interface Region {
  start: number;
  end: number;
  prot: number;
  label: string;
}

/** Whether Linux would have a present PTE for the page: accessed since mapped, not PROT_NONE. */
function hasPte(page: Page): boolean {
  return page.touched === true && page.prot !== PROT_NONE;
}

export const TLB_SIZE = 256;
export const TLB_MASK = TLB_SIZE - 1;
/** Never equal to a page index (negative addresses have negative indices, -1 included). */
const EMPTY_TAG = -0.5;

export class Memory {
  private readonly pages = new Map<number, Page>();
  /** Labels per page index (only set by map()); used for /proc/self/maps. */
  private readonly labels = new Map<number, string>();

  // Direct-mapped TLBs: tag = page index (or EMPTY_TAG), data = the page's bytes, view = the
  // same bytes as a DataView. Public (read-only by convention) for the compiled-code fast path
  // in `cpu/jit_*.ts`; the arrays are never replaced, only refilled.
  readonly readTag = new Float64Array(TLB_SIZE).fill(EMPTY_TAG);
  readonly readData: (Uint8Array | null)[] = new Array(TLB_SIZE).fill(null);
  readonly readView: (DataView | null)[] = new Array(TLB_SIZE).fill(null);
  readonly writeTag = new Float64Array(TLB_SIZE).fill(EMPTY_TAG);
  readonly writeData: (Uint8Array | null)[] = new Array(TLB_SIZE).fill(null);
  readonly writeView: (DataView | null)[] = new Array(TLB_SIZE).fill(null);

  /** High 32 bits of the last read64() result (the low half is the return value). */
  hi = 0;

  /** Called with a page index when a write hits a page that holds cached decoded code. */
  onCodeWrite: (pageIndex: number) => void = () => {};

  // ---------------------------------------------------------------------------------------
  // Mapping

  /** Maps [addr, addr+len) with fresh zeroed pages (replacing any existing ones). */
  map(addr: number, len: number, prot: number, label = ""): void {
    const first = Math.floor(addr / PAGE_SIZE);
    const last = Math.floor((addr + len - 1) / PAGE_SIZE);
    for (let p = first; p <= last; p++) {
      const old = this.pages.get(p);
      if (old?.code) this.onCodeWrite(p);
      const data = new Uint8Array(PAGE_SIZE);
      this.pages.set(p, { data, view: new DataView(data.buffer), prot, code: false });
      if (label) this.labels.set(p, label);
      else this.labels.delete(p);
    }
    this.flushTlb();
  }

  /** Removes the pages of [addr, addr+len); unmapped pages are ignored. */
  unmap(addr: number, len: number): void {
    const first = Math.floor(addr / PAGE_SIZE);
    const last = Math.floor((addr + len - 1) / PAGE_SIZE);
    for (let p = first; p <= last; p++) {
      const old = this.pages.get(p);
      if (old?.code) this.onCodeWrite(p);
      this.pages.delete(p);
      this.labels.delete(p);
    }
    this.flushTlb();
  }

  /** Marks mapped pages as lying beyond the end of the file they map (accesses fault as SIGBUS). */
  markBeyondEof(addr: number, len: number): void {
    for (let p = Math.floor(addr / PAGE_SIZE); p * PAGE_SIZE < addr + len; p++) {
      const page = this.pages.get(p);
      if (page) page.beyondEof = true;
    }
    this.flushTlb();
  }

  /** Marks mapped pages as MAP_SHARED: a fork()ed copy sees the same bytes, as natively. */
  markShared(addr: number, len: number): void {
    for (let p = Math.floor(addr / PAGE_SIZE); p * PAGE_SIZE < addr + len; p++) {
      const page = this.pages.get(p);
      if (page) page.shared = true;
    }
  }

  /** Changes protections; returns false if any page in the range is unmapped (ENOMEM). */
  protect(addr: number, len: number, prot: number): boolean {
    const first = Math.floor(addr / PAGE_SIZE);
    const last = Math.floor((addr + len - 1) / PAGE_SIZE);
    for (let p = first; p <= last; p++) if (!this.pages.has(p)) return false;
    for (let p = first; p <= last; p++) {
      const page = this.pages.get(p)!;
      page.prot = prot;
      // Code decoded from a page that is no longer executable must not run from the cache.
      if (page.code && !(prot & PROT_EXEC)) {
        page.code = false;
        this.onCodeWrite(p);
      }
    }
    this.flushTlb();
    return true;
  }

  /** The page holding addr, or undefined. */
  page(addr: number): Page | undefined {
    return this.pages.get(Math.floor(addr / PAGE_SIZE));
  }

  /** True when every page of [addr, addr+len) is mapped. */
  isMapped(addr: number, len: number): boolean {
    if (len <= 0) return true;
    const first = Math.floor(addr / PAGE_SIZE);
    const last = Math.floor((addr + len - 1) / PAGE_SIZE);
    for (let p = first; p <= last; p++) if (!this.pages.has(p)) return false;
    return true;
  }

  /**
   * Finds a free, page-aligned range of len bytes, searching downwards from `below`
   * (like the kernel's top-down mmap layout). Returns -1 if none.
   */
  findFree(len: number, below: number, above = 0x10000): number {
    const n = Math.ceil(len / PAGE_SIZE);
    let top = Math.floor(below / PAGE_SIZE);
    const floor = Math.ceil(above / PAGE_SIZE);
    while (top - n >= floor) {
      let ok = true;
      for (let p = top - 1; p >= top - n; p--) {
        if (this.pages.has(p)) {
          top = p;
          ok = false;
          break;
        }
      }
      if (ok) return (top - n) * PAGE_SIZE;
    }
    return -1;
  }

  /** Contiguous regions in address order, for /proc/self/maps and diagnostics. */
  regions(): Region[] {
    const keys = [...this.pages.keys()].sort((a, b) => a - b);
    const out: Region[] = [];
    for (const p of keys) {
      const prot = this.pages.get(p)!.prot;
      const label = this.labels.get(p) ?? "";
      const last = out[out.length - 1];
      if (last && last.end === p * PAGE_SIZE && last.prot === prot && last.label === label) {
        last.end += PAGE_SIZE;
      } else out.push({ start: p * PAGE_SIZE, end: (p + 1) * PAGE_SIZE, prot, label });
    }
    return out;
  }

  /** execve: drops every page and label (the object stays; the CPU and kernel hold it). */
  clear(): void {
    this.pages.clear();
    this.labels.clear();
    this.flushTlb();
  }

  /** Forgets all cached translations (after any mapping or protection change). */
  flushTlb(): void {
    this.readTag.fill(EMPTY_TAG);
    this.writeTag.fill(EMPTY_TAG);
    this.readData.fill(null);
    this.writeData.fill(null);
    this.readView.fill(null);
    this.writeView.fill(null);
  }

  /**
   * A deep copy for fork(): every page's bytes (MAP_SHARED pages: the same bytes), protection and
   * flags, and the labels. The copy starts with empty TLBs and no page marked as code (its CPU
   * has decoded nothing yet). `shareAll` (vfork): every existing page keeps the same bytes; pages
   * mapped or unmapped later by either side are not shared (a vfork child rarely maps).
   */
  clone(shareAll = false): Memory {
    const copy = new Memory();
    for (const [idx, page] of this.pages) {
      // Shared pages keep one byte buffer for both processes (decoded code is not shared: a
      // write by one process does not invalidate code the other decoded from the page).
      const share = shareAll || page.shared;
      const data = share ? page.data : page.data.slice();
      const view = share ? page.view : new DataView(data.buffer);
      const next: Page = { data, view, prot: page.prot, code: false };
      if (page.touched) next.touched = true;
      if (page.beyondEof) next.beyondEof = true;
      if (page.shared) next.shared = true;
      copy.pages.set(idx, next);
    }
    for (const [idx, label] of this.labels) copy.labels.set(idx, label);
    return copy;
  }

  // ---------------------------------------------------------------------------------------
  // Slow paths: find the page, check protection, fill the TLB.

  private readPage(addr: number): Uint8Array {
    const idx = Math.floor(addr / PAGE_SIZE);
    const slot = idx & TLB_MASK;
    if (this.readTag[slot] === idx) return this.readData[slot]!;
    const page = this.pages.get(idx);
    if (!page) throw new MemFault(addr, "read", false);
    // x86 pages cannot be write- or exec-only: PROT_WRITE and PROT_EXEC imply read (as natively).
    if (!(page.prot & READABLE)) throw new MemFault(addr, "read", true, hasPte(page));
    if (page.beyondEof) throw new MemFault(addr, "read", true, false);
    page.touched = true;
    this.readTag[slot] = idx;
    this.readData[slot] = page.data;
    this.readView[slot] = page.view;
    return page.data;
  }

  private writePage(addr: number): Uint8Array {
    const idx = Math.floor(addr / PAGE_SIZE);
    const slot = idx & TLB_MASK;
    // A write-TLB hit is a writable, touched, non-code page (fetchPage evicts code pages).
    if (this.writeTag[slot] === idx) return this.writeData[slot]!;
    const page = this.pages.get(idx);
    if (!page) throw new MemFault(addr, "write", false);
    if (!(page.prot & PROT_WRITE)) throw new MemFault(addr, "write", true, hasPte(page));
    if (page.beyondEof) throw new MemFault(addr, "write", true, false);
    page.touched = true;
    if (page.code) {
      page.code = false;
      this.onCodeWrite(idx);
    }
    this.writeTag[slot] = idx;
    this.writeData[slot] = page.data;
    this.writeView[slot] = page.view;
    return page.data;
  }

  /** The bytes of the executable page holding addr; marks it as holding code. */
  fetchPage(addr: number): Uint8Array {
    const idx = Math.floor(addr / PAGE_SIZE);
    const page = this.pages.get(idx);
    if (!page) throw new MemFault(addr, "exec", false);
    if (!(page.prot & PROT_EXEC)) throw new MemFault(addr, "exec", true, hasPte(page));
    if (page.beyondEof) throw new MemFault(addr, "exec", true, false);
    page.touched = true;
    if (!page.code) {
      page.code = true;
      // Writes to a code page must take the slow path so they can invalidate.
      const slot = idx & TLB_MASK;
      if (this.writeTag[slot] === idx) {
        this.writeTag[slot] = EMPTY_TAG;
        this.writeData[slot] = null;
        this.writeView[slot] = null;
      }
    }
    return page.data;
  }

  // ---------------------------------------------------------------------------------------
  // Access methods used by the CPU. Multi-byte accesses that cross a page go byte by byte.

  read8(addr: number): number {
    const idx = Math.floor(addr / PAGE_SIZE);
    const slot = idx & TLB_MASK;
    const d = this.readTag[slot] === idx ? this.readData[slot]! : this.readPage(addr);
    return d[addr & PAGE_MASK];
  }

  read16(addr: number): number {
    const off = addr & PAGE_MASK;
    if (off > PAGE_SIZE - 2) return this.read8(addr) | (this.read8(addr + 1) << 8);
    const idx = Math.floor(addr / PAGE_SIZE);
    const slot = idx & TLB_MASK;
    const d = this.readTag[slot] === idx ? this.readData[slot]! : this.readPage(addr);
    return d[off] | (d[off + 1] << 8);
  }

  /** Returns the 32-bit value as a signed int32 (use `>>> 0` for unsigned). */
  read32(addr: number): number {
    const off = addr & PAGE_MASK;
    if (off > PAGE_SIZE - 4) {
      return this.read16(addr) | (this.read16(addr + 2) << 16);
    }
    const idx = Math.floor(addr / PAGE_SIZE);
    const slot = idx & TLB_MASK;
    const d = this.readTag[slot] === idx ? this.readData[slot]! : this.readPage(addr);
    return d[off] | (d[off + 1] << 8) | (d[off + 2] << 16) | (d[off + 3] << 24);
  }

  /** Returns the low int32; the high int32 is left in `this.hi`. */
  read64(addr: number): number {
    const off = addr & PAGE_MASK;
    if (off > PAGE_SIZE - 8) {
      // Low half first: a fault then reports the first unreadable byte, as the CPU does.
      const lo = this.read32(addr);
      this.hi = this.read32(addr + 4);
      return lo;
    }
    const idx = Math.floor(addr / PAGE_SIZE);
    const slot = idx & TLB_MASK;
    const d = this.readTag[slot] === idx ? this.readData[slot]! : this.readPage(addr);
    this.hi = d[off + 4] | (d[off + 5] << 8) | (d[off + 6] << 16) | (d[off + 7] << 24);
    return d[off] | (d[off + 1] << 8) | (d[off + 2] << 16) | (d[off + 3] << 24);
  }

  write8(addr: number, v: number): void {
    const idx = Math.floor(addr / PAGE_SIZE);
    const slot = idx & TLB_MASK;
    const d = this.writeTag[slot] === idx ? this.writeData[slot]! : this.writePage(addr);
    d[addr & PAGE_MASK] = v;
  }

  write16(addr: number, v: number): void {
    const off = addr & PAGE_MASK;
    if (off > PAGE_SIZE - 2) {
      this.checkWritable(addr, 2);
      this.write8(addr, v);
      this.write8(addr + 1, v >> 8);
      return;
    }
    const idx = Math.floor(addr / PAGE_SIZE);
    const slot = idx & TLB_MASK;
    const d = this.writeTag[slot] === idx ? this.writeData[slot]! : this.writePage(addr);
    d[off] = v;
    d[off + 1] = v >> 8;
  }

  write32(addr: number, v: number): void {
    const off = addr & PAGE_MASK;
    if (off > PAGE_SIZE - 4) {
      this.checkWritable(addr, 4);
      for (let i = 0; i < 4; i++) this.write8(addr + i, v >> (8 * i));
      return;
    }
    const idx = Math.floor(addr / PAGE_SIZE);
    const slot = idx & TLB_MASK;
    const d = this.writeTag[slot] === idx ? this.writeData[slot]! : this.writePage(addr);
    d[off] = v;
    d[off + 1] = v >> 8;
    d[off + 2] = v >> 16;
    d[off + 3] = v >> 24;
  }

  write64(addr: number, lo: number, hi: number): void {
    const off = addr & PAGE_MASK;
    if (off > PAGE_SIZE - 8) {
      this.checkWritable(addr, 8);
      this.write32(addr, lo);
      this.write32(addr + 4, hi);
      return;
    }
    const idx = Math.floor(addr / PAGE_SIZE);
    const slot = idx & TLB_MASK;
    const d = this.writeTag[slot] === idx ? this.writeData[slot]! : this.writePage(addr);
    d[off] = lo;
    d[off + 1] = lo >> 8;
    d[off + 2] = lo >> 16;
    d[off + 3] = lo >> 24;
    d[off + 4] = hi;
    d[off + 5] = hi >> 8;
    d[off + 6] = hi >> 16;
    d[off + 7] = hi >> 24;
  }

  /** Throws the fault a write of len bytes at addr would raise, before any byte is written. */
  checkWritable(addr: number, len: number): void {
    if (len <= 0) return;
    this.writePage(addr);
    const lastPage = Math.floor((addr + len - 1) / PAGE_SIZE);
    if (lastPage !== Math.floor(addr / PAGE_SIZE)) this.writePage(lastPage * PAGE_SIZE);
    for (let p = Math.floor(addr / PAGE_SIZE) + 1; p < lastPage; p++) this.writePage(p * PAGE_SIZE);
  }

  /** Throws the fault a read of len bytes at addr would raise. */
  checkReadable(addr: number, len: number): void {
    if (len <= 0) return;
    const first = Math.floor(addr / PAGE_SIZE);
    const lastPage = Math.floor((addr + len - 1) / PAGE_SIZE);
    this.readPage(addr);
    for (let p = first + 1; p <= lastPage; p++) this.readPage(p * PAGE_SIZE);
  }

  // ---------------------------------------------------------------------------------------
  // Bulk helpers used by the kernel layer.

  /** Copies len bytes out of guest memory (faults like the CPU would). */
  readBytes(addr: number, len: number): Uint8Array {
    return this.readInto(addr, new Uint8Array(len));
  }

  /**
   * Fills `out` from guest memory at addr (faults like the CPU would) and returns it: the
   * kernel's hot paths reuse one buffer instead of allocating per call.
   */
  readInto(addr: number, out: Uint8Array): Uint8Array {
    const len = out.length;
    const off0 = addr & PAGE_MASK;
    if (off0 + len <= PAGE_SIZE) {
      out.set(this.readPage(addr).subarray(off0, off0 + len));
      return out;
    }
    let done = 0;
    while (done < len) {
      const a = addr + done;
      const off = a & PAGE_MASK;
      const n = Math.min(len - done, PAGE_SIZE - off);
      const d = this.readPage(a);
      out.set(d.subarray(off, off + n), done);
      done += n;
    }
    return out;
  }

  /** Writes bytes into guest memory; checks every page first so a fault writes nothing. */
  writeBytes(addr: number, bytes: Uint8Array): void {
    this.checkWritable(addr, bytes.length);
    let done = 0;
    while (done < bytes.length) {
      const a = addr + done;
      const off = a & PAGE_MASK;
      const n = Math.min(bytes.length - done, PAGE_SIZE - off);
      const d = this.writePage(a);
      d.set(bytes.subarray(done, done + n), off);
      done += n;
    }
  }

  /** Writes bytes ignoring protections (the loader filling read-only segments). */
  poke(addr: number, bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length) {
      const a = addr + done;
      const idx = Math.floor(a / PAGE_SIZE);
      const page = this.pages.get(idx);
      if (!page) throw new MemFault(a, "write", false);
      page.touched = true; // the loader's pages are populated (file pages fault around)
      if (page.code) {
        page.code = false;
        this.onCodeWrite(idx);
      }
      const off = a & PAGE_MASK;
      const n = Math.min(bytes.length - done, PAGE_SIZE - off);
      page.data.set(bytes.subarray(done, done + n), off);
      done += n;
    }
  }

  /** Reads a NUL-terminated string of at most max bytes (without the NUL). */
  readCString(addr: number, max = 4096): Uint8Array {
    const parts: number[] = [];
    for (let i = 0; i < max; i++) {
      const b = this.read8(addr + i);
      if (b === 0) break;
      parts.push(b);
    }
    return Uint8Array.from(parts);
  }
}
