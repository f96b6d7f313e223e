/* Shared helpers for the fd_* guests: print a call's result as "name = value" or "name = -ERR". */
#include <errno.h>
#include <stdio.h>
#include <string.h>

static inline const char *errname(int e) {
  switch (e) {
  case EAGAIN: return "EAGAIN";
  case EBADF: return "EBADF";
  case EINVAL: return "EINVAL";
  case EPIPE: return "EPIPE";
  case EEXIST: return "EEXIST";
  case ENOENT: return "ENOENT";
  case EPERM: return "EPERM";
  case ENOTSOCK: return "ENOTSOCK";
  case EISCONN: return "EISCONN";
  case ENOTCONN: return "ENOTCONN";
  case ECONNREFUSED: return "ECONNREFUSED";
  case ECONNRESET: return "ECONNRESET";
  case EAFNOSUPPORT: return "EAFNOSUPPORT";
  case EOPNOTSUPP: return "EOPNOTSUPP";
  case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
  case ESOCKTNOSUPPORT: return "ESOCKTNOSUPPORT";
  case ENOPROTOOPT: return "ENOPROTOOPT";
  case EINTR: return "EINTR";
  case ELOOP: return "ELOOP";
  case EFAULT: return "EFAULT";
  case ESPIPE: return "ESPIPE";
  default: return "E?";
  }
}

static inline long show(const char *what, long r) {
  if (r < 0) printf("%s = -%s\n", what, errname(errno));
  else printf("%s = %ld\n", what, r);
  fflush(stdout);
  return r;
}
#define T(expr) show(#expr, (long)(expr))

/* For calls returning a new descriptor: its number depends on what the parent left open. */
static inline long showfd(const char *what, long r) {
  if (r < 0) printf("%s = -%s\n", what, errname(errno));
  else printf("%s = fd\n", what);
  fflush(stdout);
  return r;
}
#define F(expr) showfd(#expr, (long)(expr))
