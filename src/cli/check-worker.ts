/**
 * A worker thread of a fleet run: loads the policy once, then checks the hosts the main thread sends,
 * one message each, and posts back only the results (never syntax trees: copying them between threads
 * costs as much as parsing).
 */
import { parentPort, workerData } from "node:worker_threads";
import type { HostTarget } from "../discover/hosts.js";
import type { Config } from "../model/config.js";
import { loadPolicyEngine } from "../policy/engine.js";
import { evaluateHost } from "./evaluate-host.js";

const { config } = workerData as { config: Config };
const engine = await loadPolicyEngine();

parentPort!.on("message", (message: { index: number; target: HostTarget } | null) => {
  if (message === null) {
    parentPort!.close();
    return;
  }
  parentPort!.postMessage({ index: message.index, result: evaluateHost(message.target, config, engine) });
});
parentPort!.postMessage({ ready: true });
