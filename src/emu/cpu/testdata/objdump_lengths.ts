/** Parses `objdump -d` of a binary into (bytes as hex, length, disassembly text) per instruction. */
export interface ObjdumpInsn {
  addr: number;
  hex: string;
  len: number;
  text: string;
}

export async function objdumpInstructions(path: string): Promise<ObjdumpInsn[]> {
  const r = await new Deno.Command("objdump", { args: ["-d", "--insn-width=16", path] }).output();
  if (!r.success) throw new Error("objdump failed");
  const out: ObjdumpInsn[] = [];
  for (const line of new TextDecoder().decode(r.stdout).split("\n")) {
    const m = /^\s*([0-9a-f]+):\t([0-9a-f ]+?)\s*\t(.*)$/.exec(line);
    if (!m) continue;
    const bytes = m[2].trim().split(" ");
    out.push({
      addr: parseInt(m[1], 16),
      hex: bytes.join(""),
      len: bytes.length,
      text: m[3].trim(),
    });
  }
  return out;
}
