/**
 * Job control (Linux 6.18 semantics): stop signals with SIG_DFL stop the process until SIGCONT or
 * SIGKILL; SIGCONT and stop signals discard each other's pending instances; the parent sees the
 * stop and the continue through wait4 (WUNTRACED, WCONTINUED), waitid (WSTOPPED, WCONTINUED) and
 * SIGCHLD with CLD_STOPPED / CLD_CONTINUED (none with SA_NOCLDSTOP).
 *
 * Processes are single-threaded, so a process stop is a group stop. The initial process has no
 * emulated parent: natively it would stay stopped until its shell continues it, so it is continued
 * at once with a one-line warning (stopping it would end the run as a hang).
 */
import type { Kernel } from "./kernel.ts";
import {
  SA_NOCLDSTOP,
  SIG_IGN,
  SIGCHLD,
  SIGCONT,
  SIGKILL,
  SIGSTOP,
  SIGTSTP,
  SIGTTIN,
  SIGTTOU,
} from "./constants.ts";
import { signalName } from "./signal_names.ts";
import { pgidOf } from "./sys_wait.ts";

export const CLD_STOPPED = 5, CLD_CONTINUED = 6;
const STOP_SIGNALS = [SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU];

/** A process's job-control state (signal->flags and group_exit_code, single-threaded). */
export class JobState {
  /** The signal that stopped the process, 0 while it runs (SIGNAL_STOP_STOPPED). */
  stoppedBy = 0;
  /** The stop a WUNTRACED/WSTOPPED wait has not reported yet, 0 when none (group_exit_code). */
  waitStop = 0;
  /** A continue not yet reported to WCONTINUED (SIGNAL_STOP_CONTINUED). */
  waitContinued = false;
  /** CLD_CONTINUED still to be sent to the parent, when the process next runs. */
  notifyContinued = false;
  /** Stopped inside signal delivery: once continued, delivery resumes (get_signal's relock). */
  resumeDelivery = false;
}

export function isStopSignal(sig: number): boolean {
  return STOP_SIGNALS.includes(sig);
}

/**
 * prepare_signal's job-control part, run for every signal sent to `k` before the ignore check: a
 * stop signal discards pending SIGCONT; SIGCONT discards pending stop signals and continues a
 * stopped process (even when SIGCONT is blocked or ignored); SIGKILL wakes it to die.
 */
export function prepareSignal(k: Kernel, sig: number): void {
  if (isStopSignal(sig)) {
    k.pending.delete(SIGCONT);
  } else if (sig === SIGCONT) {
    for (const s of STOP_SIGNALS) k.pending.delete(s);
    if (k.job.stoppedBy !== 0) {
      k.job.stoppedBy = 0;
      k.job.waitStop = 0;
      k.job.waitContinued = true;
      k.job.notifyContinued = true;
    }
  } else if (sig === SIGKILL && k.job.stoppedBy !== 0) {
    k.job.stoppedBy = 0; // woken to die: no continue is reported
    k.job.waitStop = 0;
  }
}

/**
 * A stop signal with SIG_DFL was dequeued (get_signal). Returns true when the process is now
 * stopped; false when the signal is discarded (SIGTSTP/SIGTTIN/SIGTTOU in an orphaned process
 * group) or the initial process was continued at once.
 */
export function stopProcess(k: Kernel, sig: number): boolean {
  if (sig !== SIGSTOP && orphanedGroup(k)) return false;
  if (!k.parent || !k.procs.all.includes(k.parent)) {
    k.warnOnce(
      -4000 - sig,
      `stopped by ${signalName(sig)}: natively it stays stopped until its shell continues it; ` +
        "continued at once",
    );
    return false;
  }
  k.job.stoppedBy = sig;
  k.job.waitStop = sig;
  k.job.waitContinued = false;
  k.job.notifyContinued = false;
  k.job.resumeDelivery = true;
  notifyParent(k, CLD_STOPPED, sig);
  return true;
}

/**
 * will_become_orphaned_pgrp: no live member of the group has its parent in another group of the
 * session. The initial process's parent (its shell) counts as such a parent: one session, and the
 * shell runs in a group of its own.
 */
export function orphanedGroup(k: Kernel): boolean {
  const pgid = pgidOf(k);
  return !k.procs.all.some((p) =>
    !p.zombie && !p.exitState && pgidOf(p) === pgid &&
    (p.parent === null || pgidOf(p.parent) !== pgid)
  );
}

/**
 * do_notify_parent_cldstop: SIGCHLD with CLD_STOPPED/CLD_CONTINUED to the parent, unless it
 * ignores SIGCHLD or set SA_NOCLDSTOP (a wait is woken either way: the scheduler re-checks).
 */
export function notifyParent(k: Kernel, code: number, status: number): void {
  k.job.notifyContinued = false;
  const parent = k.parent;
  if (!parent || !k.procs.all.includes(parent)) return;
  const act = parent.actions[SIGCHLD];
  if (act.handler === SIG_IGN || (act.flags & BigInt(SA_NOCLDSTOP)) !== 0n) return;
  const raw = new Uint8Array(128);
  const v = new DataView(raw.buffer);
  v.setInt32(0, SIGCHLD, true);
  v.setInt32(8, code, true);
  v.setInt32(16, k.pid, true);
  v.setUint32(20, k.uid, true);
  v.setInt32(24, status, true);
  parent.sendSignal(
    { signo: SIGCHLD, errno: 0, code, addr: 0n, pid: k.pid, uid: k.uid, raw },
    "child",
  );
}
