/**
 * The builtins a policy.wasm calls that its wasm runtime does not implement natively (it asks the host for
 * them): the module's own `builtins()` export, read through `opa_json_dump`. The built-in build requires none;
 * custom policies may use those the opa-wasm SDK implements in JavaScript.
 */
import { Buffer } from "node:buffer";
import { isRecord } from "./json-object.js";

/** The SDK's public fields that expose the instance (not in its types). */
export interface WasmInternals {
  wasmInstance?: { exports: Record<string, unknown> };
  mem?: { buffer: ArrayBuffer };
}

/** Builtin name → id, as the module declares them ({} when it needs none or does not say). */
export function hostBuiltins(policy: WasmInternals): Record<string, number> {
  const exports = policy.wasmInstance?.exports;
  const dump = exports?.["opa_json_dump"];
  const builtins = exports?.["builtins"];
  if (typeof dump !== "function" || typeof builtins !== "function" || !policy.mem) return {};
  const addr = (dump as (a: number) => number)((builtins as () => number)());
  const mem = new Uint8Array(policy.mem.buffer);
  let end = addr;
  while (end < mem.length && mem[end] !== 0) end++;
  const parsed: unknown = JSON.parse(Buffer.from(mem.subarray(addr, end)).toString("utf8"));
  return isRecord(parsed) ? (parsed as Record<string, number>) : {};
}
