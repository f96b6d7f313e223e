/**
 * AF_UNIX socketpair and the socket calls that work on it (send/recv and their msg forms,
 * shutdown, get/setsockopt, getsockname/getpeername). Stream ends move bytes; datagram and
 * seqpacket ends keep message boundaries. Other socket families are not emulated.
 */
import type { Kernel } from "./kernel.ts";
import { EAGAIN, EBADF, EFAULT, EINVAL, EMFILE, EPIPE, SI_USER, SIGPIPE } from "./constants.ts";
import { SOCK_DGRAM, SOCK_SEQPACKET, SOCK_STREAM, SocketEnd } from "./fd_kinds.ts";
import type { OpenFile } from "./fd_table.ts";
import { waitUntil } from "./fd_wait.ts";
import { MemFault } from "../mem/memory.ts";
import { int, num } from "./syscall_types.ts";
import { checkIovecsWritable, gatherIovecs, readIovecs, scatterIovecs } from "./iovec.ts";

const AF_UNIX = 1, SOCK_RAW = 3, SOCK_NONBLOCK = 0x800, SOCK_CLOEXEC = 0x80000;
const ENOTSOCK = 88, EPROTONOSUPPORT = 93, ESOCKTNOSUPPORT = 94, EOPNOTSUPP = 95;
const EAFNOSUPPORT = 97, EISCONN = 106, ENOTCONN = 107, ECONNREFUSED = 111, ENOPROTOOPT = 92;
const MSG_PEEK = 2, MSG_TRUNC = 0x20, MSG_DONTWAIT = 0x40, MSG_NOSIGNAL = 0x4000;
const O_NONBLOCK = 0x800;
/** What a lone process may queue before a write would wait for a reader (the default sndbuf). */
const SOCK_CAPACITY = 212992;
const SOL_SOCKET = 1, SO_TYPE = 3, SO_ERROR = 4, SO_SNDBUF = 7, SO_RCVBUF = 8;
const SO_ACCEPTCONN = 30, SO_PROTOCOL = 38, SO_DOMAIN = 39;

type SocketFile = Extract<OpenFile, { kind: "socket" }>;

/** The socket behind fd, or -EBADF / -ENOTSOCK. */
function socketOf(k: Kernel, fd: number): SocketFile | number {
  const f = k.fds.get(fd);
  if (!f) return -EBADF;
  return f.kind === "socket" ? f : -ENOTSOCK;
}

/** socket(): only socketpair is emulated; say so once and fail like a kernel without it. */
export function sysSocket(k: Kernel, a: bigint[]): number {
  k.warnOnce(-4100, `socket(${int(a[0])}, ...) is not emulated (only socketpair); EAFNOSUPPORT`);
  return -EAFNOSUPPORT;
}

export function sysSocketpair(k: Kernel, a: bigint[]): number {
  const domain = int(a[0]), rawType = int(a[1]), protocol = int(a[2]);
  if (domain !== AF_UNIX) return domain >= 0 && domain < 46 ? -EOPNOTSUPP : -EAFNOSUPPORT;
  if (rawType & ~(0xf | SOCK_NONBLOCK | SOCK_CLOEXEC)) return -EINVAL;
  let type = rawType & 0xf;
  if (type === SOCK_RAW) type = SOCK_DGRAM; // unix_create maps SOCK_RAW to SOCK_DGRAM
  if (protocol !== 0 && protocol !== AF_UNIX) return -EPROTONOSUPPORT;
  if (type !== SOCK_STREAM && type !== SOCK_DGRAM && type !== SOCK_SEQPACKET) {
    return -ESOCKTNOSUPPORT;
  }
  k.mem.checkWritable(num(a[3]), 8);
  const x = new SocketEnd(type, k.fds.nextPipeIno++);
  const y = new SocketEnd(type, k.fds.nextPipeIno++);
  x.peer = y;
  y.peer = x;
  const flags = 2 | (rawType & SOCK_NONBLOCK); // O_RDWR
  const cloexec = (rawType & SOCK_CLOEXEC) !== 0;
  const fds = k.fds.installPair(
    { kind: "socket", sock: x, flags, refs: 0 },
    { kind: "socket", sock: y, flags, refs: 0 },
    cloexec,
  );
  if (!fds) return -EMFILE;
  writeFdPair(k, a[3], fds);
  return 0;
}

/** The int[2] result of pipe2/socketpair. */
export function writeFdPair(k: Kernel, addr: bigint, [x, y]: [number, number]): void {
  const out = new Uint8Array(8);
  const v = new DataView(out.buffer);
  v.setInt32(0, x, true);
  v.setInt32(4, y, true);
  k.writeGuest(addr, out);
}

/** A received message: what fits the buffer, and the whole length (datagrams may be cut). */
export interface Received {
  data: Uint8Array;
  full: number;
}

/** Receives up to len bytes (one message for datagram kinds); waits as a blocking read does. */
export function sockRecv(k: Kernel, f: SocketFile, len: number, flags: number): Received | number {
  const s = f.sock;
  const peek = (flags & MSG_PEEK) !== 0;
  if (s.rx.length === 0) {
    if (s.rdShut) return { data: new Uint8Array(0), full: 0 };
    if ((flags & MSG_DONTWAIT) || (f.flags & O_NONBLOCK)) return -EAGAIN;
    return waitUntil(k, () => s.rx.length > 0 || s.rdShut, "read from an empty socket", -4101);
  }
  if (s.stream) {
    const data = s.takeBytes(len, peek);
    return { data, full: data.length };
  }
  const m = s.takeMessage(peek);
  return { data: m.subarray(0, Math.min(len, m.length)), full: m.length };
}

/** Sends data to the peer: EPIPE (and SIGPIPE for streams) once writing is shut. */
export function sockSend(k: Kernel, f: SocketFile, data: Uint8Array, flags: number): number {
  const s = f.sock;
  if (s.wrShut) {
    if (s.stream && !(flags & MSG_NOSIGNAL)) {
      k.defer(() =>
        k.sendSignal(
          { signo: SIGPIPE, errno: 0, code: SI_USER, addr: 0n, pid: k.pid, uid: k.uid },
          "kill",
        )
      );
    }
    return -EPIPE;
  }
  const p = s.peer;
  if (!p) return -ENOTCONN;
  if (p.closed) {
    // A datagram end whose peer went away is disconnected by the first send that notices.
    s.peer = null;
    return -ECONNREFUSED;
  }
  if (s.stream && data.length === 0) return 0;
  if (!k.procs.othersAlive(k)) {
    const room = Math.max(0, SOCK_CAPACITY - p.rxSize);
    const n = s.stream ? Math.min(room, data.length) : (data.length <= room ? data.length : 0);
    if (n < data.length) {
      if (!((flags & MSG_DONTWAIT) || (f.flags & O_NONBLOCK))) {
        k.warnOnce(-4102, "write to a full socket nobody reads would block forever; -EAGAIN");
      }
      if (n === 0) return -EAGAIN;
      p.push(data.subarray(0, n));
      return n;
    }
  }
  p.push(data);
  return data.length;
}

/** Readiness of a socket end for poll/epoll (as unix_poll/unix_dgram_poll report it). */
export function socketReadiness(s: SocketEnd): number {
  const POLLIN = 1, POLLOUT = 4, POLLHUP = 0x10, POLLRDNORM = 0x40, POLLWRNORM = 0x100;
  const POLLRDHUP = 0x2000;
  let m = 0;
  if (s.rdShut && s.wrShut) m |= POLLHUP;
  if (s.rdShut) m |= POLLRDHUP | POLLIN | POLLRDNORM;
  if (s.rx.length > 0) m |= POLLIN | POLLRDNORM;
  m |= POLLOUT | POLLWRNORM;
  return m;
}

/** sendto(fd, buf, len, flags, addr, addrlen): a connected pair ignores no address. */
export function sysSendto(k: Kernel, a: bigint[]): number {
  const f = socketOf(k, int(a[0]));
  if (typeof f === "number") return f;
  if (a[4] !== 0n && f.sock.type !== SOCK_DGRAM) return -EISCONN;
  const len = Math.min(num(a[2]), 0x7ffff000);
  return sockSend(k, f, len === 0 ? new Uint8Array(0) : k.readGuest(a[1], len), int(a[3]));
}

/** recvfrom(fd, buf, len, flags, addr, addrlen*): the peer is unnamed (address length 0). */
export function sysRecvfrom(k: Kernel, a: bigint[]): number {
  const f = socketOf(k, int(a[0]));
  if (typeof f === "number") return f;
  const len = Math.min(num(a[2]), 0x7ffff000);
  const flags = int(a[3]);
  if (len > 0) k.mem.checkWritable(num(a[1]), len);
  const r = sockRecv(k, f, len, flags);
  if (typeof r === "number") return r;
  k.writeGuest(a[1], r.data);
  if (a[4] !== 0n && a[5] !== 0n) k.write32(a[5], 0);
  return flags & MSG_TRUNC && !f.sock.stream ? r.full : r.data.length;
}

/** struct msghdr: name, namelen, iov, iovlen, control, controllen, flags. */
function readMsghdr(k: Kernel, p: bigint) {
  const raw = k.readGuest(p, 56);
  const v = new DataView(raw.buffer, raw.byteOffset);
  return {
    name: v.getBigUint64(0, true),
    iov: v.getBigUint64(16, true),
    iovlen: v.getBigUint64(24, true),
  };
}

export function sysSendmsg(k: Kernel, a: bigint[]): number {
  const f = socketOf(k, int(a[0]));
  if (typeof f === "number") return f;
  const m = readMsghdr(k, a[1]);
  if (m.name !== 0n && f.sock.type !== SOCK_DGRAM) return -EISCONN;
  const iovs = readIovecs(k, m.iov, m.iovlen > 1024n ? -1 : Number(m.iovlen));
  if (typeof iovs === "number") return iovs;
  return sockSend(k, f, gatherIovecs(k, iovs), int(a[2]));
}

export function sysRecvmsg(k: Kernel, a: bigint[]): number {
  const f = socketOf(k, int(a[0]));
  if (typeof f === "number") return f;
  const m = readMsghdr(k, a[1]);
  const iovs = readIovecs(k, m.iov, m.iovlen > 1024n ? -1 : Number(m.iovlen));
  if (typeof iovs === "number") return iovs;
  checkIovecsWritable(k, iovs);
  const total = iovs.reduce((n, [, len]) => n + len, 0);
  const flags = int(a[2]);
  const r = sockRecv(k, f, total, flags);
  if (typeof r === "number") return r;
  scatterIovecs(k, iovs, r.data);
  // No address, no control data; MSG_TRUNC when a message did not fit.
  if (m.name !== 0n) k.write32(a[1] + 8n, 0);
  k.write64(a[1] + 40n, 0n);
  k.write32(a[1] + 48n, r.full > r.data.length ? MSG_TRUNC : 0);
  return flags & MSG_TRUNC && !f.sock.stream ? r.full : r.data.length;
}

const SHUT_RD = 0, SHUT_WR = 1, SHUT_RDWR = 2;

export function sysShutdown(k: Kernel, a: bigint[]): number {
  const f = socketOf(k, int(a[0]));
  if (typeof f === "number") return f;
  const how = int(a[1]);
  if (how < SHUT_RD || how > SHUT_RDWR) return -EINVAL;
  const s = f.sock;
  const rd = how !== SHUT_WR, wr = how !== SHUT_RD;
  if (rd) s.rdShut = true;
  if (wr) s.wrShut = true;
  const p = s.peer;
  if (p && !p.closed && s.type !== SOCK_DGRAM) {
    if (rd) p.wrShut = true;
    if (wr) p.rdShut = true;
  }
  return 0;
}

/** Writes an int option value (cut to the caller's length) and its length. */
function putIntOpt(k: Kernel, val: bigint, lenp: bigint, value: number): number {
  const len = int(BigInt(k.read32(lenp)));
  if (len < 0) return -EINVAL;
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, value, true);
  const n = Math.min(len, 4);
  if (n > 0) k.writeGuest(val, b.subarray(0, n));
  k.write32(lenp, n);
  return 0;
}

export function sysGetsockopt(k: Kernel, a: bigint[]): number {
  const f = socketOf(k, int(a[0]));
  if (typeof f === "number") return f;
  if (int(a[1]) !== SOL_SOCKET) return -EOPNOTSUPP;
  const values: Record<number, number> = {
    [SO_TYPE]: f.sock.type,
    [SO_ERROR]: 0,
    [SO_SNDBUF]: SOCK_CAPACITY,
    [SO_RCVBUF]: SOCK_CAPACITY,
    [SO_ACCEPTCONN]: 0,
    [SO_PROTOCOL]: 0,
    [SO_DOMAIN]: AF_UNIX,
  };
  const v = values[int(a[2])];
  return v === undefined ? -ENOPROTOOPT : putIntOpt(k, a[3], a[4], v);
}

/** setsockopt: buffer sizes are accepted (and ignored); anything else is not supported. */
export function sysSetsockopt(k: Kernel, a: bigint[]): number {
  const f = socketOf(k, int(a[0]));
  if (typeof f === "number") return f;
  const opt = int(a[2]);
  if (int(a[1]) !== SOL_SOCKET || (opt !== SO_SNDBUF && opt !== SO_RCVBUF)) return -ENOPROTOOPT;
  return int(a[4]) < 4 ? -EINVAL : 0;
}

/** getsockname/getpeername: an unnamed AF_UNIX address (just the family, length 2). */
export function sysGetsockname(k: Kernel, a: bigint[]): number {
  const f = socketOf(k, int(a[0]));
  if (typeof f === "number") return f;
  try {
    const len = int(BigInt(k.read32(a[2])));
    if (len < 0) return -EINVAL;
    if (len > 0) k.writeGuest(a[1], new Uint8Array([AF_UNIX, 0]).subarray(0, Math.min(len, 2)));
    k.write32(a[2], 2);
  } catch (e) {
    if (e instanceof MemFault) return -EFAULT;
    throw e;
  }
  return 0;
}

export function sysGetpeername(k: Kernel, a: bigint[]): number {
  const f = socketOf(k, int(a[0]));
  if (typeof f === "number") return f;
  if (!f.sock.peer || f.sock.peer.closed && f.sock.type === SOCK_DGRAM) return -ENOTCONN;
  return sysGetsockname(k, a);
}
