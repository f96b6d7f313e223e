/**
 * The deterministic inputs of the differential test, computed exactly as diff_harness.c does
 * (xorshift64), so the golden file only needs to hold outputs.
 */

const MASK = (1n << 64n) - 1n;
const INTERESTING = [
  0n,
  1n,
  2n,
  3n,
  7n,
  8n,
  15n,
  16n,
  17n,
  31n,
  32n,
  33n,
  63n,
  64n,
  65n,
  0x7fn,
  0x80n,
  0xffn,
  0x100n,
  0x7fffn,
  0x8000n,
  0xffffn,
  0x7fffffffn,
  0x80000000n,
  0xffffffffn,
  0x100000000n,
  0x7fffffffffffffffn,
  0x8000000000000000n,
  0xffffffffffffffffn,
  0xfffffffffffffffen,
  0x123456789abcdef0n,
];

export const RUNS_PER_CASE = 10;
export const SCRATCH_SIZE = 128;

export interface DiffInput {
  regs: bigint[];
  flags: number;
  mem: Uint8Array;
}

export function diffInput(caseIndex: number, run: number): DiffInput {
  let rng = 0x9e3779b97f4a7c15n ^ (BigInt(caseIndex) << 20n) ^ BigInt(run + 1);
  const next = (): bigint => {
    rng ^= (rng << 13n) & MASK;
    rng ^= rng >> 7n;
    rng ^= (rng << 17n) & MASK;
    return rng;
  };
  const pick = (): bigint => {
    const k = next();
    if (k % 3n === 0n) return next();
    if (k % 3n === 1n) return INTERESTING[Number((k >> 8n) % BigInt(INTERESTING.length))];
    const v = next();
    return v >> (next() % 64n);
  };
  for (let k = 0; k < 5; k++) next();
  const regs: bigint[] = [];
  for (let r = 0; r < 16; r++) regs.push(pick());
  regs[4] = 0n;
  const flags = Number(next() & 0x8d5n) | 0x202;
  const mem = new Uint8Array(SCRATCH_SIZE);
  for (let k = 0; k < SCRATCH_SIZE; k++) mem[k] = Number(next() & 0xffn);
  return { regs, flags, mem };
}
