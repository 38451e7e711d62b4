/**
 * The firewall (FW…) and cross-layer (XL…) rules through the COMPILED policy (policies/build/policy.wasm), on the
 * hand-written fixtures of test/fixtures/policy/firewall-hosts.ts. `opa test` covers the same rules with Go's
 * evaluator; this proves the wasm build behaves the same, and that missing facts never make a violation vanish.
 */
import { expectFailingAndPassingFixtures, expectFixture } from "./fixture-check.js";
import { profiled } from "./profiled-engine.js";
import { beforeAll, describe, expect, it } from "vitest";
import { getRule, loadCatalog } from "../../src/policy/catalog.js";
import { loadPolicyEngine, type PolicyEngine } from "../../src/policy/engine.js";
import type { PolicyInput } from "../../src/model/input.js";
import { familyFirewall, firewall, host, upstream, v4, v6 } from "../fixtures/policy/hosts.js";
import { FIREWALL_FIXTURES, FIREWALL_GOLDEN } from "../fixtures/policy/firewall-hosts.js";
import { CATALOGUE_FIXTURES } from "../fixtures/policy/firewall-catalogue-hosts.js";

let engine: PolicyEngine;

beforeAll(async () => {
  engine = profiled(await loadPolicyEngine());
});

const isFirewallRule = (id: string) => /^(FW|XL)\d{3}$/.test(id);

describe("firewall and cross-layer fixtures through policy.wasm", () => {
  it.each(FIREWALL_FIXTURES.map((f) => [f.name, f] as const))("%s", (_name, fixture) => {
    expectFixture(engine.evaluate(fixture.input), fixture);
  });

  it("every FW and XL rule has a failing and a passing fixture", () => {
    const rules = loadCatalog().filter((r) => isFirewallRule(r.id));
    expect(rules.map((r) => r.id)).toEqual(["FW001", "FW002", "FW003", "FW004", "FW005", "FW006", "FW007", "FW008", "FW009", "FW010", "FW011", "FW012", "XL001"]);
    expectFailingAndPassingFixtures(rules.map((rule) => rule.id), [...FIREWALL_FIXTURES, ...CATALOGUE_FIXTURES]);
  });

  it("builds exactly the violation the Rego unit tests expect (no sprintf, same strings in wasm)", () => {
    expect(engine.evaluate(FIREWALL_GOLDEN.input)).toEqual(FIREWALL_GOLDEN.violations);
  });

  it("is deterministic and sorted by rule and location with several firewall findings", () => {
    const input = host({
      firewall: firewall({
        ipv4: familyFirewall("ipv4", {
          input_policy: "ACCEPT",
          default_deny: false,
          upstreams: [upstream(12, "2.pool.ntp.org", "blocked"), upstream(10, "0.pool.ntp.org", "blocked")],
          complete: false,
          incomplete_reasons: [{ reason: "nftables-native tables exist", location: v4(1) }],
        }),
        ipv6: familyFirewall("ipv6", { input_policy: "ACCEPT", default_deny: false }),
      }),
    });
    const first = JSON.stringify(engine.evaluate(input));
    for (let i = 0; i < 5; i++) expect(JSON.stringify(engine.evaluate(structuredClone(input)))).toBe(first);
    const violations = engine.evaluate(input);
    expect(violations.map((v) => `${v.rule} ${v.location.file}:${v.location.line}`)).toEqual([
      "FW002 ip6tables-save:3",
      "FW002 iptables-save:3",
      "FW004 etc/ntp.conf:10",
      "FW004 etc/ntp.conf:12",
      "FW006 iptables-save:1",
    ]);
  });

  it("the catalogue carries the firewall rules' packages and control references", () => {
    const packages = Object.fromEntries(loadCatalog().filter((r) => isFirewallRule(r.id)).map((r) => [r.id, [r.severity, r.package]]));
    expect(packages).toEqual({
      FW001: ["high", "ntp_policy.rules.firewall.untrusted_ntp_accepted"],
      FW002: ["medium", "ntp_policy.rules.firewall.no_default_deny"],
      FW003: ["medium", "ntp_policy.rules.firewall.dual_stack_gap"],
      FW004: ["medium", "ntp_policy.rules.firewall.upstream_blocked"],
      FW005: ["low", "ntp_policy.rules.firewall.shadowed_ntp_rule"],
      FW006: ["medium", "ntp_policy.rules.firewall.incomplete_dump"],
      FW007: ["info", "ntp_policy.rules.firewall.firewall_missing"],
      FW008: ["low", "ntp_policy.rules.firewall.loopback_rules_missing"],
      FW009: ["low", "ntp_policy.rules.firewall.tcp_ntp_accepted"],
      FW010: ["low", "ntp_policy.rules.firewall.ntp_not_rate_limited"],
      FW011: ["medium", "ntp_policy.rules.firewall.forward_output_not_drop"],
      FW012: ["low", "ntp_policy.rules.firewall.backend_dependent_line"],
      XL001: ["medium", "ntp_policy.rules.cross.layers_disagree"],
    });
    const ids = (id: string) => getRule(id)!.references.map((r) => `${r.kind} ${r.id}`);
    expect(ids("FW001")).toEqual(
      expect.arrayContaining(["STIG V-230500", "CVE CVE-2013-5211", "NIST 800-53 SC-7", "NIST 800-53 CM-7"]),
    );
    expect(ids("FW002")).toEqual(
      expect.arrayContaining([
        "CIS Ubuntu 20.04 v2.0.0 3.4.3.2.1",
        "CIS Ubuntu 20.04 v2.0.0 3.4.3.3.1",
        "SSG set_iptables_default_rule",
        "SSG set_ip6tables_default_rule",
        "STIG V-230504",
        "NIST 800-53 SC-7(5)",
        "NIST 800-53 CM-7(b)",
      ]),
    );
    expect(ids("XL001")).toEqual(
      expect.arrayContaining(["ntp-policy ntp-policy cross-layer check", "NIST 800-53 SC-7", "CVE CVE-2013-5211"]),
    );
  });
});

describe("policy.wasm on firewall facts with missing fields (no violation may silently disappear)", () => {
  it("a family with only its file and untrusted sources still fails FW001, FW002 and FW006 at line 1", () => {
    const bare = { file: "iptables-save", ntp_inbound: { may_accept_untrusted: ["0.0.0.0/0"] } };
    const input = { ...host(), firewall: { ipv4: bare, ipv6: familyFirewall("ipv6") } } as unknown as PolicyInput;
    const violations = engine.evaluate(input);
    expect(violations.map((v) => [v.rule, v.location])).toEqual([
      ["FW001", v4(1)],
      ["FW002", v4(1)],
      ["FW006", v4(1)],
    ]);
    expect(violations[0]!.message).toContain("may accept new UDP/123 datagrams");
    expect(violations[0]!.message).toContain("loopback: 0.0.0.0/0; they reach ntpd");
  });

  it("an input without the firewall and exposure keys is judged as a dump without firewall files", () => {
    const input: Partial<PolicyInput> = host();
    delete input.firewall;
    delete input.exposure;
    expect(engine.evaluate(input as PolicyInput).map((v) => v.rule)).toEqual(["FW007"]);
  });

  it("a blocked upstream without a location is an error, not a dropped finding", () => {
    const input = host({
      firewall: firewall({
        ipv6: familyFirewall("ipv6", { upstreams: [{ address: "2001:db8::123", verdict: "blocked" } as never] }),
      }),
    });
    expect(() => engine.evaluate(input)).toThrow(/malformed violation .*location is null/);
  });

  it("IPv6 findings are located in ip6tables-save", () => {
    const input = host({ firewall: firewall({ ipv6: familyFirewall("ipv6", { default_deny: false, input_policy: "ACCEPT" }) }) });
    expect(engine.evaluate(input).map((v) => [v.rule, v.location])).toEqual([
      ["FW002", v6(3)],
      ["FW003", v6(3)],
    ]);
  });
});
