/**
 * Builds the process's initial stack byte-for-byte like Linux's create_elf_tables() without
 * randomisation: strings at the top (argv, envp, execfn), the platform string and AT_RANDOM bytes
 * below them, then argc/argv/envp/auxv with argc on a 16-byte boundary.
 */
import { type Memory, PROT_EXEC, PROT_READ, PROT_WRITE } from "../mem/memory.ts";
import type { LoadedElf } from "./elf_loader.ts";

export const STACK_TOP = 0x7ffffffff000;
/** Initially mapped stack (Linux shows 132 KiB); it grows on faults up to the rlimit. */
export const INITIAL_STACK_SIZE = 132 * 1024;
export const STACK_LIMIT = 8 * 1024 * 1024;

export const AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7;
export const AT_FLAGS = 8, AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14;
export const AT_PLATFORM = 15, AT_HWCAP = 16, AT_CLKTCK = 17, AT_SECURE = 23, AT_RANDOM = 25;
export const AT_HWCAP2 = 26, AT_EXECFN = 31, AT_MINSIGSTKSZ = 51;

/** CPUID leaf 1 edx of the emulated CPU profile. */
export const HWCAP = 0x070bfbfd; // CPUID leaf 1 edx (no MMX: not implemented)

export interface StackInput {
  argv: string[];
  env: string[];
  execfn: string;
  random16: Uint8Array;
  uid: number;
  gid: number;
  elf: LoadedElf;
  minSigStackSize: number;
}

export interface BuiltStack {
  /** rsp at entry (points at argc). */
  sp: number;
  /** Lowest mapped stack address. */
  stackLow: number;
  /** The auxv pairs in order (for tests and diagnostics). */
  auxv: [number, number][];
}

const encoder = new TextEncoder();

function cstr(s: string): Uint8Array {
  const b = encoder.encode(s);
  const out = new Uint8Array(b.length + 1);
  out.set(b);
  return out;
}

export function buildInitialStack(mem: Memory, input: StackInput): BuiltStack {
  const stackLow = STACK_TOP - INITIAL_STACK_SIZE;
  const prot = PROT_READ | PROT_WRITE | (input.elf.execStack ? PROT_EXEC : 0);
  mem.map(stackLow, INITIAL_STACK_SIZE, prot, "[stack]");

  // Strings: execfn highest (below an 8-byte NULL marker), then envp, then argv, each set copied
  // so that element 0 has the lowest address.
  let p = STACK_TOP - 8;
  const put = (bytes: Uint8Array): number => {
    p -= bytes.length;
    mem.poke(p, bytes);
    return p;
  };
  const execfnAddr = put(cstr(input.execfn));
  const envAddrs = placeAll(input.env, put);
  const argvAddrs = placeAll(input.argv, put);

  p = Math.floor(p / 16) * 16;
  const platformAddr = put(cstr("x86_64"));
  const randomAddr = put(input.random16.subarray(0, 16));

  const e = input.elf;
  const auxv: [number, number][] = [
    [AT_MINSIGSTKSZ, input.minSigStackSize],
    [AT_HWCAP, HWCAP],
    [AT_PAGESZ, 4096],
    [AT_CLKTCK, 100],
    [AT_PHDR, e.phdr],
    [AT_PHENT, e.phent],
    [AT_PHNUM, e.phnum],
    [AT_BASE, 0],
    [AT_FLAGS, 0],
    [AT_ENTRY, e.entry],
    [AT_UID, input.uid],
    [AT_EUID, input.uid],
    [AT_GID, input.gid],
    [AT_EGID, input.gid],
    [AT_SECURE, 0],
    [AT_RANDOM, randomAddr],
    [AT_HWCAP2, 0],
    [AT_EXECFN, execfnAddr],
    [AT_PLATFORM, platformAddr],
    [AT_NULL, 0],
  ];
  const items = input.argv.length + 1 + input.env.length + 1 + 1;
  const sp = Math.floor((p - auxv.length * 16 - items * 8) / 16) * 16;

  const words: number[] = [input.argv.length, ...argvAddrs, 0, ...envAddrs, 0];
  for (const [k, v] of auxv) words.push(k, v);
  const block = new Uint8Array(words.length * 8);
  const view = new DataView(block.buffer);
  words.forEach((w, i) => view.setBigUint64(i * 8, BigInt(w), true));
  if (sp < stackLow + 4096) throw new RangeError("arguments and environment do not fit the stack");
  mem.poke(sp, block);
  return { sp, stackLow, auxv };
}

/** Copies strings downwards so that the first ends up lowest; returns their addresses in order. */
function placeAll(strings: string[], put: (b: Uint8Array) => number): number[] {
  const addrs = new Array<number>(strings.length);
  for (let i = strings.length - 1; i >= 0; i--) addrs[i] = put(cstr(strings[i]));
  return addrs;
}
