/**
 * Checking many hosts: a pool of worker threads (one per core) when the fleet is large enough to pay
 * for them, in-process otherwise. Results come back in host order whatever the workers' timing, so the
 * output stays deterministic. A progress line is drawn on stderr only when it is a terminal.
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
}

export async function checkFleet(targets: HostTarget[], config: Config, engine: PolicyEngine, options: FleetOptions = {}): Promise<HostResult[]> {
  const wanted = options.workers ?? (targets.length >= MIN_HOSTS_FOR_WORKERS ? availableParallelism() : 0);
  // Workers run the compiled JavaScript; from the TypeScript sources (tests) the check stays in-process.
  const workers = existsSync(WORKER_FILE) ? Math.min(wanted, targets.length) : 0;
  const progress = new Progress(targets.length, options.progress ?? false);
  if (workers <= 1) {
    const out: HostResult[] = [];
    for (const t of targets) {
      out.push(evaluateHost(t, config, engine));
      progress.tick();
    }
    progress.done();
    return out;
  }
  const custom: PortableCustomPolicy[] = (options.custom ?? []).map(({ origin, digest, wasm, rules }) => ({ origin, digest, wasm, rules }));
  const results = await runPool(targets, config, custom, workers, () => progress.tick());
  progress.done();
  return results;
}

function runPool(
  targets: HostTarget[],
  config: Config,
  custom: PortableCustomPolicy[],
  size: number,
  onResult: () => void,
): Promise<HostResult[]> {
  return new Promise((resolve, reject) => {
    const results: HostResult[] = new Array(targets.length);
    let next = 0;
    let finished = 0;
    let failed = false;
    const pool: Worker[] = [];
    const feed = (w: Worker): void => {
      if (next < targets.length) {
        const index = next++;
        w.postMessage({ index, target: targets[index] });
      } else {
        w.postMessage(null);
      }
    };
    for (let i = 0; i < size; i++) {
      const w = new Worker(WORKER_FILE, { workerData: { config, custom } });
      pool.push(w);
      w.on("message", (m: { ready?: true; index?: number; result?: HostResult }) => {
        if (m.ready) return feed(w);
        results[m.index!] = m.result!;
        finished++;
        onResult();
        if (finished === targets.length) {
          for (const p of pool) p.postMessage(null);
          resolve(results);
        } else {
          feed(w);
        }
      });
      w.on("error", (e) => {
        if (failed) return;
        failed = true;
        for (const p of pool) void p.terminate();
        reject(e);
      });
    }
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
