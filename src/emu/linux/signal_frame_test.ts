import assert from "node:assert/strict";
import { Memory, PROT_READ, PROT_WRITE } from "../mem/memory.ts";
import type { SavedRegisters } from "./events.ts";
import { GPR_NAMES } from "../cpu/cpu_api.ts";
import {
  FP_XSTATE_MAGIC1,
  FP_XSTATE_MAGIC2,
  type FrameRegisters,
  placeFrame,
  readFrame,
  savedRegistersOf,
  writeFrame,
  XSTATE_USER_SIZE,
} from "./signal_frame.ts";

const NO_ALT = { sp: 0n, flags: 0, size: 0n };

/** Distinct register values as the CPU holds them, and the same as named 64-bit values. */
function regs(): FrameRegisters {
  const gprs = new Int32Array(32);
  for (let i = 0; i < 16; i++) {
    gprs[2 * i] = 0x11111111 * ((i % 15) + 1);
    gprs[2 * i + 1] = 0x01010101 * (i + 1);
  }
  return { gprs, rip: 0x401234, eflags: 0x246 };
}

function expectedSaved(r: FrameRegisters): SavedRegisters {
  const out = {} as Record<string, bigint>;
  GPR_NAMES.forEach((name, i) => {
    out[name] = (BigInt(r.gprs[2 * i + 1] >>> 0) << 32n) | BigInt(r.gprs[2 * i] >>> 0);
  });
  out.rip = BigInt(r.rip);
  out.eflags = BigInt(r.eflags);
  return out as unknown as SavedRegisters;
}

Deno.test("frame placement identities: frame = fpstate - 456, rsp+8 16-aligned", () => {
  for (const rsp of [0x7fffffffe000n, 0x7fffffffe008n, 0x7fffffffdff3n]) {
    const p = placeFrame(rsp, false, NO_ALT)!;
    assert.equal(p.fpstate % 64n, 0n);
    assert.equal(p.fpstate - p.frame, 456n);
    assert.equal((p.frame + 8n) % 16n, 0n);
    assert.ok(p.fpstate + 580n <= rsp - 128n, "red zone skipped");
    assert.equal(p.onAltstack, false);
  }
});

Deno.test("altstack: switch to the top, overflow fails, nested stays", () => {
  const alt = { sp: 0x10000n, flags: 0, size: 0x10000n };
  const p = placeFrame(0x7fffffffe000n, true, alt)!;
  assert.equal(p.onAltstack, true);
  assert.equal(p.fpstate, ((0x20000n - 580n) / 64n) * 64n); // no red-zone skip on a fresh altstack
  // Without SA_ONSTACK the normal stack is used.
  assert.equal(placeFrame(0x7fffffffe000n, false, alt)!.onAltstack, false);
  // A 1 KiB altstack cannot hold the 1036-byte frame + fpstate: delivery fails.
  assert.equal(placeFrame(0x7fffffffe000n, true, { sp: 0x10000n, flags: 0, size: 1024n }), null);
  assert.notEqual(placeFrame(0x7fffffffe000n, true, { sp: 0x10000n, flags: 0, size: 2048n }), null);
  // Already on the altstack: nested frame below the current rsp, still on it.
  const nested = placeFrame(0x1f000n, true, alt)!;
  assert.equal(nested.onAltstack, true);
  assert.ok(nested.frame < 0x1f000n - 128n);
});

Deno.test("frame bytes: layout, untouched gaps, and read back", () => {
  const mem = new Memory();
  mem.map(0x7fff0000, 0x10000, PROT_READ | PROT_WRITE);
  const fill = new Uint8Array(0x10000).fill(0xab);
  mem.writeBytes(0x7fff0000, fill);
  const place = placeFrame(0x7ffffe00n, false, NO_ALT)!;
  const fx = new Uint8Array(512).fill(0x5a);
  const info = {
    signo: 31,
    errno: 0,
    code: 2,
    addr: 0x405324n,
    syscall: 39,
    arch: 0xc000003e,
  };
  const r = regs();
  writeFrame(mem, place, {
    regs: r,
    restorer: 0x405442n,
    siginfo: info,
    altstack: { sp: 0n, flags: 0, size: 0n },
    savedMask: 0x200n,
    err: 4n,
    trapno: 14n,
    cr2: 0x1234n,
    fxsave: fx,
  });
  const f = Number(place.frame);
  const bytes = mem.readBytes(f, 456 + 600);
  const v = new DataView(bytes.buffer);
  assert.equal(v.getBigUint64(0, true), 0x405442n); // pretcode
  assert.equal(v.getBigUint64(8, true), 7n); // uc_flags
  for (const [from, to] of [[36, 40], [240, 304], [440, 456]]) {
    for (let i = from; i < to; i++) assert.equal(bytes[i], 0xab, `byte ${i} must stay untouched`);
  }
  const saved = expectedSaved(r);
  assert.equal(v.getBigUint64(48 + 13 * 8, true), saved.rax);
  assert.equal(v.getBigUint64(48 + 0 * 8, true), saved.r8);
  assert.equal(v.getBigUint64(48 + 15 * 8, true), saved.rsp);
  assert.equal(v.getBigUint64(48 + 16 * 8, true), saved.rip);
  assert.equal(v.getBigUint64(48 + 17 * 8, true), saved.eflags);
  assert.equal(v.getUint16(192, true), 0x33);
  assert.equal(v.getUint16(198, true), 0x2b);
  assert.equal(v.getBigUint64(200, true), 4n); // err
  assert.equal(v.getBigUint64(208, true), 14n); // trapno
  assert.equal(v.getBigUint64(216, true), 0x200n); // oldmask
  assert.equal(v.getBigUint64(224, true), 0x1234n); // cr2
  assert.equal(v.getBigUint64(232, true), place.fpstate);
  assert.equal(v.getBigUint64(304, true), 0x200n); // uc_sigmask
  // siginfo raw bytes as measured natively (spec §8).
  assert.deepEqual(
    [...bytes.subarray(312, 312 + 32)],
    [
      0x1f,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      2,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0x24,
      0x53,
      0x40,
      0,
      0,
      0,
      0,
      0,
      0x27,
      0,
      0,
      0,
      0x3e,
      0,
      0,
      0xc0,
    ],
  );
  // fpstate: legacy image, untouched reserved bytes, sw_reserved, header, magic2.
  const fp = 456;
  assert.equal(bytes[fp], 0x5a);
  for (let i = 416; i < 464; i++) assert.equal(bytes[fp + i], 0xab);
  assert.equal(v.getUint32(fp + 464, true), FP_XSTATE_MAGIC1);
  assert.equal(v.getUint32(fp + 468, true), XSTATE_USER_SIZE + 4);
  assert.equal(v.getBigUint64(fp + 472, true), 3n);
  assert.equal(v.getUint32(fp + 480, true), XSTATE_USER_SIZE);
  assert.equal(v.getBigUint64(fp + 512, true), 3n);
  assert.equal(v.getUint32(fp + XSTATE_USER_SIZE, true), FP_XSTATE_MAGIC2);
  assert.equal(bytes[fp + XSTATE_USER_SIZE + 4], 0xab);

  const back = readFrame(mem, place.frame);
  const back64 = savedRegistersOf(back.words);
  for (const [name, value] of Object.entries(saved)) {
    assert.equal(back64[name as keyof SavedRegisters], value, name);
  }
  assert.equal(back.mask, 0x200n);
  assert.equal(back.fpstate, place.fpstate);
});

Deno.test("without SA_SIGINFO the siginfo area is left untouched", () => {
  const mem = new Memory();
  mem.map(0x7fff0000, 0x10000, PROT_READ | PROT_WRITE);
  mem.writeBytes(0x7fff0000, new Uint8Array(0x10000).fill(0xcd));
  const place = placeFrame(0x7ffffe00n, false, NO_ALT)!;
  writeFrame(mem, place, {
    regs: regs(),
    restorer: 1n,
    siginfo: null,
    altstack: NO_ALT,
    savedMask: 0n,
    err: 0n,
    trapno: 0n,
    cr2: 0n,
    fxsave: new Uint8Array(512),
  });
  const info = mem.readBytes(Number(place.frame) + 312, 128);
  assert.ok(info.every((b) => b === 0xcd));
});

Deno.test("a frame that does not fit in mapped memory writes nothing", () => {
  const mem = new Memory();
  mem.map(0x7ffff000, 0x1000, PROT_READ | PROT_WRITE);
  const place = placeFrame(0x7ffff200n, false, NO_ALT)!; // frame would start below the mapping
  assert.throws(() =>
    writeFrame(mem, place, {
      regs: regs(),
      restorer: 1n,
      siginfo: null,
      altstack: NO_ALT,
      savedMask: 0n,
      err: 0n,
      trapno: 0n,
      cr2: 0n,
      fxsave: new Uint8Array(512),
    })
  );
  assert.ok(mem.readBytes(0x7ffff000, 0x1000).every((b) => b === 0));
});
