/** Waiting in a read of an in-kernel object (socket, eventfd, signalfd) until it has something. */
import type { Kernel } from "./kernel.ts";
import { EAGAIN, ERESTARTSYS } from "./constants.ts";
import { NO_RETURN } from "./syscall_types.ts";

/**
 * Another process may still make `ready` true: block (the scheduler runs the others; the call
 * re-runs from the start once ready). A lone process can only be woken by a signal (an armed
 * ITIMER_REAL): -ERESTARTSYS then; otherwise it would hang natively, which we report once.
 */
export function waitUntil(k: Kernel, ready: () => boolean, what: string, key: number): number {
  if (k.procs.othersAlive(k)) {
    const r = k.block({ ready, interruptible: true, what });
    return r === NO_RETURN ? -EAGAIN : r; // blocked: the result is not used
  }
  if (k.hasDeliverable() || k.itimers.cutWait(k, null) !== null) return -ERESTARTSYS;
  k.warnOnce(key, `${what} would block forever; returned -EAGAIN`);
  return -EAGAIN;
}

/** True when no other process can run now (each is blocked, a zombie or gone). */
export function othersStuck(k: Kernel): boolean {
  return !k.procs.all.some((p) => p !== k && !p.zombie && !p.exitState && !p.blockedOn);
}

/**
 * poll/select/epoll_wait with nothing ready while another process may act: block until `ready`,
 * or (finite timeout) until every other process is blocked too, i.e. only time could help.
 * Returns "blocked", "timeout" (resumed with nothing ready) or "signal" (interrupted).
 */
export function waitForEvents(
  k: Kernel,
  ready: () => boolean,
  timeout: number | null,
  what: string,
): "blocked" | "timeout" | "signal" {
  if (timedOut.delete(k)) return "timeout"; // re-run after the wait below gave up
  const r = k.block({
    ready: () => {
      if (ready()) return true;
      if (timeout === null || !othersStuck(k)) return false;
      timedOut.add(k);
      return true;
    },
    interruptible: true,
    what,
  });
  if (r === NO_RETURN) return "blocked";
  return r === -ERESTARTSYS ? "signal" : "timeout";
}

/** Processes whose blocked poll-like call was resumed because only its timeout could end it. */
const timedOut = new WeakSet<Kernel>();
