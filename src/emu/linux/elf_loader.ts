/**
 * Loads a static x86-64 ELF executable into guest memory the way Linux does without address
 * randomisation: ET_EXEC at its link addresses, static-pie (ET_DYN without PT_INTERP) top-down
 * below the mmap base, brk right after the highest PT_LOAD.
 */
import { type Memory, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE } from "../mem/memory.ts";

/** A malformed or unsupported ELF file; becomes GuestExit.error kind "bad_elf". */
export class BadElfError extends Error {
  override readonly name = "BadElfError";
}

const PT_LOAD = 1, PT_INTERP = 3, PT_PHDR = 6, PT_GNU_STACK = 0x6474e551;
const ET_EXEC = 2, ET_DYN = 3, EM_X86_64 = 62;

/** Top of the mmap area without randomisation (TASK_SIZE - 128 MiB stack gap). */
export const MMAP_BASE = 0x7ffff7fff000;
/** Where Linux puts the brk of a static-pie ("loader"-style ET_DYN) program. */
export const STATIC_PIE_BRK = 0x555555555000;

export interface LoadedElf {
  entry: number;
  /** Address of the program headers in guest memory (AT_PHDR). */
  phdr: number;
  phent: number;
  phnum: number;
  /** Difference between run-time and link-time addresses (0 for ET_EXEC). */
  loadBias: number;
  /** Initial program break. */
  brk: number;
  /** PT_GNU_STACK asked for an executable stack. */
  execStack: boolean;
}

interface Segment {
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
}

const pageDown = (a: number) => Math.floor(a / PAGE_SIZE) * PAGE_SIZE;
const pageUp = (a: number) => Math.ceil(a / PAGE_SIZE) * PAGE_SIZE;

function u64(view: DataView, off: number): number {
  const v = view.getBigUint64(off, true);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new BadElfError(`64-bit field at ${off} too large`);
  }
  return Number(v);
}

/** Parses the header and program headers, validating everything the loader relies on. */
function parse(image: Uint8Array): { type: number; entry: number; phoff: number; segs: Segment[] } {
  if (image.length < 64) throw new BadElfError("file too short for an ELF header");
  if (image[0] !== 0x7f || image[1] !== 0x45 || image[2] !== 0x4c || image[3] !== 0x46) {
    throw new BadElfError("not an ELF file (bad magic)");
  }
  if (image[4] !== 2) throw new BadElfError("not a 64-bit ELF (EI_CLASS != ELFCLASS64)");
  if (image[5] !== 1) throw new BadElfError("not a little-endian ELF");
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const type = view.getUint16(16, true);
  const machine = view.getUint16(18, true);
  if (machine !== EM_X86_64) throw new BadElfError(`not an x86-64 ELF (e_machine ${machine})`);
  if (type !== ET_EXEC && type !== ET_DYN) {
    throw new BadElfError(`not an executable (e_type ${type})`);
  }
  const entry = u64(view, 24);
  const phoff = u64(view, 32);
  const phentsize = view.getUint16(54, true);
  const phnum = view.getUint16(56, true);
  if (phentsize !== 56) throw new BadElfError(`unexpected e_phentsize ${phentsize}`);
  if (phnum === 0 || phoff + phnum * 56 > image.length) {
    throw new BadElfError("program headers outside the file");
  }
  const segs: Segment[] = [];
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * 56;
    const seg: Segment = {
      type: view.getUint32(o, true),
      flags: view.getUint32(o + 4, true),
      offset: u64(view, o + 8),
      vaddr: u64(view, o + 16),
      filesz: u64(view, o + 32),
      memsz: u64(view, o + 40),
    };
    if (seg.type === PT_INTERP) {
      throw new BadElfError(
        "dynamically linked executable (has PT_INTERP); only static executables are supported",
      );
    }
    if (seg.type === PT_LOAD) {
      if (seg.offset + seg.filesz > image.length) {
        throw new BadElfError(`PT_LOAD ${i} extends past the end of the file`);
      }
      if (seg.filesz > seg.memsz) throw new BadElfError(`PT_LOAD ${i} has p_filesz > p_memsz`);
      if ((seg.offset - seg.vaddr) % PAGE_SIZE !== 0) {
        throw new BadElfError(`PT_LOAD ${i} offset and address are not page-congruent`);
      }
      if (seg.vaddr + seg.memsz > MMAP_BASE) throw new BadElfError(`PT_LOAD ${i} above user space`);
    }
    segs.push(seg);
  }
  if (!segs.some((s) => s.type === PT_LOAD)) throw new BadElfError("no PT_LOAD segment");
  return { type, entry, phoff, segs };
}

/** Maps the image's PT_LOAD segments into `mem`. Throws BadElfError for anything unusable. */
export function loadElf(mem: Memory, image: Uint8Array, label = ""): LoadedElf {
  const { type, entry, phoff, segs } = parse(image);
  const loads = segs.filter((s) => s.type === PT_LOAD);
  const lowest = pageDown(Math.min(...loads.map((s) => s.vaddr)));
  const highest = pageUp(Math.max(...loads.map((s) => s.vaddr + s.memsz)));
  // A static-pie is an ELF "loader": the kernel lets mmap place it, top-down from the mmap base.
  const loadBias = type === ET_DYN ? MMAP_BASE - (highest - lowest) - lowest : 0;

  for (const s of loads) {
    const prot = (s.flags & 4 ? PROT_READ : 0) | (s.flags & 2 ? PROT_WRITE : 0) |
      (s.flags & 1 ? PROT_EXEC : 0);
    const start = pageDown(s.vaddr + loadBias);
    const end = pageUp(s.vaddr + loadBias + s.memsz);
    if (end <= start) continue;
    mem.map(start, end - start, prot, label);
    // The file pages: from the page start (the file bytes before vaddr come along, as with mmap).
    const fileStart = s.offset - (s.vaddr + loadBias - start);
    const fileEnd = s.memsz > s.filesz ? s.offset + s.filesz : Math.min(
      image.length,
      s.offset + s.filesz + (end - (s.vaddr + loadBias + s.filesz)),
    );
    mem.poke(start, image.subarray(fileStart, Math.max(fileStart, fileEnd)));
  }

  const phdrSeg = segs.find((s) => s.type === PT_PHDR);
  let phdr: number;
  if (phdrSeg) phdr = phdrSeg.vaddr + loadBias;
  else {
    // Like Linux: the headers are visible if the first PT_LOAD maps file offset phoff.
    const containing = loads.find((s) => s.offset <= phoff && phoff < s.offset + s.filesz);
    phdr = containing ? containing.vaddr + (phoff - containing.offset) + loadBias : 0;
  }
  const stack = segs.find((s) => s.type === PT_GNU_STACK);
  return {
    entry: entry + loadBias,
    phdr,
    phent: 56,
    phnum: segs.length,
    loadBias,
    brk: type === ET_DYN ? STATIC_PIE_BRK : highest + loadBias,
    execStack: stack ? (stack.flags & 1) !== 0 : false,
  };
}
