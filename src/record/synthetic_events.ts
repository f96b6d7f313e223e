/**
 * A small, hand-built event sequence shaped like a real SUD run (arm SUD, an allowed call, a
 * dispatched call with its SIGSYS frame and rt_sigreturn, a kernel write into guest memory, exit).
 * Used by the record and query tests; it is not a guest run, so its values are chosen to hit edge
 * cases: values >= 2^63, negative returns, NULL selector, nested handler depth.
 */
import type {
  ExitEvent,
  KernelObserver,
  MemWriteEvent,
  SavedRegisters,
  SignalEvent,
  SigreturnEvent,
  SudConfigEvent,
  SyscallEvent,
} from "../emu/linux/events.ts";
import { registerWordsOf } from "../emu/linux/signal_frame.ts";
import type { ManifestBase } from "./manifest.ts";

export const SYNTHETIC_BASE: ManifestBase = {
  tool_version: "0.1.0-test",
  created: "2026-01-02T03:04:05.000Z",
  guest: {
    path: "/bin/synthetic",
    sha256: "0".repeat(64),
    argv: ["synthetic", "--flag"],
    env: ["PATH=/bin"],
    cwd: "/",
  },
  cpu_profile: "baseline-sse3",
};

export type SyntheticEvent =
  | { kind: "syscall"; e: SyscallEvent }
  | { kind: "signal"; e: SignalEvent }
  | { kind: "sigreturn"; e: SigreturnEvent }
  | { kind: "sudConfig"; e: SudConfigEvent }
  | { kind: "memWrite"; e: MemWriteEvent }
  | { kind: "exit"; e: ExitEvent };

const HIGH = 0xffff_ffff_ffff_f000n; // >= 2^63: stored as a negative INT64
const SELECTOR = 0x4000_1000n;
const HANDLER = 0x40_1200n;
const RESTORER = 0x40_1300n;

function regs(rip: bigint, rax: bigint): SavedRegisters {
  return {
    rax,
    rbx: 1n,
    rcx: rip,
    rdx: 3n,
    rsi: 0x7fff_0000n,
    rdi: 1n,
    rbp: 0n,
    rsp: 0x7ffd_0000n,
    r8: 8n,
    r9: 9n,
    r10: 10n,
    r11: 0x246n,
    r12: 12n,
    r13: 13n,
    r14: 14n,
    r15: HIGH,
    rip,
    eflags: 0x246n,
  };
}

function syscall(
  seq: number,
  icount: number,
  nr: bigint,
  name: string,
  decision: SyscallEvent["decision"],
  extra: Partial<SyscallEvent> = {},
): SyscallEvent {
  return {
    seq,
    tid: 100,
    icount,
    pc: 0x40_1000n + BigInt(seq),
    nr,
    name,
    args: [1n, 2n, 3n, HIGH, 0n, 2n ** 64n - 1n],
    decision,
    selectorAddr: null,
    selectorValue: null,
    ret: null,
    handlerDepth: 0,
    ...extra,
  };
}

/** The event sequence in seq order. */
export function syntheticEvents(): SyntheticEvent[] {
  return [
    { kind: "syscall", e: syscall(0, 10, 39n, "getpid", "no_sud", { ret: 100n }) },
    {
      kind: "sudConfig",
      e: {
        seq: 1,
        tid: 100,
        icount: 20,
        mode: 1n,
        offset: 0n,
        len: 0n,
        selector: SELECTOR,
        result: 0,
      },
    },
    {
      kind: "syscall",
      e: syscall(2, 30, 1n, "write", "selector_allow", {
        selectorAddr: SELECTOR,
        selectorValue: 0,
        ret: 5n,
      }),
    },
    {
      kind: "syscall",
      e: syscall(3, 40, 0n, "read", "selector_allow", {
        selectorAddr: SELECTOR,
        selectorValue: 0,
        ret: 4n,
      }),
    },
    {
      kind: "memWrite",
      e: { seq: 3, addr: 0x7fff_0000n, bytes: new Uint8Array([104, 105, 0, 255]) },
    },
    {
      kind: "syscall",
      e: syscall(4, 50, 2n, "open", "selector_allow", {
        selectorAddr: SELECTOR,
        selectorValue: 0,
        ret: 2n ** 64n - 2n, // -ENOENT
      }),
    },
    {
      kind: "syscall",
      e: syscall(5, 60, 0xffff_ffff_0000_0027n, "getpid", "dispatch", {
        selectorAddr: SELECTOR,
        selectorValue: 1,
      }),
    },
    {
      kind: "signal",
      e: {
        seq: 6,
        tid: 100,
        icount: 60,
        signo: 31,
        code: 2,
        errno: 0,
        addr: 0x40_1007n,
        siSyscall: 39,
        siArch: 0xc000_003e,
        cause: "sud",
        action: "handler",
        handler: HANDLER,
        restorer: RESTORER,
        saFlags: 0x0c00_0004n,
        frameAddr: 0x7ffc_f000n,
        onAltstack: false,
        maskBefore: 0n,
        maskInHandler: 1n << 30n,
        regWords: registerWordsOf(regs(0x40_1007n, 2n ** 64n - 38n)),
      },
    },
    {
      kind: "syscall",
      e: syscall(7, 75, 15n, "rt_sigreturn", "region", {
        selectorAddr: SELECTOR,
        selectorValue: 1,
        handlerDepth: 1,
      }),
    },
    {
      kind: "sigreturn",
      e: {
        seq: 8,
        tid: 100,
        icount: 80,
        frameAddr: 0x7ffc_f000n,
        signalSeq: 6,
        rip: 0x40_1007n,
        rsp: 0x7ffd_0000n,
        rax: 100n,
        eflags: 0x246n,
        maskAfter: 0n,
        changed: ["rax", "r11"],
      },
    },
    {
      kind: "syscall",
      // NULL selector: only the allowed region may call; this call is from it.
      e: syscall(9, 90, 60n, "exit", "region", {
        selectorAddr: 0n,
        selectorValue: null,
      }),
    },
    { kind: "exit", e: { seq: 10, tid: 100, icount: 91, status: 3, signal: null, core: false } },
  ];
}

/** Feeds the events to an observer, the way the kernel would. */
export function emitTo(observer: KernelObserver, events: SyntheticEvent[]): void {
  for (const ev of events) {
    switch (ev.kind) {
      case "syscall":
        observer.syscall?.(ev.e);
        break;
      case "signal":
        observer.signal?.(ev.e);
        break;
      case "sigreturn":
        observer.sigreturn?.(ev.e);
        break;
      case "sudConfig":
        observer.sudConfig?.(ev.e);
        break;
      case "memWrite":
        observer.memWrite?.(ev.e);
        break;
      case "exit":
        observer.exit?.(ev.e);
        break;
    }
  }
}

/** The host calls the synthetic run made (the replay tape). */
export const SYNTHETIC_HOST_CALLS: [string, unknown, unknown][] = [
  ["clock_gettime", [1], { sec: 5n, nsec: 7 }],
  ["read", [0, 4], new Uint8Array([104, 105, 0, 255])],
];
