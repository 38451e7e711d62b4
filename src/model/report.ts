/** The report every output format renders (the JSON format is this, serialised; docs/architecture.md "Contracts"). */
import type { RuleSetting } from "./config.js";
import type { Evidence, NotApplicable, Severity } from "./finding.js";
import type { JudgedAs, InputFileKind } from "./input.js";
import type { SourceLocation } from "./location.js";

/**
 * 1.1: hosts carry `outcomes`, `not_applicable` and `collected_at`; `config` carries every tailoring decision; `run`.
 * 1.2: findings carry `related` (links between a cause and its consequences).
 */
export const REPORT_SCHEMA_VERSION = "1.2";

/**
 * What became of one rule in effect on one host — every format renders these, none decides them itself:
 * - `pass`: the rule judged the host's evidence and found nothing;
 * - `fail`: at least one finding that is not waived;
 * - `waived`: findings, every one waived;
 * - `not_applicable`: the rule could not judge the host (`reason`: the evidence it reads is missing, or the
 *   policy said so) — never counted as passed;
 * - `error`: the host could not be checked at all.
 */
export const OUTCOME_STATUSES = ["pass", "fail", "waived", "not_applicable", "error"] as const;
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];

export interface RuleOutcome {
  rule: string;
  status: OutcomeStatus;
  /** Why the rule was not applicable or not run (`not_applicable`, `error`); null otherwise. */
  reason: string | null;
  /**
   * On `pass`: the lines that satisfy the rule, as written, with where they are (the restrict entry with noquery,
   * the `disable monitor` line, the `:INPUT DROP` policy…); `[]` when the rule passes by the absence of what it
   * looks for (no `enable mode7` line, no rejected line). Always `[]` on other statuses (their lines are in the
   * findings). Absent in reports made before 1.1 outcomes carried it.
   */
  evidence?: Evidence[];
}

export interface ReportWaiver {
  justification: string;
  approved_by: string | null;
  expires: string | null;
}

/**
 * A link from a finding to another finding on the same host: `cause` — a finding of a rule this one is declared a
 * consequence of (METADATA `custom.consequence_of`), fix that first; `consequence` — the reverse.
 */
export interface RelatedFinding {
  rule: string;
  location: SourceLocation;
  relation: "cause" | "consequence";
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
  /** Since 1.2: the findings this one is a consequence or a cause of (absent: none). Severity and status are its own. */
  related?: RelatedFinding[];
}

export interface HostReport {
  host: string;
  /** The host directory, relative to the checked path (`""` when the checked path is the host). */
  path: string;
  /**
   * The checked path the host was found under, relative to the working directory (`""`: files given one by one,
   * whose paths already are). `checked_path/file` is a path a shell can open. Absent in reports built by hand.
   */
  checked_path?: string;
  files: Array<{ path: string; kind: InputFileKind; sha256: string }>;
  /**
   * The time daemon whose semantics the host was judged by, and how that was decided (`version-file`: the
   * dump's ntp-version; `syntax`: ntpsec-only syntax; `assumed`: classic ntpd, which hides no exposure).
   * Absent when the host has no time-daemon configuration the tool reads.
   */
  judged_as?: JudgedAs;
  findings: ReportFinding[];
  /** Set when the host could not be checked at all (an internal error); the other hosts still are. */
  error?: string;
  /** Rules the policy judged not applicable to this host, with why (absent: none). */
  not_applicable?: NotApplicable[];
  /** One outcome per rule in effect (sorted by rule id). Absent only in reports built by hand. */
  outcomes?: RuleOutcome[];
  /** When the host's evidence was collected (UTC ISO 8601, from the dump's `collected-at`); null: not recorded. */
  collected_at?: string | null;
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
    /** Tailoring (absent in 1.0 reports): rule settings as configured, the upstream policy and max_poll. */
    rules?: Record<string, RuleSetting>;
    authorized_upstreams?: string[];
    max_poll?: number | null;
    /** `source_kind` when configured (`pool` or `server`). */
    source_kind?: "pool" | "server";
  };
  /** How the report was made (absent in 1.0 reports): the command line's arguments and the checked paths. */
  run?: { arguments: string[]; paths: string[] };
  hosts: HostReport[];
  notices: ConfigNotice[];
  summary: ReportSummary;
}
