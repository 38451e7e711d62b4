/**
 * Checking hosts in worker threads: one per core for a large fleet, a single one otherwise — also for one
 * host, because only a worker can be stopped: each host runs under a time and memory budget
 * (host-budget.ts), and a host that exceeds it is reported as not checked while its worker is replaced and
 * the others go on. Results come back in host order whatever the workers' timing, so the output stays
 * deterministic. A progress line is drawn on stderr only when it is a terminal. From the TypeScript
 * sources (tests) there is no compiled worker and hosts are checked in-process, without the budget.
 */
import { existsSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { HostTarget } from "../discover/hosts.js";
import type { Config } from "../model/config.js";
import type { CustomPolicy } from "../policy/custom.js";
import type { PolicyEngine } from "../policy/engine.js";
import type { RuleMeta, Severity } from "../model/finding.js";
import type { RuleInfo } from "../report/reporter.js";
import { HostMemo, renderOwn } from "./host-memo.js";
import { renderNotChecked, reportContext, type RenderedHost, type ReportContext } from "./host-report.js";
import { DEFAULT_HOST_BUDGET, describeOutOfMemory, describeTimeout, type HostBudget } from "./host-budget.js";

/** Below this many hosts, starting workers (≈100 ms each) costs more than it saves. */
const MIN_HOSTS_FOR_WORKERS = 24;

/**
 * A single host whose files are this small is checked on the main thread, without a worker: starting one costs
 * more than checking such a host, and every analysis is linear with capped includes, so a file this size
 * cannot run for long. A larger host, or any host with custom policies (whose rules may loop), gets the budget.
 */
const MAX_UNBUDGETED_HOST_BYTES = 256 * 1024;

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
  /** Give hosts equal to one checked before its result (host-memo.ts); default true. */
  memo?: boolean;
}

/** How many worker threads check `targets` (0: the main thread does). */
export function workerCount(targets: readonly HostTarget[], options: FleetOptions = {}): number {
  if (!existsSync(WORKER_FILE)) return 0; // from the TypeScript sources (tests) there is no compiled worker
  if (options.workers !== undefined) return Math.min(options.workers, targets.length);
  if (targets.length >= MIN_HOSTS_FOR_WORKERS) return Math.min(availableParallelism(), targets.length);
  if (targets.length === 1 && (options.custom ?? []).length === 0 && hostBytes(targets[0]!) <= MAX_UNBUDGETED_HOST_BYTES) return 0;
  return 1;
}

/** The size of the files discovery found for a host (what it includes is not known before parsing). */
function hostBytes(target: HostTarget): number {
  let total = 0;
  for (const rel of Object.values(target.files)) {
    try {
      total += statSync(path.join(target.root, rel)).size;
    } catch {
      // Unreadable: the parse stage says why; it costs nothing to check.
    }
  }
  return total;
}

/**
 * Checks every host and hands each result to `deliver` in host order, whatever the workers' timing, so the
 * output stays deterministic and a report can be written while later hosts are still being checked.
 * `engine` is only loaded when the main thread checks hosts itself.
 */
export async function streamFleet(
  targets: HostTarget[],
  report: ReportSetup,
  engine: () => Promise<PolicyEngine>,
  deliver: (entry: RenderedHost, index: number) => void,
  options: FleetOptions = {},
): Promise<void> {
  const workers = workerCount(targets, options);
  const progress = new Progress(targets.length, options.progress ?? false);
  const memo = options.memo !== false && (options.custom ?? []).length === 0;
  const ctx = contextOf(report);
  if (workers < 1) {
    const judge = await engine();
    const hostMemo = memo ? new HostMemo(ctx) : null;
    targets.forEach((t, i) => {
      deliver(hostMemo ? hostMemo.render(t, report.config, judge) : renderOwn(t, report.config, judge, ctx), i);
      progress.tick();
    });
    progress.done();
    return;
  }
  const custom: PortableCustomPolicy[] = (options.custom ?? []).map(({ origin, digest, wasm, rules }) => ({ origin, digest, wasm, rules }));
  // A host stopped by its budget gets its entry here, from the same context the workers have.
  const stopped = (target: HostTarget, reason: string): RenderedHost => renderNotChecked(target, reason, ctx);
  await runPool(targets, { report, custom, budget: options.budget ?? DEFAULT_HOST_BUDGET, memo }, workers, deliver, stopped, () => progress.tick());
  progress.done();
}

/**
 * What makes a host's report entry, as plain data a worker thread receives: the configuration, the rules
 * (catalogue with custom rules, and those in effect), the day waivers expire against and --fail-on.
 */
export interface ReportSetup {
  config: Config;
  catalog: readonly RuleMeta[];
  inEffect: readonly RuleInfo[];
  today: string;
  failOn: Severity;
}

export function contextOf(setup: ReportSetup): ReportContext {
  return reportContext(setup.config, setup.catalog, setup.inEffect, setup.today, setup.failOn);
}

/** What every worker thread starts with (check-worker.ts). */
export interface WorkerSetup {
  report: ReportSetup;
  custom: PortableCustomPolicy[];
  budget: HostBudget;
  memo: boolean;
}

function runPool(
  targets: HostTarget[],
  setup: WorkerSetup,
  size: number,
  deliver: (entry: RenderedHost, index: number) => void,
  stopped: (target: HostTarget, reason: string) => RenderedHost,
  onResult: () => void,
): Promise<void> {
  const { budget } = setup;
  return new Promise((resolve, reject) => {
    /** Entries that came back before an earlier host's: held until it is their turn. */
    const waiting = new Map<number, RenderedHost>();
    let delivered = 0;
    let failed = false;
    let next = 0;
    let finished = 0;
    /** The host each live worker is checking, with the timer of its budget. */
    const busy = new Map<Worker, { index: number; timer: NodeJS.Timeout }>();
    const live = new Set<Worker>();

    const settled = new Set<number>();
    const settle = (index: number, result: RenderedHost): void => {
      if (settled.has(index)) return;
      settled.add(index);
      waiting.set(index, result);
      for (let r = waiting.get(delivered); r !== undefined; r = waiting.get(delivered)) {
        waiting.delete(delivered);
        deliver(r, delivered++);
      }
      finished++;
      onResult();
      if (finished === targets.length) {
        for (const w of live) void w.terminate();
        live.clear();
        resolve();
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
        settle(job.index, stopped(targets[job.index]!, reason));
      }
      if (finished < targets.length && next < targets.length) start();
    };
    const start = (): void => {
      const w = new Worker(WORKER_FILE, {
        workerData: setup,
        resourceLimits: { maxOldGenerationSizeMb: budget.memoryMb },
      });
      live.add(w);
      w.on("message", (m: { ready?: true; index?: number; entry?: RenderedHost; retire?: true }) => {
        if (m.ready) return feed(w);
        const job = busy.get(w);
        if (job) clearTimeout(job.timer);
        busy.delete(w);
        settle(m.index!, m.entry!);
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
