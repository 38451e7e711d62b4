/**
 * The memory a policy's WebAssembly instance may grow to. Wasm memory lives outside the JavaScript heap,
 * so a worker's heap limit does not bound it: without a maximum, a custom rule that builds a huge array
 * grows the instance to 4 GB. With one, growth fails inside the policy and the host is reported as not
 * checked (src/cli/host-budget.ts).
 */
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
