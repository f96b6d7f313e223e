/**
 * Exit codes of the sudtrace commands (documented in the README). Guest statuses pass through
 * `record` unchanged; the tool's own failures use sysexits-style codes above any plausible guest
 * status we would otherwise confuse them with.
 */
export const EXIT_OK = 0;
/** replay: the trace and the re-execution differ. */
export const EXIT_DIVERGED = 1;
/** Bad command line. */
export const EXIT_USAGE = 2;
/** Bad input data: malformed ELF, corrupt trace, bad SQL. */
export const EXIT_DATA = 65;
/** Input not found: program, trace directory. */
export const EXIT_NO_INPUT = 66;
/** A bug or limit in sudtrace itself (unexpected internal error). */
export const EXIT_INTERNAL = 70;
/** Cannot write the output (trace directory). */
export const EXIT_CANT_CREATE = 73;

/** An error meant for the user: one line, no stack trace, a documented exit code. */
export class UserError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}

/** The guest was stopped by --max-instructions (like timeout(1)). */
export const EXIT_LIMIT = 124;

/** The recording was interrupted (SIGINT/SIGTERM); the trace is incomplete but readable. */
export const EXIT_INTERRUPTED = 130;
