/**
 * `--format sarif`: SARIF 2.1.0 for GitHub code scanning (and Azure DevOps, the VS Code SARIF viewer).
 *
 * One run. tool.driver describes every rule that has a result, from the catalogue (id, name, descriptions,
 * help with the remediation and references, default level, tags, security-severity). Waived findings are
 * left out: GitHub does not honour `suppressions` and would open alerts for them. Each result carries a
 * partial fingerprint that hashes the rule, the file, the finding's own line *text* (normalised) and the
 * occurrence of that triple, never the line number, so editing lines above a finding keeps its alert.
 * Paths are relative (`/`-separated, percent-encoded as URIs require), prefixed by RenderOptions.pathPrefix.
 */
import { createHash } from "node:crypto";
import type { RuleReference, Severity } from "../model/finding.js";
import type { FindingFix } from "../model/edit.js";
import type { Report, ReportFinding } from "../model/report.js";
import type { Reporter, RuleInfo } from "./reporter.js";
import { outcomesOf } from "./outcomes.js";
import { ruleTable, withPrefix } from "./rule-info.js";

export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";
/**
 * automationDetails.id: GitHub's category, `ntp-policy/` plus the checked directory (RenderOptions.pathPrefix),
 * ending in `/` (a category with no run id). Checks of different directories then keep their own alerts.
 * github/codeql-action's upload-sarif fills automationDetails from its `category` input only when the log
 * has none, so this is what GitHub uses.
 */
export function sarifCategory(pathPrefix: string | undefined): string {
  const prefix = withPrefix(pathPrefix, "");
  return `ntp-policy/${prefix === "" ? "" : `${prefix.replace(/\/+$/, "")}/`}`;
}

type Level = "error" | "warning" | "note";

const LEVEL: Record<Severity, Level> = { critical: "error", high: "error", medium: "warning", low: "note", info: "note" };
/** GitHub: over 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low. `info` gets none. */
const SECURITY_SEVERITY: Record<Severity, string | null> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0", info: null };
const PROBLEM_SEVERITY: Record<Level, string> = { error: "error", warning: "warning", note: "recommendation" };

export const sarifReporter: Reporter = {
  format: "sarif",
  render(report, options) {
    return `${JSON.stringify(toSarif(report, options.catalog, options.pathPrefix, options.fixes), null, 2)}\n`;
  },
};

export function toSarif(report: Report, catalog?: readonly RuleInfo[], pathPrefix?: string, fixes?: ReadonlyMap<ReportFinding, FindingFix>): object {
  const rules = ruleTable(report, catalog);
  const reported = report.hosts.flatMap((h) => h.findings.filter((f) => f.status === "fail").map((f) => ({ host: h.host, f })));
  const used = [...rules.values()].filter((r) => reported.some(({ f }) => f.rule === r.id));
  const index = new Map(used.map((r, i) => [r.id, i]));
  const occurrences = new Map<string, number>();

  const results = reported.map(({ host, f }) => {
    const uri = toUri(withPrefix(pathPrefix, f.location.file));
    const key = fingerprintKey(f, uri);
    const occurrence = (occurrences.get(key) ?? 0) + 1;
    occurrences.set(key, occurrence);
    const fingerprint = `${key}:${occurrence}`;
    const related = f.evidence
      .filter((e) => e.text !== "")
      .map((e, i) => ({
        id: i + 1,
        physicalLocation: physicalLocation(toUri(withPrefix(pathPrefix, e.location.file)), e.location.line, e.location.column),
        message: { text: e.text },
      }));
    // The finding's cause and consequences on the same host (src/report/related.ts), after its evidence.
    for (const r of f.related ?? []) {
      related.push({
        id: related.length + 1,
        physicalLocation: physicalLocation(toUri(withPrefix(pathPrefix, r.location.file)), r.location.line, r.location.column),
        message: { text: `${r.relation === "cause" ? "cause" : "consequence"}: ${r.rule}` },
      });
    }
    return {
      ruleId: f.rule,
      ruleIndex: index.get(f.rule)!,
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [{ physicalLocation: physicalLocation(uri, f.location.line, f.location.column) }],
      ...(related.length > 0 ? { relatedLocations: related } : {}),
      ...(fixes?.has(f) ? { fixes: [sarifFix(fixes.get(f)!, pathPrefix)] } : {}),
      partialFingerprints: { primaryLocationLineHash: fingerprint, "ntpPolicyFindingHash/v1": fingerprint },
      properties: { host, severity: f.severity, title: f.title },
    };
  });

  const errors = report.hosts.filter((h) => h.error);
  // Rules that could not judge some hosts (outcomes.ts): one note per rule and reason, with the hosts it
  // concerns — never a result, so code scanning neither shows them as alerts nor closes alerts on them.
  const notApplicable = new Map<string, string[]>();
  for (const h of report.hosts) {
    for (const o of outcomesOf(h, catalog)) {
      if (o.status !== "not_applicable") continue;
      const key = `${o.rule}: not applicable: ${o.reason ?? ""}`;
      notApplicable.set(key, [...(notApplicable.get(key) ?? []), h.host]);
    }
  }
  const notes = [...notApplicable.entries()].map(([text, hosts]) => ({
    level: "note",
    message: { text: `${text} (${hosts.length} host${hosts.length === 1 ? "" : "s"}: ${hosts.slice(0, 20).join(", ")}${hosts.length > 20 ? ", …" : ""})` },
  }));
  const executionNotes = [...errors.map((h) => ({ level: "error", message: { text: `${h.host}: ${h.error}` } })), ...notes];
  return {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            rules: used.map(descriptor),
          },
        },
        automationDetails: { id: sarifCategory(pathPrefix) },
        invocations: [
          {
            executionSuccessful: errors.length === 0,
            ...(executionNotes.length > 0 ? { toolExecutionNotifications: executionNotes } : {}),
            ...(report.notices.length > 0
              ? {
                  toolConfigurationNotifications: report.notices.map((n) => ({
                    level: "warning",
                    message: { text: n.message },
                    descriptor: { id: n.kind },
                    ...(n.location ? { locations: [{ physicalLocation: physicalLocation(toUri(n.location.file), n.location.line, n.location.column) }] } : {}),
                  })),
                }
              : {}),
          },
        ],
        columnKind: "utf16CodeUnits",
        results,
        properties: { policyDigest: report.policy.digest, reportSchemaVersion: report.schema_version },
      },
    ],
  };
}

/** A verified `ntp-policy fix` change as a SARIF fix: one artifactChange per file, its edits as replacements. */
function sarifFix(fix: FindingFix, pathPrefix: string | undefined): object {
  const files = [...new Set(fix.edits.map((e) => e.file))];
  return {
    description: { text: fix.description },
    artifactChanges: files.map((file) => ({
      artifactLocation: { uri: toUri(withPrefix(pathPrefix, file)) },
      replacements: fix.edits
        .filter((e) => e.file === file)
        .map((e) => ({
          deletedRegion: { startLine: e.start.line, startColumn: e.start.column, endLine: e.end.line, endColumn: e.end.column },
          ...(e.text !== "" ? { insertedContent: { text: e.text } } : {}),
        })),
    })),
  };
}

function physicalLocation(uri: string, line: number, column: number): object {
  return { artifactLocation: { uri }, region: { startLine: Math.max(1, line), startColumn: Math.max(1, column) } };
}

/** A relative path as a URI reference: each segment percent-encoded (spaces, `#`, `%`, non-ASCII). */
export function toUri(path: string): string {
  return path
    .replace(/\\/g, "/")
    .split("/")
    .map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join("/");
}

/**
 * The hash part of a finding's fingerprint: rule, file and the text of the finding's own line (whitespace
 * folded). A finding whose evidence does not include its own line (a firewall finding located at the
 * ntp.conf line of an upstream, say) is identified by its message, with `file:line` references taken out
 * so that they do not move it, and its evidence texts.
 */
function fingerprintKey(f: ReportFinding, uri: string): string {
  const own = f.evidence.find((e) => e.location.file === f.location.file && e.location.line === f.location.line && e.text !== "");
  const text = own ? own.text : [f.message.replace(/(?<=[\w.-]):\d+(?::\d+)?\b/g, ""), ...f.evidence.map((e) => e.text)].join("\n");
  return createHash("sha256")
    .update(`ntp-policy/v1\u0000${f.rule}\u0000${uri}\u0000${text.trim().replace(/\s+/g, " ")}`)
    .digest("hex")
    .slice(0, 32);
}

function descriptor(rule: RuleInfo): object {
  const level = LEVEL[rule.severity];
  const securitySeverity = SECURITY_SEVERITY[rule.severity];
  const helpUri = (rule.related_resources ?? []).map((r) => r.ref).find((ref) => /^https?:\/\//.test(ref));
  return {
    id: rule.id,
    name: ruleName(rule),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description || rule.title },
    ...(helpUri ? { helpUri } : {}),
    help: { text: helpText(rule), markdown: helpMarkdown(rule) },
    defaultConfiguration: { level },
    properties: {
      tags: tags(rule),
      precision: "high",
      "problem.severity": PROBLEM_SEVERITY[level],
      ...(securitySeverity ? { "security-severity": securitySeverity } : {}),
      severity: rule.severity,
    },
  };
}

/** `ntp_policy.rules.access.untrusted_query` → `UntrustedQuery`; without a package, from the title. */
function ruleName(rule: RuleInfo): string {
  const source = rule.package ? rule.package.split(".").at(-1)! : rule.title;
  const name = source
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("");
  return (name || rule.id).slice(0, 255);
}

function tags(rule: RuleInfo): string[] {
  const category = rule.package.split(".").slice(2, -1); // ntp_policy.rules.<category…>.<rule>
  const refs = rule.references.filter((r) => r.kind === "CVE" || r.kind === "CWE").map((r) => r.id);
  return [...new Set(["security", ...category, ...refs])];
}

function referenceLine(r: RuleReference): string {
  return `${r.kind} ${r.id}${r.title ? `: ${r.title}` : ""}${r.url ? ` <${r.url}>` : ""}`;
}

function helpText(rule: RuleInfo): string {
  const out = [rule.description || rule.title, "", `Remediation: ${rule.remediation || "see the rule's documentation."}`];
  if (rule.references.length > 0) out.push("", "References:", ...rule.references.map((r) => `- ${referenceLine(r)}`));
  const docs = rule.related_resources ?? [];
  if (docs.length > 0) out.push("", "Documentation:", ...docs.map((d) => `- ${d.ref}${d.description ? ` (${d.description})` : ""}`));
  return out.join("\n");
}

const mdText = (s: string): string => s.replace(/[\\[\]*_<>]/g, (c) => `\\${c}`);

function helpMarkdown(rule: RuleInfo): string {
  const out = [rule.description || rule.title, "", `**Remediation.** ${rule.remediation || "See the rule's documentation."}`];
  if (rule.references.length > 0) {
    out.push("", "**References**", "");
    for (const r of rule.references) {
      const label = `${mdText(r.kind)} ${mdText(r.id)}`;
      out.push(`- ${r.url ? `[${label}](${r.url})` : label}${r.title ? `: ${mdText(r.title)}` : ""}`);
    }
  }
  const docs = rule.related_resources ?? [];
  if (docs.length > 0) {
    out.push("", "**Documentation**", "");
    for (const d of docs) out.push(`- [${mdText(d.description ?? d.ref)}](${d.ref})`);
  }
  return out.join("\n");
}
