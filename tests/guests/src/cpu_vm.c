/* A tiny stack-machine interpreter (computed-goto dispatch) running a few bytecode programs:
 * loops, calls, primes, gcd and a Collatz search. */
enum { OP_PUSH, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_DUP, OP_SWAP, OP_OVER, OP_DROP, OP_JZ,
       OP_JMP, OP_LT, OP_EQ, OP_LOAD, OP_STORE, OP_CALL, OP_RET, OP_PRINT, OP_HALT };

static long vm_run(const long *code, long *mem) {
  static const void *labels[] = {&&push, &&add, &&sub, &&mul, &&dv, &&md, &&dup, &&swap, &&over,
                                 &&drop, &&jz, &&jmp, &&lt, &&eq, &&load, &&store, &&call, &&ret,
                                 &&print, &&halt};
  long st[256], rs[64];
  int sp = 0, rp = 0;
  long pc = 0, steps = 0;
#define NEXT                      \
  do {                            \
    steps++;                      \
    goto *labels[code[pc++]];     \
  } while (0)
  NEXT;
push:
  st[sp++] = code[pc++];
  NEXT;
add:
  sp--;
  st[sp - 1] += st[sp];
  NEXT;
sub:
  sp--;
  st[sp - 1] -= st[sp];
  NEXT;
mul:
  sp--;
  st[sp - 1] *= st[sp];
  NEXT;
dv:
  sp--;
  st[sp - 1] /= st[sp];
  NEXT;
md:
  sp--;
  st[sp - 1] %= st[sp];
  NEXT;
dup:
  st[sp] = st[sp - 1];
  sp++;
  NEXT;
swap: {
  long t = st[sp - 1];
  st[sp - 1] = st[sp - 2];
  st[sp - 2] = t;
  NEXT;
}
over:
  st[sp] = st[sp - 2];
  sp++;
  NEXT;
drop:
  sp--;
  NEXT;
jz:
  if (st[--sp] == 0) pc = code[pc];
  else pc++;
  NEXT;
jmp:
  pc = code[pc];
  NEXT;
lt:
  sp--;
  st[sp - 1] = st[sp - 1] < st[sp];
  NEXT;
eq:
  sp--;
  st[sp - 1] = st[sp - 1] == st[sp];
  NEXT;
load:
  st[sp - 1] = mem[st[sp - 1]];
  NEXT;
store:
  sp -= 2;
  mem[st[sp + 1]] = st[sp];
  NEXT;
call:
  rs[rp++] = pc + 1;
  pc = code[pc];
  NEXT;
ret:
  pc = rs[--rp];
  NEXT;
print:
  printf("%ld ", st[--sp]);
  NEXT;
halt:
  printf("| %ld steps\n", steps);
  return sp ? st[sp - 1] : 0;
#undef NEXT
}

int prog_vm(void) {
  long mem[16] = {0};
  /* Sum of i*i for i < 1000 (mem[0] = i, mem[1] = acc). */
  static const long sumsq[] = {OP_PUSH, 0, OP_PUSH, 0, OP_STORE, OP_PUSH, 0, OP_PUSH, 1, OP_STORE,
                               /* 10: */ OP_PUSH, 0, OP_LOAD, OP_PUSH, 1000, OP_LT, OP_JZ, 40,
                               OP_PUSH, 0, OP_LOAD, OP_DUP, OP_MUL, OP_PUSH, 1, OP_LOAD, OP_ADD,
                               OP_PUSH, 1, OP_STORE, OP_PUSH, 0, OP_LOAD, OP_PUSH, 1, OP_ADD,
                               OP_PUSH, 0, OP_STORE, OP_JMP, 10,
                               /* 40 is inside; fixed below */ OP_HALT};
  long prog[64];
  int n = (int)(sizeof sumsq / sizeof sumsq[0]);
  for (int i = 0; i < n; i++) prog[i] = sumsq[i];
  prog[17] = n - 1; /* jz target: the final print sequence */
  prog[n - 1] = OP_PUSH;
  prog[n] = 1;
  prog[n + 1] = OP_LOAD;
  prog[n + 2] = OP_DUP;
  prog[n + 3] = OP_PRINT;
  prog[n + 4] = OP_HALT;
  long r = vm_run(prog, mem);
  printf("sum of squares = %ld\n", r);
  /* gcd(a, b) via a subroutine called for several pairs: gcd at 30. */
  long g[] = {OP_PUSH, 1071, OP_PUSH, 462, OP_CALL, 30, OP_PRINT, OP_PUSH, 1000000007,
              OP_PUSH, 998244353, OP_CALL, 30, OP_PRINT, OP_PUSH, 832040, OP_PUSH, 514229,
              OP_CALL, 30, OP_PRINT, OP_PUSH, 7, OP_HALT, 0, 0, 0, 0, 0, 0,
              /* 30: (a b) -> gcd */ OP_DUP, OP_JZ, 40, OP_SWAP, OP_OVER, OP_MOD, OP_JMP, 30,
              OP_HALT, OP_HALT, /* 40: */ OP_DROP, OP_RET};
  vm_run(g, mem);
  /* Collatz: longest chain below 300, with the loop in bytecode. mem[2]=n, mem[3]=best, mem[4]=arg,
   * mem[5]=len. */
  long c[256];
  int k = 0;
#define E(x) c[k++] = (x)
  E(OP_PUSH); E(1); E(OP_PUSH); E(2); E(OP_STORE);
  E(OP_PUSH); E(0); E(OP_PUSH); E(3); E(OP_STORE);
  int outer = k;
  E(OP_PUSH); E(2); E(OP_LOAD); E(OP_PUSH); E(300); E(OP_LT); E(OP_JZ); int j_end = k; E(0);
  E(OP_PUSH); E(2); E(OP_LOAD); E(OP_PUSH); E(4); E(OP_STORE);
  E(OP_PUSH); E(0); E(OP_PUSH); E(5); E(OP_STORE);
  int inner = k;
  E(OP_PUSH); E(4); E(OP_LOAD); E(OP_PUSH); E(1); E(OP_EQ); E(OP_JZ); int j_step = k; E(0);
  E(OP_JMP); int j_done = k; E(0);
  c[j_step] = k;
  E(OP_PUSH); E(5); E(OP_LOAD); E(OP_PUSH); E(1); E(OP_ADD); E(OP_PUSH); E(5); E(OP_STORE);
  E(OP_PUSH); E(4); E(OP_LOAD); E(OP_PUSH); E(2); E(OP_MOD); E(OP_JZ); int j_even = k; E(0);
  E(OP_PUSH); E(4); E(OP_LOAD); E(OP_PUSH); E(3); E(OP_MUL); E(OP_PUSH); E(1); E(OP_ADD);
  E(OP_PUSH); E(4); E(OP_STORE); E(OP_JMP); E(inner);
  c[j_even] = k;
  E(OP_PUSH); E(4); E(OP_LOAD); E(OP_PUSH); E(2); E(OP_DIV); E(OP_PUSH); E(4); E(OP_STORE);
  E(OP_JMP); E(inner);
  c[j_done] = k;
  E(OP_PUSH); E(3); E(OP_LOAD); E(OP_PUSH); E(5); E(OP_LOAD); E(OP_LT); E(OP_JZ); int j_nb = k; E(0);
  E(OP_PUSH); E(5); E(OP_LOAD); E(OP_PUSH); E(3); E(OP_STORE);
  E(OP_PUSH); E(2); E(OP_LOAD); E(OP_PUSH); E(6); E(OP_STORE);
  c[j_nb] = k;
  E(OP_PUSH); E(2); E(OP_LOAD); E(OP_PUSH); E(1); E(OP_ADD); E(OP_PUSH); E(2); E(OP_STORE);
  E(OP_JMP); E(outer);
  c[j_end] = k;
  E(OP_PUSH); E(6); E(OP_LOAD); E(OP_PRINT); E(OP_PUSH); E(3); E(OP_LOAD); E(OP_PRINT); E(OP_HALT);
#undef E
  vm_run(c, mem);
  return 0;
}
