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
}

export interface RuleExamples {
  fail: string;
  pass: string;
}
