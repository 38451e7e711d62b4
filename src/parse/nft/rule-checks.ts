/**
 * Rules nft refuses although each statement is well formed, so that a file nft -f would refuse is not read
 * as loaded (found by the kernel lab, test/netns/nft-lab.test.ts):
 *  - two different transport protocols in one rule (`tcp dport 22 udp dport 53`, `meta l4proto tcp udp
 *    dport 53`): "conflicting protocols specified";
 *  - a verdict map element that is not a verdict a map can hold (`udp dport vmap { 53 : reject }`): a
 *    syntax error;
 *  - overlapping keys in an anonymous verdict map (`ip saddr vmap { 10.0.0.0/8 : accept, 10.1.0.0/16 :
 *    drop }`): "conflicting intervals specified" (anonymous sets in matches are merged instead).
 * Each finding is a message for a `structure` diagnostic at the item.
 */
import ipaddr from "ipaddr.js";
import type { NftLocation, NftRule, NftSelector, NftValue } from "../../model/nft.js";

const TRANSPORT = new Set(["udp", "tcp", "sctp", "dccp", "udplite", "icmp", "icmpv6", "ah", "esp", "comp"]);
const MAP_VERDICTS = new Set(["accept", "drop", "continue", "return", "jump", "goto"]);

export function ruleProblems(rule: NftRule): Array<{ loc: NftLocation; message: string }> {
  const out: Array<{ loc: NftLocation; message: string }> = [];
  const protocols = new Map<string, NftLocation>();
  const note = (name: string, loc: NftLocation): void => {
    const first = [...protocols.keys()][0];
    if (first !== undefined && first !== name && !protocols.has(name)) out.push({ loc, message: `conflicting protocols specified: ${first} vs. ${name}` });
    if (!protocols.has(name)) protocols.set(name, loc);
  };
  for (const item of rule.items) {
    if (item.k === "match") {
      for (const p of selectorProtocols(item.left)) note(p, item.loc);
      const l4 = l4protoValue(item.left, item.op, item.right);
      if (l4) note(l4, item.loc);
    }
    if (item.k === "vmap") {
      for (const p of selectorProtocols(item.key)) note(p, item.loc);
      if (item.map.k !== "set") continue;
      for (const e of item.map.elements) {
        const v = e.value;
        if (v?.k === "verdict" && !MAP_VERDICTS.has(v.verdict)) out.push({ loc: item.loc, message: `syntax error, unexpected ${v.verdict}: a verdict map holds accept, drop, continue, return, jump or goto` });
      }
      const overlap = firstOverlap(item.map.elements.map((e) => e.key));
      if (overlap) out.push({ loc: item.loc, message: `conflicting intervals specified: ${overlap[0]} and ${overlap[1]} overlap in a verdict map` });
    }
  }
  return out;
}

function selectorProtocols(s: NftSelector): string[] {
  if (s.k === "payload") return TRANSPORT.has(s.protocol) ? [s.protocol] : [];
  if (s.k === "concat") return s.parts.flatMap(selectorProtocols);
  if (s.k === "binop") return selectorProtocols(s.left);
  return [];
}

/** `meta l4proto tcp` (one value, equality): the protocol it demands. */
function l4protoValue(left: NftSelector, op: string, right: NftValue): string | null {
  const isL4 = (left.k === "meta" && left.key === "l4proto") || (left.k === "payload" && ((left.protocol === "ip" && left.field === "protocol") || (left.protocol === "ip6" && left.field === "nexthdr")));
  if (!isL4 || op !== "==" || right.k !== "value") return null;
  const name = right.text.toLowerCase() === "ipv6-icmp" ? "icmpv6" : right.text.toLowerCase();
  return TRANSPORT.has(name) ? name : null;
}

/** The first two keys whose intervals overlap (addresses, prefixes, ranges, ports); null when none do or a key is not an interval. */
function firstOverlap(keys: NftValue[]): [string, string] | null {
  const intervals: Array<[bigint, bigint, string, string]> = [];
  for (const key of keys) {
    if (key.k !== "value") return null;
    const iv = interval(key.text);
    if (!iv) return null;
    intervals.push([iv[0], iv[1], iv[2], key.text]);
  }
  intervals.sort((a, b) => (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (let i = 1; i < intervals.length; i++) {
    const [lo, , kind, text] = intervals[i]!;
    const [, prevHi, prevKind, prevText] = intervals[i - 1]!;
    if (kind === prevKind && lo <= prevHi) return [prevText, text];
  }
  return null;
}

/** An element as an inclusive interval with its kind (`ipv4`, `ipv6`, `port`), or null. */
function interval(text: string): [bigint, bigint, string] | null {
  if (/^\d+$/.test(text)) return [BigInt(text), BigInt(text), "port"];
  const ports = /^(\d+)-(\d+)$/.exec(text);
  if (ports) return [BigInt(ports[1]!), BigInt(ports[2]!), "port"];
  const dash = text.indexOf("-");
  if (dash > 0 && !text.includes("/")) {
    const a = address(text.slice(0, dash));
    const b = address(text.slice(dash + 1));
    return a && b && a[1] === b[1] ? [a[0], b[0], a[1]] : null;
  }
  const slash = text.indexOf("/");
  const a = address(slash === -1 ? text : text.slice(0, slash));
  if (!a) return null;
  const width = a[1] === "ipv4" ? 32 : 128;
  const length = slash === -1 ? width : Number(text.slice(slash + 1));
  if (!Number.isInteger(length) || length < 0 || length > width) return null;
  const size = 1n << BigInt(width - length);
  const network = (a[0] / size) * size;
  return [network, network + size - 1n, a[1]];
}

function address(text: string): [bigint, string] | null {
  if (!ipaddr.isValid(text)) return null;
  const parsed = ipaddr.parse(text);
  let value = 0n;
  for (const byte of parsed.toByteArray()) value = (value << 8n) | BigInt(byte);
  return [value, parsed.kind()];
}
