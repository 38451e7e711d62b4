/** The report every output format renders (the JSON format is this, serialised; docs/architecture.md "Contracts"). */
import type { Evidence, Severity } from "./finding.js";
import type { InputFileKind } from "./input.js";
import type { SourceLocation } from "./location.js";

export const REPORT_SCHEMA_VERSION = "1.0";

export interface ReportWaiver {
  justification: string;
  approved_by: string | null;
  expires: string | null;
}

export interface ReportFinding {
  rule: string;
  title: string;
  severity: Severity;
  status: "fail" | "waived";
  message: string;
  /** `file` is relative to the checked path. */
  location: SourceLocation;
  evidence: Evidence[];
  remediation: string;
  waiver?: ReportWaiver;
}

export interface HostReport {
  host: string;
  /** The host directory, relative to the checked path (`""` when the checked path is the host). */
  path: string;
  files: Array<{ path: string; kind: InputFileKind; sha256: string }>;
  /** When the host's evidence was collected (UTC ISO 8601, from the dump's `collected-at`); absent when not recorded. */
  collected_at?: string;
  findings: ReportFinding[];
  /** Set when the host could not be checked at all (an internal error); the other hosts still are. */
  error?: string;
}

/** A problem with the configuration itself, found while applying it (expired or unused waivers). */
export interface ConfigNotice {
  kind: "waiver-expired" | "waiver-unused";
  message: string;
  location: SourceLocation | null;
}

export interface ReportSummary {
  hosts: number;
  hosts_failing: number;
  findings: number;
  failing: number;
  waived: number;
  by_severity: Record<Severity, number>;
  fail_on: Severity;
}

export interface Report {
  schema_version: string;
  tool: { name: string; version: string };
  policy: { digest: string };
  config: {
    source: string | null;
    /** sha256 of the configuration file as read (null: defaults only), so an auditor can tie the report to it. */
    digest: string | null;
    profile: string;
    trusted_networks: string[];
    min_upstreams: number;
  };
  hosts: HostReport[];
  notices: ConfigNotice[];
  summary: ReportSummary;
}
