/**
 * The chrony.conf syntax tree: one node per accepted line, in chronyd's reading order. chronyd refuses
 * to start on a line it cannot parse, so a rejected line is a fatal diagnostic (see ChronyDiagnostic),
 * never a node.
 */
import type { Diagnostic } from "./diagnostic.js";
import type { SourceLocation } from "./location.js";
import type { AddressFamily } from "./ntpconf.js";

/** One word of a line with its own location. */
export interface ChronyWord {
  text: string;
  location: SourceLocation;
}

interface ChronyNodeBase {
  /** The directive, lower-cased (chronyd compares directive names case-insensitively). */
  directive: string;
  /** Location of the directive word. */
  location: SourceLocation;
  /** The line as written, without surrounding blanks (capped for evidence). */
  text: string;
}

export type ChronySourceKind = "server" | "pool" | "peer";

/** `server|pool|peer HOST [options]` (also the lines of a `sourcedir` *.sources file). */
export interface ChronySourceNode extends ChronyNodeBase {
  kind: "source";
  directive: ChronySourceKind;
  address: ChronyWord;
  /**
   * Options by lower-cased name: flags (`iburst`, `burst`, `prefer`, `noselect`, `trust`, `require`,
   * `xleave`, `nts`, `offline`, `auto_offline`, `copy`) are `true`; valued ones carry their number
   * (`extfield` its hexadecimal text). A repeated option keeps the last, as chronyd does.
   */
  options: Record<string, number | string | true>;
}

/** `refclock DRIVER PARAMETER [options]`. */
export interface ChronyRefclockNode extends ChronyNodeBase {
  kind: "refclock";
  driver: ChronyWord;
  parameter: ChronyWord;
  options: Record<string, number | string | true>;
}

export type ChronyAccessDirective = "allow" | "deny" | "cmdallow" | "cmddeny";

/**
 * The subnet of an allow/deny line as chronyd's CPS_ParseAllowDeny reads it. `family: "any"` is the
 * line without an address (every IPv4 and IPv6 address); `hostname` is a name chronyd resolves when it
 * starts (to one address, /32 or /128).
 */
export interface ChronySubnet {
  family: "ipv4" | "ipv6" | "any" | "hostname";
  /** Network address as chronyd stores it (`10` → `10.0.0.0`), or the host name; null for `any`. */
  address: string | null;
  /** Prefix length (`10` → 8, `1.2.3` → 24, an address without /N → 32 or 128). */
  bits: number;
  /** As written (null when the line has no address). */
  written: ChronyWord | null;
}

/** `allow|deny|cmdallow|cmddeny [all] [SUBNET]`. */
export interface ChronyAccessNode extends ChronyNodeBase {
  kind: "access";
  directive: ChronyAccessDirective;
  /** `all`: the entry also replaces every more specific entry made before it. */
  all: boolean;
  subnet: ChronySubnet;
}

/** Every other accepted directive, kept as its argument words. */
export interface ChronyDirectiveNode extends ChronyNodeBase {
  kind: "directive";
  args: ChronyWord[];
}

export type ChronyNode = ChronySourceNode | ChronyRefclockNode | ChronyAccessNode | ChronyDirectiveNode;

/**
 * A chrony diagnostic. `fatal`: chronyd will not start with this file (it exits with `message`, which is
 * chronyd's own wording where it has one). `stage` says when chronyd finds it: `parse` while reading the
 * file (also `chronyd -p`), `startup` after reading (e.g. "Bad subnet"). Non-fatal ones are lines chronyd
 * skips with a warning, lines of *.sources files it ignores, or includes that could not be followed here.
 */
export interface ChronyDiagnostic extends Diagnostic {
  fatal: boolean;
  stage: "parse" | "startup";
  /**
   * What chronyd itself prints for this line (after "Fatal error : "), e.g. "Could not parse server
   * directive at line 3 in file /etc/chrony/chrony.conf" (host paths as on the host).
   */
  daemonMessage?: string;
}

/** `/etc/sysconfig/chronyd` or `/etc/default/chrony`: the daemon's command-line options. */
export interface ChronyDaemonOptions {
  /** Where `OPTIONS=`/`DAEMON_OPTS=` was found, or null when no such file was read. */
  location: SourceLocation | null;
  /** The words chronyd receives, after shell quoting is removed. */
  args: string[];
  /** `-u USER`. */
  user: string | null;
  /** `-4` / `-6`: the only address family used; null for both. */
  family: "ipv4" | "ipv6" | null;
  /** `-F LEVEL` (seccomp filter level). */
  seccompLevel: number | null;
  /** `-x`: chronyd does not control the system clock. */
  noClockControl: boolean;
  /** `-f FILE`: another configuration file. */
  configFile: string | null;
  /** `-r`, `-R`, `-s`, `-m`, `-P N`, `-L N`: kept as written. */
  other: string[];
}

/** What a chrony configuration means (src/analyze/chrony/facts.ts): `input.chrony` of the policy input. */
export interface ChronySourceFact {
  kind: ChronySourceKind | "refclock";
  /** Host name or address (refclock: the driver and its parameter, `PHC:/dev/ptp0`). */
  address: string;
  /** How the source is authenticated: NTS, a symmetric key from the keyfile, or not at all (refclock: local hardware). */
  auth: "nts" | "symmetric_key" | "none" | "local";
  key_id: number | null;
  minpoll: number;
  maxpoll: number;
  /** Never selected for synchronisation (`noselect`). */
  noselect: boolean;
  prefer: boolean;
  iburst: boolean;
  location: SourceLocation;
}

/** An address set in JSON: minimal CIDR lists per family. */
export interface AddressSetJson {
  ipv4: string[];
  ipv6: string[];
}

export interface ChronyListen {
  port: number;
  /** Address the family's socket is bound to, or null when that family's socket is not opened. */
  ipv4: string | null;
  ipv6: string | null;
}

export interface ChronyFacts {
  daemon: "chrony";
  /** Sources whose NTP client requests (mode 3) chronyd answers. */
  serves_time_to: AddressSetJson;
  /** Sources chronyd answers on its IP command port (chronyc monitoring commands). */
  may_query_or_command: AddressSetJson;
  /** Upstream sources in reading order (sourcedir files included). */
  sources: ChronySourceFact[];
  /** The account chronyd drops to: `-u` of the options file, else the `user` directive, else the package default (null). */
  runs_as_user: { user: string | null; from: "options" | "directive" | "default"; location: SourceLocation | null };
  ntp_listen: ChronyListen;
  command_listen: ChronyListen;
  /** The Unix command socket (full command access for root and chronyd's user), null when disabled (`bindcmdaddress /`). */
  command_socket: string | null;
  /** NTS-KE server (TCP): enabled when a server certificate and key are configured; same access table as NTP. */
  nts_server: { enabled: boolean; port: number };
  makestep: { threshold: number; limit: number; steps_any_time: boolean; location: SourceLocation; text: string } | null;
  /** The `bindcmdaddress` lines as written (where the command sockets listen). */
  bindcmdaddress_lines: Array<{ location: SourceLocation; text: string }>;
  /** Highest maxpoll of a selectable network source (null without one). */
  max_maxpoll: number | null;
  local_stratum: { stratum: number; orphan: boolean; location: SourceLocation } | null;
  rtcsync: boolean;
  driftfile: string | null;
  keyfile: string | null;
  authselectmode: string | null;
  /** `-4` / `-6` of the daemon options. */
  address_family: AddressFamily | null;
  /**
   * Every allow/deny/cmdallow/cmddeny line, in order. `hostname`: the subnet is a name chronyd resolves when
   * it starts; that one address is not in the sets above (they are exact for every other line), so a rule
   * must not call the sets complete while such a line exists.
   */
  access_lines: Array<{ directive: string; all: boolean; subnet: string | null; hostname: boolean; location: SourceLocation; text: string }>;
}

