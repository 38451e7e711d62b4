import { describe, expect, it } from "vitest";
import { AddressSet, LOOPBACK } from "../../src/analyze/address-set.js";
import { analyzeFamily } from "../../src/analyze/firewall/analysis.js";
import { netfilterFromNft } from "../../src/analyze/firewall/from-nft.js";
import type { AssociationFact } from "../../src/model/input.js";
import { parseNftJson, parseNftRuleset } from "../../src/parse/nft/index.js";

function analyze(text: string, options: { family?: "ipv4" | "ipv6"; trusted?: string[]; upstreams?: AssociationFact[]; allowErrors?: boolean } = {}) {
  const family = options.family ?? "ipv4";
  const ruleset = parseNftRuleset(text, "nftables.conf");
  if (!options.allowErrors) expect(ruleset.diagnostics).toEqual([]);
  const trusted = AddressSet.of(family, options.trusted ?? []).union(LOOPBACK[family]);
  const model = netfilterFromNft({ ruleset, file: "nftables.conf", texts: new Map([["nftables.conf", text]]) }, family);
  return analyzeFamily(model, trusted, options.upstreams ?? []).facts;
}

const EVERYONE_V4 = AddressSet.all("ipv4").subtract(LOOPBACK.ipv4).toCidrs();

const input = (policy: string, ...rules: string[]) =>
  `table inet filter {\n  chain input {\n    type filter hook input priority filter; policy ${policy};\n${rules.map((r) => `    ${r}\n`).join("")}  }\n}\n`;

describe("nftables rulesets in the netfilter analysis", () => {
  it("accepts everyone under an accept policy, and nothing is said about an empty ruleset", () => {
    const f = analyze(input("accept"));
    expect(f.ntp_inbound.may_accept).toEqual(EVERYONE_V4);
    expect(f.ntp_inbound.must_accept).toEqual(EVERYONE_V4);
    expect(f.input_policy).toBe("ACCEPT");
    expect(f.default_deny).toBe(false);
    const empty = analyze("flush ruleset\n");
    expect(empty.empty).toBe(true);
  });

  it("follows sets with intervals, prefixes and ranges, and quotes the line", () => {
    const text = [
      "define trusted = { 10.0.0.0/8, 192.0.2.1-192.0.2.9 }",
      "table inet filter {",
      "  set peers { type ipv4_addr; flags interval; elements = { 198.51.100.0/24 } }",
      "  chain input {",
      "    type filter hook input priority filter; policy drop;",
      "    iif lo accept",
      "    meta l4proto { tcp, udp } th dport 123 ip saddr $trusted accept",
      "    ip saddr @peers udp dport ntp accept",
      "  }",
      "}",
    ].join("\n");
    const f = analyze(text, { trusted: ["10.0.0.0/8"] });
    expect(AddressSet.of("ipv4", f.ntp_inbound.must_accept).equals(AddressSet.of("ipv4", ["10.0.0.0/8", "198.51.100.0/24", "192.0.2.1/32", "192.0.2.2/31", "192.0.2.4/30", "192.0.2.8/31"]))).toBe(true);
    expect(f.ntp_inbound.may_accept).toEqual(f.ntp_inbound.must_accept);
    expect(f.ntp_inbound.accepted_untrusted_by.map((e) => [e.location.line, e.text])).toEqual([
      [7, "meta l4proto { tcp, udp } th dport 123 ip saddr $trusted accept"],
      [8, "ip saddr @peers udp dport ntp accept"],
    ]);
    expect(f.input_policy).toBe("DROP");
    expect(f.input_policy_text).toBe("type filter hook input priority filter; policy drop;");
    expect(f.default_deny).toBe(true);
    expect(f.loopback.accept_rule?.text).toBe("iif lo accept");
    // IPv6: the `ip saddr` rules never match IPv6 packets
    const v6 = analyze(text, { family: "ipv6" });
    expect(v6.ntp_inbound.may_accept).toEqual([]);
  });

  it("expands verdict maps and concatenations into one rule per element", () => {
    const f = analyze(
      [
        "table ip t {",
        "  set pairs { type ipv4_addr . inet_service; elements = { 203.0.113.7 . 123, 203.0.113.8 . 22 } }",
        "  chain input {",
        "    type filter hook input priority 0; policy drop;",
        "    ip saddr . udp dport @pairs accept",
        "    udp dport vmap { 123 : jump ntp, 22 : drop }",
        "  }",
        "  chain ntp { ip saddr 192.0.2.0/24 accept; ip saddr 198.51.100.0/24 drop; return }",
        "}",
      ].join("\n"),
    );
    expect(f.ntp_inbound.must_accept).toEqual(["192.0.2.0/24", "203.0.113.7/32"]);
    expect(f.ntp_inbound.may_accept).toEqual(["192.0.2.0/24", "203.0.113.7/32"]);
  });

  it("runs several base chains on one hook in priority order: an accept ends only its own chain", () => {
    const f = analyze(
      [
        "table inet a { chain in { type filter hook input priority 10; policy accept; udp dport 123 ip saddr 10.0.0.0/8 drop } }",
        "table inet b { chain in { type filter hook input priority -10; policy accept; udp dport 123 accept } }",
      ].join("\n"),
    );
    expect(AddressSet.of("ipv4", f.ntp_inbound.must_accept).equals(AddressSet.of("ipv4", EVERYONE_V4).subtract(AddressSet.of("ipv4", ["10.0.0.0/8"])))).toBe(true);
  });

  it("treats ct state, limits, marks and unknown statements soundly", () => {
    const f = analyze(
      input(
        "drop",
        "ct state established,related accept",
        "ct state invalid drop",
        "udp dport 123 limit rate 10/second accept",
        "meta mark 0x1 udp dport 123 ip saddr 192.0.2.0/24 accept",
        'udp dport 123 ip saddr 198.51.100.0/24 xt match "foo" accept',
      ),
    );
    expect(f.ntp_inbound.must_accept).toEqual([]);
    expect(f.ntp_inbound.may_accept).toEqual(EVERYONE_V4);
    expect(f.ntp_inbound.rate_limited_by.map((e) => e.location.line)).toEqual([6]);
    expect(f.ntp_inbound.assumptions.map((a) => a.reason).join(" | ")).toMatch(/limit .*10\/second.*meta mark 0x1.*xt match "foo": not understood/);
  });

  it("never reads a netdev drop as certain, and a refused file as 'anything may happen'", () => {
    const netdev = analyze(
      input("accept") + 'table netdev edge { chain ingress { type filter hook ingress device "eth0" priority 0; policy drop; } }\n',
    );
    expect(netdev.ntp_inbound.may_accept).toEqual(EVERYONE_V4);
    expect(netdev.ntp_inbound.must_accept).toEqual([]);
    const refused = analyze(`${input("drop", "udp dport 123 accept")}}\n`, { allowErrors: true });
    expect(refused.complete).toBe(false);
    expect(refused.incomplete_reasons[0]!.reason).toMatch(/nft -f would refuse the file/);
    expect(refused.ntp_inbound.may_accept).toEqual(EVERYONE_V4);
    expect(refused.ntp_inbound.must_accept).toEqual([]);
  });

  it("reads nft -j JSON to the same verdicts as the text", () => {
    const json = JSON.stringify({
      nftables: [
        { table: { family: "inet", name: "filter", handle: 1 } },
        { chain: { family: "inet", table: "filter", name: "input", handle: 1, type: "filter", hook: "input", prio: 0, policy: "drop" } },
        {
          rule: {
            family: "inet", table: "filter", chain: "input", handle: 2,
            expr: [
              { match: { op: "==", left: { payload: { protocol: "udp", field: "dport" } }, right: 123 } },
              { match: { op: "==", left: { payload: { protocol: "ip", field: "saddr" } }, right: { prefix: { addr: "10.0.0.0", len: 8 } } } },
              { accept: null },
            ],
          },
        },
      ],
    });
    const ruleset = parseNftJson(json, "nft-ruleset.json");
    expect(ruleset.diagnostics).toEqual([]);
    const model = netfilterFromNft({ ruleset, file: "nft-ruleset.json" }, "ipv4");
    const f = analyzeFamily(model, LOOPBACK.ipv4, []).facts;
    expect(f.ntp_inbound.must_accept).toEqual(["10.0.0.0/8"]);
    expect(f.ntp_inbound.accepted_by[0]!.text).toBe("udp dport 123 ip saddr 10.0.0.0/8 accept");
  });
});
