/**
 * In-kernel objects behind the newer descriptor kinds: socketpair ends, eventfd counters,
 * signalfd masks and epoll interest lists. They live in the emulator (no host calls), are shared
 * by forked processes like pipe buffers, and are replayed for free.
 */
import type { OpenFile } from "./fd_table.ts";

export const SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_SEQPACKET = 5;

/** One end of an AF_UNIX socketpair: what the peer sent it, and its shutdown state. */
export class SocketEnd {
  /** Queued data: stream bytes in chunks, or whole datagrams/records. */
  rx: Uint8Array[] = [];
  rxSize = 0;
  /** Messages queued so far (for EPOLLET edges). */
  pushes = 0;
  peer: SocketEnd | null = null;
  /** This end's description was closed (its last descriptor went away). */
  closed = false;
  /** shutdown(SHUT_RD) here or SHUT_WR by the peer / peer closed: reads see end of file. */
  rdShut = false;
  /** shutdown(SHUT_WR) here or SHUT_RD by the peer: writes fail with EPIPE. */
  wrShut = false;
  constructor(readonly type: number, readonly ino: number) {}

  get stream(): boolean {
    return this.type === SOCK_STREAM;
  }

  push(data: Uint8Array): void {
    this.pushes++;
    this.rx.push(data.slice());
    this.rxSize += data.length;
  }

  /** Stream read: up to max bytes across chunks (peek leaves them queued). */
  takeBytes(max: number, peek: boolean): Uint8Array {
    const n = Math.min(max, this.rxSize);
    const out = new Uint8Array(n);
    let at = 0, i = 0;
    while (at < n) {
      const c = this.rx[i];
      const k = Math.min(c.length, n - at);
      out.set(c.subarray(0, k), at);
      at += k;
      if (peek) i++;
      else if (k === c.length) this.rx.shift();
      else this.rx[0] = c.subarray(k);
    }
    if (!peek) this.rxSize -= n;
    return out;
  }

  /** Datagram read: the next whole message (peek leaves it queued). */
  takeMessage(peek: boolean): Uint8Array {
    const m = this.rx[0];
    if (!peek) {
      this.rx.shift();
      this.rxSize -= m.length;
    }
    return m;
  }

  /** Called when the last descriptor of this end closes: the peer sees a hang-up. */
  close(): void {
    this.closed = true;
    const p = this.peer;
    if (p && this.type !== SOCK_DGRAM) {
      p.rdShut = true;
      p.wrShut = true;
    }
  }
}

/** An eventfd's 64-bit counter. */
export class EventCounter {
  /** Writes so far (for EPOLLET edges). */
  writes = 0;
  constructor(public value: bigint, readonly semaphore: boolean) {}
}

/** One epoll registration: the descriptor number and the description it named when added. */
export interface EpollEntry {
  fd: number;
  file: OpenFile;
  events: number;
  data: bigint;
  /** EPOLLONESHOT fired: disabled until EPOLL_CTL_MOD. */
  disabled: boolean;
  /** EPOLLET: the readiness and write count last reported; an edge is a change of either. */
  lastReady: number;
  lastGen: number;
}

export class EpollSet {
  /** Keyed by descriptor number, as Linux keys on (file, fd). */
  readonly entries = new Map<number, EpollEntry>();
}
