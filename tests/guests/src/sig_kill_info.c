/* sig_kill_info: siginfo of signals sent to oneself: kill (SI_USER), tkill/tgkill (SI_TKILL),
 * rt_sigqueueinfo/rt_tgsigqueueinfo (caller's si_code and value), with si_pid/si_uid of the
 * sender; without SA_SIGINFO the handler still gets rsi/rdx; errors of the kill family. */
#include "sig_common.h"

static void show(int s, siginfo_t *si, void *ctx) {
  (void)ctx;
  printf("  sig %d: si_signo=%d code=%d errno=%d pid_is_me=%d uid_is_me=%d value=%d\n", s,
         si->si_signo, si->si_code, si->si_errno, si->si_pid == getpid(), si->si_uid == getuid(),
         si->si_code == SI_QUEUE || si->si_code == -77 ? si->si_value.sival_int : 0);
}

static void plain(int s) { printf("  plain handler got %d\n", s); }

static long sys(long nr, long a, long b, long c, long d) { return syscall(nr, a, b, c, d); }

static void err(const char *what, long rc) {
  printf("%-36s -> %ld%s%s\n", what, rc, rc < 0 ? " errno " : "", rc < 0 ? strerror(errno) : "");
}

int main(void) {
  sig_init();
  on(SIGUSR1, show, 0, 0);
  on(SIGRTMIN + 1, show, 0, 0);
  pid_t me = getpid();
  printf("kill\n");
  kill(me, SIGUSR1);
  printf("tkill\n");
  sys(SYS_tkill, syscall(SYS_gettid), SIGUSR1, 0, 0);
  printf("tgkill\n");
  sys(SYS_tgkill, me, syscall(SYS_gettid), SIGUSR1, 0);
  printf("raise\n");
  raise(SIGUSR1);
  siginfo_t si;
  memset(&si, 0, sizeof si);
  si.si_signo = SIGRTMIN + 1;
  si.si_code = SI_QUEUE;
  si.si_pid = me;
  si.si_uid = getuid();
  si.si_value.sival_int = 1234;
  printf("rt_sigqueueinfo SI_QUEUE\n");
  err("  rc", sys(SYS_rt_sigqueueinfo, me, SIGRTMIN + 1, (long)&si, 0));
  si.si_code = -77;
  si.si_value.sival_int = 5678;
  printf("rt_tgsigqueueinfo code -77\n");
  err("  rc", sys(SYS_rt_tgsigqueueinfo, me, syscall(SYS_gettid), SIGRTMIN + 1, (long)&si));
  si.si_code = SI_USER;
  printf("rt_sigqueueinfo SI_USER to self\n");
  err("  rc", sys(SYS_rt_sigqueueinfo, me, SIGRTMIN + 1, (long)&si, 0));
  si.si_code = SI_TKILL;
  printf("rt_sigqueueinfo SI_TKILL to self\n");
  err("  rc", sys(SYS_rt_sigqueueinfo, me, SIGRTMIN + 1, (long)&si, 0));
  signal(SIGUSR2, plain);
  printf("without SA_SIGINFO\n");
  raise(SIGUSR2);
  err("kill(me, 0)", kill(me, 0));
  err("kill(me, 65)", sys(SYS_kill, me, 65, 0, 0));
  err("kill(me, -1)", sys(SYS_kill, me, -1, 0, 0));
  err("kill(0x7ffffff0, SIGUSR1)", kill(0x7ffffff0, SIGUSR1));
  err("tgkill(me, 0x7ffffff0, SIGUSR1)", sys(SYS_tgkill, me, 0x7ffffff0, SIGUSR1, 0));
  err("tgkill(0, tid, SIGUSR1)", sys(SYS_tgkill, 0, syscall(SYS_gettid), SIGUSR1, 0));
  err("tkill(0, SIGUSR1)", sys(SYS_tkill, 0, SIGUSR1, 0, 0));
  err("tkill(tid, 65)", sys(SYS_tkill, syscall(SYS_gettid), 65, 0, 0));
  err("rt_sigqueueinfo(me, 65)", sys(SYS_rt_sigqueueinfo, me, 65, (long)&si, 0));
  err("rt_sigqueueinfo bad pointer", sys(SYS_rt_sigqueueinfo, me, SIGUSR1, 16, 0));
  err("rt_sigaction(SIGKILL)", sys(SYS_rt_sigaction, SIGKILL, (long)&si, 0, 8));
  err("rt_sigaction(SIGUSR1, size 4)", sys(SYS_rt_sigaction, SIGUSR1, 0, 0, 4));
  err("rt_sigaction(0)", sys(SYS_rt_sigaction, 0, 0, 0, 8));
  err("rt_sigaction(SIGKILL, query)", sys(SYS_rt_sigaction, SIGKILL, 0, (long)&si, 8));
  err("rt_sigprocmask(how 7)", sys(SYS_rt_sigprocmask, 7, (long)&si, 0, 8));
  err("rt_sigprocmask(how 7, no set)", sys(SYS_rt_sigprocmask, 7, 0, 0, 8));
  err("rt_sigprocmask(size 4)", sys(SYS_rt_sigprocmask, SIG_BLOCK, 0, 0, 4));
  err("rt_sigpending(size 16)", sys(SYS_rt_sigpending, (long)&si, 16, 0, 0));
  err("rt_sigpending(size 4)", sys(SYS_rt_sigpending, (long)&si, 4, 0, 0));
  return 0;
}
