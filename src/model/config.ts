/** The configuration every stage reads (DESIGN.md "Configuration"). */
import type { Severity } from "./finding.js";
import type { SourceLocation } from "./location.js";

export interface RuleSetting {
  enabled: boolean;
  /** Overrides the rule's own severity. */
  severity: Severity | null;
}

export interface Waiver {
  rule: string;
  /** Host-name globs (`*`, `?`). */
  hosts: string[];
  /** Only findings in this file (relative to the checked path), and on this line. */
  file: string | null;
  line: number | null;
  justification: string;
  approved_by: string | null;
  /** ISO date (YYYY-MM-DD); the waiver stops applying after this day. */
  expires: string | null;
  /** Where the waiver is written, for reporting expired or unused waivers. */
  location: SourceLocation | null;
}

export interface Config {
  /** Where it came from (null: defaults only). */
  source: string | null;
  trusted_networks: string[];
  min_upstreams: number;
  rules: Record<string, RuleSetting>;
  waivers: Waiver[];
}

export const DEFAULT_MIN_UPSTREAMS = 3;

export function defaultConfig(): Config {
  return { source: null, trusted_networks: [], min_upstreams: DEFAULT_MIN_UPSTREAMS, rules: {}, waivers: [] };
}
