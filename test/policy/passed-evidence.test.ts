/**
 * Passing evidence through the COMPILED policy (policies/build/policy.wasm): the lines each rule names as what
 * satisfies it (`passed_evidence`, lib.result.pass), on the hand-written fixtures of test/fixtures/policy/hosts.ts.
 * A rule never names a line it would fail on, and never an invented one (built-in defaults, a missing policy line).
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { PassedEvidence } from "../../src/model/finding.js";
import type { PolicyInput } from "../../src/model/input.js";
import { loadPolicyEngine, type PolicyEngine } from "../../src/policy/engine.js";
import { at, entry, familyFirewall, firewall, host, ntpFacts, server, system, TEXT, withEntries } from "../fixtures/policy/hosts.js";

let engine: PolicyEngine;

beforeAll(async () => {
  engine = await loadPolicyEngine();
});

/** The lines the policy names for one rule, as "file:line:column text". */
function linesOf(input: PolicyInput, rule: string): string[] {
  return engine
    .judge(input)
    .passed.filter((p: PassedEvidence) => p.rule === rule)
    .map((p) => `${p.location.file}:${p.location.line}:${p.location.column} ${p.text}`);
}

const POLICY_V4 = "iptables-save:3:1 :INPUT DROP [0:0]";
const POLICY_V6 = "ip6tables-save:3:1 :INPUT DROP [0:0]";
const TRUSTED_ACCEPT = "iptables-save:8:1 -A INPUT -s 192.0.2.0/24 -p udp -m udp --dport 123 -j ACCEPT — accepts";

describe("passed evidence on the compliant fixture host", () => {
  it("NTP001: the restrict default lines with noquery", () => {
    expect(linesOf(host(), "NTP001")).toEqual([`etc/ntp.conf:3:1 ${TEXT[3]}`, `etc/ntp.conf:4:1 ${TEXT[4]}`]);
  });

  it("NTP002: the disable monitor line and the noquery entries for non-local addresses", () => {
    expect(linesOf(host(), "NTP002")).toEqual([`etc/ntp.conf:3:1 ${TEXT[3]}`, `etc/ntp.conf:4:1 ${TEXT[4]}`, "etc/ntp.conf:8:9 disable monitor"]);
  });

  it("NTP003: the three counted server lines", () => {
    expect(linesOf(host(), "NTP003")).toEqual([
      "etc/ntp.conf:10:1 server 0.pool.ntp.org iburst",
      "etc/ntp.conf:11:1 server 1.pool.ntp.org iburst",
      "etc/ntp.conf:12:1 server 2.pool.ntp.org iburst",
    ]);
  });

  it("NTP005 and NTP006: the entries governing untrusted addresses with nomodify and notrap", () => {
    expect(linesOf(host(), "NTP005")).toEqual([`etc/ntp.conf:3:1 ${TEXT[3]}`, `etc/ntp.conf:4:1 ${TEXT[4]}`]);
    expect(linesOf(host(), "NTP006")).toEqual([`etc/ntp.conf:3:1 ${TEXT[3]}`, `etc/ntp.conf:4:1 ${TEXT[4]}`]);
  });

  it("NTP011: the disable monitor line", () => {
    expect(linesOf(host(), "NTP011")).toEqual(["etc/ntp.conf:8:9 disable monitor"]);
  });

  it("FW001 and XL001: the INPUT policy lines and the rule that accepts UDP/123 from trusted sources only", () => {
    expect(linesOf(host(), "FW001")).toEqual([POLICY_V6, POLICY_V4, TRUSTED_ACCEPT]);
    expect(linesOf(host(), "XL001")).toEqual([POLICY_V6, POLICY_V4, TRUSTED_ACCEPT]);
  });

  it("FW002: the :INPUT DROP policy line of each family", () => {
    expect(linesOf(host(), "FW002")).toEqual([POLICY_V6, POLICY_V4]);
  });
});

describe("passed evidence never names a line the rule would fail on, nor an invented one", () => {
  it("NTP001: a default without noquery is not evidence; the one with ignore is", () => {
    const input = withEntries([
      entry({ flags: ["kod", "nomodify", "notrap", "nopeer"] }),
      entry({ family: "ipv6", prefix: "::/0", mask: "::", flags: ["ignore"], lines: [{ location: at(4), text: "restrict -6 default ignore" }] }),
    ]);
    expect(engine.judge(input).violations.map((v) => v.rule)).toContain("NTP001");
    expect(linesOf(input, "NTP001")).toEqual(["etc/ntp.conf:4:1 restrict -6 default ignore"]);
  });

  it("NTP001: ntpd's built-in default (no line) is never evidence", () => {
    const input = withEntries([entry({ flags: ["noquery"], implicit: true, lines: [] })]);
    expect(linesOf(input, "NTP001")).toEqual([]);
  });

  it("NTP002 and NTP011: disable monitor kept active by limited is not NTP002's evidence, and enable monitor is no one's", () => {
    const limited = host({ ntp: ntpFacts({ system: system({ monitor: { enabled: false, location: at(8, 9), text: "disable monitor", active: true } }) }) });
    expect(linesOf(limited, "NTP002")).not.toContain("etc/ntp.conf:8:9 disable monitor");
    expect(linesOf(limited, "NTP011")).toEqual(["etc/ntp.conf:8:9 disable monitor"]);
    const enabled = host({ ntp: ntpFacts({ system: system({ monitor: { enabled: true, location: at(8, 8), text: "enable monitor", active: true } }) }) });
    expect(linesOf(enabled, "NTP011")).toEqual([]);
  });

  it("NTP003: an unusable source is not counted as evidence", () => {
    const input = host({
      ntp: ntpFacts({ associations: [server(10, "0.pool.ntp.org"), server(11, "1.pool.ntp.org", { selectable: false, unusable_reasons: ["noselect"] })] }),
    });
    expect(linesOf(input, "NTP003")).toEqual(["etc/ntp.conf:10:1 server 0.pool.ntp.org iburst"]);
  });

  it("FW001: a family that accepts untrusted sources has no evidence; a missing policy line is not invented", () => {
    const open = host({ firewall: firewall({ ipv4: familyFirewall("ipv4", { ntp_inbound: { may_accept_untrusted: ["0.0.0.0/0"] } }) }) });
    expect(linesOf(open, "FW001")).toEqual([POLICY_V6]);
    const unset = host({ firewall: firewall({ ipv6: familyFirewall("ipv6", { input_policy_location: null }) }) });
    expect(linesOf(unset, "FW001")).toEqual([POLICY_V4, TRUSTED_ACCEPT]);
  });
});
