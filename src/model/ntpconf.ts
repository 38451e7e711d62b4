/**
 * The ntp.conf syntax tree: one node per accepted logical line. Lines the daemon would reject are
 * not here (they are `syntax` diagnostics), exactly as ntpd drops them.
 */
import type { AddressFamily } from "./address-family.js";
import type { SourceLocation } from "./location.js";

export type { AddressFamily } from "./address-family.js";

/** One word of a line with its own location (quoted strings are unquoted; `column` is the quote's). */
export interface Word {
  text: string;
  location: SourceLocation;
}

interface NodeBase {
  /** The command keyword as written (`server`, `restrict`, …). */
  keyword: string;
  /** Location of the keyword. */
  location: SourceLocation;
  /** The line as written, without its comment and surrounding blanks (capped for evidence). */
  text: string;
}

export type AssociationMode = "server" | "pool" | "peer" | "broadcast" | "manycastclient";

/** `server|pool|peer|broadcast|manycastclient [-4|-6] ADDRESS [options]`. */
export interface AssociationNode extends NodeBase {
  kind: "association";
  mode: AssociationMode;
  family: AddressFamily | null;
  address: Word;
  /**
   * Options by name: flags (`iburst`, `prefer`, `noselect`, `true`, `burst`, `preempt`, `xleave`,
   * `autokey`, `xmtnonce`, `nts`, `noval`) are `true`; valued ones (`key`, `minpoll`, `maxpoll`, `version`,
   * `ttl`, `mode`, `ident`, `subtype`, `bias`, …) carry their number or string. A repeated option keeps the last.
   */
  options: Record<string, number | string | true>;
}

/** ntpsec `refclock DRIVER [unit N] [options]`. */
export interface RefclockNode extends NodeBase {
  kind: "refclock";
  driver: Word;
  options: Record<string, number | string | true>;
}

/** `restrict`, `unrestrict` (ntpsec) and `delrestrict` (ntpd ≥ 4.2.8p15). */
export interface RestrictNode extends NodeBase {
  kind: "restrict";
  command: "restrict" | "unrestrict" | "delrestrict";
  /** `-4`/`-6` as written; null when absent. */
  family: AddressFamily | null;
  target: "default" | "source" | "address";
  /** The address or host name for `target: "address"` (ntpsec `ADDR/LEN` is split into address and prefixLength). */
  address: Word | null;
  /** `mask M` when given. */
  mask: Word | null;
  /** ntpsec CIDR suffix (`10.0.0.0/8` → 8). */
  prefixLength: number | null;
  /** Flags in written order (`noquery`, `nomodify`, `ignore`, …; `serverresponse fuzz` is one flag `serverresponse fuzz`). */
  flags: Word[];
  ippeerlimit: number | null;
}

/** `enable FLAG…` / `disable FLAG…` (auth, bclient, calibrate, kernel, monitor, ntp, stats, mode7, …). */
export interface SystemFlagsNode extends NodeBase {
  kind: "enable" | "disable";
  flags: Word[];
}

export interface IncludeNode extends NodeBase {
  kind: "includefile";
  path: Word;
}

/** `trustedkey N… (A ... B)`: ranges are kept as [from, to] (a single key is [n, n]). */
export interface TrustedKeyNode extends NodeBase {
  kind: "trustedkey";
  ranges: Array<[number, number]>;
}

/** `tos minclock N maxclock N minsane N floor N ceiling N cohort N orphan N orphanwait N mindist S maxdist S beacon N …`. */
export interface TosNode extends NodeBase {
  kind: "tos";
  options: Record<string, number | string>;
}

/** `interface|nic listen|ignore|drop all|ipv4|ipv6|wildcard|NAME|ADDRESS[/len]`. */
export interface InterfaceNode extends NodeBase {
  kind: "interface";
  action: "listen" | "ignore" | "drop";
  match: Word;
}

/** `end`: ntpd stops reading the configuration here. */
export interface EndNode extends NodeBase {
  kind: "end";
}

/** Every other accepted command: validated by the grammar, kept with its words. */
export interface DirectiveNode extends NodeBase {
  kind: "directive";
  args: Word[];
}

export type NtpNode =
  | AssociationNode
  | RefclockNode
  | RestrictNode
  | SystemFlagsNode
  | IncludeNode
  | TrustedKeyNode
  | TosNode
  | InterfaceNode
  | EndNode
  | DirectiveNode;
