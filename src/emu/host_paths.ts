/**
 * Resolving a guest path to a host path inside a root directory, component by component, the way
 * the kernel walks a path: symlinks are followed by us (an absolute target restarts at the root,
 * never at the host's "/"), ".." at the root stays at the root, and the errnos are the kernel's
 * (ENOENT for a missing directory on the way, ENOTDIR for a file used as one, ELOOP after 40 links).
 * The host then operates on a path that contains no symlinks, so nothing can lead out of the root.
 */

const ENOENT = 2, ENOTDIR = 20, ELOOP = 40, ENAMETOOLONG = 36;
/** Linux gives up after 40 symlinks in one lookup (MAXSYMLINKS). */
const MAX_LINKS = 40;
const PATH_MAX = 4096;

/** What the walk needs to know about a host path (injected so tests can use a fake tree). */
export interface PathProbe {
  /** "dir", "symlink", "other" or null when the host path does not exist. */
  kind(hostPath: string): "dir" | "symlink" | "other" | null;
  /** The target of a symlink. */
  readlink(hostPath: string): string;
}

/** The real file system as a PathProbe. */
export const DENO_PROBE: PathProbe = {
  kind(hostPath) {
    try {
      const info = Deno.lstatSync(hostPath);
      return info.isSymlink ? "symlink" : info.isDirectory ? "dir" : "other";
    } catch {
      return null;
    }
  },
  readlink: (hostPath) => Deno.readLinkSync(hostPath),
};

export interface Resolved {
  /** The resolved guest path (absolute, no symlinks except maybe the last component). */
  guest: string;
  /** The matching host path under the root. */
  host: string;
}

/**
 * Resolves `guestPath` (absolute, or relative to `cwd`) under `root` ("" = the host's "/").
 * `followLast` says whether a symlink in the last component is followed (stat vs lstat).
 * Returns the resolved paths or a negative errno.
 */
export function resolveUnderRoot(
  root: string,
  cwd: string,
  guestPath: string,
  followLast: boolean,
  probe: PathProbe = DENO_PROBE,
): Resolved | number {
  if (guestPath.length >= PATH_MAX) return -ENAMETOOLONG;
  const hostOf = (parts: string[]) => root + "/" + parts.join("/");
  const done: string[] = [];
  const trailingSlash = guestPath.endsWith("/");
  let todo = split(guestPath.startsWith("/") ? guestPath : cwd + "/" + guestPath);
  let links = 0;
  while (todo.length > 0) {
    const part = todo.shift()!;
    const last = todo.length === 0;
    if (part === ".") continue;
    if (part === "..") {
      done.pop(); // at the root this is a no-op: ".." of "/" is "/"
      continue;
    }
    done.push(part);
    const kind = probe.kind(hostOf(done));
    if (kind === null) {
      if (last) break; // may be created (open O_CREAT, mkdir, rename target)
      return -ENOENT;
    }
    if (kind === "symlink" && (!last || followLast || trailingSlash)) {
      if (++links > MAX_LINKS) return -ELOOP;
      let target: string;
      try {
        target = probe.readlink(hostOf(done));
      } catch {
        return -ENOENT;
      }
      done.pop();
      if (target.startsWith("/")) done.length = 0;
      todo = [...split(target), ...todo];
      continue;
    }
    if (!last && kind !== "dir") return -ENOTDIR;
    if (last && trailingSlash && kind !== "dir") return -ENOTDIR;
  }
  const guest = "/" + done.join("/");
  return { guest, host: root === "" && done.length === 0 ? "/" : hostOf(done) };
}

function split(path: string): string[] {
  return path.split("/").filter((p) => p !== "");
}
