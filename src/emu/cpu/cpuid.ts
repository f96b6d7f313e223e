/**
 * The CPUID profile: a qemu64-like baseline (AuthenticAMD, SSE/SSE2/SSE3, CX16, no AVX, no
 * XSAVE/OSXSAVE, no BMI, no POPCNT) so glibc picks its *_sse2 routines and nothing we do not
 * implement is ever advertised. Leaves outside the table read as zero.
 */

type Regs = readonly [eax: number, ebx: number, ecx: number, edx: number];

/** "AuthenticAMD" as ebx, edx, ecx. */
const VENDOR_EBX = 0x68747541, VENDOR_EDX = 0x69746e65, VENDOR_ECX = 0x444d4163;

/** "QEMU Virtual CPU version 2.5+" padded with NULs, as 12 little-endian words. */
function brandWords(): number[] {
  const text = "QEMU Virtual CPU version 2.5+";
  const bytes = new Uint8Array(48);
  bytes.set(new TextEncoder().encode(text));
  const dv = new DataView(bytes.buffer);
  return Array.from({ length: 12 }, (_, k) => dv.getUint32(4 * k, true) | 0);
}
const BRAND = brandWords();

const LEAVES = new Map<number, Regs>([
  [0x0, [0xd, VENDOR_EBX, VENDOR_ECX, VENDOR_EDX]],
  // family 6 model 6 stepping 1; CLFLUSH size 8; ecx: SSE3, CX16, hypervisor;
  // edx: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush fxsr sse
  // sse2. MMX (bit 23) is NOT advertised: its 64-bit mm-register forms are not implemented.
  [0x1, [0x00060fb1, 0x00000800, 0x80002001, 0x070bfbfd]],
  [0x80000000, [0x80000008, VENDOR_EBX, VENDOR_ECX, VENDOR_EDX]],
  // ecx: lahf_lm and svm as qemu64 reports; edx: syscall, nx, lm and the leaf-1 mirror bits.
  [0x80000001, [0x00060fb1, 0, 0x00000005, 0x2113fbfd]], // no MMX (bit 23) here either
  [0x80000002, [BRAND[0], BRAND[1], BRAND[2], BRAND[3]]],
  [0x80000003, [BRAND[4], BRAND[5], BRAND[6], BRAND[7]]],
  [0x80000004, [BRAND[8], BRAND[9], BRAND[10], BRAND[11]]],
  // L1 caches: 64 KiB-ish descriptors as qemu reports them; L2/L3 sizes.
  [0x80000005, [0x01ff01ff, 0x01ff01ff, 0x40020140, 0x40020140]],
  [0x80000006, [0, 0x42004200, 0x02008140, 0x00808140]],
  // 40-bit physical, 48-bit virtual addresses.
  [0x80000008, [0x00003028, 0, 0, 0]],
]);

const ZERO: Regs = [0, 0, 0, 0];

/** CPUID for leaf eax, sub-leaf ecx (sub-leaves do not matter for the leaves we report). */
export function cpuidLeaf(leaf: number, _subleaf: number): Regs {
  return LEAVES.get(leaf >>> 0) ?? ZERO;
}
