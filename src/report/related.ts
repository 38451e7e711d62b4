/**
 * One root cause, the others linked as its consequences. A rule may declare the rules whose failure causes its
 * own (METADATA `custom.consequence_of`: XL001 is a consequence of NTP001 and FW001). When a finding of such a
 * rule and a finding of its cause are on the same host, each gets a `related` link to the other: "cause" on the
 * consequence, "consequence" on the cause. Severities and statuses are left as they are: an auditor needs each
 * rule's own result, and the links only say which finding to fix first.
 *
 * Which findings of the cause rule: those on the same line as the consequence when there are any, else those
 * of the same address family (a finding whose family cannot be told matches either family).
 */
import type { SourceLocation } from "../model/location.js";
import type { AddressFamily } from "../model/ntpconf.js";
import type { RelatedFinding, ReportFinding } from "../model/report.js";
import { compareIds } from "../model/rule-id.js";
import type { InputFileKind } from "../model/input.js";

/** The address family a finding is about: the firewall file it is located in, else the family its message names. */
function familyOf(finding: ReportFinding, kindOf: ReadonlyMap<string, InputFileKind>): AddressFamily | null {
  const kind = kindOf.get(finding.location.file);
  if (kind === "iptables") return "ipv4";
  if (kind === "ip6tables") return "ipv6";
  const v4 = /\bIPv4\b/.test(finding.message);
  const v6 = /\bIPv6\b/.test(finding.message);
  return v4 === v6 ? null : v4 ? "ipv4" : "ipv6";
}

const sameLine = (a: ReportFinding, b: ReportFinding): boolean => a.location.file === b.location.file && a.location.line === b.location.line;

function compareRelated(a: RelatedFinding, b: RelatedFinding): number {
  return (
    (a.relation < b.relation ? -1 : a.relation > b.relation ? 1 : 0) ||
    compareIds(a.rule, b.rule) ||
    (a.location.file < b.location.file ? -1 : a.location.file > b.location.file ? 1 : 0) ||
    a.location.line - b.location.line ||
    a.location.column - b.location.column
  );
}

/**
 * The host's findings with their `related` links (new objects; findings without links unchanged). `causesOf`
 * maps a rule id to its declared causes; `files` are the host's files (path as in finding locations, and kind).
 */
export function linkRelated(
  findings: readonly ReportFinding[],
  causesOf: ReadonlyMap<string, readonly string[]>,
  files: ReadonlyArray<{ path: string; kind: InputFileKind }>,
): ReportFinding[] {
  const kindOf = new Map(files.map((f) => [f.path, f.kind]));
  const byRule = new Map<string, number[]>();
  for (const [i, f] of findings.entries()) {
    const list = byRule.get(f.rule);
    if (list) list.push(i);
    else byRule.set(f.rule, [i]);
  }
  const links = findings.map((): RelatedFinding[] => []);
  for (const [i, finding] of findings.entries()) {
    const family = familyOf(finding, kindOf);
    for (const cause of causesOf.get(finding.rule) ?? []) {
      const candidates = (byRule.get(cause) ?? []).filter((j) => {
        const other = familyOf(findings[j]!, kindOf);
        return family === null || other === null || other === family;
      });
      const onTheLine = candidates.filter((j) => sameLine(findings[j]!, finding));
      for (const j of onTheLine.length > 0 ? onTheLine : candidates) {
        links[i]!.push({ rule: cause, location: findings[j]!.location, relation: "cause" });
        links[j]!.push({ rule: finding.rule, location: finding.location, relation: "consequence" });
      }
    }
  }
  return findings.map((f, i) => {
    if (links[i]!.length === 0) return f;
    const unique = new Map(links[i]!.map((l) => [`${l.relation} ${l.rule} ${l.location.file}:${l.location.line}:${l.location.column}`, l]));
    return { ...f, related: [...unique.values()].sort(compareRelated) };
  });
}

const fileAndLine = (location: SourceLocation): string => `${location.file}:${location.line}`;

function joinWithAnd(parts: readonly string[]): string {
  return parts.length <= 1 ? parts.join("") : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]!}`;
}

/**
 * The links of a finding as one short line for the human formats, or null without links:
 * "consequence of FW001 (iptables-save:3) and NTP001 (ntp.conf:1)", "see also its consequences NTP002 (ntp.conf:1)".
 * Not escaped: each format escapes it as it escapes messages. `where` turns a location into the text shown.
 */
export function relatedLine(f: ReportFinding, where: (location: RelatedFinding["location"]) => string = fileAndLine): string | null {
  const related = f.related ?? [];
  const named = (relation: RelatedFinding["relation"]) => related.filter((r) => r.relation === relation).map((r) => `${r.rule} (${where(r.location)})`);
  const causes = named("cause");
  const consequences = named("consequence");
  const parts = [
    ...(causes.length > 0 ? [`consequence of ${joinWithAnd(causes)}`] : []),
    ...(consequences.length > 0 ? [`see also its consequence${consequences.length === 1 ? "" : "s"} ${joinWithAnd(consequences)}`] : []),
  ];
  return parts.length === 0 ? null : parts.join("; ");
}
