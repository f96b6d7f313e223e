/* hunt_exit: exit statuses: argv[1] is passed to exit() (values above 255 wrap), argv[2]
 * optionally picks _exit or return from main; an atexit handler prints first. */
#include "hunt.h"

static void bye(void) { printf("atexit handler\n"); }

int main(int argc, char **argv) {
  hunt_init();
  int code = argc > 1 ? atoi(argv[1]) : 0;
  const char *how = argc > 2 ? argv[2] : "exit";
  atexit(bye);
  printf("leaving with %d via %s\n", code, how);
  if (strcmp(how, "_exit") == 0) _exit(code);
  if (strcmp(how, "return") == 0) return code;
  if (strcmp(how, "raw") == 0) syscall(SYS_exit_group, code);
  exit(code);
}
