/** The configuration every stage reads (docs/configuration.md). */
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

export const PROFILES = ["baseline", "cis", "stig"] as const;
export type Profile = (typeof PROFILES)[number];

export interface Config {
  /** Where it came from (null: defaults only). */
  source: string | null;
  /** `sha256:` digest of the file's bytes (null: defaults only). */
  digest: string | null;
  /** Which rules run, and the defaults of the parameters below (baseline, cis, stig: src/policy/profile.ts). */
  profile: Profile;
  trusted_networks: string[];
  min_upstreams: number;
  /** Highest acceptable `maxpoll` on server/pool/peer lines; null: the profile's default. */
  max_poll: number | null;
  /** Host-name globs and CIDRs of the time sources a host may use; empty: any. */
  authorized_upstreams: string[];
  /** The one kind of source line hosts must use (`pool` or `server`; CHRONY006); `any`: a mix is fine (the default). */
  source_kind: SourceKind;
  rules: Record<string, RuleSetting>;
  waivers: Waiver[];
}

export const DEFAULT_MIN_UPSTREAMS = 3;

export const SOURCE_KINDS = ["any", "pool", "server"] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export function defaultConfig(): Config {
  return {
    source: null,
    digest: null,
    profile: "baseline",
    trusted_networks: [],
    min_upstreams: DEFAULT_MIN_UPSTREAMS,
    max_poll: null,
    authorized_upstreams: [],
    source_kind: "any",
    rules: {},
    waivers: [],
  };
}

/**
 * The profile's parameter defaults. ntpd accepts maxpoll up to 17 (36 h); CIS and the DISA STIG
 * (RHEL-08-030740, SSG chronyd_or_ntpd_set_maxpoll) want 10 (17 min) or less, and the STIG also wants
 * maxpoll written on every line.
 */
export function profileDefaults(profile: Profile): { max_poll: number; require_maxpoll: boolean } {
  switch (profile) {
    case "stig":
      return { max_poll: 10, require_maxpoll: true };
    case "cis":
      return { max_poll: 10, require_maxpoll: false };
    default:
      return { max_poll: 17, require_maxpoll: false };
  }
}
