/**
 * Instantiating a policy's WebAssembly module, the one way engine.ts and custom.ts do it.
 *
 * Quietly: opa-wasm prints "opa_wasm_abi_version undefined" to stderr itself when a module lacks its ABI
 * exports; the caller reports one clear line instead.
 *
 * Bounded: the memory a policy's WebAssembly instance may grow to. Wasm memory lives outside the JavaScript heap,
 * so a worker's heap limit does not bound it: without a maximum, a custom rule that builds a huge array
 * grows the instance to 4 GB. With one, growth fails inside the policy and the host is reported as not
 * checked (src/check/host-budget.ts).
 *
 * Probed: instantiating a module runs its start function, and opa-wasm then calls its exports, all on the thread
 * that loads it. A custom policy's module is first loaded in a worker thread under the time and memory budget
 * (probeWasmLoad), so one whose start function never returns is a clear error instead of a hung `check`.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { isMainThread, Worker } from "node:worker_threads";
import * as opaWasm from "@open-policy-agent/opa-wasm";

const PAGE_BYTES = 64 * 1024;
const INITIAL_PAGES = 5; // opa-wasm's own default

/** The package's ES module entry has loadPolicySync on its default export only (its types say otherwise). */
const { loadPolicySync } = (opaWasm as unknown as { default: typeof opaWasm }).default;

let maximumPages = (512 * 1024 * 1024) / PAGE_BYTES;

/** The budget of probeWasmLoad(): the per-host budget (`--host-timeout`, `--host-memory`); 30 s and 512 MB by default. */
let loadBudget = { timeoutMs: 30_000, memoryMb: 512 };

const PROBE_WORKER = fileURLToPath(new URL("./wasm-probe-worker.js", import.meta.url));

/** Set the time and memory a custom policy's module may take to load (the CLI sets the per-host budget). */
export function setWasmLoadBudget(budget: { timeoutMs: number; memoryMb: number }): void {
  loadBudget = { ...budget };
}

/**
 * Load the module once in a worker thread, stopped after the load budget: rejects when it does not load (with
 * loadWasmPolicy's reason) or does not finish loading in time. From the TypeScript sources (tests) there is no
 * compiled worker, and inside a worker the caller is already bounded: then it resolves without probing.
 */
export function probeWasmLoad(bytes: Uint8Array): Promise<void> {
  if (!isMainThread || !existsSync(PROBE_WORKER)) return Promise.resolve();
  const { timeoutMs, memoryMb } = loadBudget;
  return new Promise((resolve, reject) => {
    const worker = new Worker(PROBE_WORKER, { workerData: { wasm: bytes, memoryMb }, resourceLimits: { maxOldGenerationSizeMb: memoryMb } });
    let settled = false;
    const finish = (error: Error | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      if (error) reject(error);
      else resolve();
    };
    const seconds = timeoutMs / 1000;
    const timer = setTimeout(
      () => finish(new Error(`loading its WebAssembly module took longer than ${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s (--host-timeout): a start function or an OPA export that does not return`)),
      timeoutMs,
    );
    worker.on("message", (m: { ok: boolean; message?: string }) => finish(m.ok ? null : new Error(m.message ?? "it does not load")));
    worker.on("error", (e: Error & { code?: string }) =>
      finish(new Error(e.code === "ERR_WORKER_OUT_OF_MEMORY" ? `loading its WebAssembly module needed more than ${memoryMb} MB of memory (--host-memory)` : e.message)),
    );
    worker.on("exit", () => finish(new Error("loading its WebAssembly module ended its worker unexpectedly")));
  });
}

/** Set the limit for policies loaded from now on (a worker sets it from its host budget). */
export function setWasmMemoryLimitMb(mb: number): void {
  maximumPages = Math.max(INITIAL_PAGES, Math.floor((mb * 1024 * 1024) / PAGE_BYTES));
}

/**
 * The memory descriptor for opa-wasm's loadPolicy: the whole budget from the start. OPA's allocator grows the
 * memory one 64 KB page at a time, and V8 follows a growth of a large memory with a garbage collection of the
 * JavaScript heap: on a host whose policy run needs hundreds of MB (10,000 restrict lines) the thousands of
 * growths, each collecting a heap that grows with the input, made the policy quadratic (20 s instead of 2).
 * Reserving the maximum costs address space only: the kernel backs a page when the policy first writes it.
 */
export function wasmMemory(): { initial: number; maximum: number } {
  return { initial: maximumPages, maximum: maximumPages };
}

/** True when an evaluation error means the policy ran out of its memory. */
export function isWasmOutOfMemory(message: string): boolean {
  return /Maximum memory size exceeded|opa_malloc: failed|WebAssembly\.Memory\.grow/i.test(message);
}

/** opa-wasm's loadPolicy with the memory bound and without the SDK's own console output. */
export async function loadWasmPolicy(bytes: Uint8Array): Promise<unknown> {
  const consoleError = console.error;
  console.error = () => undefined;
  try {
    // The synchronous form: the asynchronous one asks whether its argument is a fetch Response, and touching
    // that global makes Node load its whole HTTP client (~100 ms of start-up for nothing).
    return loadPolicySync(bytes, wasmMemory());
  } catch (e) {
    // The SDK fails on a module without OPA's exports with a TypeError about its internals.
    if (e instanceof TypeError && /exports|opa_/.test(e.message)) throw new Error("not a policy compiled by OPA (the module lacks OPA's WebAssembly interface)");
    throw e;
  } finally {
    console.error = consoleError;
  }
}
