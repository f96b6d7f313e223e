/**
 * The guest's file descriptors. An open file description (offset, status flags) is shared by
 * dup'ed descriptors, as in Linux; the close-on-exec flag belongs to the descriptor.
 */
import type { HostDirEntry } from "../host.ts";
import type { DevKind } from "./procfs.ts";
import type { EpollSet, EventCounter, SocketEnd } from "./fd_kinds.ts";

/** An in-kernel pipe buffer, shared by forked processes (unbounded: a writer never blocks). */
export class PipeBuffer {
  /** The pipefs inode number (shown by fstat and /proc/self/fd), unique per process. */
  constructor(readonly ino = 0) {}
  chunks: Uint8Array[] = [];
  size = 0;
  readers = 0;
  writers = 0;
  /** Writes so far (an EPOLLET edge is a write that arrived since the last report). */
  pushes = 0;

  push(data: Uint8Array): void {
    this.pushes++;
    this.chunks.push(data.slice());
    this.size += data.length;
  }

  take(max: number): Uint8Array {
    const n = Math.min(max, this.size);
    const out = new Uint8Array(n);
    let at = 0;
    while (at < n) {
      const c = this.chunks[0];
      const k = Math.min(c.length, n - at);
      out.set(c.subarray(0, k), at);
      at += k;
      if (k === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(k);
    }
    this.size -= n;
    return out;
  }
}

export type OpenFile =
  | { kind: "std"; stdFd: number; flags: number; refs: number }
  | {
    kind: "file";
    handle: number;
    path: string;
    directory: boolean;
    flags: number;
    offset: number;
    /** getdents64 snapshot and how far it has been read. */
    dirEntries: HostDirEntry[] | null;
    refs: number;
  }
  | { kind: "pipe"; pipe: PipeBuffer; end: "read" | "write"; flags: number; refs: number }
  /** A file the kernel generates (/proc/self/maps, /proc/self/fd): contents fixed at open. */
  | {
    kind: "virtual";
    path: string;
    data: Uint8Array;
    /** Entries when it is a directory, else null. */
    dirEntries: HostDirEntry[] | null;
    flags: number;
    offset: number;
    refs: number;
  }
  /** A memory character device (/dev/null, /dev/zero, /dev/full, /dev/urandom). */
  | { kind: "dev"; dev: DevKind; path: string; flags: number; refs: number }
  /** One end of a socketpair. */
  | { kind: "socket"; sock: SocketEnd; flags: number; refs: number }
  | { kind: "eventfd"; counter: EventCounter; flags: number; refs: number }
  /** A signalfd: reads the pending signals of whichever process reads it. */
  | { kind: "signalfd"; mask: bigint; flags: number; refs: number }
  | { kind: "epoll"; set: EpollSet; flags: number; refs: number };

export interface FdSlot {
  file: OpenFile;
  cloexec: boolean;
}

export const MAX_FDS = 1024;

export class FdTable {
  readonly slots = new Map<number, FdSlot>();
  /** Next pipe inode number (per process, so replays number pipes the same way). */
  nextPipeIno = 1000;

  /** fork(): the same open file descriptions (offsets, pipe ends) under the same numbers. */
  fork(): FdTable {
    const copy = new FdTable();
    copy.nextPipeIno = this.nextPipeIno;
    for (const [fd, slot] of this.slots) copy.setAt(fd, slot.file, slot.cloexec);
    return copy;
  }

  get(fd: number): OpenFile | undefined {
    return this.slots.get(fd)?.file;
  }

  /** Lowest free descriptor >= min, or -1. */
  lowestFree(min = 0): number {
    for (let fd = min; fd < MAX_FDS; fd++) if (!this.slots.has(fd)) return fd;
    return -1;
  }

  /** Installs a file at the lowest free descriptor >= min; returns it or -1 (EMFILE). */
  /** Installs two descriptions at the lowest free fds (pipe2, socketpair); null when full. */
  installPair(a: OpenFile, b: OpenFile, cloexec: boolean): [number, number] | null {
    const fa = this.install(a, cloexec);
    if (fa < 0) return null;
    const fb = this.install(b, cloexec);
    if (fb < 0) {
      this.remove(fa);
      return null;
    }
    return [fa, fb];
  }

  install(file: OpenFile, cloexec: boolean, min = 0): number {
    const fd = this.lowestFree(min);
    if (fd < 0) return -1;
    this.setAt(fd, file, cloexec);
    return fd;
  }

  /** Puts a file at fd (closing whatever was there); returns the description it replaced. */
  setAt(fd: number, file: OpenFile, cloexec: boolean): OpenFile | undefined {
    const old = this.slots.get(fd)?.file;
    file.refs++;
    if (file.kind === "pipe") {
      if (file.refs === 1) {
        if (file.end === "read") file.pipe.readers++;
        else file.pipe.writers++;
      }
    }
    this.slots.set(fd, { file, cloexec });
    return old ? this.release(old) : undefined;
  }

  /** Removes fd; returns the description when this was its last reference, else undefined. */
  remove(fd: number): OpenFile | undefined | null {
    const slot = this.slots.get(fd);
    if (!slot) return null;
    this.slots.delete(fd);
    return this.release(slot.file);
  }

  private release(file: OpenFile): OpenFile | undefined {
    file.refs--;
    if (file.refs > 0) return undefined;
    if (file.kind === "pipe") {
      if (file.end === "read") file.pipe.readers--;
      else file.pipe.writers--;
    }
    if (file.kind === "socket") file.sock.close();
    return file;
  }
}
