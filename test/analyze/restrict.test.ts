import { describe, expect, it } from "vitest";
import { RestrictList, trustedNetworks } from "../../src/analyze/restrict.js";
import type { RestrictEntryFact } from "../../src/model/input.js";
import { restrictLine } from "./helpers.js";

function build(lines: string[], flavor: "ntpd" | "ntpsec" = "ntpd", trusted: string[] = []): RestrictEntryFact[] {
  const list = new RestrictList(flavor);
  for (const l of lines) list.apply(restrictLine(l));
  return list.facts(trustedNetworks(trusted)).entries;
}

const byPrefix = (entries: RestrictEntryFact[], family: string, prefix: string): RestrictEntryFact =>
  entries.find((e) => e.family === family && e.prefix === prefix)!;

describe("restrict list", () => {
  it("always has both built-in defaults: no flags in ntpd, noquery limited in ntpsec", () => {
    const ntpd = build([]);
    expect(ntpd.map((e) => [e.family, e.prefix, e.implicit, e.flags])).toEqual([
      ["ipv4", "0.0.0.0/0", true, []],
      ["ipv6", "::/0", true, []],
    ]);
    expect(ntpd.every((e) => e.governs_untrusted)).toBe(true);
    expect(build([], "ntpsec").map((e) => e.flags)).toEqual([["limited", "noquery"], ["limited", "noquery"]]);
  });

  it("applies `restrict default` to both families and -4/-6 to one", () => {
    const e = build(["restrict default kod nomodify", "restrict -6 default noquery"]);
    expect(byPrefix(e, "ipv4", "0.0.0.0/0").flags).toEqual(["kod", "nomodify"]);
    expect(byPrefix(e, "ipv6", "::/0").flags).toEqual(["kod", "nomodify", "noquery"]);
    expect(byPrefix(e, "ipv6", "::/0").lines.map((l) => l.text)).toHaveLength(2);
  });

  it("masks the address and merges identical entries by OR", () => {
    const e = build(["restrict 10.1.2.3 mask 255.0.0.0 nomodify", "restrict 10.0.0.0 mask 255.0.0.0 noquery"]);
    const ten = byPrefix(e, "ipv4", "10.0.0.0/8");
    expect(ten.flags).toEqual(["nomodify", "noquery"]);
    expect(ten.lines.map((l) => l.text)).toEqual(["restrict 10.1.2.3 mask 255.0.0.0 nomodify", "restrict 10.0.0.0 mask 255.0.0.0 noquery"]);
    expect(ten.mask).toBe("255.0.0.0");
  });

  it("treats an address without mask as a host entry and accepts ntpsec CIDR", () => {
    const e = build(["restrict 10.0.0.0", "restrict 192.168.0.0/16 noquery"]);
    expect(byPrefix(e, "ipv4", "10.0.0.0/32").kind).toBe("address");
    expect(byPrefix(e, "ipv4", "192.168.0.0/16").flags).toEqual(["noquery"]);
  });

  it("computes which entry governs untrusted addresses by longest-prefix match", () => {
    const e = build(
      ["restrict default noquery", "restrict 10.0.0.0 mask 255.0.0.0 nomodify", "restrict 127.0.0.1", "restrict ::1"],
      "ntpd",
      ["10.0.0.0/8"],
    );
    expect(byPrefix(e, "ipv4", "10.0.0.0/8").governs_untrusted).toBe(false);
    expect(byPrefix(e, "ipv4", "10.0.0.0/8").governs_non_loopback).toBe(true);
    expect(byPrefix(e, "ipv4", "127.0.0.1/32").governs_non_loopback).toBe(false);
    expect(byPrefix(e, "ipv6", "::1/128").governs_untrusted).toBe(false);
    const def = byPrefix(e, "ipv4", "0.0.0.0/0");
    expect(def.governs_untrusted).toBe(true);
    expect(def.untrusted_example).toBe("203.0.113.1");
  });

  it("knows that a wide entry outside the trusted networks governs untrusted hosts", () => {
    const e = build(["restrict default noquery", "restrict 10.0.0.0 mask 254.0.0.0 nomodify"], "ntpd", ["10.0.0.0/8"]);
    const wide = byPrefix(e, "ipv4", "10.0.0.0/7");
    expect(wide.governs_untrusted).toBe(true);
    expect(wide.untrusted_example).toBe("11.0.0.1");
  });

  it("does not let an ntpport entry shadow an ordinary one (a query may come from any port)", () => {
    const e = build(["restrict default noquery", "restrict 192.0.2.0 mask 255.255.255.0 ntpport", "restrict 192.0.2.0 mask 255.255.255.0"]);
    const plain = e.find((x) => x.prefix === "192.0.2.0/24" && !x.ntpport)!;
    expect(plain.governs_untrusted).toBe(true);
    const port = e.find((x) => x.prefix === "192.0.2.0/24" && x.ntpport)!;
    expect(port.flags).toEqual([]);
  });

  it("keeps host names as entries that may govern any address", () => {
    const e = build(["restrict time.example.com nomodify"]);
    const named = e.find((x) => x.kind === "hostname")!;
    expect(named.prefix).toBe("time.example.com");
    expect(named.governs_untrusted).toBe(true);
    expect(named.untrusted_example).toBeNull();
  });

  it("handles unrestrict and delrestrict like ntpsec and ntpd", () => {
    const e = build(["restrict 10.0.0.0/8 noquery nomodify", "unrestrict 10.0.0.0/8 noquery", "restrict 172.16.0.0/12 noquery", "delrestrict 172.16.0.0/12"], "ntpsec");
    expect(byPrefix(e, "ipv4", "10.0.0.0/8").flags).toEqual(["nomodify"]);
    expect(e.find((x) => x.prefix === "172.16.0.0/12")).toBeUndefined();
    const d = build(["restrict default noquery", "unrestrict default"], "ntpsec");
    expect(byPrefix(d, "ipv4", "0.0.0.0/0").flags).toEqual(["limited", "noquery"]);
  });

  it("keeps the restrict source template apart from the list", () => {
    const list = new RestrictList("ntpd");
    list.apply(restrictLine("restrict source notrap nomodify noquery"));
    const facts = list.facts(trustedNetworks([]));
    expect(facts.source?.flags).toEqual(["nomodify", "noquery", "notrap"]);
    expect(facts.entries).toHaveLength(2);
  });

  it("looks up the entry a packet would match", () => {
    const list = new RestrictList("ntpd");
    list.apply(restrictLine("restrict default ignore"));
    list.apply(restrictLine("restrict 192.0.2.1 nomodify"));
    expect(list.lookup("192.0.2.1")?.flags).toEqual(["nomodify"]);
    expect(list.lookup("192.0.2.2")?.flags).toEqual(["ignore"]);
    expect(list.lookup("not-an-address")).toBeNull();
  });
});
