/**
 * The processes of one run (fork without threads) and their deterministic scheduling.
 *
 * Policy: one process runs at a time. fork() switches to the child at once (child first); a
 * process runs until it exits or blocks (an empty pipe read with a writer alive, wait4 with live
 * children, sigsuspend/pause). Then the most recently created process that can go on runs: one
 * that is not blocked, or whose blocking condition is now met, or (for an interruptible wait) that
 * has a deliverable signal. A process stopped by a stop signal does not run until SIGCONT or
 * SIGKILL (job_control.ts). Only the blocking points switch, never time, so recording and replay
 * take the same path. The run ends when the initial process ends.
 */
import type { Kernel } from "./kernel.ts";

/** How an exited process ended, as wait4 and SIGCHLD report it. */
export interface ExitRecord {
  /** The exit code (exited) or null (killed). */
  code: number | null;
  signal: number | null;
  core: boolean;
}

export class ProcessTable {
  /** Every process not yet reaped (zombies included), in creation order. */
  readonly all: Kernel[] = [];
  current: Kernel;
  /** The one global event order: every process numbers its events from here. */
  seq = 0;
  /** Real time the running process must wait before it goes on (ns; see Kernel.waitFor). */
  waitNs = 0;
  private nextPid: number;

  constructor(readonly initial: Kernel) {
    this.all.push(initial);
    this.current = initial;
    // Virtual pids above the host pid: deterministic, and never the pid of the emulator itself.
    this.nextPid = initial.pid + 1;
  }

  allocPid(): number {
    return this.nextPid++;
  }

  add(child: Kernel): void {
    this.all.push(child);
  }

  find(pid: number): Kernel | undefined {
    return this.all.find((p) => p.pid === pid && !p.zombie);
  }

  /** The live children of `parent` and its zombies, oldest first (the kernel's list order). */
  childrenOf(parent: Kernel): Kernel[] {
    return this.all.filter((p) => p.parent === parent);
  }

  /** True when another process exists that could still act (write to a pipe, exit, signal). */
  othersAlive(k: Kernel): boolean {
    return this.all.some((p) => p !== k && !p.zombie && !p.exitState);
  }

  /** Whether a process may run now. */
  private canRun(p: Kernel): boolean {
    if (p.zombie || p.exitState || p.job.stoppedBy) return false; // stopped: until SIGCONT
    const b = p.blockedOn;
    if (!b) return true;
    return b.ready() || (b.interruptible && p.hasDeliverable());
  }

  /** The process to run next, made current; null when every process is blocked (deadlock). */
  pick(): Kernel | null {
    if (this.canRun(this.current)) return this.current;
    for (let i = this.all.length - 1; i >= 0; i--) {
      const p = this.all[i];
      if (this.canRun(p)) return this.current = p;
    }
    return null;
  }

  /**
   * sched_yield and sleeps: the most recently created other process that can run goes next (the
   * caller stays runnable), so a WNOHANG polling loop lets its child progress.
   */
  yieldFrom(k: Kernel): void {
    for (let i = this.all.length - 1; i >= 0; i--) {
      const p = this.all[i];
      if (p !== k && this.canRun(p)) {
        this.current = p;
        return;
      }
    }
  }

  /** Removes a reaped (or discarded) process. */
  remove(p: Kernel): void {
    const i = this.all.indexOf(p);
    if (i >= 0) this.all.splice(i, 1);
  }

  /** Describes who is blocked on what or stopped, for the deadlock report. */
  describeBlocked(): string {
    return this.all.filter((p) => p.blockedOn || p.job.stoppedBy).map((p) =>
      `pid ${p.pid}: ${p.blockedOn ? p.blockedOn.what : `stopped by signal ${p.job.stoppedBy}`}`
    ).join(", ");
  }
}

/** What a blocked process waits for. */
export interface BlockedOn {
  /** True once the syscall can complete. */
  ready: () => boolean;
  /** A deliverable signal interrupts the wait (-ERESTARTSYS), as for pipe reads and wait4. */
  interruptible: boolean;
  /** For reports: "read from an empty pipe", "wait4". */
  what: string;
}
