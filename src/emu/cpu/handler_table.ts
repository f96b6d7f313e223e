/**
 * The opcode → handler table. The decoder looks handlers up here; the integer, SSE and x87 files
 * fill it. Indexed by `Insn.op` (map | opcode byte).
 */
import type { Handler } from "./insn.ts";

export const HANDLERS: (Handler | undefined)[] = new Array(0x400).fill(undefined);

/** Installs the handler for one opcode (map | byte); later registrations replace earlier ones. */
export function registerHandler(op: number, handler: Handler): void {
  HANDLERS[op] = handler;
}
