/** Registers the SSE/SSE2/SSE3 and x87 instruction handlers (the CPU calls this once). */
import { registerHandler } from "./handler_table.ts";
import { installSseConvert } from "./sse_convert.ts";
import { installSseFloat } from "./sse_float.ts";
import { installSseInteger } from "./sse_integer.ts";
import { installSseMoves } from "./sse_move.ts";
import { installX87 } from "./x87_handlers.ts";

export function installSimdHandlers(): void {
  installSseMoves(registerHandler);
  installSseInteger(registerHandler);
  installSseFloat(registerHandler);
  installSseConvert(registerHandler);
  installX87(registerHandler);
  // 0F 77 emms: leave MMX state; all x87 registers become empty.
  registerHandler(0x177, (ctx) => {
    ctx.simd.ftw = 0;
  });
}
