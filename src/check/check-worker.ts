/**
 * A worker thread of a fleet run: loads the policy once, then checks the hosts the main thread sends,
 * one message each, and posts back each host's report entry, already rendered (never syntax trees: copying
 * them between threads costs as much as parsing).
 */
import { parentPort, workerData } from "node:worker_threads";
import type { HostTarget } from "../discover/hosts.js";
import { loadCatalog } from "../policy/catalog.js";
import { combineEngines, customEngine, type CustomPolicy } from "../policy/custom.js";
import { loadPolicyEngine } from "../policy/engine.js";
import { contextOf, type WorkerSetup } from "./fleet.js";
import { describeOutOfMemory } from "./host-budget.js";
import { HostMemo, renderOwn } from "./host-memo.js";
import { renderNotChecked } from "./host-report.js";
import { isWasmOutOfMemory, setWasmMemoryLimitMb } from "../policy/wasm-instance.js";

const { report, custom, budget, memo } = workerData as WorkerSetup;
setWasmMemoryLimitMb(budget.memoryMb);
// Custom policies arrive as their wasm bytes and rules; each worker instantiates its own copy.
const builtinIds = new Set(loadCatalog().map((r) => r.id));
const customPolicies: CustomPolicy[] = await Promise.all(
  custom.map(async (c) => ({ ...c, engine: await customEngine(c.wasm, c.rules, c.origin, builtinIds) })),
);
const engine = combineEngines(await loadPolicyEngine(), customPolicies);
const ctx = contextOf(report);
const hostMemo = memo ? new HostMemo(ctx) : null;

parentPort!.on("message", (message: { index: number; target: HostTarget } | null) => {
  if (message === null) {
    parentPort!.close();
    return;
  }
  const { target } = message;
  const entry = hostMemo ? hostMemo.render(target, report.config, engine) : renderOwn(target, report.config, engine, ctx);
  if (entry.error !== undefined && isWasmOutOfMemory(entry.error)) {
    // The policy's memory has grown to its maximum and never shrinks: report the host, retire this worker.
    parentPort!.postMessage({ index: message.index, entry: renderNotChecked(target, describeOutOfMemory(budget), ctx), retire: true });
    return;
  }
  parentPort!.postMessage({ index: message.index, entry });
});
parentPort!.postMessage({ ready: true });
