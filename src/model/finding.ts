/** Findings: what the policies decided, after waivers. The JSON report contract: docs/architecture.md "Contracts". */
import type { Profile } from "./config.js";
import type { SourceLocation } from "./location.js";

export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Higher is worse. */
export function severityRank(s: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(s);
}

export function isSeverity(s: unknown): s is Severity {
  return typeof s === "string" && (SEVERITIES as readonly string[]).includes(s);
}

/** A line that supports a finding. */
export interface Evidence {
  location: SourceLocation;
  text: string;
}

/** What a policy emits for one host (validated in src/policy before use). */
export interface Violation {
  rule: string;
  severity: Severity;
  message: string;
  location: SourceLocation;
  evidence: Evidence[];
  remediation: string;
}

export interface Finding extends Violation {
  title: string;
  status: "fail" | "waived";
}

/** Rule metadata, from the Rego METADATA annotations (policies/build/catalog.json). */
export interface RuleReference {
  /** e.g. "CIS", "CVE", "NIST 800-53", "STIG". */
  kind: string;
  id: string;
  title?: string;
  url?: string;
}

export interface RuleMeta {
  id: string;
  title: string;
  severity: Severity;
  description: string;
  remediation: string;
  references: RuleReference[];
  /** The Rego package that holds the rule (`ntp_policy.rules.ntp001`). */
  package: string;
  /**
   * The profiles the rule belongs to (METADATA `custom.profiles`). Absent: every profile. Which rules run
   * under a profile is decided in one place, src/policy/profile.ts.
   */
  profiles?: Profile[];
  /** One configuration line that breaks the rule and one that passes (METADATA `custom.examples`). */
  examples?: RuleExamples;
  /**
   * The evidence the rule reads (METADATA `custom.inputs`): on a host that lacks any of it the rule is not
   * applicable ("no ntp evidence"), never passed. `[]`: the rule applies to every host. Absent (a custom rule that
   * does not say): the rule applies to every host.
   */
  inputs?: RuleInput[];
  /**
   * What a pass rests on when no line of the host shows it (METADATA `custom.passes_when`): "the absence of an
   * `enable mode7` line is what passes". Reports show it under a passed control that carries no lines.
   */
  passes_when?: string;
  /**
   * The rules whose failure causes this one's (METADATA `custom.consequence_of`): where both fail on a host, the
   * report links the findings (`related`), keeping each rule's own result and severity.
   */
  consequence_of?: string[];
}

/** Kinds of evidence a rule can declare it reads (METADATA `custom.inputs`). */
export const RULE_INPUTS = ["ntp", "chrony", "time", "firewall_ipv4", "firewall_ipv6", "firewall", "daemon_version"] as const;
export type RuleInput = (typeof RULE_INPUTS)[number];

export function isRuleInput(v: unknown): v is RuleInput {
  return typeof v === "string" && (RULE_INPUTS as readonly string[]).includes(v);
}

/** A rule that judged a host not applicable, and why (a policy result's `{rule, not_applicable}` entries). */
export interface NotApplicable {
  rule: string;
  reason: string;
}

/**
 * One line that satisfies a rule on a host (a policy result's `{rule, passed_evidence: {location, text}}`
 * entries): the report shows it under the rule where the rule passes.
 */
export interface PassedEvidence {
  rule: string;
  location: SourceLocation;
  text: string;
}

export interface RuleExamples {
  fail: string;
  pass: string;
}

/** The rule that reports a host not (fully) checked: a budget or a cap was exceeded. */
export const NOT_CHECKED_RULE = "PARSE004";
