import assert from "node:assert/strict";
import { limitStrings } from "./string_limit.ts";

Deno.test("limitStrings cuts literals at N bytes counting escapes as one byte", () => {
  assert.equal(limitStrings('write(1, "hello\\n", 6) = 6', 3), 'write(1, "hel"..., 6) = 6');
  assert.equal(limitStrings('write(1, "ab\\33\\n", 4) = 4', 3), 'write(1, "ab\\33"..., 4) = 4');
  assert.equal(limitStrings('x("abcdef"..., "\\x85\\x1e\\xeb")', 2), 'x("ab"..., "\\x85\\x1e"...)');
  assert.equal(limitStrings('write(1, "hi", 2) = 2', 32), 'write(1, "hi", 2) = 2');
  assert.equal(limitStrings('w("a\\"b\\\\c")', 3), 'w("a\\"b"...)');
});
