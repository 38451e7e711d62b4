/**
 * `--format junit`: JUnit XML for GitLab unit-test reports, Jenkins' junit step and GitHub test-report
 * actions, valid against Jenkins' junit-4.xsd.
 *
 * One <testsuite> per host, one <testcase> per host × rule in effect, from the report's outcomes (outcomes.ts):
 * passing rules as test cases whose <system-out> lists the lines that satisfy them (or says in words what the pass
 * rests on when no line shows it), broken ones with one <failure> that lists every finding (GitLab keys test
 * cases on classname + name and keeps only the first of duplicates), rules whose findings are all waived as
 * <skipped> with the justification, rules that could not judge the host (no evidence of the kind they read, or
 * declared not applicable) as <skipped> with the reason — never as passed. A host that could not be checked
 * gets one test case with an <error> and nothing else: its rules were not run, so none of them passed. No times
 * or timestamps: same report, same bytes.
 */
import { formatLocation } from "../model/location.js";
import type { HostReport, Report, ReportFinding, RuleOutcome } from "../model/report.js";
import type { Reporter, RuleInfo } from "./reporter.js";
import { outcomesOf } from "./outcomes.js";
import { compareSeverity, ruleTable } from "./rule-info.js";

export const junitReporter: Reporter = {
  format: "junit",
  render(report, options) {
    return renderJunit(report, options.catalog);
  },
};

interface Case {
  name: string;
  body: string[];
  failures: number;
  errors: number;
  skipped: number;
}

export function renderJunit(report: Report, catalog?: readonly RuleInfo[]): string {
  const rules = ruleTable(report, catalog);
  const suites = report.hosts.map((host) => ({ host, cases: casesFor(host, rules, outcomesOf(host, catalog)) }));
  const total = (pick: (c: Case) => number): number => suites.reduce((n, s) => n + s.cases.reduce((m, c) => m + pick(c), 0), 0);
  const out = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="${attr(report.tool.name)}" tests="${total(() => 1)}" failures="${total((c) => c.failures)}" errors="${total((c) => c.errors)}">`,
  ];
  for (const { host, cases } of suites) {
    const count = (pick: (c: Case) => number): number => cases.reduce((n, c) => n + pick(c), 0);
    out.push(
      `  <testsuite name="${attr(host.host)}" tests="${cases.length}" failures="${count((c) => c.failures)}" errors="${count((c) => c.errors)}" skipped="${count((c) => c.skipped)}">`,
      "    <properties>",
      property(`${report.tool.name}.version`, report.tool.version),
      property("policy.digest", report.policy.digest),
      property("report.schema_version", report.schema_version),
      property("host.path", host.path),
      ...host.files.map((f) => property(`file.${f.kind}`, `${f.path} sha256:${f.sha256}`)),
      "    </properties>",
    );
    for (const c of cases) {
      if (c.body.length === 0) out.push(`    <testcase classname="${attr(host.host)}" name="${attr(c.name)}"/>`);
      else out.push(`    <testcase classname="${attr(host.host)}" name="${attr(c.name)}">`, ...c.body, "    </testcase>");
    }
    out.push("  </testsuite>");
  }
  out.push("</testsuites>");
  return `${out.join("\n")}\n`;
}

function casesFor(host: HostReport, rules: ReadonlyMap<string, RuleInfo>, outcomes: readonly RuleOutcome[]): Case[] {
  if (host.error) {
    return [
      {
        name: "host could not be checked",
        body: [`      <error message="${attr(host.error)}" type="internal-error">${text(host.error)}</error>`],
        failures: 0,
        errors: 1,
        skipped: 0,
      },
    ];
  }
  return outcomes.map((outcome) => {
    const rule = rules.get(outcome.rule);
    const name = `${outcome.rule} ${rule?.title ?? ""}`.trimEnd();
    const findings = host.findings.filter((f) => f.rule === outcome.rule);
    const failing = findings.filter((f) => f.status === "fail");
    const waived = findings.filter((f) => f.status === "waived");
    if (outcome.status === "not_applicable" || outcome.status === "error") {
      const why = `not applicable: ${outcome.reason ?? "not evaluated"}`;
      return { name, body: [`      <skipped>${text(why)}</skipped>`], failures: 0, errors: 0, skipped: 1 };
    }
    if (outcome.status === "pass") return { name, body: [`      <system-out>${text(passingText(outcome, rule))}</system-out>`], failures: 0, errors: 0, skipped: 0 };
    if (outcome.status === "waived") {
      return { name, body: [`      <skipped>${text(waived.map(waiverLine).join("\n"))}</skipped>`], failures: 0, errors: 0, skipped: 1 };
    }
    const worst = failing.map((f) => f.severity).sort(compareSeverity)[0]!;
    const message = failing.length === 1 ? failing[0]!.message : `${failing.length} findings: ${failing[0]!.message}`;
    const body = [`      <failure message="${attr(message)}" type="${attr(worst)}">${text(failing.map(findingBlock).join("\n\n"))}</failure>`];
    if (waived.length > 0) body.push(`      <system-out>${text(`Waived:\n${waived.map(waiverLine).join("\n")}`)}</system-out>`);
    return { name, body, failures: 1, errors: 0, skipped: 0 };
  });
}

/** A passing test case's output: the lines that satisfy the rule, else what its pass rests on in words. */
function passingText(outcome: RuleOutcome, rule: RuleInfo | undefined): string {
  const lines = outcome.evidence ?? [];
  if (lines.length === 0) return `Passed: ${rule?.passes_when ?? "no line of the host shows this pass: the rule found nothing to report."}`;
  return [`Satisfied by:`, ...lines.map((e) => `  ${formatLocation(e.location)} | ${e.text}`)].join("\n");
}

function findingBlock(f: ReportFinding): string {
  const lines = [`${formatLocation(f.location)}: ${f.severity}: ${f.message}`];
  for (const e of f.evidence) if (e.text !== "") lines.push(`  ${formatLocation(e.location)} | ${e.text}`);
  if (f.remediation) lines.push(`  fix: ${f.remediation}`);
  return lines.join("\n");
}

function waiverLine(f: ReportFinding): string {
  const w = f.waiver;
  const detail = w ? `${w.justification}${w.approved_by ? ` (approved by ${w.approved_by})` : ""}${w.expires ? `, until ${w.expires}` : ""}` : "waived";
  return `${formatLocation(f.location)}: waived: ${detail}`;
}

function property(name: string, value: string): string {
  return `      <property name="${attr(name)}" value="${attr(value)}"/>`;
}

/**
 * Characters XML 1.0 cannot hold at all (controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF) are
 * written as visible `\xNN`/`\uNNNN` escapes; then the markup characters as entities.
 */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function xmlSafe(s: string): string {
  return s.replace(NOT_XML, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).toUpperCase().padStart(2, "0")}` : `\\u${code.toString(16).toUpperCase()}`;
  });
}

/** Element content: `&`, `<` and `>` (so `]]>` never appears); CR as a reference, or parsers turn it into LF. */
export function text(s: string): string {
  return xmlSafe(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#13;");
}

/** Attribute values in double quotes; tab, LF and CR as character references so they survive normalisation. */
export function attr(s: string): string {
  return text(s).replace(/"/g, "&quot;").replace(/\t/g, "&#9;").replace(/\n/g, "&#10;");
}
