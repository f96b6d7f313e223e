import assert from "node:assert/strict";
// kernel.ts first: it settles the import cycle between the syscall modules before they are used.
import "./kernel.ts";
import { SOCK_DGRAM, SOCK_STREAM, SocketEnd } from "./fd_kinds.ts";
import { signalfdRecord } from "./sys_signalfd.ts";
import { socketReadiness } from "./sys_socket.ts";

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

function pair(type: number): [SocketEnd, SocketEnd] {
  const x = new SocketEnd(type, 1), y = new SocketEnd(type, 2);
  x.peer = y;
  y.peer = x;
  return [x, y];
}

Deno.test("a stream end joins writes and peeks without consuming", () => {
  const [, y] = pair(SOCK_STREAM);
  y.push(bytes("abc"));
  y.push(bytes("defgh"));
  assert.equal(text(y.takeBytes(2, true)), "ab");
  assert.equal(text(y.takeBytes(4, false)), "abcd");
  assert.equal(text(y.takeBytes(64, false)), "efgh");
  assert.equal(y.rxSize, 0);
});

Deno.test("a datagram end keeps boundaries, including empty messages", () => {
  const [, y] = pair(SOCK_DGRAM);
  y.push(bytes("one"));
  y.push(new Uint8Array(0));
  assert.equal(text(y.takeMessage(true)), "one");
  assert.equal(text(y.takeMessage(false)), "one");
  assert.equal(y.takeMessage(false).length, 0);
  assert.equal(y.rx.length, 0);
});

Deno.test("closing a stream end hangs up its peer (POLLIN|POLLOUT|POLLHUP|POLLRDHUP, as natively)", () => {
  const [x, y] = pair(SOCK_STREAM);
  assert.equal(socketReadiness(y), 0x104); // POLLOUT|POLLWRNORM
  x.close();
  assert.equal(socketReadiness(y) & 0x2015, 0x2015);
  const [dx, dy] = pair(SOCK_DGRAM);
  dx.close();
  assert.equal(socketReadiness(dy) & 0x2015, 0x4); // a datagram peer is not told
});

Deno.test("signalfd_siginfo of a SIGCHLD takes pid, uid and status from the CLD siginfo", () => {
  const raw = new Uint8Array(128);
  const v = new DataView(raw.buffer);
  v.setInt32(0, 17, true);
  v.setInt32(8, 1, true); // CLD_EXITED
  v.setInt32(16, 4242, true);
  v.setUint32(20, 1000, true);
  v.setInt32(24, 7, true);
  const r = new DataView(
    signalfdRecord({ signo: 17, errno: 0, code: 1, addr: 0n, pid: 4242, raw }).buffer,
  );
  assert.deepEqual(
    [r.getUint32(0, true), r.getInt32(8, true), r.getUint32(12, true), r.getUint32(16, true)],
    [17, 1, 4242, 1000],
  );
  assert.equal(r.getInt32(40, true), 7); // ssi_status
});

Deno.test("signalfd_siginfo of sigqueue carries the value in ssi_int and ssi_ptr", () => {
  const raw = new Uint8Array(128);
  const v = new DataView(raw.buffer);
  v.setInt32(0, 35, true);
  v.setInt32(8, -1, true); // SI_QUEUE
  v.setInt32(16, 9, true);
  v.setBigUint64(24, 1234n, true);
  const r = new DataView(signalfdRecord({ signo: 35, errno: 0, code: -1, addr: 0n, raw }).buffer);
  assert.equal(r.getInt32(44, true), 1234);
  assert.equal(r.getBigUint64(48, true), 1234n);
  assert.equal(r.getUint32(12, true), 9);
});
