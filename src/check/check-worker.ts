/**
 * A worker thread of a fleet run: loads the policy once, then checks the hosts the main thread sends,
 * one message each, and posts back only the results (never syntax trees: copying them between threads
 * costs as much as parsing).
 */
import { parentPort, workerData } from "node:worker_threads";
import type { HostTarget } from "../discover/hosts.js";
import { loadCatalog } from "../policy/catalog.js";
import { combineEngines, customEngine, type CustomPolicy } from "../policy/custom.js";
import { loadPolicyEngine } from "../policy/engine.js";
import type { WorkerSetup } from "./fleet.js";
import { describeOutOfMemory, notCheckedResult } from "./host-budget.js";
import { evaluateHostToJson, HostMemo } from "./host-memo.js";
import { isWasmOutOfMemory, setWasmMemoryLimitMb } from "../policy/wasm-instance.js";

const { config, custom, budget, memo } = workerData as WorkerSetup;
setWasmMemoryLimitMb(budget.memoryMb);
// Custom policies arrive as their wasm bytes and rules; each worker instantiates its own copy.
const builtinIds = new Set(loadCatalog().map((r) => r.id));
const customPolicies: CustomPolicy[] = await Promise.all(
  custom.map(async (c) => ({ ...c, engine: await customEngine(c.wasm, c.rules, c.origin, builtinIds) })),
);
const engine = combineEngines(await loadPolicyEngine(), customPolicies);
const hostMemo = memo ? new HostMemo() : null;

parentPort!.on("message", (message: { index: number; target: HostTarget } | null) => {
  if (message === null) {
    parentPort!.close();
    return;
  }
  const { json, error } = hostMemo ? hostMemo.evaluateToJson(message.target, config, engine) : evaluateHostToJson(message.target, config, engine);
  if (error !== undefined && isWasmOutOfMemory(error)) {
    // The policy's memory has grown to its maximum and never shrinks: report the host, retire this worker.
    parentPort!.postMessage({ index: message.index, json: JSON.stringify(notCheckedResult(message.target, describeOutOfMemory(budget))), retire: true });
    return;
  }
  // As JSON: a string crosses threads faster than the object would.
  parentPort!.postMessage({ index: message.index, json });
});

parentPort!.postMessage({ ready: true });
