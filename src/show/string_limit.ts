/**
 * Shortens the quoted strings of recorded strace text to `limit` bytes (`show -s N`). The trace
 * holds strings cut at 32 bytes, so only smaller limits change anything.
 */

/** Length in bytes of the escape sequence starting at text[i] (a backslash). */
function escapeLength(text: string, i: number): number {
  const c = text[i + 1];
  if (c === "x") return 4;
  if (c >= "0" && c <= "7") {
    let n = 2;
    while (n < 4 && text[i + n] >= "0" && text[i + n] <= "7") n++;
    return n;
  }
  return 2;
}

/** Cuts every "…" literal longer than `limit` bytes and marks it with `...` like strace. */
export function limitStrings(text: string, limit: number): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch !== '"') {
      out += ch;
      i++;
      continue;
    }
    // A literal: copy up to `limit` units, skip the rest.
    let j = i + 1, units = 0, kept = '"', cut = false;
    while (j < text.length && text[j] !== '"') {
      const len = text[j] === "\\" ? escapeLength(text, j) : 1;
      if (units < limit) kept += text.slice(j, j + len);
      else cut = true;
      units++;
      j += len;
    }
    out += kept + '"';
    i = j + 1;
    if (cut && !text.startsWith("...", i)) out += "...";
  }
  return out;
}
