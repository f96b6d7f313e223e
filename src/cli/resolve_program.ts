/** Finds the program to run the way a shell (and strace) does: a path, or a name searched in PATH. */
import { join } from "node:path";
import { EXIT_NO_INPUT, UserError } from "./exit_codes.ts";

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** Returns the host path of `program`; throws a UserError when there is none. */
export function resolveProgram(program: string, pathEnv = Deno.env.get("PATH") ?? ""): string {
  if (program.includes("/")) {
    if (!isFile(program)) throw new UserError(`${program}: no such file`, EXIT_NO_INPUT);
    return program;
  }
  for (const dir of pathEnv.split(":")) {
    const candidate = join(dir || ".", program);
    if (isFile(candidate)) return candidate;
  }
  throw new UserError(`${program}: not found in PATH (give a path to the program)`, EXIT_NO_INPUT);
}
