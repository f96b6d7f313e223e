/**
 * Turning a (dirfd, guest string) pair into what a path syscall operates on: a virtual node the
 * kernel provides (procfs, devices), or a guest path for the host, which resolves it inside its
 * root (symlinks included; see ../host_paths.ts). Errnos follow Linux's lookup order.
 */
import type { Kernel } from "./kernel.ts";
import { EBADF, ENAMETOOLONG, ENOENT, ENOTDIR } from "./constants.ts";
import type { OpenFile } from "./fd_table.ts";
import { lookupVirtual, normalisePath, throughProc, type VirtualNode } from "./procfs.ts";

export const AT_FDCWD = -100;
export const AT_SYMLINK_NOFOLLOW = 0x100;
export const AT_REMOVEDIR = 0x200;
export const AT_SYMLINK_FOLLOW = 0x400;
export const AT_EMPTY_PATH = 0x1000;
const PATH_MAX = 4096;

export interface Lookup {
  /** The path for the host (absolute guest path; not normalised when it went to the host). */
  path: string;
  /** The normalised absolute path (for names: /proc/self/fd, maps, the fd table). */
  norm: string;
  /** Set when the kernel answers for this path itself. */
  virt: VirtualNode | null;
}

/** Reads a path argument: the string, or -EFAULT (thrown) / -ENAMETOOLONG. */
export function readPath(k: Kernel, addr: bigint): string | number {
  const bytes = k.mem.readCString(Number(BigInt.asUintN(64, addr)), PATH_MAX + 1);
  if (bytes.length >= PATH_MAX) return -ENAMETOOLONG;
  return new TextDecoder().decode(bytes);
}

/** The directory a relative path starts from: cwd or the directory open at dirfd. */
export function baseDir(k: Kernel, dirfd: number): string | number {
  if (dirfd === AT_FDCWD) return k.cwdPath;
  const f = k.fds.get(dirfd);
  if (!f) return -EBADF;
  if (f.kind === "file" && f.directory) return f.path;
  if (f.kind === "virtual" && f.dirEntries) return f.path;
  return -ENOTDIR;
}

/** Looks a path string up relative to dirfd. An empty path is ENOENT (callers handle AT_EMPTY_PATH). */
export function lookupString(k: Kernel, dirfd: number, path: string): Lookup | number {
  if (path === "") return -ENOENT;
  let abs = path;
  if (!path.startsWith("/")) {
    const base = baseDir(k, dirfd);
    if (typeof base === "number") return base;
    abs = (base.endsWith("/") ? base : base + "/") + path;
  }
  const lexical = normalisePath(abs);
  const norm = throughProc(k, abs);
  const virt = lookupVirtual(k, norm);
  if (virt) return { path: norm, norm, virt };
  if (norm.startsWith("/proc/self/")) return -ENOENT; // not one we provide
  // Through a /proc/self link the host gets the rewritten path; otherwise the raw one, so that
  // ".." after a symlink means what it means on Linux.
  return { path: norm !== lexical ? norm : abs, norm, virt: null };
}

/** Reads and looks up a path argument. */
export function lookupAt(k: Kernel, dirfd: number, addr: bigint): Lookup | number {
  const path = readPath(k, addr);
  if (typeof path === "number") return path;
  return lookupString(k, dirfd, path);
}

/**
 * Follows virtual symlinks (/proc/self/exe, cwd, fd/N). A descriptor link to something without a
 * path (pipe, terminal, device) yields that open file, which open() then shares.
 */
export function followVirtual(k: Kernel, l: Lookup): Lookup | OpenFile | number {
  for (let depth = 0; depth < 8; depth++) {
    if (!l.virt || l.virt.kind !== "symlink") return l;
    if (l.virt.fd !== undefined) {
      const f = k.fds.get(l.virt.fd);
      if (f && f.kind !== "file") return f;
    }
    const next = lookupString(k, AT_FDCWD, l.virt.target);
    if (typeof next === "number") return next;
    l = next;
  }
  return -40; // ELOOP
}
