/**
 * What `fix` prints: the verified changes as one unified diff (paths relative to the checked folder, so that
 * `git apply` or `patch -p1` run there applies it), and, on stderr, what was fixed and what needs a decision.
 */
import type { FindingFix } from "../model/edit.js";
import type { ReportFinding } from "../model/report.js";
import { printable } from "../report/escape.js";
import { joinPath } from "../policy/apply-config.js";
import type { FixPlan } from "./plan.js";
import { unifiedDiff } from "./unified-diff.js";

export function renderPatch(plan: FixPlan): string {
  return plan.hosts
    .flatMap((h) => h.files.map((f) => unifiedDiff(joinPath(h.host.path, f.file), f.before, f.after)))
    .join("");
}

function where(f: ReportFinding): string {
  return `${f.location.file}:${f.location.line}`;
}

/** One line per finding: fixed (and by which change) or why not; escaped, since it quotes the host's lines. */
export function renderSummary(plan: FixPlan): string[] {
  const out: string[] = [];
  for (const h of plan.hosts) {
    for (const f of h.fixed) out.push(`fixed ${f.finding.rule} at ${where(f.finding)}: ${f.byOther ? `by the change that will ${f.fix.description}` : f.fix.description}`);
    for (const u of h.unresolved) out.push(`not fixed ${u.finding.rule} at ${where(u.finding)}: ${u.reason}`);
  }
  return out.map(printable);
}

/** Each fixed finding's change, with its paths made relative to the checked folder (SARIF `fixes`). */
export function fixesByFinding(plan: FixPlan): Map<ReportFinding, FindingFix> {
  const out = new Map<ReportFinding, FindingFix>();
  for (const h of plan.hosts) {
    for (const f of h.fixed) {
      out.set(f.finding, { description: f.fix.description, edits: f.fix.edits.map((e) => ({ ...e, file: joinPath(h.host.path, e.file) })) });
    }
  }
  return out;
}
