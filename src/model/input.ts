/**
 * The policy input document: everything the Rego policies see about one host. It is versioned and
 * documented (docs/input.md, docs/input.schema.json) because users write their own Rego against it.
 * Facts are named for what they are, not for the rule that uses them.
 */
import type { DiagnosticKind } from "./diagnostic.js";
import type { SourceLocation } from "./location.js";
import type { ChronyFacts } from "./chrony.js";
import type { AddressFamily, AssociationMode } from "./ntpconf.js";

export const INPUT_SCHEMA_VERSION = "1.2";

export type InputFileKind =
  | "ntp.conf"
  | "ntp.include"
  | "iptables"
  | "ip6tables"
  | "nft"
  | "nft.include"
  | "nft-json"
  | "ntp-version"
  | "iptables-version"
  | "collected-at"
  | "key-files"
  | "chrony.conf"
  | "chrony.include"
  | "chrony-options"
  | "chrony-version";

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
  /** The compliance profile in effect: `baseline`, `cis` or `stig`. */
  profile: "baseline" | "cis" | "stig";
  /** CIDRs (IPv4 and IPv6) whose hosts may query the daemon. Loopback is always trusted. */
  trusted_networks: string[];
  min_upstreams: number;
  /** Highest acceptable `maxpoll` (log2 seconds) on server/pool/peer lines. */
  max_poll: number;
  /** A server/pool/peer line without `maxpoll` counts as too high (the STIG asks for it on every line). */
  require_maxpoll: boolean;
  /** Host-name globs (`*.pool.ntp.org`) and CIDRs of authorised time sources; empty: any source is authorised. */
  authorized_upstreams: string[];
  /** The one kind of source line hosts must use (`pool`, `server`); `any`: a mix is fine. */
  source_kind: "any" | "pool" | "server";
}

export interface PolicyInput {
  schema_version: string;
  host: string;
  settings: Settings;
  files: InputFile[];
  diagnostics: InputDiagnostic[];
  /**
   * What every time daemon has: which daemon runs, who may get time from it, who may query or command it,
   * its upstream sources. Null when the host has no time-daemon configuration that could be read.
   */
  time: TimeFacts | null;
  /** Null when the host has no ntp.conf. */
  ntp: NtpFacts | null;
  /** Null when the host has no chrony.conf. */
  chrony: ChronyFacts | null;
  /** The host firewall, per family; a family is null when the dump has no file for it. */
  firewall: FirewallFacts;
  /** Facts that need both layers (ntp.conf and firewall), per family; null when either layer is missing. */
  exposure: ExposureFacts;
  /**
   * Short descriptions of the address lists (CIDR arrays) under `firewall` and `exposure`, by what they leave
   * out ("any address except 10.0.0.0/8 and loopback"), keyed by the list's CIDRs sorted and joined by ", ".
   * Only lists that such a description fits are present. Since schema 1.1 (optional for documents built by hand).
   */
  address_summaries?: Record<string, string>;
}

/** The time daemons this tool reads: ntpd and ntpsec (ntp.conf), chrony (chrony.conf). */
export type TimeDaemonName = "ntpd" | "ntpsec" | "chrony";

/**
 * The daemon-neutral facts of the time daemon a host runs; rules that mean the same for every daemon read
 * these. When a dump holds both an ntp.conf and a chrony.conf, each is still judged by its own rules
 * (`input.ntp`, `input.chrony`); this block describes the one that runs (see `daemon.decided_by`).
 */
export interface TimeFacts {
  daemon: TimeDaemonFacts;
  /** Other daemons whose configuration is in the dump too (judged by their own rules only). */
  also_configured: TimeDaemonName[];
  /** Who may get time from this host (NTP client requests answered), per family. */
  serves_time: TimeAccessFacts;
  /** Who may query or command the daemon over the network: ntpd mode 6/7 (restrict without noquery), chronyc (cmdallow, bindcmdaddress). */
  query_access: TimeAccessFacts;
  /** Upstream time sources (server, pool, peer lines and reference clocks), in reading order. */
  sources: TimeSourceFact[];
}

export interface TimeDaemonFacts {
  name: TimeDaemonName;
  /**
   * `version-file`: the dump's ntp-version or chrony-version; `syntax`: ntpsec-only syntax; `assumed`: classic ntpd by
   * default; `config-file`: the only daemon configuration in the dump (chrony).
   */
  decided_by: "version-file" | "syntax" | "assumed" | "config-file";
  version: string | null;
  /** Host-relative path of the main configuration file. */
  config_file: string;
}

export interface TimeAccessFacts {
  ipv4: FamilyTimeAccess;
  ipv6: FamilyTimeAccess;
}

export interface FamilyTimeAccess {
  /** Addresses outside loopback that may (minimal CIDRs). */
  addresses: string[];
  /** Some of them lie outside the trusted networks. */
  untrusted: boolean;
  /** One such address, as evidence (null when none). */
  untrusted_example: string | null;
  /** The configuration lines that open it to untrusted addresses (restrict, allow, cmdallow, bindcmdaddress…). */
  lines: SourceLine[];
}

export interface TimeSourceFact {
  /** `server`, `pool`, `peer` (ntpd also `broadcast`, `manycastclient`, …) or `refclock`. */
  mode: AssociationMode | "refclock";
  address: string;
  address_kind: AddressKind;
  family: AddressFamily | null;
  /** Options as written, by name (`iburst`, `maxpoll`, `key`, `nts`, …). */
  options: Record<string, number | string | true>;
  /** Authenticated by NTS, a trusted symmetric key or autokey. */
  authenticated: boolean;
  /** `maxpoll` as written (null: the daemon's default applies). */
  maxpoll: number | null;
  /** Could the daemon select this as a time source? */
  selectable: boolean;
  unusable_reasons: string[];
  /** Reference clocks: the undisciplined local clock (true) or hardware (false); absent for network sources. */
  local_clock?: boolean;
  location: SourceLocation;
  text: string;
}

/** The daemon a host was judged as, in the report (`input.time.daemon` without the file). */
export interface JudgedAs {
  flavor: TimeDaemonName;
  decided_by: TimeDaemonFacts["decided_by"];
  version: string | null;
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
  /** `broadcastclient` and `multicastclient` lines: the daemon takes time from whoever broadcasts on the network. */
  broadcast_client_lines: SourceLine[];
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
  /**
   * For a built-in default entry: the `restrict default` lines the daemon rejected (a typo such as
   * `noqeury`), which is why no line replaces the built-in entry. Absent when there are none.
   */
  rejected_lines?: SourceLine[];
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
  /**
   * For reference clocks: true for the undisciplined local clock (`127.127.1.x`, ntpsec `refclock local`),
   * which keeps no time of its own; false for a hardware clock (GPS, PPS, …). Absent for network sources.
   */
  local_clock?: boolean;
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
  /** `enable bclient`: listen for broadcast servers (default off; not in ntpsec). */
  bclient: SystemFlagFact;
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
  /** The line as written. */
  text: string;
}

/** The host firewall as iptables-restore would load it, and what it means for NTP traffic. */
export interface FirewallFacts {
  ipv4: FamilyFirewallFacts | null;
  ipv6: FamilyFirewallFacts | null;
}

/** A firewall rule (or policy line) that decides something, with the effect it has. */
export interface RuleEvidence {
  location: SourceLocation;
  text: string;
  /** What the rule does for the packets in question, in words ("accepts", "drops", "jumps to X", "policy DROP"). */
  effect: string;
  /** The syntax the line is written in: an iptables-save dump or an nftables ruleset. */
  format: FirewallFormat;
  /** nft only: the table (`inet filter`) and chain that hold the line. */
  table?: string;
  chain?: string;
}

export type FirewallFormat = "iptables" | "nft";

/** A match the analysis cannot decide offline (ipset, recent, u32, string, mark, an interface name, …). */
export interface Assumption {
  location: SourceLocation;
  text: string;
  /** What was assumed, e.g. "-m set --match-set: contents of ipset not in the dump; assumed to match". */
  reason: string;
  format: FirewallFormat;
  table?: string;
  chain?: string;
}

export interface FamilyFirewallFacts {
  /** The file the facts name first (the nft ruleset on an nft host), where findings no line decides are located. */
  file: string;
  /** Every file the family's firewall is read from, with its syntax (an iptables dump and an nft ruleset are judged together). */
  sources: Array<{ file: string; format: FirewallFormat }>;
  /** The syntax of `file`: fixes that no rule of the facts locates are written in it. */
  format: FirewallFormat;
  /**
   * The filter chain of the input hook where the host's admission policy is written (`input_policy`), so that a
   * fix names it: `{format: "nft", table: "inet filter", chain: "input"}` or `{format: "iptables", table: "filter", chain: "INPUT"}`.
   */
  input_chain: { format: FirewallFormat; table: string; chain: string } | null;
  /** nft tables left out because the iptables dump holds the same table (iptables-nft tables that `nft list ruleset` also prints). */
  duplicate_tables: string[];
  /**
   * The file holds no iptables table (what iptables-save prints on an nftables or firewalld host): no
   * evidence about the firewall; the rules treat the family as missing, never as accepting everything.
   */
  empty: boolean;
  /** False when the dump does not show the whole firewall (a table without COMMIT, a table iptables-restore would reject, nft-native tables, legacy tables behind the nft backend). */
  complete: boolean;
  incomplete_reasons: Array<{ reason: string; location: SourceLocation }>;
  /** filter INPUT policy (null: the file does not set it). */
  input_policy: "ACCEPT" | "DROP" | null;
  input_policy_location: SourceLocation | null;
  /** The policy line as written (`:INPUT DROP [0:0]`, or `-P INPUT DROP`). */
  input_policy_text: string | null;
  /**
   * INPUT denies by default: policy DROP, or an unconditional DROP/REJECT rule that every packet reaching
   * the end of INPUT hits.
   */
  default_deny: boolean;
  /** Inbound NEW UDP datagrams to local port 123 arriving on a non-loopback interface. */
  ntp_inbound: InboundFacts;
  /** The host's own queries to its upstream servers (OUTPUT NEW to port 123, INPUT replies from port 123). */
  upstreams: UpstreamPathFact[];
  /** Rules about UDP port 123 that no packet can reach, because earlier rules decide every packet they could match. */
  shadowed_rules: ShadowedRuleFact[];
  /** filter FORWARD and OUTPUT policies (null: not set by the file), and the lines that set them. */
  forward_policy: "ACCEPT" | "DROP" | null;
  output_policy: "ACCEPT" | "DROP" | null;
  forward_policy_line: SourceLine | null;
  output_policy_line: SourceLine | null;
  /** Loopback hygiene (CIS): INPUT accepts everything on `lo`, and drops loopback sources arriving elsewhere. */
  loopback: {
    accept_rule: RuleEvidence | null;
    spoofed_drop_rule: RuleEvidence | null;
  };
  /** Inbound NEW TCP connections to port 123 (NTP is UDP only): sources outside the trusted networks that may be accepted. */
  tcp_ntp_may_accept_untrusted: string[];
}

export interface InboundFacts {
  /** Source addresses from which such a datagram may be accepted (sound over-approximation), minimal CIDRs. */
  may_accept: string[];
  /** Source addresses from which such a datagram is accepted whatever the undecidable matches do. */
  must_accept: string[];
  /** `may_accept` minus the trusted networks and loopback. */
  may_accept_untrusted: string[];
  /** `must_accept` minus the trusted networks and loopback: accepted from there for certain. */
  must_accept_untrusted: string[];
  untrusted_example: string | null;
  /** The rules (and policies) that accept such datagrams, in evaluation order. */
  accepted_by: RuleEvidence[];
  /** Those of `accepted_by` through which datagrams from outside the trusted networks may be accepted. */
  accepted_untrusted_by: RuleEvidence[];
  /** Matches assumed to match on the way (the reason `may` and `must` differ). */
  assumptions: Assumption[];
  /** Rules on the way that limit the rate of such datagrams (limit, hashlimit, recent, connlimit). */
  rate_limited_by: RuleEvidence[];
}

export interface UpstreamPathFact {
  /** The association's address as written (a host name stands for any address). */
  address: string;
  location: SourceLocation;
  /** `open`: every address it may have can query and get replies; `blocked`: none can; `partial`: some or undecidable. */
  verdict: "open" | "blocked" | "partial";
  /** The rules that block the queries or the replies (for `blocked` and `partial`). */
  blocked_by: RuleEvidence[];
  /** The queries alone (output path): the same scale as `verdict`. */
  queries: "open" | "blocked" | "partial";
  /** The replies alone (prerouting and input paths, ESTABLISHED). */
  replies: "open" | "blocked" | "partial";
  /**
   * Notrack rules (raw `-j NOTRACK` / `-j CT --notrack`) that may untrack the queries or replies of a
   * direction that is not open: untracked packets are never ESTABLISHED, so conntrack-state rules that
   * would accept them do not match (empty when `verdict` is `open`).
   */
  untracked_by: RuleEvidence[];
}

export interface ShadowedRuleFact {
  location: SourceLocation;
  text: string;
  /** Earlier rules that decide every packet this rule could match. */
  shadowed_by: RuleEvidence[];
  format: FirewallFormat;
  table?: string;
  chain?: string;
}

/** Both layers together, per family. */
export interface ExposureFacts {
  ipv4: FamilyExposureFacts | null;
  ipv6: FamilyExposureFacts | null;
}

export interface FamilyExposureFacts {
  /** Non-loopback addresses whose restrict entry lets them query ntpd (no noquery, no ignore). */
  ntp_queryable: string[];
  /** Non-loopback addresses whose restrict entry lets them get time (no ignore, no noserve). */
  ntp_served: string[];
  /** Queryable by ntpd and possibly admitted by the firewall, outside the trusted networks: the layers both let queries in. */
  queryable_and_admitted_untrusted: string[];
  /** Served by ntpd (for configured client networks, not the default entry) but never admitted by the firewall. */
  served_but_blocked: string[];
  /** The restrict entries behind `served_but_blocked`. */
  served_but_blocked_entries: SourceLine[];
  /** The restrict entries behind `queryable_and_admitted_untrusted` (no noquery, governing those addresses). */
  queryable_untrusted_entries: SourceLine[];
  /** An address from `queryable_and_admitted_untrusted`, else from `served_but_blocked` (null when both are empty). */
  example: string | null;
}
