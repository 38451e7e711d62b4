/**
 * Checking hosts in worker threads: one per core for a large fleet, a single one otherwise — also for one
 * host, because only a worker can be stopped: each host runs under a time and memory budget
 * (host-budget.ts), and a host that exceeds it is reported as not checked while its worker is replaced and
 * the others go on. Results come back in host order whatever the workers' timing, so the output stays
 * deterministic. A progress line is drawn on stderr only when it is a terminal. From the TypeScript
 * sources (tests) there is no compiled worker and hosts are checked in-process, without the budget.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { HostTarget } from "../discover/hosts.js";
import type { Config } from "../model/config.js";
import type { CustomPolicy } from "../policy/custom.js";
import type { PolicyEngine } from "../policy/engine.js";
import { evaluateHost, type HostResult } from "./evaluate-host.js";
import { DEFAULT_HOST_BUDGET, describeOutOfMemory, describeTimeout, notCheckedResult, type HostBudget } from "./host-budget.js";

/** Below this many hosts, starting workers (≈100 ms each) costs more than it saves. */
const MIN_HOSTS_FOR_WORKERS = 24;

const WORKER_FILE = fileURLToPath(new URL("./check-worker.js", import.meta.url));

/** A custom policy as a worker thread receives it: everything but the engine, which each worker rebuilds. */
export type PortableCustomPolicy = Omit<CustomPolicy, "engine">;

export interface FleetOptions {
  /** Force a worker count (0 = in-process); default: one per core for large fleets. */
  workers?: number;
  progress?: boolean;
  /** The custom policies `engine` includes, for the workers to load as well. */
  custom?: readonly CustomPolicy[];
  /** Per-host time and memory budget (default DEFAULT_HOST_BUDGET). */
  budget?: HostBudget;
}

export async function checkFleet(targets: HostTarget[], config: Config, engine: PolicyEngine, options: FleetOptions = {}): Promise<HostResult[]> {
  const wanted = options.workers ?? (targets.length >= MIN_HOSTS_FOR_WORKERS ? availableParallelism() : 1);
  // Workers run the compiled JavaScript; from the TypeScript sources (tests) the check stays in-process.
  const workers = existsSync(WORKER_FILE) ? Math.min(wanted, targets.length) : 0;
  const progress = new Progress(targets.length, options.progress ?? false);
  if (workers < 1) {
    const out: HostResult[] = [];
    for (const t of targets) {
      out.push(evaluateHost(t, config, engine));
      progress.tick();
    }
    progress.done();
    return out;
  }
  const custom: PortableCustomPolicy[] = (options.custom ?? []).map(({ origin, digest, wasm, rules }) => ({ origin, digest, wasm, rules }));
  const results = await runPool(targets, config, custom, workers, options.budget ?? DEFAULT_HOST_BUDGET, () => progress.tick());
  progress.done();
  return results;
}

function runPool(
  targets: HostTarget[],
  config: Config,
  custom: PortableCustomPolicy[],
  size: number,
  budget: HostBudget,
  onResult: () => void,
): Promise<HostResult[]> {
  return new Promise((resolve, reject) => {
    const results: HostResult[] = new Array(targets.length);
    let failed = false;
    let next = 0;
    let finished = 0;
    /** The host each live worker is checking, with the timer of its budget. */
    const busy = new Map<Worker, { index: number; timer: NodeJS.Timeout }>();
    const live = new Set<Worker>();

    const settle = (index: number, result: HostResult): void => {
      if (results[index] !== undefined) return;
      results[index] = result;
      finished++;
      onResult();
      if (finished === targets.length) {
        for (const w of live) void w.terminate();
        live.clear();
        resolve(results);
      }
    };
    const feed = (w: Worker): void => {
      if (next >= targets.length) {
        live.delete(w);
        void w.terminate();
        return;
      }
      const index = next++;
      const timer = setTimeout(() => stop(w, describeTimeout(budget)), budget.timeoutMs);
      busy.set(w, { index, timer });
      w.postMessage({ index, target: targets[index] });
    };
    /** The worker's host is reported as not checked; the worker is replaced by a fresh one. */
    const stop = (w: Worker, reason: string, error?: Error): void => {
      const job = busy.get(w);
      busy.delete(w);
      live.delete(w);
      void w.terminate();
      if (failed) return;
      if (!job && error) {
        // A worker that fails before checking anything (the policy cannot load) would fail again: stop the run.
        failed = true;
        for (const other of live) void other.terminate();
        for (const j of busy.values()) clearTimeout(j.timer);
        reject(error);
        return;
      }
      if (job) {
        clearTimeout(job.timer);
        settle(job.index, notCheckedResult(targets[job.index]!, reason));
      }
      if (finished < targets.length && next < targets.length) start();
    };
    const start = (): void => {
      const w = new Worker(WORKER_FILE, {
        workerData: { config, custom, budget },
        resourceLimits: { maxOldGenerationSizeMb: budget.memoryMb },
      });
      live.add(w);
      w.on("message", (m: { ready?: true; index?: number; result?: HostResult; retire?: true }) => {
        if (m.ready) return feed(w);
        const job = busy.get(w);
        if (job) clearTimeout(job.timer);
        busy.delete(w);
        settle(m.index!, m.result!);
        if (m.retire && live.has(w)) {
          // Its policy memory is exhausted: a fresh worker takes over.
          live.delete(w);
          void w.terminate();
          if (next < targets.length) start();
        } else if (live.has(w)) {
          feed(w);
        }
      });
      w.on("error", (e: Error & { code?: string }) => {
        const reason = e.code === "ERR_WORKER_OUT_OF_MEMORY" ? describeOutOfMemory(budget) : `its worker failed: ${e.message}`;
        stop(w, reason, e);
      });
      w.on("exit", () => {
        // A worker that ends while checking a host (killed, crashed without an error event) loses that host.
        if (busy.has(w)) stop(w, "its worker ended unexpectedly");
      });
    };
    for (let i = 0; i < size; i++) start();
  });
}

/** `checked 120/1000 hosts` on a TTY's stderr, redrawn in place; nothing otherwise. */
class Progress {
  private done_ = 0;
  private lastDraw = 0;

  constructor(
    private readonly total: number,
    private readonly enabled: boolean,
  ) {}

  tick(): void {
    this.done_++;
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw < 100 && this.done_ < this.total) return;
    this.lastDraw = now;
    const width = 30;
    const filled = Math.round((this.done_ / this.total) * width);
    process.stderr.write(`\r[${"#".repeat(filled)}${" ".repeat(width - filled)}] checked ${this.done_}/${this.total} hosts`);
  }

  done(): void {
    if (this.enabled && this.total > 0) process.stderr.write("\r\u001b[K");
  }
}
