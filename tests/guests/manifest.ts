/**
 * The guest corpus manifest (`guests.json`): which programs exist, which libcs each is built with,
 * and how a native run is expected to end. build.sh, make_golden.ts and golden_test.ts all read it
 * through here so the list lives in one place.
 */
import { z } from "zod";

export const GUESTS_DIR = new URL(".", import.meta.url).pathname.replace(/\/$/, "");

const Libc = z.enum(["glibc", "musl"]);
export type Libc = z.infer<typeof Libc>;

const Expect = z.union([
  z.object({ exit_code: z.number().int().min(0).max(255) }).strict(),
  z.object({ signal: z.string().regex(/^SIG[A-Z0-9]+$/) }).strict(),
]);

const Guest = z.object({
  name: z.string().regex(/^[a-z0-9_]+$/),
  source: z.string().regex(/^[a-z0-9_]+\.(c|S)$/),
  libcs: z.array(Libc).min(1),
  expect: Expect,
  /** Syscall attempts SUD dispatches (raises SIGSYS for) in a full run, fatal ones included. */
  dispatches: z.number().int().min(0),
  /** Oldest kernel (major.minor) whose behaviour the golden output records. */
  min_kernel: z.string().regex(/^\d+\.\d+$/).optional(),
  shows: z.string().min(1),
  /** Executable base name under bin/ when several entries share one binary (default: name). */
  program: z.string().regex(/^[a-z0-9_]+$/).optional(),
  /** Arguments after argv[0] for this entry's runs (default: none). */
  args: z.array(z.string()).optional(),
}).strict();
export type Guest = z.infer<typeof Guest>;

const Manifest = z.object({ $comment: z.string().optional(), guests: z.array(Guest).min(1) })
  .strict();

/** One built executable: a guest compiled against one libc. */
export interface GuestBinary {
  guest: Guest;
  libc: Libc;
  /** File name under bin/ and golden/, e.g. `hello.musl`. */
  binary: string;
  binPath: string;
  goldenPath: string;
  /** Fixed stdin for the run, or null for /dev/null. */
  stdinPath: string | null;
  /** Arguments after argv[0]. */
  args: string[];
}

/** Parses and validates manifest text; throws an Error with a one-line reason when malformed. */
export function parseManifest(text: string): Guest[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`guests.json is not JSON: ${(e as Error).message}`);
  }
  const parsed = Manifest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`guests.json: ${issue.path.join(".")}: ${issue.message}`);
  }
  const names = new Set<string>();
  for (const g of parsed.data.guests) {
    if (names.has(g.name)) throw new Error(`guests.json: duplicate guest ${g.name}`);
    names.add(g.name);
  }
  return parsed.data.guests;
}

/**
 * guests.json plus every guests.d/*.json (same format, merged in file-name order), so separate
 * corpora can be added without editing one shared file. Names must be unique across all files.
 */
export function loadManifest(dir = GUESTS_DIR): Guest[] {
  const guests = parseManifest(Deno.readTextFileSync(`${dir}/guests.json`));
  let extra: string[] = [];
  try {
    extra = [...Deno.readDirSync(`${dir}/guests.d`)]
      .filter((e) => e.isFile && e.name.endsWith(".json"))
      .map((e) => e.name)
      .sort();
  } catch {
    // No guests.d: only guests.json.
  }
  for (const file of extra) {
    for (const g of parseManifest(Deno.readTextFileSync(`${dir}/guests.d/${file}`))) {
      if (guests.some((h) => h.name === g.name)) {
        throw new Error(`guests.d/${file}: duplicate guest ${g.name}`);
      }
      guests.push(g);
    }
  }
  return guests;
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Every (guest, libc) pair in manifest order, with the paths of its files. */
export function listBinaries(guests: Guest[], dir = GUESTS_DIR): GuestBinary[] {
  return guests.flatMap((guest) =>
    guest.libcs.map((libc) => {
      const binary = `${guest.name}.${libc}`;
      const stdinPath = `${dir}/stdin/${guest.name}.txt`;
      return {
        guest,
        libc,
        binary,
        binPath: `${dir}/bin/${guest.program ?? guest.name}.${libc}`,
        goldenPath: `${dir}/golden/${binary}.json`,
        stdinPath: exists(stdinPath) ? stdinPath : null,
        args: guest.args ?? [],
      };
    })
  );
}
