/**
 * The neutral netfilter model, as a front end other than iptables would produce it: several base
 * chains on one hook in priority order, inet tables, notrack before and after conntrack, unknown
 * verdicts; and rulesets too large or too deep for a recursive or quadratic walk.
 */
import { describe, expect, it } from "vitest";
import { AddressSet, LOOPBACK } from "../../src/analyze/address-set.js";
import { analyzeFamily, analyzeIptables } from "../../src/analyze/firewall/analysis.js";
import { findLoop } from "../../src/analyze/firewall/loadability.js";
import type { BaseChain, Hook, NetfilterChain, NetfilterRule, NetfilterRuleset, NetfilterTable, Predicate, TableFamily, Verdict } from "../../src/model/netfilter.js";
import { parseIptablesSave } from "../../src/parse/iptables/index.js";

let line = 0;
const at = () => ({ file: "ruleset", line: ++line, column: 1 });

function rule(predicates: Predicate[], verdict: Verdict, verdictText = verdict.kind): NetfilterRule {
  return { location: at(), text: `${predicates.map((p) => p.kind).join(" ")} ${verdictText}`, predicates, verdict, verdictText, needsConntrack: predicates.some((p) => p.kind === "ctstate") };
}

function base(name: string, hook: Hook, priority: number, policy: BaseChain["policy"], rules: NetfilterRule[], type: BaseChain["type"] = "filter"): NetfilterChain {
  const location = at();
  return { name, location, base: { hook, priority, type, policy, policyLine: { location, text: `policy ${policy ?? "-"}` }, policyWritten: policy !== null }, rules };
}

function table(name: string, family: TableFamily, chains: NetfilterChain[], loaded = true): NetfilterTable {
  return { family, name, location: at(), loaded, chains };
}

const ruleset = (tables: NetfilterTable[], family: "ipv4" | "ipv6" = "ipv4"): NetfilterRuleset => ({ family, file: "ruleset", tables, incomplete: [] });

const saddr = (...prefixes: string[]): Predicate => ({ kind: "address", field: "saddr", prefixes, negated: false, unresolved: [], label: `ip saddr ${prefixes.join(",")}`, form: "address" });
const udp123: Predicate[] = [{ kind: "l4proto", protocols: [17], negated: false }, { kind: "port", field: "dport", ports: { ranges: [[123, 123]], negated: false, unresolved: [] } }];
const ctNew: Predicate = { kind: "ctstate", states: ["NEW"], negated: false };

function inbound(rs: NetfilterRuleset) {
  const f = analyzeFamily(rs, LOOPBACK[rs.family], []).facts;
  return { may: f.ntp_inbound.may_accept, must: f.ntp_inbound.must_accept, facts: f };
}

const EVERYONE = AddressSet.all("ipv4").subtract(LOOPBACK.ipv4);
const minus = (...cidrs: string[]) => EVERYONE.subtract(AddressSet.of("ipv4", cidrs)).toCidrs();

describe("base chains on one hook", () => {
  it("an accept ends one base chain only: a later base chain on the same hook still drops", () => {
    const admit = table("filter", "inet", [base("input", "input", 0, "drop", [rule([...udp123, saddr("10.0.0.0/8")], { kind: "accept" })])]);
    const block = table("blocklist", "ip", [base("input", "input", 10, "accept", [rule([saddr("10.1.0.0/16")], { kind: "drop" })])]);
    const r = inbound(ruleset([admit, block]));
    expect(r.may).toEqual(AddressSet.of("ipv4", ["10.0.0.0/8"]).subtract(AddressSet.of("ipv4", ["10.1.0.0/16"])).toCidrs());
    expect(r.must).toEqual(r.may);
  });

  it("a drop in an earlier base chain ends the packet's path whatever later chains accept", () => {
    const early = table("early", "ip", [base("input", "input", -10, "accept", [rule([saddr("192.0.2.0/24")], { kind: "drop" })])]);
    const open = table("filter", "ip", [base("input", "input", 0, "accept", [])]);
    expect(inbound(ruleset([open, early])).may).toEqual(minus("192.0.2.0/24"));
  });

  it("runs base chains by priority, not by the order the ruleset lists them", () => {
    // notrack at -300 runs before conntrack: the packet is then UNTRACKED and the NEW-only accept misses it.
    const filter = table("filter", "ip", [base("input", "input", 0, "drop", [rule([...udp123, ctNew], { kind: "accept" })])]);
    const raw = (priority: number) => table("raw", "ip", [base("prerouting", "prerouting", priority, "accept", [rule([saddr("198.51.100.0/24")], { kind: "notrack" })])]);
    expect(inbound(ruleset([filter, raw(-300)])).may).toEqual(minus("198.51.100.0/24"));
    // The same rule at -150 runs after conntrack classified the packet: notrack changes nothing there.
    expect(inbound(ruleset([filter, raw(-150)])).may).toEqual(EVERYONE.toCidrs());
  });

  it("inet tables see both families, ip and ip6 tables only their own", () => {
    const v6drop = table("v6", "ip6", [base("input", "input", 0, "drop", [])]);
    const inet = table("both", "inet", [base("input", "input", 0, "accept", [rule([{ kind: "address", field: "saddr", prefixes: ["2001:db8::/32"], negated: false, unresolved: [], label: "ip6 saddr 2001:db8::/32", form: "address" }], { kind: "drop" })])]);
    expect(inbound(ruleset([v6drop, inet])).may).toEqual(EVERYONE.toCidrs());
    const v6 = inbound(ruleset([v6drop, inet], "ipv6"));
    expect(v6.may).toEqual([]);
  });

  it("a table whose content is unknown may drop anything: nothing is surely accepted", () => {
    const r = inbound(ruleset([table("filter", "ip", [base("input", "input", 0, "accept", [])]), table("other", "ip", [base("input", "input", 5, "accept", [])], false)]));
    expect(r.may).toEqual(EVERYONE.toCidrs());
    expect(r.must).toEqual([]);
  });
});

describe("verdicts", () => {
  it("an unknown verdict may accept, drop or go on", () => {
    const r = inbound(ruleset([table("filter", "ip", [base("input", "input", 0, "drop", [rule([saddr("203.0.113.0/24")], { kind: "unknown", terminal: false, reason: "queue to userspace" })])])]));
    expect(r.may).toEqual(["203.0.113.0/24"]);
    expect(r.must).toEqual([]);
    expect(r.facts.ntp_inbound.assumptions.map((a) => a.reason)).toEqual(["queue to userspace"]);
  });

  it("goto does not come back, jump does", () => {
    const sub: NetfilterChain = { name: "sub", location: at(), base: null, rules: [rule([saddr("10.0.0.0/8")], { kind: "return" })] };
    const mk = (v: Verdict) => table("filter", "ip", [base("input", "input", 0, "drop", [rule([], v), rule(udp123, { kind: "accept" })]), sub]);
    // jump: 10/8 comes back and is accepted by the next rule; goto: it returns to the base chain's end (policy drop).
    expect(inbound(ruleset([mk({ kind: "jump", chain: "sub" })])).may).toEqual(EVERYONE.toCidrs());
    expect(inbound(ruleset([mk({ kind: "goto", chain: "sub" })])).may).toEqual([]);
  });
});

describe("scale", () => {
  const deepChain = (n: number): string => {
    const lines = ["*filter", ":INPUT DROP [0:0]", ":FORWARD DROP [0:0]", ":OUTPUT ACCEPT [0:0]"];
    for (let i = 0; i < n; i++) lines.push(`:c${i} - [0:0]`);
    lines.push("-A INPUT -j c0");
    for (let i = 0; i < n - 1; i++) lines.push(`-A c${i} -j c${i + 1}`);
    lines.push(`-A c${n - 1} -s 192.0.2.0/24 -p udp -m udp --dport 123 -j ACCEPT`, "COMMIT", "");
    return lines.join("\n");
  };

  it("walks 10,000 chains each jumping to the next without exhausting the call stack", () => {
    const text = deepChain(10_000);
    expect(text.length).toBeGreaterThan(200_000);
    const rs = parseIptablesSave(text, "iptables-save", "ipv4");
    const f = analyzeIptables(rs, LOOPBACK.ipv4, []).facts;
    expect(f.complete).toBe(true);
    expect(f.ntp_inbound.may_accept).toEqual(["192.0.2.0/24"]);
    expect(f.ntp_inbound.must_accept).toEqual(["192.0.2.0/24"]);
  });

  it("finds a loop at the end of 10,000 chains without recursion", () => {
    const n = 10_000;
    const chains: NetfilterChain[] = [];
    for (let i = 0; i < n; i++) chains.push({ name: `c${i}`, location: at(), base: null, rules: [rule([], { kind: "jump", chain: `c${(i + 1) % n}` })] });
    const loop = findLoop(table("filter", "ip", chains));
    expect(loop?.chains.length).toBe(n + 1);
    expect(loop?.chains[0]).toBe("c0");
  });

  it("an allow list of 4,000 single addresses (40,000 and more: npm run bench) gives the exact set and leaves the NTP rule unshadowed", () => {
    const lines = ["*filter", ":INPUT DROP [0:0]", ":FORWARD DROP [0:0]", ":OUTPUT ACCEPT [0:0]"];
    const n = 4_000;
    for (let i = 0; i < n; i++) lines.push(`-A INPUT -s 10.${i >> 8}.${i & 255}.1/32 -j ACCEPT`);
    lines.push("-A INPUT -s 10.0.0.0/8 -p udp -m udp --dport 123 -j DROP", "-A INPUT -p udp -m udp --dport 123 -j ACCEPT", "COMMIT", "");
    const f = analyzeIptables(parseIptablesSave(lines.join("\n"), "iptables-save", "ipv4"), LOOPBACK.ipv4, []).facts;
    const allowed = AddressSet.of("ipv4", Array.from({ length: n }, (_, i) => `10.${i >> 8}.${i & 255}.1`));
    expect(f.ntp_inbound.may_accept).toEqual(EVERYONE.subtract(AddressSet.of("ipv4", ["10.0.0.0/8"])).union(allowed).toCidrs());
    expect(f.shadowed_rules).toEqual([]);
    expect(f.ntp_inbound.accepted_by).toHaveLength(n + 1);
  });
});
