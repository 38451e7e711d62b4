import { describe, expect, test } from "vitest";
import ipaddr from "ipaddr.js";
import { parseAddress, rangeToPrefixes } from "../../src/parse/iptables/addresses.js";
import { parsePorts } from "../../src/parse/iptables/ports.js";
import { unquote } from "../../src/parse/iptables/quoting.js";
import { BODY, filter, onlyRule, where } from "./iptables-helpers.js";

describe("normalised values", () => {
  test.each([
    ["10.0.0.0/8", ["10.0.0.0/8"]],
    ["192.0.2.7", ["192.0.2.7/32"]],
    ["192.168.0.0/8", ["192.0.0.0/8"]],
    ["172.0.0.0/255.255.0.0", ["172.0.0.0/16"]],
    ["10.1.2.3/0", ["0.0.0.0/0"]],
    ["10.0.0.1,10.0.0.2/31,192.0.2.0/24", ["10.0.0.1/32", "10.0.0.2/31", "192.0.2.0/24"]],
  ])("IPv4 source %s", (written, prefixes) => {
    expect(onlyRule(filter([`-A INPUT -s ${written} -j ACCEPT`])).source).toEqual({
      prefixes,
      negated: false,
      written,
      hostnames: [],
      otherFamily: [],
      nonContiguous: [],
    });
  });

  test.each([
    ["::1", ["::1/128"]],
    ["::1/128", ["::1/128"]],
    ["fe80::/10", ["fe80::/10"]],
    ["2001:DB8:0:0:1::1/64", ["2001:db8::/64"]],
    ["fc00::/7", ["fc00::/7"]],
  ])("IPv6 destination %s", (written, prefixes) => {
    expect(onlyRule(filter([`-A INPUT -d ${written} -j ACCEPT`], "ipv6")).destination?.prefixes).toEqual(prefixes);
  });

  test("host names are kept and flagged; non-contiguous masks are kept as written", () => {
    const rule = onlyRule(filter(["-A INPUT -s ntp.example.org,10.0.0.0/255.0.255.0 -d localhost -j ACCEPT"]));
    expect(rule.source).toMatchObject({ prefixes: [], hostnames: ["ntp.example.org"], nonContiguous: ["10.0.0.0/255.0.255.0"] });
    expect(rule.destination).toMatchObject({ prefixes: [], hostnames: ["localhost"] });
  });

  test("interfaces with + wildcards", () => {
    const rule = onlyRule(filter(["-A INPUT ! -i br-+ -j ACCEPT"]));
    expect(rule.inInterface).toEqual({ name: "br-+", wildcard: true, prefix: "br-", negated: true });
  });

  test.each([
    ["-p TCP", { value: "tcp", number: 6, negated: false }],
    ["-p ALL", { value: "all", number: 0, negated: false }],
    ["-p 17", { value: "udp", number: 17, negated: false }],
    ["-p 50", { value: "esp", number: 50, negated: false }],
    ["! -p icmp", { value: "icmp", number: 1, negated: true }],
    ["-p 253", { value: "253", number: 253, negated: false }],
    ["-p ospf", { value: "ospf", number: 89, negated: false }],
  ])("protocol %s", (written, protocol) => {
    expect(onlyRule(filter([`-A INPUT ${written} -j ACCEPT`])).protocol).toEqual(protocol);
  });

  test("icmpv6 names load the icmp6 match implicitly", () => {
    const rule = onlyRule(filter(["-A INPUT -p icmpv6 --icmpv6-type echo-request -j ACCEPT"], "ipv6"));
    expect(rule.protocol).toEqual({ value: "ipv6-icmp", number: 58, negated: false });
    expect(rule.matches[0]).toMatchObject({ module: "icmp6", implicit: true, options: [{ name: "icmpv6-type", values: ["echo-request"] }] });
  });

  test.each([
    ["--dport 123", "dport", { ranges: [[123, 123]], negated: false, unresolved: [] }],
    ["--dport 100:200", "dport", { ranges: [[100, 200]], negated: false, unresolved: [] }],
    ["--sport :1024", "sport", { ranges: [[0, 1024]], negated: false, unresolved: [] }],
    ["--sport 1024:", "sport", { ranges: [[1024, 65535]], negated: false, unresolved: [] }],
    ["! --dport 0:1023", "dport", { ranges: [[0, 1023]], negated: true, unresolved: [] }],
    ["--dport ntp", "dport", { ranges: [[123, 123]], negated: false, unresolved: [] }],
    ["--destination-port 53", "dport", { ranges: [[53, 53]], negated: false, unresolved: [] }],
    ["--dport frobnitz", "dport", { ranges: [], negated: false, unresolved: ["frobnitz"] }],
  ])("tcp/udp ports %s", (written, field, set) => {
    const rule = onlyRule(filter([`-A INPUT -p udp -m udp ${written} -j ACCEPT`]));
    expect(rule.ports[field as "sport" | "dport"]).toEqual(set);
  });

  test("multiport lists and ranges; --ports is 'either'", () => {
    const rule = onlyRule(filter(["-A INPUT -p udp -m multiport --dports 53,123,1000:2000,124 -m multiport ! --ports 5404,5405 -j ACCEPT"]));
    expect(rule.ports).toEqual({
      sport: null,
      dport: { ranges: [[53, 53], [123, 124], [1000, 2000]], negated: false, unresolved: [] },
      either: { ranges: [[5404, 5405]], negated: true, unresolved: [] },
    });
  });

  test("several constraints on one port field are intersected into one positive set", () => {
    const rule = onlyRule(filter(["-A INPUT -p udp -m udp ! --dport 100:200 -m multiport --dports 50,150,250:300 -j ACCEPT"]));
    expect(rule.ports.dport).toEqual({ ranges: [[50, 50], [250, 300]], negated: false, unresolved: [] });
  });

  test("conntrack and state sets (unordered, negated, intersected)", () => {
    expect(onlyRule(filter(["-A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT"])).conntrack).toEqual({
      states: ["ESTABLISHED", "RELATED"],
      negated: false,
    });
    expect(onlyRule(filter(["-A INPUT -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP"])).conntrack).toEqual({
      states: ["DNAT", "ESTABLISHED", "RELATED"],
      negated: true,
    });
    expect(onlyRule(filter(["-A INPUT -m state --state new,established -m conntrack ! --ctstate ESTABLISHED -j ACCEPT"])).conntrack).toEqual({
      states: ["NEW"],
      negated: false,
    });
  });

  test("iprange to CIDR prefixes", () => {
    const rule = onlyRule(filter(["-A INPUT -m iprange --src-range 10.0.0.1-10.0.0.9 ! --dst-range 192.0.2.0-192.0.2.255 -j ACCEPT"]));
    expect(rule.ipRange).toEqual({
      source: { from: "10.0.0.1", to: "10.0.0.9", prefixes: ["10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/30", "10.0.0.8/31"], negated: false },
      destination: { from: "192.0.2.0", to: "192.0.2.255", prefixes: ["192.0.2.0/24"], negated: true },
    });
    const v6 = onlyRule(filter(["-A INPUT -m iprange --src-range 2001:db8::-2001:db8::ffff -j ACCEPT"], "ipv6"));
    expect(v6.ipRange.source?.prefixes).toEqual(["2001:db8::/112"]);
    expect(where(filter(["-A INPUT -m iprange --src-range 10.0.0.1-nope -j ACCEPT"]))).toEqual([`${BODY}:21 syntax`]);
  });

  test("rules without those matches share empty port and range records", () => {
    const rule = onlyRule(filter(["-A INPUT -j ACCEPT"]));
    expect(rule.ports).toEqual({ sport: null, dport: null, either: null });
    expect(rule.ipRange).toEqual({ source: null, destination: null });
    expect(rule.conntrack).toBeNull();
  });

  test("helpers", () => {
    expect(unquote('"a \\"b\\" \\\\ c"')).toBe('a "b" \\ c');
    expect(unquote('pre"fix"')).toBe("prefix");
    expect(parsePorts("22,80,443,1000:2000", true)).toEqual({ ranges: [[22, 22], [80, 80], [443, 443], [1000, 2000]], unresolved: [], count: 5 });
    expect(unquote('"open to the end')).toBe("open to the end");
    expect(unquote('"open with \\')).toBe("open with ");
    expect(rangeToPrefixes(0n, 4294967295n, "ipv4")).toEqual(["0.0.0.0/0"]);
    expect(rangeToPrefixes(5n, 5n, "ipv4")).toEqual(["0.0.0.5/32"]);
  });
});

describe("IPv4 addresses read without ipaddr.js (the a.b.c.d[/len] fast path)", () => {
  /** What ipaddr.js makes of `text` (digits, dots and a slash only): the prefix, or null when it is no address. */
  function reference(text: string): string | null {
    const [host, mask, extra] = text.split("/") as [string, string | undefined, string | undefined];
    if (extra !== undefined || !ipaddr.IPv4.isValidFourPartDecimal(host)) return null;
    if (mask !== undefined && !/^\d{1,2}$/.test(mask)) return null;
    const len = mask === undefined ? 32 : Number(mask);
    if (len > 32) return null;
    return `${ipaddr.IPv4.networkAddressFromCIDR(`${host}/${len}`).toString()}/${len}`;
  }

  test("agrees with ipaddr.js on 20,000 dotted strings, leading zeros, out-of-range parts and masks included", () => {
    let seed = 11;
    const random = (n: number) => {
      seed = (seed + 0x6d2b79f5) >>> 0;
      let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
    };
    const part = () => (random(10) < 8 ? String(random(256)) : ["00", "01", "256", "999", ""][random(5)]!);
    const cases = ["0.0.0.0", "255.255.255.255/0", "10.1.2.3/08", "10.1.2.3/", "1.2.3", "1.2.3.4.5", "1.2.3.4/33", ".1.2.3", "1.2.3.4."];
    for (let i = 0; i < 20_000; i++) {
      const quad = Array.from({ length: random(8) === 0 ? 3 + 2 * random(2) : 4 }, part).join(".");
      cases.push(random(3) === 0 ? quad : `${quad}/${[String(random(40)), "0", "00", "32", "033", ""][random(6)]}`);
    }
    let addresses = 0;
    for (const text of cases) {
      const expected = reference(text);
      const got = parseAddress(text, "ipv4");
      if (expected === null) expect(got.prefix, text).toBeUndefined();
      else {
        expect(got, text).toEqual({ prefix: expected });
        expect(parseAddress(text, "ipv6"), text).toEqual({ otherFamily: expected });
        addresses++;
      }
    }
    expect(addresses).toBeGreaterThan(1000);
  });
});
