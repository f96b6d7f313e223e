/* Freshly written and rewritten code, as a JIT produces it: machine code assembled into a buffer,
 * made executable with mprotect and called; called often enough that the emulator compiles it,
 * then patched in place (RWX page) and called again, which must run the new bytes. */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

typedef long (*fn_t)(long);

/* lea rax, [rdi + imm32]; ret */
static void emit_add(unsigned char *p, int imm) {
  p[0] = 0x48, p[1] = 0x8d, p[2] = 0x87;
  memcpy(p + 3, &imm, 4);
  p[7] = 0xc3;
}

/* imul rax, rdi, imm32; ret */
static void emit_mul(unsigned char *p, int imm) {
  p[0] = 0x48, p[1] = 0x69, p[2] = 0xc7;
  memcpy(p + 3, &imm, 4);
  p[7] = 0xc3;
}

static long loop(fn_t f, int n) {
  long acc = 0;
  for (int i = 0; i < n; i++) acc += f(i);
  return acc;
}

int main(void) {
  /* W^X: write while writable, then flip to executable. */
  unsigned char *wx = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (wx == MAP_FAILED) return 1;
  emit_add(wx, 7);
  if (mprotect(wx, 4096, PROT_READ | PROT_EXEC) != 0) return 2;
  printf("wx add7: %ld\n", loop((fn_t)wx, 1000));
  if (mprotect(wx, 4096, PROT_READ | PROT_WRITE) != 0) return 3;
  emit_mul(wx, 3);
  if (mprotect(wx, 4096, PROT_READ | PROT_EXEC) != 0) return 4;
  printf("wx mul3: %ld\n", loop((fn_t)wx, 1000));

  /* RWX: patch hot code in place, many times. */
  unsigned char *rwx =
      mmap(0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (rwx == MAP_FAILED) return 5;
  long total = 0;
  for (int round = 0; round < 20; round++) {
    if (round % 2) emit_mul(rwx + 64, round);
    else emit_add(rwx + 64, round * 1000);
    total += loop((fn_t)(rwx + 64), 200);
    rwx[64 + 3] ^= 1; /* flip one immediate bit: a one-byte store into compiled code */
    total += ((fn_t)(rwx + 64))(1);
  }
  printf("rwx total: %ld\n", total);
  return 0;
}
