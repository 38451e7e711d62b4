/**
 * The policy input document: everything the Rego policies see about one host. It is versioned and
 * documented (docs/input.md, docs/input.schema.json) because users write their own Rego against it.
 * Facts are named for what they are, not for the rule that uses them.
 */
import type { DiagnosticKind } from "./diagnostic.js";
import type { SourceLocation } from "./location.js";
import type { AddressFamily, AssociationMode } from "./ntpconf.js";

export const INPUT_SCHEMA_VERSION = "1.0";

export type InputFileKind = "ntp.conf" | "ntp.include" | "iptables" | "ip6tables" | "ntp-version";

export interface InputFile {
  /** Relative to the host directory, `/`-separated. */
  path: string;
  kind: InputFileKind;
  sha256: string;
  bytes: number;
}

export interface InputDiagnostic {
  kind: DiagnosticKind;
  message: string;
  location: SourceLocation;
  text: string | null;
  expected: string[];
}

export interface Settings {
  /** CIDRs (IPv4 and IPv6) whose hosts may query the daemon. Loopback is always trusted. */
  trusted_networks: string[];
  min_upstreams: number;
}

export interface PolicyInput {
  schema_version: string;
  host: string;
  settings: Settings;
  files: InputFile[];
  diagnostics: InputDiagnostic[];
  /** Null when the host has no ntp.conf. */
  ntp: NtpFacts | null;
}

/** Which daemon's semantics apply, and how that was decided. */
export interface DaemonFacts {
  flavor: "ntpd" | "ntpsec";
  /** `version-file`: from the dump's ntp-version file; `syntax`: ntpsec-only syntax was used; `assumed`: ntpd by default. */
  decided_by: "version-file" | "syntax" | "assumed";
  version: string | null;
}

export interface NtpFacts {
  /** Host-relative path of the ntp.conf that was read. */
  config_file: string;
  /** True when the file is a template (Jinja, ERB, …): nothing else below was derived from it. */
  template: boolean;
  daemon: DaemonFacts;
  restrict: RestrictFacts;
  associations: AssociationFact[];
  system: SystemFacts;
  /** Trusted key ids, expanded and sorted (ranges capped at 65535). */
  trusted_keys: number[];
  includes: IncludeFact[];
  interfaces: InterfaceFact[];
  /** `tos` options, last value wins. */
  tos: Record<string, number | string>;
}

export interface RestrictFacts {
  /**
   * The access-control list as ntpd builds it: one entry per (family, address, mask, ntpport), duplicate
   * lines merged by OR-ing flags, the built-in default entry of each family always present. Sorted by
   * family, then from least to most specific.
   */
  entries: RestrictEntryFact[];
  /** The `restrict source` template applied to each association's address at run time, if configured. */
  source: RestrictSourceFact | null;
}

export interface RestrictEntryFact {
  family: AddressFamily;
  /** `default` (0.0.0.0/0, ::/0), an `address` with its mask, or a `hostname` resolved at startup. */
  kind: "default" | "address" | "hostname";
  /** CIDR form (`10.0.0.0/8`) for defaults and addresses; the name for host names. */
  prefix: string;
  /** Dotted or IPv6 mask as ntpd stores it (null for host names). */
  mask: string | null;
  /** True when the mask is not a contiguous prefix (the entry still matches as ntpd would). */
  mask_noncontiguous: boolean;
  ntpport: boolean;
  /** Sorted, de-duplicated flag names. */
  flags: string[];
  /** True for the built-in default entry no line configured. */
  implicit: boolean;
  /** Lines that define this entry (several when merged), as written. Empty when implicit. */
  lines: SourceLine[];
  /** Some address outside loopback takes its restrictions from this entry (the entry is the most specific match). */
  governs_non_loopback: boolean;
  /** Some address outside the trusted networks and loopback takes its restrictions from this entry. */
  governs_untrusted: boolean;
  /** One such address, as evidence (null when none, or for host names). */
  untrusted_example: string | null;
}

export interface RestrictSourceFact {
  flags: string[];
  lines: SourceLine[];
}

/** A configuration line as written (comment and surrounding blanks removed), with its location. */
export interface SourceLine {
  location: SourceLocation;
  text: string;
}

export type AddressKind = "ipv4" | "ipv6" | "hostname" | "refclock";

export interface AssociationFact {
  mode: AssociationMode | "refclock";
  /** As written (`0.debian.pool.ntp.org`, `192.0.2.1`, `127.127.1.0`, or the refclock driver name). */
  address: string;
  address_kind: AddressKind;
  /** `-4`/`-6` when written, else the literal's family, else null. */
  family: AddressFamily | null;
  options: Record<string, number | string | true>;
  location: SourceLocation;
  text: string;
  /** Could ntpd select this as a time source? False for refclocks, `noselect`, blocked replies, … */
  selectable: boolean;
  /** Why not, in words (empty when selectable). */
  unusable_reasons: string[];
}

export interface SystemFlagFact {
  enabled: boolean;
  /** Where the enable/disable line names the flag (null: the daemon's default). */
  location: SourceLocation | null;
  /** That line as written (null: the daemon's default). */
  text: string | null;
}

export interface SystemFacts {
  monitor: SystemFlagFact & {
    /** Monitoring runs: enabled, or forced on because some restrict entry has `limited`. */
    active: boolean;
  };
  mode7: SystemFlagFact;
  auth: SystemFlagFact;
}

export interface IncludeFact {
  /** As written on the includefile line. */
  path: string;
  /** Host-relative path it resolved to (null when it could not be resolved). */
  resolved_path: string | null;
  resolved: boolean;
  location: SourceLocation;
}

export interface InterfaceFact {
  action: "listen" | "ignore" | "drop";
  match: string;
  location: SourceLocation;
}
