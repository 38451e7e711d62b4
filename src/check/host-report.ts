/**
 * A host's entry of the report, made where the host was checked (a worker thread of a fleet run): findings
 * with the configuration applied, related links, outcomes, and the JSON text of the entry as the JSON report
 * holds it. The main thread then only writes or collects entries, in host order.
 */
import path from "node:path";
import type { HostTarget } from "../discover/hosts.js";
import type { Config } from "../model/config.js";
import type { RuleMeta, Severity } from "../model/finding.js";
import type { HostReport } from "../model/report.js";
import { ConfigApplication, joinPath } from "../policy/apply-config.js";
import { hostEntryJson } from "../report/json.js";
import { hostOutcomes } from "../report/outcomes.js";
import { linkRelated } from "../report/related.js";
import type { RuleInfo } from "../report/reporter.js";
import { compareFindings, hostTally, isUnchecked, type HostTally } from "../report/summary.js";
import type { HostResult } from "./evaluate-host.js";
import { notCheckedResult } from "./host-budget.js";

/** What turning a host's result into its report entry needs: the same in every thread of a run. */
export interface ReportContext {
  applied: ConfigApplication;
  /** The rules in effect (catalogInEffect). */
  inEffect: readonly RuleInfo[];
  /** Rule id → the rules its findings are consequences of (METADATA custom.consequence_of). */
  causesOf: ReadonlyMap<string, readonly string[]>;
  failOn: Severity;
}

export function reportContext(config: Config, catalog: readonly RuleMeta[], inEffect: readonly RuleInfo[], today: string, failOn: Severity): ReportContext {
  const rules = new Map(catalog.map((r) => [r.id, r]));
  return {
    applied: new ConfigApplication(config, rules, today),
    inEffect,
    causesOf: new Map(catalog.flatMap((r) => (r.consequence_of ? [[r.id, r.consequence_of] as const] : []))),
    failOn,
  };
}

/** A host's report entry, ready to write. */
export interface RenderedHost {
  host: string;
  /** The entry as JSON, indented as the JSON report holds it (four spaces deep, no leading break). */
  json: string;
  tally: HostTally;
  /** Indices of the configuration's waivers that matched a finding of this host. */
  usedWaivers: number[];
  error?: string;
  /** A PARSE004 failure: the host was not (fully) checked. */
  unchecked: boolean;
}

/** Where a host's entry places it: its name, its path in the checked path, and the checked path. */
export interface HostPlace {
  name: string;
  displayPrefix: string;
  checkedPath: string;
}

/** Where the host's own entry places it. */
export function placeOf(target: HostTarget): HostPlace {
  return { name: target.name, displayPrefix: target.displayPrefix, checkedPath: checkedPath(target) };
}

/** The entry of a host stopped by its budget (a PARSE004 finding with the reason). */
export function renderNotChecked(target: HostTarget, reason: string, ctx: ReportContext): RenderedHost {
  return renderHost(notCheckedResult(target, reason), placeOf(target), ctx);
}

export function renderHost(result: HostResult, place: HostPlace, ctx: ReportContext): RenderedHost {
  const { findings, used } = ctx.applied.apply({ host: place.name, pathPrefix: place.displayPrefix, violations: result.violations });
  const files = result.files;
  const host: HostReport = {
    host: place.name,
    path: place.displayPrefix,
    checked_path: place.checkedPath,
    files,
    ...(result.judged_as ? { judged_as: result.judged_as } : {}),
    collected_at: result.collected_at,
    findings: linkRelated(findings.sort(compareFindings), ctx.causesOf, files),
    ...(result.error ? { error: result.error } : {}),
    ...(result.not_applicable.length > 0 ? { not_applicable: result.not_applicable } : {}),
  };
  const passed = result.passed.map((p) => ({ ...p, location: { ...p.location, file: joinPath(place.displayPrefix, p.location.file) } }));
  const report: HostReport = { ...host, outcomes: hostOutcomes(host, ctx.inEffect, passed) };
  return {
    host: place.name,
    json: hostEntryJson(report),
    tally: hostTally(report, ctx.failOn),
    usedWaivers: used,
    ...(result.error !== undefined ? { error: result.error } : {}),
    unchecked: isUnchecked(report),
  };
}

/**
 * The checked path a host was found under, relative to the working directory (`examples/host-dump`; `""` for
 * files given one by one, whose paths already are): report paths joined to it are paths a shell can open.
 */
export function checkedPath(target: HostTarget): string {
  const segments = target.displayPrefix === "" ? 0 : target.displayPrefix.split("/").length;
  let root = target.root;
  for (let i = 0; i < segments; i++) root = path.dirname(root);
  const relative = path.relative(process.cwd(), root);
  return relative.split(path.sep).join("/");
}
