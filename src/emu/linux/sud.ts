/**
 * Syscall User Dispatch: the per-thread configuration, prctl validation (spec §2) and the
 * per-syscall decision (spec §3). Pure logic: memory is reached through a byte-reader callback.
 */
import type { Decision } from "./events.ts";
import { EFAULT, EINVAL } from "./constants.ts";

const M64 = (1n << 64n) - 1n;

export const PR_SET_SYSCALL_USER_DISPATCH = 59;
export const PR_SYS_DISPATCH_OFF = 0n;
export const PR_SYS_DISPATCH_EXCLUSIVE_ON = 1n;
export const PR_SYS_DISPATCH_INCLUSIVE_ON = 2n;
/** access_ok limit for a 1-byte access with 4-level paging on 6.x (TASK_SIZE_MAX). */
export const SUD_SELECTOR_MAX = 0x7ffffffff000n;

/** Per-thread SUD state; offset/len are stored already inverted for INCLUSIVE mode. */
export interface SudState {
  armed: boolean;
  selector: bigint;
  offset: bigint;
  len: bigint;
}

export function newSudState(): SudState {
  return { armed: false, selector: 0n, offset: 0n, len: 0n };
}

/**
 * prctl(PR_SET_SYSCALL_USER_DISPATCH, mode, offset, len, selector): validates in the kernel's
 * order (mode/range EINVAL, then selector EFAULT) and updates `state`. Returns 0 or -errno.
 */
export function setSyscallUserDispatch(
  state: SudState,
  mode: bigint,
  offset: bigint,
  len: bigint,
  selector: bigint,
): number {
  mode &= M64;
  offset &= M64;
  len &= M64;
  selector &= M64;
  const wraps = ((offset + len) & M64) <= offset;
  switch (mode) {
    case PR_SYS_DISPATCH_OFF:
      if (offset !== 0n || len !== 0n || selector !== 0n) return -EINVAL;
      break;
    case PR_SYS_DISPATCH_EXCLUSIVE_ON:
      if (offset !== 0n && wraps) return -EINVAL;
      break;
    case PR_SYS_DISPATCH_INCLUSIVE_ON:
      if (len === 0n || wraps) return -EINVAL;
      // Invert so the same fast-path test means "outside the user's range".
      offset = (offset + len) & M64;
      len = (-len) & M64;
      break;
    default:
      return -EINVAL;
  }
  if (mode !== PR_SYS_DISPATCH_OFF && selector !== 0n && selector > SUD_SELECTOR_MAX) {
    return -EFAULT;
  }
  state.selector = selector;
  state.offset = offset;
  state.len = len;
  state.armed = mode !== PR_SYS_DISPATCH_OFF;
  return 0;
}

export interface SudVerdict {
  decision: Decision;
  /** The selector byte read, or null when it was not read (or unreadable). */
  selectorValue: number | null;
}

/**
 * Decides one `syscall` attempt. `ip` is the address AFTER the syscall instruction; `readByte`
 * returns the selector byte or null when the read faults.
 */
export function sudDecide(
  state: SudState,
  ip: bigint,
  readByte: (addr: bigint) => number | null,
): SudVerdict {
  if (!state.armed) return { decision: "no_sud", selectorValue: null };
  if (((ip - state.offset) & M64) < state.len) return { decision: "region", selectorValue: null };
  if (state.selector !== 0n) {
    const b = readByte(state.selector);
    if (b === null) return { decision: "kill_unreadable_selector", selectorValue: null };
    if (b === 0) return { decision: "selector_allow", selectorValue: 0 };
    if (b !== 1) return { decision: "kill_bad_selector", selectorValue: b };
    return { decision: "dispatch", selectorValue: 1 };
  }
  return { decision: "dispatch", selectorValue: null };
}

/**
 * The x86 restart rewrite applied before a handler's frame is built when the interrupted context
 * is a syscall (spec §3.1). Returns the rax to save and how far rip moves back (0 or 2).
 */
export function restartRewrite(
  origAx: bigint,
  ax: bigint,
  saRestart: boolean,
): { rax: bigint; ripBack: number } {
  if (BigInt.asIntN(32, origAx) === -1n) return { rax: ax, ripBack: 0 };
  const err = BigInt.asIntN(64, ax);
  const EINTR_RAX = (-4n) & M64;
  switch (err) {
    case -512n: // ERESTARTSYS
      return saRestart ? { rax: origAx, ripBack: 2 } : { rax: EINTR_RAX, ripBack: 0 };
    case -513n: // ERESTARTNOINTR
      return { rax: origAx, ripBack: 2 };
    case -514n: // ERESTARTNOHAND
    case -516n: // ERESTART_RESTARTBLOCK
      return { rax: EINTR_RAX, ripBack: 0 };
    default:
      return { rax: ax, ripBack: 0 };
  }
}
