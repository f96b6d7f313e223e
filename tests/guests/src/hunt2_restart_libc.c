/* hunt2_restart_libc: the x86 restart quirk seen through libc's syscall(): a dispatched call
 * whose NUMBER is -512/-513/-514/-516 has rax rewritten before the handler runs (-4 for
 * ERESTARTSYS without SA_RESTART, ERESTARTNOHAND, ERESTART_RESTARTBLOCK; -512 and rip rewound for
 * SA_RESTART; -513 always rewound). A handler that returns without touching anything makes
 * syscall() report that rax as errno; rewound calls run again (here natively: ENOSYS). */
#include "hunt2.h"

static volatile char sel = H2_ALLOW;
static volatile int hits;
static volatile long seen_rax;
static volatile int rewound;
static void on_sys(int s, siginfo_t *si, void *c) {
  (void)s;
  hits++;
  seen_rax = REG(c, REG_RAX);
  rewound = (char *)REG(c, REG_RIP) != (char *)si->si_call_addr;
  sel = H2_ALLOW; /* a rewound call then runs natively */
}

static void try(long nr, int restart) {
  handle(SIGSYS, on_sys, restart ? SA_RESTART : 0);
  hits = 0;
  sel = H2_BLOCK;
  errno = 0;
  long r = syscall(nr);
  int e = errno;
  sel = H2_ALLOW;
  printf("syscall(%ld)%s -> %ld errno %d (%s); handler saw rax %ld, rip %s, hits %d\n", nr,
         restart ? " SA_RESTART" : "", r, e, strerror(e), seen_rax, rewound ? "rewound" : "next", hits);
}

int main(void) {
  hunt_init();
  handle(SIGSYS, on_sys, 0);
  printf("armed: %s\n", h2_sud(H2_EXCL, 0, 0, &sel));
  long nrs[] = {-512, -513, -514, -516, -515, -4, -1, -4095, -4096, 0x7fff};
  for (unsigned i = 0; i < sizeof nrs / sizeof nrs[0]; i++) {
    try(nrs[i], 0);
    try(nrs[i], 1);
  }
  return 0;
}
