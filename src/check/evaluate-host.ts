/**
 * One host through the pipeline: parse → analyze → policy. Shared by the in-process path and the
 * worker threads of a fleet run, so both compute exactly the same thing.
 */
import type { JudgedAs } from "../model/input.js";
import { buildPolicyInput } from "../analyze/policy-input.js";
import type { HostTarget } from "../discover/hosts.js";
import type { Config } from "../model/config.js";
import type { NotApplicable, PassedEvidence, Violation } from "../model/finding.js";
import type { HostReport } from "../model/report.js";
import { parseHost } from "../parse/host.js";
import type { PolicyEngine } from "../policy/engine.js";
import { joinPath } from "../policy/apply-config.js";
import { isStringLimitError, notCheckedResult, TOO_LARGE_TO_JUDGE } from "./host-budget.js";

export interface HostResult {
  host: string;
  pathPrefix: string;
  files: HostReport["files"];
  violations: Violation[];
  /** Rules the policy judged not applicable to this host, with why. */
  not_applicable: NotApplicable[];
  /** The lines that satisfy each rule (the report shows them where the rule passes). */
  passed: PassedEvidence[];
  /** When the evidence was collected (the dump's `collected-at`), null when not recorded. */
  collected_at: string | null;
  /** The daemon the host was judged as (from the facts); absent without a time-daemon configuration. */
  judged_as?: JudgedAs;
  /** Set when the host could not be checked (an internal error); the other hosts still are. */
  error?: string;
}

export function evaluateHost(target: HostTarget, config: Config, engine: PolicyEngine): HostResult {
  const base = { host: target.name, pathPrefix: target.displayPrefix };
  try {
    const parsed = parseHost(target);
    const input = buildPolicyInput(parsed, config);
    const files = parsed.files
      .map((f) => ({ path: joinPath(target.displayPrefix, f.path), kind: f.kind, sha256: f.sha256 }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const { violations, not_applicable, passed } = engine.judge(input);
    const daemon = input.time?.daemon;
    const judgedAs = daemon ? { judged_as: { flavor: daemon.name, decided_by: daemon.decided_by, version: daemon.version } } : {};
    return { ...base, files, ...judgedAs, violations, not_applicable, passed, collected_at: parsed.collectedAt };
  } catch (e) {
    return failedHost(target, e);
  }
}

/**
 * A host whose check threw: too large to judge (JavaScript's string limit, on the way into or out of the policy)
 * is a PARSE004 finding that says so; anything else is an internal error of this host (the others still run).
 */
export function failedHost(target: HostTarget, e: unknown): HostResult {
  if (isStringLimitError(e)) return notCheckedResult(target, TOO_LARGE_TO_JUDGE);
  const message = e instanceof Error ? e.message : String(e);
  return {
    host: target.name,
    pathPrefix: target.displayPrefix,
    files: [],
    violations: [],
    not_applicable: [],
    passed: [],
    collected_at: null,
    error: `internal error while checking this host: ${message}`,
  };
}
