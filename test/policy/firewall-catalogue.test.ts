/**
 * The firewall catalogue rules FW008–FW011 through the COMPILED policy (policies/build/policy.wasm), on the
 * hand-written fixtures of test/fixtures/policy/firewall-catalogue-hosts.ts. `opa test` covers the same rules with
 * Go's evaluator; this proves the wasm build behaves the same, and that missing facts never make a violation vanish.
 *
 * Only the FW and XL violations are compared: these fixtures are about the firewall, and whether an NTP rule fires
 * on the fixtures' ntp.conf under a profile is the NTP rules' business (their own suites pin it).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { expectFailingAndPassingFixtures, expectFixture } from "./fixture-check.js";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { getRule, loadCatalog } from "../../src/policy/catalog.js";
import { loadPolicyEngine, type PolicyEngine } from "../../src/policy/engine.js";
import { PACKAGE_ROOT } from "../../src/policy/paths.js";
import type { Violation } from "../../src/model/finding.js";
import type { PolicyInput } from "../../src/model/input.js";
import { CATALOGUE_FIXTURES, CATALOGUE_GOLDEN, CATALOGUE_RULES, strictFamily, strictHost } from "../fixtures/policy/firewall-catalogue-hosts.js";
import { firewall, host, v4, v6 } from "../fixtures/policy/hosts.js";

let engine: PolicyEngine;

beforeAll(async () => {
  engine = await loadPolicyEngine();
});

const isFirewallRule = (id: string) => /^(FW|XL)\d{3}$/.test(id);

/** The FW and XL violations the compiled policy returns, in engine order. */
const firewallViolations = (input: PolicyInput): Violation[] => engine.evaluate(input).filter((v) => isFirewallRule(v.rule));

const PACKAGES: Record<string, [string, string]> = {
  FW008: ["low", "ntp_policy.rules.firewall.loopback_rules_missing"],
  FW009: ["low", "ntp_policy.rules.firewall.tcp_ntp_accepted"],
  FW010: ["low", "ntp_policy.rules.firewall.ntp_not_rate_limited"],
  FW011: ["medium", "ntp_policy.rules.firewall.forward_output_not_drop"],
};

/** The `custom` block of a rule's package METADATA, read from its Rego source (the single source of the catalogue). */
function metadataCustom(id: string): Record<string, unknown> {
  const rule = getRule(id)!;
  const lines: string[] = [];
  for (const line of readFileSync(path.join(PACKAGE_ROOT, rule.source), "utf8").split("\n")) {
    if (line.startsWith("package ")) break;
    if (line === "# METADATA") continue;
    lines.push(line.replace(/^# ?/, ""));
  }
  return (parseYaml(lines.join("\n")) as { custom: Record<string, unknown> }).custom;
}

describe("firewall catalogue fixtures (FW008–FW011) through policy.wasm", () => {
  it.each(CATALOGUE_FIXTURES.map((f) => [f.name, f] as const))("%s", (_name, fixture) => {
    expectFixture(firewallViolations(fixture.input), fixture);
  });

  it("every catalogue rule has a failing and a passing fixture", () => {
    expectFailingAndPassingFixtures(CATALOGUE_RULES, CATALOGUE_FIXTURES);
  });

  it("builds exactly the violation the Rego unit tests expect (no sprintf, same strings in wasm)", () => {
    expect(firewallViolations(CATALOGUE_GOLDEN.input)).toEqual(CATALOGUE_GOLDEN.violations);
  });

  it("fires FW011 on the compliant host() of hosts.ts (OUTPUT ACCEPT) and nothing else from the catalogue", () => {
    expect(
      firewallViolations(host())
        .filter((v) => CATALOGUE_RULES.includes(v.rule))
        .map((v) => [v.rule, v.location]),
    ).toEqual([
      ["FW011", v6(1)],
      ["FW011", v4(1)],
    ]);
  });
});

describe("policy.wasm on catalogue facts with missing fields (no violation may silently disappear)", () => {
  it("a family with only its file fails FW008 and FW011 (missing rules and policies are not proof), not FW009 or FW010", () => {
    const input = { ...strictHost("cis"), firewall: { ipv4: { file: "iptables-save" }, ipv6: strictFamily("ipv6") } } as unknown as PolicyInput;
    const got = firewallViolations(input).filter((v) => CATALOGUE_RULES.includes(v.rule));
    expect(got.map((v) => [v.rule, v.location])).toEqual([
      ["FW008", v4(1)],
      ["FW011", v4(1)],
    ]);
    expect(got[0]!.message).toContain("no rule that accepts all loopback traffic");
    expect(got[0]!.message).toContain("no rule that drops loopback sources");
    expect(got[1]!.message).toContain("no FORWARD policy is set (the kernel's ACCEPT stays) and no OUTPUT policy is set");
  });

  it("TCP/123 and untrusted UDP/123 on a bare family still fail FW009 and FW010 at line 1", () => {
    const bare = { file: "iptables-save", tcp_ntp_may_accept_untrusted: ["0.0.0.0/0"], ntp_inbound: { may_accept_untrusted: ["0.0.0.0/0"] } };
    const input = { ...strictHost("stig"), firewall: { ipv4: bare, ipv6: strictFamily("ipv6") } } as unknown as PolicyInput;
    const got = firewallViolations(input).filter((v) => ["FW009", "FW010"].includes(v.rule));
    expect(got.map((v) => [v.rule, v.location])).toEqual([
      ["FW009", v4(1)],
      ["FW010", v4(1)],
    ]);
  });

  it("a null family is silent for every catalogue rule", () => {
    const input = strictHost("cis", { firewall: firewall({ ipv4: null, ipv6: null }) });
    expect(firewallViolations(input).filter((v) => CATALOGUE_RULES.includes(v.rule))).toEqual([]);
  });
});

describe("catalogue METADATA of FW008–FW011", () => {
  it("the catalogue carries their severities and packages", () => {
    const got = Object.fromEntries(
      loadCatalog()
        .filter((r) => CATALOGUE_RULES.includes(r.id))
        .map((r) => [r.id, [r.severity, r.package]]),
    );
    expect(got).toEqual(PACKAGES);
  });

  it("declares the profiles each rule belongs to: none is in the baseline profile (FW011 would fire on the baseline host())", () => {
    const expected = {
      FW008: ["cis", "stig"],
      FW009: ["cis", "stig"],
      FW010: ["stig"],
      FW011: ["cis"],
    };
    expect(Object.fromEntries(CATALOGUE_RULES.map((id) => [id, metadataCustom(id).profiles]))).toEqual(expected);
    expect(Object.fromEntries(CATALOGUE_RULES.map((id) => [id, getRule(id)!.profiles]))).toEqual(expected);
  });

  it("gives one failing and one passing iptables-save line per rule", () => {
    for (const id of CATALOGUE_RULES) {
      const examples = metadataCustom(id).examples as { fail: unknown; pass: unknown };
      for (const line of [examples.fail, examples.pass]) {
        expect(typeof line, id).toBe("string");
        expect(line as string, id).toMatch(/^(-A [A-Z]+ |:[A-Z]+ (ACCEPT|DROP) \[0:0\]$)/);
        expect(line as string, id).not.toContain("\n");
      }
    }
  });

  it("maps them to the CIS, SSG, STIG and NIST controls they implement", () => {
    const ids = (id: string) => getRule(id)!.references.map((r) => `${r.kind} ${r.id}`);
    expect(ids("FW008")).toEqual(
      expect.arrayContaining([
        "CIS Ubuntu 20.04 v2.0.0 3.4.3.2.2",
        "CIS Ubuntu 20.04 v2.0.0 3.4.3.3.2",
        "CIS Ubuntu 22.04 v2.0.0 4.3.2.2",
        "CIS Ubuntu 22.04 v2.0.0 4.3.3.2",
        "SSG set_loopback_traffic",
        "SSG set_ipv6_loopback_traffic",
        "PCI-DSS Req-1.3",
      ]),
    );
    expect(ids("FW009")).toEqual(expect.arrayContaining(["Guide Team Cymru Secure NTP Template", "NIST 800-53 CM-7"]));
    expect(ids("FW010")).toEqual(expect.arrayContaining(["STIG V-230525", "CCI CCI-002385", "NIST 800-53 SC-5"]));
    expect(ids("FW011")).toEqual(
      expect.arrayContaining([
        "CIS Ubuntu 20.04 v2.0.0 3.4.3.2.1",
        "CIS Ubuntu 22.04 v2.0.0 4.3.2.1",
        "SSG set_iptables_default_rule_forward",
        "NIST 800-53 SC-7(5)",
      ]),
    );
    expect(getRule("FW011")!.remediation).toContain("`-A OUTPUT -p udp --dport 123 -j ACCEPT`");
    expect(getRule("FW011")!.remediation).toContain("--dport 53");
  });
});
