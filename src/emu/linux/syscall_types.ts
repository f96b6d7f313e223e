/** Shared types of the syscall table and its handlers. */
import type { Kernel } from "./kernel.ts";

/** Returned by handlers that do not return to the guest (exit, exit_group). */
export const NO_RETURN: unique symbol = Symbol("no_return");

/** How an argument is interpreted, for decoding/printing traces. */
export type ArgType =
  | "int" // signed 32-bit
  | "uint" // unsigned
  | "hex" // flags, masks, addresses printed in hex
  | "fd"
  | "ptr" // a guest pointer (in or out)
  | "path" // a NUL-terminated guest string
  | "size"
  | "signo"
  | "mode"; // octal

/** A handler gets the six raw argument registers and returns rax (negative numbers = -errno). */
export type SyscallHandler = (k: Kernel, a: bigint[]) => number | bigint | typeof NO_RETURN;

export interface SyscallEntry {
  nr: number;
  name: string;
  args: readonly ArgType[];
  handler: SyscallHandler;
}

/** The low 32 bits as a signed int (how the kernel reads int arguments). */
export function int(v: bigint): number {
  return Number(BigInt.asIntN(32, v));
}

/** The value as an unsigned 32-bit number. */
export function u32(v: bigint): number {
  return Number(v & 0xffffffffn);
}

/** An address/size as a number (saturating at 2^53 so huge values still fail range checks). */
export function num(v: bigint): number {
  const x = v & ((1n << 64n) - 1n);
  return x > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(x);
}
