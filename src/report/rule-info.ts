/** What several formats need about rules and paths beyond the report itself. */
import type { RuleSetting } from "../model/config.js";
import { SEVERITIES, type Severity } from "../model/finding.js";
import type { Report, ReportFinding } from "../model/report.js";
import type { RuleInfo } from "./reporter.js";
import { compareIds } from "../model/rule-id.js";

export { compareIds } from "../model/rule-id.js";

/** The catalogue as configured: rules switched off left out, severities overridden. Sorted by id. */
export function rulesInEffect(catalog: readonly RuleInfo[], settings: Readonly<Record<string, RuleSetting>>): RuleInfo[] {
  return catalog
    .filter((r) => settings[r.id]?.enabled !== false)
    .map((r) => {
      const severity = settings[r.id]?.severity;
      return severity ? { ...r, severity } : r;
    })
    .sort((a, b) => compareIds(a.id, b.id));
}

/**
 * Every rule the formats may need to describe: the catalogue's, plus a description made from the findings
 * of any rule the catalogue does not list (a custom policy, or no catalogue passed). Sorted by id.
 */
export function ruleTable(report: Report, catalog: readonly RuleInfo[] | undefined): Map<string, RuleInfo> {
  const rules = new Map<string, RuleInfo>((catalog ?? []).map((r) => [r.id, r]));
  for (const host of report.hosts) {
    for (const f of host.findings) if (!rules.has(f.rule)) rules.set(f.rule, fallbackRule(f));
  }
  return new Map([...rules.entries()].sort(([a], [b]) => compareIds(a, b)));
}

function fallbackRule(f: ReportFinding): RuleInfo {
  return { id: f.rule, title: f.title, severity: f.severity, description: f.title, remediation: f.remediation, references: [], package: "" };
}


/** Worst first. */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b);
}

/** `prefix/file`, for paths that must be relative to the repository root (RenderOptions.pathPrefix). */
export function withPrefix(prefix: string | undefined, file: string): string {
  const p = (prefix ?? "").replace(/\\/g, "/").replace(/^\.\/?/, "").replace(/\/+$/, "");
  return p === "" ? file : `${p}/${file}`;
}

/** The file's path below its host directory (`etc/ntp.conf`), for headings inside a host's section. */
export function hostRelative(hostPath: string, file: string): string {
  if (hostPath === "") return file;
  const prefix = `${hostPath.replace(/\/+$/, "")}/`;
  return file.startsWith(prefix) ? file.slice(prefix.length) : file;
}

/**
 * Reference kinds that point at discussions, guides and tools rather than a requirement or a vulnerability:
 * listed under "see also", not as compliance references. Every other kind (CIS, STIG, NIST 800-53, CVE, an
 * organisation's own `ORG` controls …) is a reference an auditor cites.
 */
const SEE_ALSO_KINDS = new Set(["Issue", "Bug", "Guide", "Tool", "ntp-policy"]);

export interface ReferenceLink {
  /** `CVE-2013-5211 — title`, `CIS Debian 11 … — title`. */
  label: string;
  /** `CVE-2013-5211`, `CIS Debian 11 …`, or the link's description. */
  name: string;
  title?: string;
  url?: string;
}

function linkOf(r: { kind: string; id: string; title?: string; url?: string }): ReferenceLink {
  const name = referenceName(r);
  return { label: `${name}${r.title ? ` — ${r.title}` : ""}`, name, ...(r.title ? { title: r.title } : {}), ...(r.url ? { url: r.url } : {}) };
}

/** `CVE-2013-5211`, not `CVE CVE-2013-5211`; `STIG V-230500`. */
export function referenceName(r: { kind: string; id: string }): string {
  return r.id.toUpperCase().startsWith(r.kind.toUpperCase()) ? r.id : `${r.kind} ${r.id}`;
}

/**
 * A rule's links, split for readers: `references` are the compliance requirements and vulnerabilities the rule
 * maps to (each once), `seeAlso` everything else — bug trackers, guides, documentation — without the links that
 * `references` already gives.
 */
export function referenceLists(rule: Pick<RuleInfo, "references" | "related_resources">): { references: ReferenceLink[]; seeAlso: ReferenceLink[] } {
  const references: ReferenceLink[] = [];
  const seeAlso: ReferenceLink[] = [];
  const seenIds = new Set<string>();
  const seenUrls = new Set<string>();
  for (const r of rule.references) {
    const name = referenceName(r);
    if (SEE_ALSO_KINDS.has(r.kind) || seenIds.has(name)) continue;
    seenIds.add(name);
    references.push(linkOf(r));
    if (r.url) seenUrls.add(r.url);
  }
  const seenOther = new Set<string>();
  for (const r of rule.references) {
    if (!SEE_ALSO_KINDS.has(r.kind) || (r.url && seenUrls.has(r.url)) || seenOther.has(referenceName(r))) continue;
    seenOther.add(referenceName(r));
    if (r.url) seenUrls.add(r.url);
    seeAlso.push(linkOf(r));
  }
  for (const r of rule.related_resources ?? []) {
    if (seenUrls.has(r.ref)) continue;
    seenUrls.add(r.ref);
    seeAlso.push({ label: r.description ?? r.ref, name: r.description ?? r.ref, url: r.ref });
  }
  return { references, seeAlso };
}
