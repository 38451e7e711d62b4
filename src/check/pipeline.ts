/**
 * `ntp-policy check`: the whole pipeline, one stage after the other —
 * discover → parse → analyze → policy → findings → report. A host that fails internally is reported
 * as such and the others are still checked.
 */
import { buildPolicyInput } from "../analyze/policy-input.js";
import { discoverHosts } from "../discover/hosts.js";
import type { Config } from "../model/config.js";
import type { Severity } from "../model/finding.js";
import type { PolicyInput } from "../model/input.js";
import { REPORT_SCHEMA_VERSION, type HostReport, type Report } from "../model/report.js";
import { TOOL_NAME, TOOL_VERSION } from "../model/tool.js";
import { parseHost } from "../parse/host.js";
import { streamFleet, workerCount } from "./fleet.js";
import type { HostBudget } from "./host-budget.js";
import { loadCatalog, type CatalogRule } from "../policy/catalog.js";
import { combinedDigest, combineEngines, type CustomPolicy } from "../policy/custom.js";
import { loadPolicyEngine, policyDigest, type PolicyEngine } from "../policy/engine.js";
import { ConfigApplication } from "../policy/apply-config.js";
import type { RuleInfo } from "../report/reporter.js";
import { rulesInEffect } from "../report/rule-info.js";
import { SummaryTally } from "../report/summary.js";
import type { RenderedHost } from "./host-report.js";
import { rulesThatRun } from "../policy/profile.js";
import { compareIds } from "../model/rule-id.js";

export interface CheckOptions {
  paths: string[];
  config: Config;
  failOn: Severity;
  /** YYYY-MM-DD, for waiver expiry (injected so tests and reports are reproducible). */
  today: string;
  /** Draw a progress line on stderr (the CLI sets it when stderr is a terminal). */
  progress?: boolean;
  /** Worker threads (0: in-process); default: one per core for large fleets. */
  workers?: number;
  /** Custom policies (--policy, --bundle), evaluated beside the built-in one. */
  custom?: readonly CustomPolicy[];
  /** The command line's arguments, recorded in the report for auditors (default: none recorded). */
  argv?: readonly string[];
  /** Per-host time and memory budget (default: 30 s, 512 MB). */
  budget?: HostBudget;
  /** Give hosts equal to one checked before its result (default true; src/check/host-memo.ts). */
  memo?: boolean;
}

/** The rules in effect for a configuration: the profile's rules less those switched off, severities as configured. */
export function catalogInEffect(config: Config, custom: readonly CustomPolicy[] = []): RuleInfo[] {
  return rulesInEffect(rulesThatRun(fullCatalog(custom), config.profile, config.rules), config.rules);
}

/** The built-in catalogue and the rules of the custom policies: what profiles, settings and reports see. */
export function fullCatalog(custom: readonly CustomPolicy[] = []): CatalogRule[] {
  return [...loadCatalog(), ...custom.flatMap((c) => c.rules)].sort((a, b) => compareIds(a.id, b.id));
}

/** Parse and analyze every host into its policy input (what `ntp-policy parse` prints). */
export function inputsFor(paths: string[], config: Config): PolicyInput[] {
  return discoverHosts(paths).map((target) => buildPolicyInput(parseHost(target), config));
}

/** Everything of a report but its hosts: what comes before them, and (from streamCheck) what comes after. */
export type ReportHead = Omit<Report, "hosts" | "notices" | "summary">;
export type ReportTail = Pick<Report, "notices" | "summary">;

export async function runCheck(options: CheckOptions): Promise<Report> {
  const hosts: HostReport[] = [];
  let head: ReportHead | undefined;
  const tail = await streamCheck(options, {
    begin: (h) => (head = h),
    host: (entry) => hosts.push(JSON.parse(entry.json) as HostReport),
  });
  return { ...head!, hosts, ...tail };
}

export interface ReportSink {
  /** Called once, before the first host. */
  begin(head: ReportHead): void;
  /** Each host's report entry, in host order, as soon as it and every host before it are checked. */
  host(entry: RenderedHost): void;
}

/**
 * The check, handing the report to `sink` one host at a time (a fleet's JSON report is written while later hosts
 * are still being checked, and no host is held once written); returns what follows the hosts.
 */
export async function streamCheck(options: CheckOptions, sink: ReportSink): Promise<ReportTail> {
  const targets = discoverHosts(options.paths);
  const custom = options.custom ?? [];
  const fleetOptions = {
    progress: options.progress ?? false,
    custom,
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
    ...(options.budget !== undefined ? { budget: options.budget } : {}),
    ...(options.memo !== undefined ? { memo: options.memo } : {}),
  };
  // The engine is only loaded when this thread checks hosts itself; workers load their own.
  let engine: Promise<PolicyEngine> | undefined;
  const loadEngine = (): Promise<PolicyEngine> => (engine ??= loadPolicyEngine().then((builtin) => combineEngines(builtin, custom)));
  const digest = workerCount(targets, fleetOptions) === 0 ? (await loadEngine()).digest : combinedDigest(policyDigest(), custom);
  const catalog = fullCatalog(custom);
  const setup = { config: options.config, catalog, inEffect: catalogInEffect(options.config, custom), today: options.today, failOn: options.failOn };
  // Waiver notices need every host: which waivers matched is gathered from the entries, whichever thread made them.
  const applied = new ConfigApplication(options.config, new Map(catalog.map((r) => [r.id, r])), options.today);
  const tally = new SummaryTally(options.failOn);

  sink.begin({
    schema_version: REPORT_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    policy: { digest: `sha256:${digest}` },
    config: {
      source: options.config.source,
      digest: options.config.digest,
      profile: options.config.profile,
      trusted_networks: options.config.trusted_networks,
      min_upstreams: options.config.min_upstreams,
      rules: Object.fromEntries(Object.entries(options.config.rules).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      authorized_upstreams: options.config.authorized_upstreams,
      max_poll: options.config.max_poll,
      // Recorded when configured: absent, a mix of pool and server lines is fine.
      ...(options.config.source_kind !== "any" ? { source_kind: options.config.source_kind } : {}),
    },
    run: { arguments: [...(options.argv ?? [])], paths: [...options.paths] },
  });
  await streamFleet(
    targets,
    setup,
    loadEngine,
    (entry) => {
      applied.markUsed(entry.usedWaivers);
      tally.add(entry.tally);
      sink.host(entry);
    },
    fleetOptions,
  );
  return { notices: applied.notices(), summary: tally.summary() };
}
