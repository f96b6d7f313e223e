/**
 * The files the kernel itself provides instead of the host: /proc/self (exe, cwd, root, fd/N as
 * symlinks, maps generated from guest memory) and the character devices /dev/null, /dev/zero,
 * /dev/full, /dev/random and /dev/urandom. Everything here is derived from emulator state (or,
 * for urandom, the host's taped random source), so it is identical on replay.
 */
import type { HostDirEntry, HostStat } from "../host.ts";
import type { Kernel } from "./kernel.ts";
import type { OpenFile } from "./fd_table.ts";

export type DevKind = "null" | "zero" | "full" | "random" | "urandom";

export type VirtualNode =
  | { kind: "symlink"; target: string; fd?: number }
  | { kind: "file"; content: () => Uint8Array }
  | { kind: "dir"; entries: () => HostDirEntry[] }
  | { kind: "dev"; dev: DevKind };

/** makedev(1, minor) of the memory devices. */
const DEV_MINOR: Record<DevKind, number> = { null: 3, zero: 5, full: 7, random: 8, urandom: 9 };

/** Resolves "." and ".." lexically (never above "/"). */
export function normalisePath(path: string): string {
  const out: string[] = [];
  for (const p of path.split("/")) {
    if (p === "" || p === ".") continue;
    if (p === "..") out.pop();
    else out.push(p);
  }
  return "/" + out.join("/");
}

/** "/proc/<our pid>/x" and "/proc/self/x" → "/proc/self/x"; other paths unchanged. */
function canonicalProc(k: Kernel, path: string): string {
  const m = /^\/proc\/(\d+)(\/.*)?$/.exec(path);
  if (m && Number(m[1]) === k.pid) return "/proc/self" + (m[2] ?? "");
  return path;
}

/** What a /proc/self/fd/N symlink points at (Linux's d_path of the open file). */
export function fdTarget(f: OpenFile): string {
  switch (f.kind) {
    case "file":
    case "virtual":
    case "dev":
      return f.path;
    case "pipe":
      return `pipe:[${f.pipe.ino}]`;
    case "std":
      return `/dev/std${["in", "out", "err"][f.stdFd]}`;
    case "socket":
      return `socket:[${f.sock.ino}]`;
    case "eventfd":
      return "anon_inode:[eventfd]";
    case "signalfd":
      return "anon_inode:[signalfd]";
    case "epoll":
      return "anon_inode:[eventpoll]";
  }
}

/**
 * Rewrites paths that go THROUGH a /proc/self symlink (cwd/..., root/..., fd/N/...) into the
 * path they name, so that the host sees an ordinary path. Returns the normalised path.
 */
export function throughProc(k: Kernel, abs: string): string {
  let path = canonicalProc(k, normalisePath(abs));
  for (let i = 0; i < 8; i++) {
    const m = /^\/proc\/self\/(cwd|root|fd\/(\d+))(\/.+)$/.exec(path);
    if (!m) break;
    let base: string;
    if (m[1] === "cwd") base = k.cwdPath;
    else if (m[1] === "root") base = "/";
    else {
      const f = k.fds.get(Number(m[2]));
      if (!f || !("path" in f)) break;
      base = f.path;
    }
    path = canonicalProc(k, normalisePath(base + m[3]));
  }
  return path;
}

/** The virtual node at a normalised absolute path, or null when the host should answer. */
export function lookupVirtual(k: Kernel, path: string): VirtualNode | null {
  const dev = /^\/dev\/(null|zero|full|random|urandom)$/.exec(path);
  if (dev) return { kind: "dev", dev: dev[1] as DevKind };
  if (path === "/proc/self") {
    // A symlink to /proc/<pid> on Linux; readlink special-cases it, everything else sees the dir.
    const names = ["cwd", "exe", "fd", "maps", "root"];
    return {
      kind: "dir",
      entries: () =>
        names.map((name, i) => ({
          name,
          ino: 0x3000 + i,
          type: name === "fd" ? 4 : name === "maps" ? 8 : 10,
        })),
    };
  }
  if (!path.startsWith("/proc/self/")) return null;
  const rest = path.slice("/proc/self/".length);
  switch (rest) {
    case "exe":
      return { kind: "symlink", target: k.exePath() };
    case "cwd":
      return { kind: "symlink", target: k.cwdPath };
    case "root":
      return { kind: "symlink", target: "/" };
    case "maps":
      return { kind: "file", content: () => new TextEncoder().encode(procMaps(k)) };
    case "fd":
      return {
        kind: "dir",
        entries: () =>
          [...k.fds.slots.keys()].sort((a, b) => a - b).map((fd) => ({
            name: String(fd),
            ino: 0x1000 + fd,
            type: 10,
          })),
      };
  }
  const fd = /^fd\/(\d+)$/.exec(rest);
  if (fd) {
    const f = k.fds.get(Number(fd[1]));
    return f ? { kind: "symlink", target: fdTarget(f), fd: Number(fd[1]) } : null;
  }
  return null;
}

/** A stat for an object the kernel itself provides: owned by the guest's user, times zero. */
export function kernelStat(k: Kernel, fields: Partial<HostStat>): HostStat {
  return {
    dev: 0,
    ino: 0,
    mode: 0,
    nlink: 1,
    uid: k.uid,
    gid: k.gid,
    rdev: 0,
    size: 0,
    blksize: 4096,
    blocks: 0,
    atimeSec: 0,
    atimeNsec: 0,
    mtimeSec: 0,
    mtimeNsec: 0,
    ctimeSec: 0,
    ctimeNsec: 0,
    ...fields,
  };
}

/** stat of a virtual node (lstat semantics for symlinks). */
export function virtualStat(k: Kernel, node: VirtualNode): HostStat {
  const base = kernelStat(k, {});
  switch (node.kind) {
    case "symlink":
      return { ...base, dev: 0x17, ino: 0x2000, mode: 0o120777, size: 64, blksize: 1024 };
    case "file":
      return { ...base, dev: 0x17, ino: 0x2001, mode: 0o100444, blksize: 1024 };
    case "dir":
      return { ...base, dev: 0x17, ino: 0x2002, mode: 0o40500, nlink: 2, blksize: 1024 };
    case "dev":
      // devtmpfs character devices, owned by root, crw-rw-rw-.
      return {
        ...base,
        dev: 5,
        ino: 4 + DEV_MINOR[node.dev],
        mode: 0o20666,
        uid: 0,
        gid: 0,
        rdev: 0x100 | DEV_MINOR[node.dev],
      };
  }
}

/** /proc/self/maps in Linux's format, from the guest's memory regions. */
export function procMaps(k: Kernel): string {
  const lines: string[] = [];
  // File offsets of the labelled segments: relative to the label's lowest mapping.
  const firstOf = new Map<string, number>();
  for (const r of k.mem.regions()) {
    if (r.label && !r.label.startsWith("[") && !firstOf.has(r.label)) firstOf.set(r.label, r.start);
  }
  for (const r of k.mem.regions()) {
    const perms = (r.prot & 1 ? "r" : "-") + (r.prot & 2 ? "w" : "-") + (r.prot & 4 ? "x" : "-") +
      "p";
    const file = r.label !== "" && !r.label.startsWith("[");
    const offset = file ? r.start - firstOf.get(r.label)! : 0;
    let line = `${hex8(r.start)}-${hex8(r.end)} ${perms} ${hex8(offset)} 00:00 0 `;
    // Linux pads the name to column 73 (seq_setwidth 25 + 6 * sizeof(void *) - 1, then a space).
    if (r.label) line = line.padEnd(72, " ") + " " + r.label;
    lines.push(line);
  }
  return lines.join("\n") + "\n";
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, "0");
}
