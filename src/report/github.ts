/**
 * `--format github`: GitHub Actions workflow commands, one annotation per finding —
 * `::error file=…,line=…,col=…,title=…::message` — with the runner's escaping: `%`, CR and LF in the
 * message; those and `:` and `,` in property values. Severity → command: critical/high `error`, medium
 * `warning`, low/info `notice`. Waived findings are left out. GitHub shows at most 10 annotations of each
 * kind per step (50 per job) and drops the rest silently, so errors come first and a closing line says
 * when the cap was reached. Paths are prefixed by RenderOptions.pathPrefix (GitHub resolves them against
 * the repository root).
 */
import type { Severity } from "../model/finding.js";
import type { Report, ReportFinding } from "../model/report.js";
import { printable } from "./escape.js";
import type { Reporter } from "./reporter.js";
import { shownFindings } from "./outcomes.js";
import { withPrefix } from "./rule-info.js";

export type AnnotationKind = "error" | "warning" | "notice";

const KIND: Record<Severity, AnnotationKind> = { critical: "error", high: "error", medium: "warning", low: "notice", info: "notice" };
const KIND_ORDER: readonly AnnotationKind[] = ["error", "warning", "notice"];

/** Annotations GitHub shows per kind and step. */
export const ANNOTATIONS_PER_KIND = 10;

/** Message data: `%` first, then CR and LF. */
export function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Property values: as data, plus `:` and `,`. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export interface Annotation {
  kind: AnnotationKind;
  properties: Array<[string, string | number]>;
  message: string;
}

/**
 * One workflow command. Untrusted text is made printable first (no ESC, C1 or bidi control reaches the log;
 * a property never spans lines), then encoded the runner's way.
 */
export function formatCommand(a: Annotation): string {
  const props = a.properties.map(([k, v]) => `${k}=${escapeProperty(printable(String(v)))}`).join(",");
  return `::${a.kind}${props ? ` ${props}` : ""}::${escapeData(printableKeepingLineBreaks(a.message))}`;
}

/** printable() on each line, the line breaks themselves kept (escapeData() encodes them for the runner). */
function printableKeepingLineBreaks(s: string): string {
  return s
    .split(/(\r\n|\r|\n)/)
    .map((part, i) => (i % 2 === 1 ? part : printable(part)))
    .join("");
}

export const githubReporter: Reporter = {
  format: "github",
  render(report, { quiet = false, pathPrefix }) {
    const annotations = githubAnnotations(report, { quiet, pathPrefix });
    const lines = annotations.map(formatCommand);
    const counts = new Map(KIND_ORDER.map((k) => [k, annotations.filter((a) => a.kind === k).length]));
    const s = report.summary;
    const summary = `ntp-policy: ${s.hosts} host${s.hosts === 1 ? "" : "s"} checked, ${s.failing} failing finding${s.failing === 1 ? "" : "s"} on ${s.hosts_failing} host${s.hosts_failing === 1 ? "" : "s"}${s.waived > 0 ? `, ${s.waived} waived` : ""}; failing at or above ${s.fail_on}.`;
    const capped = KIND_ORDER.filter((k) => counts.get(k)! > ANNOTATIONS_PER_KIND);
    if (!quiet || s.failing > 0) lines.push(summary);
    if (capped.length > 0) {
      const detail = capped.map((k) => `${counts.get(k)} ${k}s`).join(", ");
      lines.push(`ntp-policy: GitHub shows only the first ${ANNOTATIONS_PER_KIND} annotations of each kind per step (${detail} written); the log above and the sarif or markdown report have them all.`);
    }
    return lines.length > 0 ? `${lines.join("\n")}\n` : "";
  },
};

export function githubAnnotations(report: Report, { quiet = false, pathPrefix }: { quiet?: boolean; pathPrefix?: string | undefined }): Annotation[] {
  const out: Annotation[] = [];
  for (const host of report.hosts) {
    if (host.error) out.push({ kind: "error", properties: [["title", `ntp-policy: ${host.host} could not be checked`]], message: host.error });
    for (const f of shownFindings(host, report.summary.fail_on, quiet)) {
      if (f.status === "waived") continue;
      out.push(findingAnnotation(f, pathPrefix));
    }
  }
  if (!quiet) {
    for (const n of report.notices) {
      const where: Array<[string, string | number]> = n.location
        ? [["file", n.location.file], ["line", n.location.line], ["col", n.location.column]]
        : [];
      out.push({ kind: "warning", properties: [...where, ["title", "ntp-policy configuration"]], message: n.message });
    }
  }
  // Errors first (each kind is capped separately, but a reader scans from the top); stable within a kind.
  return KIND_ORDER.flatMap((k) => out.filter((a) => a.kind === k));
}

function findingAnnotation(f: ReportFinding, pathPrefix: string | undefined): Annotation {
  const body = [f.message];
  const evidence = f.evidence.filter((e) => e.text !== "");
  if (evidence.length > 0) {
    body.push("");
    for (const e of evidence.slice(0, 8)) {
      const where = e.location.file === f.location.file ? `line ${e.location.line}` : `${e.location.file}:${e.location.line}`;
      body.push(`${where}: ${e.text}`);
    }
    if (evidence.length > 8) body.push(`… and ${evidence.length - 8} more`);
  }
  if (f.remediation) body.push("", `Fix: ${f.remediation}`);
  return {
    kind: KIND[f.severity],
    properties: [
      ["file", withPrefix(pathPrefix, f.location.file)],
      ["line", f.location.line],
      ["col", f.location.column],
      ["title", `${f.rule} (${f.severity}): ${f.title}`],
    ],
    message: body.join("\n"),
  };
}
