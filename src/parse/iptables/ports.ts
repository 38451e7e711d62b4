/**
 * Ports in iptables options (`--dport`, `--sports`, multiport lists): numbers, ranges and service names
 * normalised to merged ranges, and port constraints combined. Total: bad input gives an `error` string.
 */
import type { PortSet } from "../../model/iptables.js";

/** Common /etc/services entries (tcp and udp share numbers for these). */
const SERVICES: Record<string, number> = {
  "ftp-data": 20, ftp: 21, ssh: 22, telnet: 23, smtp: 25, time: 37, whois: 43, tacacs: 49, domain: 53,
  bootps: 67, bootpc: 68, tftp: 69, gopher: 70, finger: 79, http: 80, www: 80, kerberos: 88, pop3: 110,
  sunrpc: 111, auth: 113, ident: 113, nntp: 119, ntp: 123, "netbios-ns": 137, "netbios-dgm": 138,
  "netbios-ssn": 139, imap: 143, imap2: 143, snmp: 161, "snmp-trap": 162, xdmcp: 177, bgp: 179, irc: 194,
  ldap: 389, https: 443, "microsoft-ds": 445, kpasswd: 464, submissions: 465, smtps: 465, isakmp: 500,
  syslog: 514, printer: 515, submission: 587, ldaps: 636, rsync: 873, "ftps-data": 989, ftps: 990,
  telnets: 992, imaps: 993, pop3s: 995, socks: 1080, openvpn: 1194, "ms-sql-s": 1433, l2tp: 1701,
  pptp: 1723, radius: 1812, "radius-acct": 1813, nfs: 2049, mysql: 3306, "ipsec-nat-t": 4500, sip: 5060,
  "sip-tls": 5061, postgresql: 5432, x11: 6000, "http-alt": 8080, webcache: 8080, domain_s: 853, mdns: 5353,
};

export interface ParsedPorts {
  ranges: Array<[number, number]>;
  unresolved: string[];
  /** Ports as multiport counts them (a range counts as 2). */
  count: number;
  error?: string;
}

function port(text: string): number | string | null {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n <= 65535 ? n : null;
  }
  const s = SERVICES[text];
  if (s !== undefined) return s;
  return /^[A-Za-z][A-Za-z0-9_.+-]*$/.test(text) ? text : null;
}

/** `123`, `100:200`, `:1024`, `1024:`, a service name; with `list`, a comma list of those (multiport). */
export function parsePorts(text: string, list: boolean): ParsedPorts {
  const parts = list ? text.split(",") : [text];
  const ranges: Array<[number, number]> = [];
  const unresolved: string[] = [];
  let count = 0;
  for (const part of parts) {
    const colon = part.indexOf(":");
    count += colon < 0 ? 1 : 2;
    if (colon < 0) {
      const p = port(part);
      if (p === null) return { ranges, unresolved, count, error: `invalid port/service ${JSON.stringify(part)}` };
      if (typeof p === "string") unresolved.push(p);
      else ranges.push([p, p]);
      continue;
    }
    const loText = part.slice(0, colon);
    const hiText = part.slice(colon + 1);
    const lo = loText === "" ? 0 : port(loText);
    const hi = hiText === "" ? 65535 : port(hiText);
    if (lo === null || hi === null || hiText.includes(":")) {
      return { ranges, unresolved, count, error: `invalid port range ${JSON.stringify(part)}` };
    }
    if (typeof lo === "string" || typeof hi === "string") {
      unresolved.push(part);
      continue;
    }
    if (lo > hi) return { ranges, unresolved, count, error: `invalid port range ${JSON.stringify(part)} (min > max)` };
    ranges.push([lo, hi]);
  }
  return { ranges: mergeRanges(ranges), unresolved: unresolved.length === 0 ? NO_NAMES : unresolved, count };
}

const NO_NAMES: string[] = Object.freeze([]) as unknown as string[];

export function mergeRanges(ranges: Array<[number, number]>): Array<[number, number]> {
  if (ranges.length <= 1) return ranges.slice();
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Array<[number, number]> = [[sorted[0]![0], sorted[0]![1]]];
  for (let i = 1; i < sorted.length; i++) {
    const last = out[out.length - 1]!;
    const r = sorted[i]!;
    if (r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

function complement(ranges: Array<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let next = 0;
  for (const [lo, hi] of ranges) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= 65535) out.push([next, 65535]);
  return out;
}

function intersect(a: Array<[number, number]>, b: Array<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i]![0], b[j]![0]);
    const hi = Math.min(a[i]![1], b[j]![1]);
    if (lo <= hi) out.push([lo, hi]);
    if (a[i]![1] < b[j]![1]) i++;
    else j++;
  }
  return out;
}

/** Combine two constraints on the same port field (both must hold) into one positive set. */
export function intersectPortSets(a: PortSet, b: PortSet): PortSet {
  const ea = a.negated ? complement(a.ranges) : a.ranges;
  const eb = b.negated ? complement(b.ranges) : b.ranges;
  const unresolved = a.unresolved.length + b.unresolved.length === 0 ? NO_NAMES : [...a.unresolved, ...b.unresolved];
  return { ranges: intersect(ea, eb), negated: false, unresolved };
}
