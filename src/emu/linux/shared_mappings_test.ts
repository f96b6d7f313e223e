import assert from "node:assert/strict";
import { RealHost } from "../host.ts";
import { runGuest } from "./kernel.ts";

const GUEST = new URL("../../../tests/guests/bin/sys_mem_poll.musl", import.meta.url).pathname;

Deno.test("a dirty MAP_SHARED mapping reaches its file when the process exits", () => {
  const dir = Deno.makeTempDirSync({ prefix: "sudtrace-shared-" });
  const path = `${dir}/f.bin`;
  Deno.writeTextFileSync(path, "0123456789");
  const exit = runGuest({
    image: Deno.readFileSync(GUEST),
    programPath: GUEST,
    argv: [GUEST, "exit-dirty", path],
    env: [],
    host: new RealHost({ capture: true }),
  });
  assert.equal(exit.status, 0);
  // Natively the page cache keeps the stores after exit; the file keeps its length.
  assert.equal(Deno.readTextFileSync(path), "DIRTY56789");
  Deno.removeSync(dir, { recursive: true });
});
