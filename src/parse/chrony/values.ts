/**
 * Values of chrony.conf lines read the way chronyd 4.3 reads them (conf.c, cmdparse.c): sscanf-style
 * numbers, inet_pton addresses, the shortened IPv4 networks of allow/deny, and the directive tables.
 * Used by grammar/chrony.ne (postprocessors reject what chronyd rejects) and by the diagnostics.
 */
import ipaddr from "ipaddr.js";

/** Every directive chronyd 4.3 knows (conf.c CNF_ParseLine), lower-cased. */
export const CHRONY_DIRECTIVES: ReadonlySet<string> = new Set([
  "acquisitionport", "allow", "authselectmode", "bindacqaddress", "bindacqdevice", "bindaddress",
  "bindcmdaddress", "bindcmddevice", "binddevice", "broadcast", "clientloglimit", "clockprecision", "cmdallow",
  "cmddeny", "cmdport", "cmdratelimit", "combinelimit", "confdir", "corrtimeratio", "deny", "driftfile", "dscp",
  "dumpdir", "dumponexit", "fallbackdrift", "hwclockfile", "hwtimestamp", "include", "initstepslew", "keyfile",
  "leapsecmode", "leapsectz", "local", "lock_all", "log", "logbanner", "logchange", "logdir", "mailonchange",
  "makestep", "manual", "maxchange", "maxclockerror", "maxdistance", "maxdrift", "maxjitter", "maxntsconnections",
  "maxsamples", "maxslewrate", "maxupdateskew", "minsamples", "minsources", "nocerttimecheck", "noclientlog",
  "nosystemcert", "ntpsigndsocket", "ntsratelimit", "ntscachedir", "ntsdumpdir", "ntsntpserver", "ntsport",
  "ntsprocesses", "ntsrefresh", "ntsrotate", "ntsservercert", "ntsserverkey", "ntstrustedcerts", "peer",
  "pidfile", "pool", "port", "ptpport", "ratelimit", "refclock", "reselectdist", "rtcautotrim", "rtcdevice",
  "rtcfile", "rtconutc", "rtcsync", "sched_priority", "server", "smoothtime", "sourcedir", "stratumweight",
  "tempcomp", "user",
  // Accepted with a warning ("… directive is no longer supported").
  "commandkey", "generatecommandkey", "linux_freq_scale", "linux_hz",
]);

/** Directives chronyd accepts but ignores with "%s directive is no longer supported". */
export const CHRONY_OBSOLETE: ReadonlySet<string> = new Set(["commandkey", "generatecommandkey", "linux_freq_scale", "linux_hz"]);

/** parse_int: one argument, sscanf("%d") (a numeric prefix is enough: `port 123x` is 123). */
export const INT_DIRECTIVES: ReadonlySet<string> = new Set([
  "acquisitionport", "cmdport", "dscp", "logbanner", "maxntsconnections", "maxsamples", "minsamples", "minsources",
  "nocerttimecheck", "ntsport", "ntsprocesses", "ntsrefresh", "ntsrotate", "port", "ptpport", "sched_priority",
]);
/** parse_double: one argument, sscanf("%lf"). */
export const DOUBLE_DIRECTIVES: ReadonlySet<string> = new Set([
  "clockprecision", "combinelimit", "corrtimeratio", "logchange", "maxclockerror", "maxdistance", "maxdrift",
  "maxjitter", "maxslewrate", "maxupdateskew", "reselectdist", "rtcautotrim", "stratumweight",
]);
/** parse_string: exactly one word. */
export const STRING_DIRECTIVES: ReadonlySet<string> = new Set([
  "bindacqdevice", "bindcmddevice", "binddevice", "driftfile", "dumpdir", "hwclockfile", "keyfile", "leapsectz",
  "logdir", "ntpsigndsocket", "ntscachedir", "ntsdumpdir", "ntsntpserver", "pidfile", "rtcdevice", "rtcfile",
  "user", "ntsservercert", "ntsserverkey", "include",
]);
/** parse_null: no argument. */
export const NULL_DIRECTIVES: ReadonlySet<string> = new Set(["lock_all", "manual", "noclientlog", "nosystemcert", "rtconutc", "rtcsync"]);

/**
 * Directives whose argument count chronyd checks first (check_number_of_args), with the counts it
 * accepts: a wrong count is "Missing/Too many arguments for X directive" rather than "Could not parse".
 * The first count is the one chronyd checks against when the count is none of them.
 */
export const ARITY: ReadonlyMap<string, readonly number[]> = new Map<string, number[]>([
  ...[...INT_DIRECTIVES, ...DOUBLE_DIRECTIVES, ...STRING_DIRECTIVES].map((d): [string, number[]] => [d, [1]]),
  ...[...NULL_DIRECTIVES].map((d): [string, number[]] => [d, [0]]),
  ["bindaddress", [1]], ["bindacqaddress", [1]], ["bindcmdaddress", [1]], ["clientloglimit", [1]],
  ["fallbackdrift", [2]], ["makestep", [2]], ["maxchange", [3]], ["mailonchange", [2]], ["smoothtime", [2, 3]],
  ["tempcomp", [6, 3]], ["ntstrustedcerts", [1, 2]],
]);

/** Source options without a value (CPS_ParseNTPSourceAdd). */
export const SOURCE_FLAGS: ReadonlySet<string> = new Set([
  "auto_offline", "burst", "copy", "iburst", "offline", "noselect", "prefer", "require", "trust", "nts", "xleave",
]);
/** Source options with an integer value (sscanf %d), `key`/`certset` (%u) and `extfield` (%x) included. */
export const SOURCE_INT_OPTIONS: ReadonlySet<string> = new Set([
  "certset", "key", "filter", "maxpoll", "maxsamples", "maxsources", "minpoll", "minsamples", "minstratum",
  "ntsport", "port", "polltarget", "presend", "version",
]);
/** Source options with a floating-point value (sscanf %lf). */
export const SOURCE_DOUBLE_OPTIONS: ReadonlySet<string> = new Set([
  "asymmetry", "maxdelay", "maxdelayratio", "maxdelaydevratio", "maxdelayquant", "mindelay", "offset",
]);

export const REFCLOCK_FLAGS: ReadonlySet<string> = new Set(["local", "pps", "tai", "noselect", "prefer", "trust", "require"]);
export const REFCLOCK_INT_OPTIONS: ReadonlySet<string> = new Set(["poll", "dpoll", "filter", "rate", "minsamples", "maxlockage", "maxsamples", "stratum"]);
export const REFCLOCK_DOUBLE_OPTIONS: ReadonlySet<string> = new Set(["offset", "delay", "precision", "maxdispersion", "width"]);
export const REFCLOCK_REFID_OPTIONS: ReadonlySet<string> = new Set(["refid", "lock"]);

export const HWTS_INT_OPTIONS: ReadonlySet<string> = new Set(["maxsamples", "minpoll", "minsamples"]);
export const HWTS_DOUBLE_OPTIONS: ReadonlySet<string> = new Set(["precision", "rxcomp", "txcomp"]);

/** log parameters (compared case-sensitively by chronyd). */
export const LOG_PARAMETERS: ReadonlySet<string> = new Set([
  "rawmeasurements", "measurements", "selection", "statistics", "tracking", "rtc", "refclocks", "tempcomp",
]);

// ---- sscanf ---------------------------------------------------------------------------------------

const INT_PREFIX = /^[ \t]*[+-]?[0-9]+/;
const INT_FULL = /^[+-]?[0-9]+$/;
// glibc strtod: decimal with exponent, hexadecimal floats, inf/infinity, nan/nan(chars).
const DOUBLE_PREFIX =
  /^[ \t]*[+-]?(?:0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?[0-9]+)?|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[iI][nN][fF](?:[iI][nN][iI][tT][yY])?|[nN][aA][nN](?:\([0-9A-Za-z_]*\))?)/;

/** sscanf("%d"): the integer a word starts with, or null. */
export function scanInt(word: string): number | null {
  const m = INT_PREFIX.exec(word);
  return m ? Number(m[0]) : null;
}

/** sscanf("%lf"): the number a word starts with, or null. */
export function scanDouble(word: string): number | null {
  const m = DOUBLE_PREFIX.exec(word);
  if (!m) return null;
  const t = m[0].trim();
  if (/inf/i.test(t) && !/^[+-]?0[xX]/.test(t)) return t.startsWith("-") ? -Infinity : Infinity;
  if (/nan/i.test(t)) return NaN;
  if (/0[xX]/.test(t)) return Number.parseFloat(String(hexFloat(t)));
  return Number(t);
}

function hexFloat(t: string): number {
  const m = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)(?:[pP]([+-]?[0-9]+))?$/.exec(t);
  if (!m) return NaN;
  const mant = Number.parseInt(`${m[2] || "0"}${m[3] ?? ""}`, 16) / 16 ** (m[3]?.length ?? 0);
  const v = mant * 2 ** Number(m[4] ?? 0);
  return m[1] === "-" ? -v : v;
}

/** An option value read with "%d%n": the whole word must be the integer (a rest would be read as the next option). */
export function wholeInt(word: string): number | null {
  return INT_FULL.test(word) ? Number(word) : null;
}

/** An option value read with "%lf%n": the whole word must be the number. */
export function wholeDouble(word: string): number | null {
  const m = DOUBLE_PREFIX.exec(word);
  return m && m[0].length === word.length ? scanDouble(word) : null;
}

/** "%u" of `key N`: a whole unsigned 32-bit word; chronyd refuses key 0 (INACTIVE_AUTHKEY). */
export function sourceKeyId(word: string): number | null {
  if (!/^\+?[0-9]+$/.test(word)) return null;
  const n = Number(word);
  return n > 0 && n <= 0xffffffff ? n : null;
}

// ---- addresses ------------------------------------------------------------------------------------

/** inet_pton(AF_INET): four decimal octets 0–255 without leading zeros. */
export function inetPton4(text: string): boolean {
  const parts = text.split(".");
  if (parts.length !== 4) return false;
  return parts.every((p) => /^(?:0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

/** inet_pton(AF_INET6): RFC 4291 text, an embedded dotted quad allowed, no zone. */
export function inetPton6(text: string): boolean {
  if (text.includes("%") || !text.includes(":")) return false;
  if (!ipaddr.IPv6.isValid(text)) return false;
  const dotted = text.lastIndexOf(":");
  const tail = text.slice(dotted + 1);
  return !tail.includes(".") || inetPton4(tail);
}

export function ipFamily(text: string): "ipv4" | "ipv6" | null {
  if (inetPton4(text)) return "ipv4";
  if (inetPton6(text)) return "ipv6";
  return null;
}

/** The address chronyd would use for an IP literal, in canonical text (`::ffff:1.2.3.4` style kept by ipaddr). */
export function canonicalAddress(text: string): string {
  return ipaddr.parse(text).toString();
}

export interface ParsedSubnet {
  family: "ipv4" | "ipv6" | "hostname";
  address: string;
  bits: number;
}

/**
 * CPS_ParseAllowDeny's reading of one subnet word: `ADDR[/N]`, the shortened IPv4 forms `A`, `A.B`,
 * `A.B.C` (8/16/24 bits unless /N is given), or a host name (no /N). Null when chronyd rejects it.
 * Prefix lengths above 32/128 pass here: chronyd refuses them only when it starts ("Bad subnet").
 */
export function parseSubnet(word: string): ParsedSubnet | null {
  let net = word;
  let bits = -1;
  const slash = word.indexOf("/");
  if (slash !== -1) {
    const m = /^[ \t]*([+-]?[0-9]+)$/.exec(word.slice(slash + 1));
    if (!m || Number(m[1]) < 0) return null;
    bits = Number(m[1]);
    net = word.slice(0, slash);
  }
  const family = ipFamily(net);
  if (family) {
    return { family, address: canonicalAddress(net), bits: bits >= 0 ? bits : family === "ipv6" ? 128 : 32 };
  }
  // sscanf("%u.%u.%u"): 1 to 3 decimal numbers, each ≤ 255, and nothing after them.
  const m = /^([0-9]+)(?:\.([0-9]+)(?:\.([0-9]+))?)?$/.exec(net);
  if (m) {
    const nums = [m[1], m[2], m[3]].filter((x): x is string => x !== undefined).map(Number);
    if (nums.some((n) => n > 255)) return null;
    const [a = 0, b = 0, c = 0] = nums;
    return { family: "ipv4", address: `${a}.${b}.${c}.0`, bits: bits >= 0 ? bits : nums.length * 8 };
  }
  if (bits >= 0 || net === "" || /^[0-9.]+$/.test(net)) return null;
  if (!/^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_.])?$/.test(net)) return null;
  return { family: "hostname", address: net, bits: -1 };
}
