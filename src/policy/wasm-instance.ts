/**
 * Instantiating a policy's WebAssembly module, the one way engine.ts and custom.ts do it.
 *
 * Quietly: opa-wasm prints "opa_wasm_abi_version undefined" to stderr itself when a module lacks its ABI
 * exports; the caller reports one clear line instead.
 *
 * Bounded: the memory a policy's WebAssembly instance may grow to. Wasm memory lives outside the JavaScript heap,
 * so a worker's heap limit does not bound it: without a maximum, a custom rule that builds a huge array
 * grows the instance to 4 GB. With one, growth fails inside the policy and the host is reported as not
 * checked (src/cli/host-budget.ts).
 */
import { loadPolicy } from "@open-policy-agent/opa-wasm";

const PAGE_BYTES = 64 * 1024;
const INITIAL_PAGES = 5; // opa-wasm's own default

let maximumPages = (512 * 1024 * 1024) / PAGE_BYTES;

/** Set the limit for policies loaded from now on (a worker sets it from its host budget). */
export function setWasmMemoryLimitMb(mb: number): void {
  maximumPages = Math.max(INITIAL_PAGES, Math.floor((mb * 1024 * 1024) / PAGE_BYTES));
}

/** The memory descriptor for opa-wasm's loadPolicy. */
export function wasmMemory(): { initial: number; maximum: number } {
  return { initial: INITIAL_PAGES, maximum: maximumPages };
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
    return await loadPolicy(bytes, wasmMemory());
  } catch (e) {
    // The SDK fails on a module without OPA's exports with a TypeError about its internals.
    if (e instanceof TypeError && /exports|opa_/.test(e.message)) throw new Error("not a policy compiled by OPA (the module lacks OPA's WebAssembly interface)");
    throw e;
  } finally {
    console.error = consoleError;
  }
}
