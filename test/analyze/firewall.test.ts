import { describe, expect, it } from "vitest";
import { AddressSet, LOOPBACK } from "../../src/analyze/address-set.js";
import { analyzeIptables } from "../../src/analyze/firewall/analysis.js";
import type { AssociationFact } from "../../src/model/input.js";
import { parseIptablesSave } from "../../src/parse/iptables/index.js";

function analyze(body: string, options: { family?: "ipv4" | "ipv6"; trusted?: string[]; upstreams?: AssociationFact[] } = {}) {
  const family = options.family ?? "ipv4";
  const ruleset = parseIptablesSave(body, "iptables-save", family);
  expect(ruleset.diagnostics.filter((d) => d.kind === "syntax")).toEqual([]);
  const trusted = AddressSet.of(family, options.trusted ?? []).union(LOOPBACK[family]);
  return analyzeIptables(ruleset, trusted, options.upstreams ?? []).facts;
}

const filter = (policy: string, ...rules: string[]) => `*filter\n:INPUT ${policy} [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n${rules.join("\n")}\nCOMMIT\n`;

const EVERYONE_V4 = AddressSet.all("ipv4").subtract(LOOPBACK.ipv4).toCidrs();

describe("inbound UDP/123", () => {
  it("accepts everyone (but loopback martians) with an empty ACCEPT policy", () => {
    const f = analyze(filter("ACCEPT"));
    expect(f.ntp_inbound.may_accept).toEqual(EVERYONE_V4);
    expect(f.ntp_inbound.must_accept).toEqual(EVERYONE_V4);
    expect(f.default_deny).toBe(false);
    expect(f.ntp_inbound.accepted_by.map((e) => e.effect)).toEqual(["policy ACCEPT (no rule decides these packets)"]);
  });

  it("accepts exactly the allowed network under a DROP policy", () => {
    const f = analyze(filter("DROP", "-A INPUT -i lo -j ACCEPT", "-A INPUT -s 10.0.0.0/8 -p udp -m udp --dport 123 -j ACCEPT"), { trusted: ["10.0.0.0/8"] });
    expect(f.ntp_inbound.may_accept).toEqual(["10.0.0.0/8"]);
    expect(f.ntp_inbound.must_accept).toEqual(["10.0.0.0/8"]);
    expect(f.ntp_inbound.may_accept_untrusted).toEqual([]);
    expect(f.default_deny).toBe(true);
    expect(f.ntp_inbound.accepted_by.map((e) => e.location.line)).toEqual([6]);
  });

  it("follows negation, multiport, iprange and other ports", () => {
    const f = analyze(
      filter(
        "DROP",
        "-A INPUT -p udp -m multiport --dports 53,100:200 ! -s 192.0.2.0/24 -j ACCEPT",
        "-A INPUT -p udp -m udp --dport 124 -j ACCEPT",
        "-A INPUT -p tcp -m tcp --dport 123 -j ACCEPT",
        "-A INPUT -p udp -m iprange --src-range 198.51.100.10-198.51.100.20 -j ACCEPT",
      ),
    );
    const may = AddressSet.of("ipv4", f.ntp_inbound.may_accept);
    expect(may.contains(AddressSet.of("ipv4", ["192.0.2.7"]))).toBe(false);
    expect(may.contains(AddressSet.of("ipv4", ["203.0.113.9", "198.51.100.10/31"]))).toBe(true);
    expect(f.ntp_inbound.must_accept).toEqual(f.ntp_inbound.may_accept);
  });

  it("walks user chains with RETURN and never comes back from -g", () => {
    const f = analyze(
      `*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n:CHECK - [0:0]\n:FINAL - [0:0]\n` +
        "-A INPUT -p udp --dport 123 -j CHECK\n" +
        "-A INPUT -s 10.0.0.0/8 -j ACCEPT\n" +
        "-A CHECK -s 10.1.0.0/16 -j RETURN\n" +
        "-A CHECK -s 172.16.0.0/12 -g FINAL\n" +
        "-A CHECK -j ACCEPT\n" +
        "-A FINAL -s 172.16.0.0/16 -j ACCEPT\n" +
        "COMMIT\n",
    );
    // 10.1/16 returns and is accepted later; 172.16/16 accepted in FINAL; the rest of 172.16/12 falls
    // off FINAL, returns to INPUT's caller (nothing) and meets the DROP policy; everyone else is accepted.
    const may = AddressSet.of("ipv4", f.ntp_inbound.may_accept);
    expect(may.contains(AddressSet.of("ipv4", ["10.1.2.3", "172.16.9.9", "203.0.113.1"]))).toBe(true);
    expect(may.intersect(AddressSet.of("ipv4", ["172.17.0.0/16"])).isEmpty()).toBe(true);
  });

  it("lists undecidable matches as assumptions and keeps must below may", () => {
    const f = analyze(filter("DROP", "-A INPUT -p udp --dport 123 -m set --match-set friends src -j ACCEPT", "-A INPUT -p udp --dport 123 -s 192.0.2.0/24 -j ACCEPT"));
    expect(f.ntp_inbound.may_accept).toEqual(EVERYONE_V4);
    expect(f.ntp_inbound.must_accept).toEqual(["192.0.2.0/24"]);
    expect(f.ntp_inbound.assumptions).toHaveLength(1);
    expect(f.ntp_inbound.assumptions[0]!.reason).toMatch(/ipset/);
  });

  it("treats loopback as no exposure and other interfaces as undecidable", () => {
    expect(analyze(filter("DROP", "-A INPUT -i lo -j ACCEPT")).ntp_inbound.may_accept).toEqual([]);
    const eth = analyze(filter("DROP", "-A INPUT -i eth0 -p udp --dport 123 -j ACCEPT"));
    expect(eth.ntp_inbound.may_accept).toEqual(EVERYONE_V4);
    expect(eth.ntp_inbound.must_accept).toEqual([]);
  });

  it("knows that NOTRACK makes a query UNTRACKED, not NEW", () => {
    const body =
      "*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A PREROUTING -p udp --dport 123 -j NOTRACK\nCOMMIT\n" +
      filter("DROP", "-A INPUT -m conntrack --ctstate NEW -j ACCEPT");
    expect(analyze(body).ntp_inbound.may_accept).toEqual([]);
    const untrackedOk = "*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A PREROUTING -p udp --dport 123 -j CT --notrack\nCOMMIT\n" + filter("DROP", "-A INPUT -m state --state UNTRACKED -j ACCEPT");
    expect(analyze(untrackedOk).ntp_inbound.must_accept).toEqual(EVERYONE_V4);
  });

  it("follows DNAT/REDIRECT that move the port away from or onto 123", () => {
    const away = "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A PREROUTING -p udp --dport 123 -j REDIRECT --to-ports 124\nCOMMIT\n" + filter("ACCEPT");
    expect(analyze(away).ntp_inbound.may_accept).toEqual([]);
    const onto = "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A PREROUTING -s 198.51.100.0/24 -p udp --dport 5123 -j REDIRECT --to-ports 123\nCOMMIT\n" + filter("DROP", "-A INPUT -s 198.51.100.0/24 -p udp --dport 123 -j ACCEPT");
    expect(analyze(onto).ntp_inbound.may_accept).toEqual(["198.51.100.0/24"]);
  });

  it("says a truncated or unloadable dump is incomplete and proves nothing accepted", () => {
    const f = analyze("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p udp --dport 123 -j ACCEPT\n");
    expect(f.complete).toBe(false);
    expect(f.incomplete_reasons[0]!.reason).toMatch(/COMMIT/);
    expect(f.ntp_inbound.must_accept).toEqual([]);
    expect(f.ntp_inbound.may_accept).toEqual(EVERYONE_V4);
  });

  it("works for IPv6", () => {
    const f = analyze(filter("DROP", "-A INPUT -s 2001:db8::/32 -p udp --dport 123 -j ACCEPT"), { family: "ipv6" });
    expect(f.ntp_inbound.may_accept).toEqual(["2001:db8::/32"]);
    expect(f.ntp_inbound.untrusted_example).toBe("2001:db8::1");
  });

  it("finds NTP rules that earlier rules shadow", () => {
    const f = analyze(filter("DROP", "-A INPUT -p udp -j DROP", "-A INPUT -p udp --dport 123 -s 10.0.0.0/8 -j ACCEPT"));
    expect(f.shadowed_rules.map((r) => [r.location.line, r.shadowed_by.map((b) => b.location.line)])).toEqual([[6, [5]]]);
  });
});

describe("upstream paths", () => {
  const server = (address: string, kind: AssociationFact["address_kind"] = "ipv4"): AssociationFact => ({
    mode: "server",
    address,
    address_kind: kind,
    family: null,
    options: {},
    location: { file: "ntp.conf", line: 3, column: 1 },
    text: `server ${address}`,
    selectable: true,
    unusable_reasons: [],
  });

  it("is open when OUTPUT allows the query and INPUT the reply", () => {
    const f = analyze(filter("DROP", "-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT"), { upstreams: [server("203.0.113.10")] });
    expect(f.upstreams.map((u) => u.verdict)).toEqual(["open"]);
  });

  it("is blocked when replies are dropped, and names the rule", () => {
    const f = analyze(filter("DROP", "-A INPUT -p udp --sport 123 -j DROP", "-A INPUT -j ACCEPT"), { upstreams: [server("203.0.113.10"), server("ntp.example.com", "hostname")] });
    expect(f.upstreams.map((u) => u.verdict)).toEqual(["blocked", "blocked"]);
    expect(f.upstreams[0]!.blocked_by.map((b) => b.location.line)).toEqual([5]);
  });

  it("is blocked by an OUTPUT DROP policy without an NTP rule", () => {
    const body = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]\n-A OUTPUT -p tcp --dport 443 -j ACCEPT\nCOMMIT\n";
    const f = analyze(body, { upstreams: [server("203.0.113.10")] });
    expect(f.upstreams[0]!.verdict).toBe("blocked");
    expect(f.upstreams[0]!.blocked_by[0]!.effect).toBe("policy DROP");
  });
});
