/** The sudtrace version, written into every trace manifest. */
export const TOOL_VERSION = "0.1.0";
/** The CPU profile the emulator presents (CPUID), recorded in manifests. */
export const CPU_PROFILE = "qemu64-sse3";
