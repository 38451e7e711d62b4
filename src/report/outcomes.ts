/**
 * The outcome of every rule in effect on every host — pass, fail, waived, not applicable (with why) or error —
 * decided here once, from the findings, the evidence the host's dump holds and the evidence each rule declares it
 * reads (METADATA `custom.inputs`). Every format renders these outcomes; none decides pass or fail for itself.
 *
 * Missing evidence is never compliance: a rule whose inputs the host lacks is `not_applicable` with the reason
 * "no <input> evidence", and a rule the policy itself declared not applicable (`not_applicable` entries) says
 * the policy's reason. A passing outcome carries the lines that satisfy the rule (the policy's passed evidence).
 */
import { NOT_CHECKED_RULE, RULE_INPUTS, severityRank, type Evidence, type PassedEvidence, type RuleInput, type Severity } from "../model/finding.js";
import type { InputFileKind } from "../model/input.js";
import type { HostReport, OutcomeStatus, Report, ReportFinding, RuleOutcome } from "../model/report.js";
import type { RuleInfo } from "./reporter.js";
import { compareIds } from "./rule-info.js";

/** Which kinds of evidence a host's files provide. */
export function hostEvidence(files: ReadonlyArray<{ kind: InputFileKind | string }>): Set<RuleInput> {
  const kinds = new Set(files.map((f) => f.kind));
  const out = new Set<RuleInput>();
  if (kinds.has("ntp.conf")) out.add("ntp");
  if (kinds.has("chrony.conf")) out.add("chrony");
  if (kinds.has("ntp.conf") || kinds.has("chrony.conf")) out.add("time");
  // An nft ruleset (text or JSON) holds both families: inet tables, ip and ip6 tables side by side.
  const nft = kinds.has("nft") || kinds.has("nft-json");
  if (kinds.has("iptables") || nft) out.add("firewall_ipv4");
  if (kinds.has("ip6tables") || nft) out.add("firewall_ipv6");
  if (kinds.has("iptables") || kinds.has("ip6tables") || nft) out.add("firewall");
  if (kinds.has("ntp-version")) out.add("daemon_version");
  return out;
}

/** What each kind of evidence is, for people ("no ntp evidence (ntp.conf)"). */
export const INPUT_DESCRIPTION: Record<RuleInput, string> = {
  ntp: "ntp.conf",
  chrony: "chrony.conf",
  time: "ntp.conf or chrony.conf",
  firewall_ipv4: "iptables-save or an nft ruleset",
  firewall_ipv6: "ip6tables-save or an nft ruleset",
  firewall: "iptables-save, ip6tables-save or an nft ruleset",
  daemon_version: "ntp-version",
};

/** The evidence kinds that are one time daemon's configuration: a host has one of them, rarely both. */
const DAEMON_INPUTS: ReadonlySet<RuleInput> = new Set(["ntp", "chrony"]);

/** How the reason of a rule written for another time daemon than the host's begins. */
export const OTHER_DAEMON_REASON = "written for another time daemon";

/**
 * "written for another time daemon: it reads chrony.conf, this host's daemon is configured in ntp.conf" — nothing
 * is missing from the dump, the rule does not concern this host's daemon (an ntpd rule on a chrony host).
 */
export function otherDaemonReason(missing: readonly RuleInput[], present: ReadonlySet<RuleInput>): string {
  const has = [...DAEMON_INPUTS].filter((i) => present.has(i)).map((i) => INPUT_DESCRIPTION[i]);
  return `${OTHER_DAEMON_REASON}: it reads ${missing.map((i) => INPUT_DESCRIPTION[i]).join(" and ")}, this host's daemon is configured in ${has.join(" and ")}`;
}

/** "no ntp evidence (ntp.conf)" — the reason a rule is not applicable on a host that lacks its input. */
export function missingInputReason(input: RuleInput): string {
  return `no ${input} evidence (${INPUT_DESCRIPTION[input]})`;
}

/** The evidence a rule reads, as a phrase ("ntp.conf and iptables-save, ip6tables-save or an nft ruleset"); every host when none. */
export function describeInputs(inputs: readonly RuleInput[] | undefined): string {
  if (inputs === undefined || inputs.length === 0) return "every input of the host";
  return inputs.map((i) => INPUT_DESCRIPTION[i]).join(" and ");
}

/**
 * The outcome of each rule on one host, sorted by rule id: the rules in effect, plus any rule that reported a
 * finding without being in the list (a custom policy's rule when no catalogue was passed). `passed`: the lines the
 * policy named as satisfying each rule (locations as the report shows them); only a passing outcome carries its own.
 */
export function hostOutcomes(
  host: Pick<HostReport, "findings" | "files" | "error" | "not_applicable">,
  rules: readonly RuleInfo[],
  passed: readonly PassedEvidence[] = [],
): RuleOutcome[] {
  const lines = new Map<string, Evidence[]>();
  for (const p of passed) {
    const list = lines.get(p.rule) ?? [];
    list.push({ location: p.location, text: p.text });
    lines.set(p.rule, list);
  }
  const ids = new Map<string, RuleInfo | undefined>(rules.map((r) => [r.id, r]));
  for (const f of host.findings) if (!ids.has(f.rule)) ids.set(f.rule, undefined);
  const evidence = hostEvidence(host.files);
  const declaredNa = new Map<string, string>();
  for (const na of host.not_applicable ?? []) {
    const before = declaredNa.get(na.rule);
    declaredNa.set(na.rule, before === undefined ? na.reason : `${before}; ${na.reason}`);
  }
  const out: RuleOutcome[] = [];
  for (const [id, rule] of [...ids.entries()].sort(([a], [b]) => compareIds(a, b))) {
    const o = outcome(id, rule, host, evidence, declaredNa.get(id));
    out.push({ ...o, evidence: o.status === "pass" ? (lines.get(id) ?? []) : [] });
  }
  return out;
}

function outcome(
  id: string,
  rule: RuleInfo | undefined,
  host: Pick<HostReport, "findings" | "files" | "error">,
  evidence: ReadonlySet<RuleInput>,
  declaredNa: string | undefined,
): RuleOutcome {
  const of = (status: OutcomeStatus, reason: string | null = null): RuleOutcome => ({ rule: id, status, reason });
  if (host.error !== undefined) return of("error", "the host could not be checked");
  // A host stopped by its budget has no files and one PARSE004 finding: nothing else is known of it.
  if (id !== NOT_CHECKED_RULE && host.files.length === 0 && host.findings.some((f) => f.rule === NOT_CHECKED_RULE)) {
    return of("error", "the host was not checked (PARSE004)");
  }
  const findings = host.findings.filter((f) => f.rule === id);
  if (findings.some((f) => f.status === "fail")) return of("fail");
  if (findings.length > 0) return of("waived");
  if (declaredNa !== undefined) return of("not_applicable", declaredNa);
  const missing = RULE_INPUTS.filter((i) => rule?.inputs?.includes(i) && !evidence.has(i));
  if (missing.length > 0 && evidence.has("time") && missing.every((i) => DAEMON_INPUTS.has(i))) {
    return of("not_applicable", otherDaemonReason(missing, evidence));
  }
  if (missing.length > 0) return of("not_applicable", missing.map(missingInputReason).join("; "));
  return of("pass");
}

/** A host's outcomes: those the report carries, else computed from the rules given (reports built by hand). */
export function outcomesOf(host: HostReport, rules: readonly RuleInfo[] | undefined): RuleOutcome[] {
  return host.outcomes ?? hostOutcomes(host, rules ?? []);
}

/** Counts of outcomes by status. */
export type OutcomeTally = Record<OutcomeStatus, number>;

export function tallyOutcomes(outcomes: readonly RuleOutcome[]): OutcomeTally {
  const t: OutcomeTally = { pass: 0, fail: 0, waived: 0, not_applicable: 0, error: 0 };
  for (const o of outcomes) t[o.status]++;
  return t;
}

/**
 * The findings a format shows: every one, or with `quiet` only those that fail the run (no waived findings,
 * none below --fail-on). The one place quiet filtering is decided.
 */
export function shownFindings(host: HostReport, failOn: Severity, quiet: boolean): ReportFinding[] {
  return quiet ? host.findings.filter((f) => f.status === "fail" && severityRank(f.severity) >= severityRank(failOn)) : host.findings;
}

/**
 * Hosts ordered worst first: most failing findings at or above --fail-on, then the most severe of them, then by
 * name. Markdown's truncation and the text fleet summary both use it.
 */
export function worstFirst(report: Report): HostReport[] {
  const failOn = report.summary.fail_on;
  const key = (h: HostReport): [number, number, number] => {
    const failing = h.findings.filter((f) => f.status === "fail" && severityRank(f.severity) >= severityRank(failOn));
    const worst = failing.reduce((m, f) => Math.max(m, severityRank(f.severity)), -1);
    return [h.error !== undefined ? 1 : 0, failing.length, worst];
  };
  return [...report.hosts]
    .map((h) => ({ h, k: key(h) }))
    .sort((a, b) => b.k[0] - a.k[0] || b.k[1] - a.k[1] || b.k[2] - a.k[2] || compareIds(a.h.host, b.h.host))
    .map(({ h }) => h);
}

/**
 * Hosts that are not fully evaluated: some rule in effect had no evidence to judge (not applicable). A rule
 * written for another time daemon than the host's leaves nothing unevaluated: the host's own daemon rules ran.
 */
export function notApplicableReasons(outcomes: readonly RuleOutcome[]): string[] {
  return [...new Set(outcomes.filter(leftUnevaluated).map((o) => o.reason ?? ""))].sort();
}

/** A not-applicable outcome that leaves part of the host unevaluated (not one for another time daemon). */
export function leftUnevaluated(o: RuleOutcome): boolean {
  return o.status === "not_applicable" && !(o.reason ?? "").startsWith(OTHER_DAEMON_REASON);
}
