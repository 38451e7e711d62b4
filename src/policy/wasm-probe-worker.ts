/**
 * The worker of probeWasmLoad() (wasm-instance.ts): instantiates a custom policy's module once, where a start
 * function or an OPA export that never returns can be stopped, and says whether it loaded.
 */
import { parentPort, workerData } from "node:worker_threads";
import { loadWasmPolicy, setWasmMemoryLimitMb } from "./wasm-instance.js";

const { wasm, memoryMb } = workerData as { wasm: Uint8Array; memoryMb: number };
setWasmMemoryLimitMb(memoryMb);
try {
  await loadWasmPolicy(wasm);
  parentPort!.postMessage({ ok: true });
} catch (e) {
  parentPort!.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) });
}
