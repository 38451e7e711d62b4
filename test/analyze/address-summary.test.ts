/**
 * Address sets described by what they leave out, for messages: "any address except 10.0.0.0/8 and loopback"
 * instead of "128.0.0.0/1, 0.0.0.0/2, 64.0.0.0/3 and 5 more" (src/analyze/address-summary.ts), and the same
 * wording end to end in the findings of the real policy.
 */
import { describe, expect, it } from "vitest";
import { AddressSet } from "../../src/analyze/address-set.js";
import { addressListKey, addressSummaries, describeByExclusion } from "../../src/analyze/address-summary.js";
import { trustedNetworks } from "../../src/analyze/trust.js";
import { cli } from "../e2e/cli.js";

const NONE = trustedNetworks([]);
const TEN = trustedNetworks(["10.0.0.0/8", "2001:db8::/32"]);
const everythingBut = (family: "ipv4" | "ipv6", cidrs: string[]) => AddressSet.of(family, cidrs).complement();

describe("describeByExclusion", () => {
  it("names the whole space, loopback and up to three other blocks left out", () => {
    expect(describeByExclusion(AddressSet.all("ipv4"), NONE)).toBe("any address");
    expect(describeByExclusion(everythingBut("ipv4", ["127.0.0.0/8"]), NONE)).toBe("any address except loopback");
    expect(describeByExclusion(everythingBut("ipv4", ["127.0.0.0/8", "10.0.0.0/8"]), TEN)).toBe("any address except 10.0.0.0/8 and loopback");
    expect(describeByExclusion(everythingBut("ipv6", ["::1/128", "2001:db8::/32"]), TEN)).toBe("any address except 2001:db8::/32 and loopback");
    expect(describeByExclusion(everythingBut("ipv4", ["10.0.0.0/8", "192.168.0.0/16"]), NONE)).toBe("any address except 10.0.0.0/8 and 192.168.0.0/16");
    expect(describeByExclusion(everythingBut("ipv4", ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8"]), NONE)).toBe(
      "any address except 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 and loopback",
    );
  });

  it("names many trusted networks as such, and gives up when what is left out is neither few blocks nor them", () => {
    const many = ["10.1.0.0/16", "10.3.0.0/16", "10.5.0.0/16", "10.7.0.0/16"];
    expect(describeByExclusion(everythingBut("ipv4", [...many, "127.0.0.0/8"]), trustedNetworks(many))).toBe("any address except the trusted networks and loopback");
    expect(describeByExclusion(everythingBut("ipv4", [...many, "127.0.0.0/8"]), NONE)).toBeNull();
    expect(describeByExclusion(AddressSet.of("ipv4", ["192.0.2.0/24"]), NONE)).toBeNull();
    expect(describeByExclusion(AddressSet.empty("ipv4"), NONE)).toBeNull();
    // Part of loopback only: not "loopback", the blocks themselves.
    expect(describeByExclusion(everythingBut("ipv4", ["127.0.0.1/32"]), NONE)).toBe("any address except 127.0.0.1/32");
  });
});

describe("addressSummaries", () => {
  it("describes every CIDR list of the facts, keyed by its CIDRs sorted, and skips other lists", () => {
    const untrusted = everythingBut("ipv4", ["127.0.0.0/8", "10.0.0.0/8"]).toCidrs();
    const facts = {
      firewall: { ipv4: { ntp_inbound: { must_accept_untrusted: untrusted, notes: ["a", "b"], lines: [{ text: "x" }] } }, ipv6: null },
      exposure: { ipv4: { served_but_blocked: ["192.0.2.0/24"] } },
    };
    expect(untrusted.length).toBeGreaterThan(3);
    expect(addressSummaries(facts, TEN)).toEqual({ [addressListKey(untrusted)]: "any address except 10.0.0.0/8 and loopback" });
    expect(addressListKey(["b/1", "a/2"])).toBe("a/2, b/1");
  });
});

describe("the wording in findings", () => {
  it("FW001 and XL001 on an open host with a trusted LAN say what is left out", () => {
    const r = cli(["check", "examples/host-dump/ntp-open", "--trusted", "10.0.0.0/8", "--format", "json"]);
    const messages = (JSON.parse(r.stdout) as { hosts: Array<{ findings: Array<{ rule: string; message: string }> }> }).hosts[0]!.findings
      .filter((f) => f.rule === "FW001" || f.rule === "XL001")
      .map((f) => f.message);
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) {
      expect(m).toContain("any address except 10.0.0.0/8 and loopback");
      expect(m).not.toMatch(/and \d+ more/);
    }
  }, 30_000);
});
