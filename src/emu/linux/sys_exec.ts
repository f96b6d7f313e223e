/**
 * execve of static x86-64 ELF images, in place: the Kernel, Memory and CPU objects stay (others
 * hold them) and are cleared and refilled. The image is read through the Host door, so replay
 * sees the same bytes. What survives follows Linux's exec: pid, fds (minus close-on-exec ones),
 * mask, pending signals, timers, rlimits, cwd, umask; ignored signals stay ignored, handlers go
 * back to SIG_DFL; SUD is disarmed (spec §5: the work bit cleared, the fields kept).
 */
import type { Kernel } from "./kernel.ts";
import { Cpu } from "../cpu/cpu.ts";
import { Memory, USER_ADDR_LIMIT } from "../mem/memory.ts";
import { BadElfError, type LoadedElf, loadElf, MMAP_BASE } from "./elf_loader.ts";
import { buildInitialStack } from "./initial_stack.ts";
import { MIN_SIGSTACK_SIZE } from "./signal_frame.ts";
import { E2BIG, EACCES, ENOENT, ENOSYS, SIG_DFL, SIG_IGN } from "./constants.ts";
import { AT_FDCWD, followVirtual, lookupString, readPath } from "./path_lookup.ts";
import { closeFile } from "./sys_io.ts";
import { releaseShared } from "./shared_mappings.ts";
import { NO_RETURN } from "./syscall_types.ts";

const ENOEXEC = 8;
const S_IFMT = 0o170000, S_IFREG = 0o100000;
/** Linux's MAX_ARG_STRLEN (one string) and MAX_ARG_STRINGS. */
const MAX_ARG_STRLEN = 32 * 4096, MAX_ARG_STRINGS = 0x7fffffff;
/** What our initial stack can hold (its 132 KiB minus a page of slack and the auxv). */
const MAX_ARG_TOTAL = 120 * 1024;

/** Reads a NULL-terminated array of string pointers (NULL array = empty); -E2BIG when too big. */
export function readStringArray(k: Kernel, addr: bigint): string[] | number {
  const out: string[] = [];
  if (addr === 0n) return out;
  for (let i = 0;; i++) {
    if (i >= MAX_ARG_STRINGS) return -E2BIG;
    const p = k.read64(addr + BigInt(i * 8));
    if (p === 0n) return out;
    const bytes = k.mem.readCString(Number(BigInt.asUintN(64, p)), MAX_ARG_STRLEN + 1);
    if (bytes.length > MAX_ARG_STRLEN - 1) return -E2BIG;
    out.push(new TextDecoder().decode(bytes));
  }
}

/** Reads the program file through the host: its guest path and bytes, or -errno. */
function readImage(k: Kernel, path: string): { path: string; image: Uint8Array } | number {
  const first = lookupString(k, AT_FDCWD, path);
  if (typeof first === "number") return first;
  const l = followVirtual(k, first);
  if (typeof l === "number") return l;
  if (!("norm" in l) || l.virt) return -EACCES; // a pipe, device or generated file
  const st = k.host.stat(l.path, true);
  if (typeof st === "number") return st;
  if ((st.mode & S_IFMT) !== S_IFREG || (st.mode & 0o111) === 0) return -EACCES;
  const opened = k.host.open(l.path, 0, 0);
  if (typeof opened === "number") return opened;
  try {
    const image = k.host.pread(opened.handle, st.size, 0);
    if (typeof image === "number") return image;
    const real = k.host.realpath(l.path);
    return { path: typeof real === "string" ? real : l.norm, image };
  } finally {
    k.host.close(opened.handle);
  }
}

/**
 * execve(path, argv, envp). On success nothing returns to the old image: the syscall event shows
 * 0 and the CPU starts at the new entry. `onExec` runs once the process has its new image.
 */
export function execve(k: Kernel, a: bigint[], onExec: () => void): number | typeof NO_RETURN {
  if (!(k.cpu instanceof Cpu)) return -ENOSYS;
  const cpu = k.cpu;
  const path = readPath(k, a[0]);
  if (typeof path === "number") return path;
  if (path === "") return -ENOENT;
  // As Linux 6.x (alloc_bprm opens the file first): lookup errors before argument errors.
  const file = readImage(k, path);
  if (typeof file === "number") return file;
  const argv = readStringArray(k, a[1]);
  if (typeof argv === "number") return argv;
  const env = readStringArray(k, a[2]);
  if (typeof env === "number") return env;
  if (argv.length === 0) argv.push(""); // Linux 5.18+: an empty argv gets argv[0] = ""
  let total = path.length + 1;
  for (const s of [...argv, ...env]) total += new TextEncoder().encode(s).length + 9;
  if (total > MAX_ARG_TOTAL) return -E2BIG;
  const { image } = file;
  const isElf = image.length >= 4 && image[0] === 0x7f && image[1] === 0x45 &&
    image[2] === 0x4c && image[3] === 0x46;
  if (!isElf) {
    if (image[0] === 0x23 && image[1] === 0x21) {
      k.warnOnce(-59, `execve of script ${file.path}: #! interpreters are not supported`);
    }
    return -ENOEXEC;
  }
  try {
    loadElf(new Memory(), image); // validates before the point of no return
  } catch (e) {
    if (!(e instanceof BadElfError)) throw e;
    k.warnOnce(-59, `execve of ${file.path}: ${e.message} (returned -ENOEXEC)`);
    return -ENOEXEC;
  }

  // The point of no return. MAP_SHARED file pages are written back as at exit.
  releaseShared(k, 0, USER_ADDR_LIMIT);
  k.mem.clear();
  const elf = loadElf(k.mem, image, file.path);
  cpu.resetForExec(elf.entry, BigInt(startImage(k, elf, argv, env, path)));
  k.programPath = file.path;
  k.threadName = path.slice(path.lastIndexOf("/") + 1).slice(0, 15);

  for (const [fd, slot] of [...k.fds.slots]) {
    if (slot.cloexec) closeFile(k, k.fds.remove(fd));
  }
  for (const act of k.actions) {
    if (act.handler !== SIG_IGN) act.handler = SIG_DFL;
    act.flags = 0n;
    act.restorer = 0n;
    act.mask = 0n;
  }
  k.altstack = { sp: 0n, flags: 0, size: 0n };
  k.frames.length = 0;
  k.savedMask = null;
  k.sud.armed = false;
  onExec();
  return 0;
}

/**
 * A loaded image's process start (program start and execve): the initial stack with argv, env
 * and auxv, and the brk and mmap layout. Returns the initial stack pointer.
 */
export function startImage(
  k: Kernel,
  elf: LoadedElf,
  argv: string[],
  env: string[],
  execfn: string,
): number {
  const stack = buildInitialStack(k.mem, {
    argv,
    env,
    execfn,
    random16: k.host.randomBytes(16),
    uid: k.uid,
    gid: k.gid,
    elf,
    minSigStackSize: MIN_SIGSTACK_SIZE,
  });
  k.stackLow = stack.stackLow;
  k.brkStart = k.brk = elf.brk;
  k.mmapTop = MMAP_BASE;
  return stack.sp;
}
