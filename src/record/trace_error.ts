/**
 * The one error type the record layer throws for bad traces on disk or failed writes. Messages are
 * a single line: which file, what is wrong, what to do.
 */

export type TraceErrorKind =
  | "missing" // a file or directory that should exist does not
  | "corrupt" // a file exists but its content is invalid (truncated, bad magic, bad schema)
  | "io"; // the operating system refused a read or write

export class TraceError extends Error {
  override readonly name = "TraceError";
  constructor(readonly kind: TraceErrorKind, message: string, options?: { cause?: unknown }) {
    super(oneLine(message), options);
  }
}

/** First line of a message, trimmed, so wrapped library errors stay one line. */
export function oneLine(message: string): string {
  const line = message.split("\n").find((l) => l.trim() !== "") ?? message;
  return line.trim();
}

/** Message text of any thrown value. */
export function messageOf(err: unknown): string {
  return oneLine(err instanceof Error ? err.message : String(err));
}
