/**
 * FW004 advice comes from the host's own lines: a real dump through the analysis and the compiled
 * policy. When a raw-table `CT --notrack` rule untracks the replies, the RELATED,ESTABLISHED rule the
 * host already has cannot match them: the finding names the notrack line and does not tell the user to
 * add the rule that is already there.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { AddressSet, LOOPBACK } from "../../src/analyze/address-set.js";
import { analyzeIptables } from "../../src/analyze/firewall/analysis.js";
import type { AssociationFact } from "../../src/model/input.js";
import { parseIptablesSave } from "../../src/parse/iptables/index.js";
import { loadPolicyEngine, type PolicyEngine } from "../../src/policy/engine.js";
import { firewall, host } from "../fixtures/policy/hosts.js";

const upstream: AssociationFact = {
  mode: "server",
  address: "203.0.113.5",
  address_kind: "ipv4",
  family: null,
  location: { file: "etc/ntp.conf", line: 3, column: 1 },
} as AssociationFact;

const dump = (raw: string[], input: string[], outputPolicy = "ACCEPT") =>
  [
    "*raw",
    ":PREROUTING ACCEPT [0:0]",
    ":OUTPUT ACCEPT [0:0]",
    ...raw,
    "COMMIT",
    "*filter",
    ":INPUT DROP [0:0]",
    ":FORWARD DROP [0:0]",
    `:OUTPUT ${outputPolicy} [0:0]`,
    ...input,
    "COMMIT",
    "",
  ].join("\n");

function fw004(text: string, engine: PolicyEngine) {
  const facts = analyzeIptables(parseIptablesSave(text, "iptables-save", "ipv4"), AddressSet.of("ipv4", ["10.0.0.0/8"]).union(LOOPBACK.ipv4), [upstream]).facts;
  const violations = engine.evaluate(host({ firewall: firewall({ ipv4: facts }) })).filter((v) => v.rule === "FW004");
  return { facts, violations };
}

describe("FW004 advice from the host's lines", () => {
  let engine: PolicyEngine;
  beforeAll(async () => {
    engine = await loadPolicyEngine();
  });

  it("names the CT --notrack line that untracks the replies, not the ESTABLISHED rule that exists", () => {
    const text = dump(
      ["-A PREROUTING -p udp -m udp --dport 123 -j CT --notrack", "-A OUTPUT -p udp -m udp --sport 123 -j CT --notrack"],
      ["-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT", "-A INPUT -s 10.0.0.0/8 -p udp -m udp --dport 123 -j ACCEPT"],
    );
    const { facts, violations } = fw004(text, engine);
    const fact = facts.upstreams[0]!;
    expect(fact).toMatchObject({ verdict: "blocked", queries: "open", replies: "blocked" });
    expect(fact.untracked_by.map((e) => [e.location.line, e.effect])).toEqual([[4, "untracks the replies"]]);
    expect(violations).toHaveLength(1);
    const message = violations[0]!.message;
    expect(message).toContain("the replies from UDP/123 are dropped (by iptables-save:8) after iptables-save:4 untracks them");
    expect(message).toContain("fix: exempt the host's NTP traffic with this upstream from iptables-save:4");
    expect(message).not.toMatch(/add.*RELATED/);
  });

  it("without notrack, only the blocked direction is advised", () => {
    const replies = fw004(dump([], ["-A INPUT -s 10.0.0.0/8 -p udp -m udp --dport 123 -j ACCEPT"]), engine);
    expect(replies.facts.upstreams[0]).toMatchObject({ queries: "open", replies: "blocked", untracked_by: [] });
    expect(replies.violations[0]!.message).toMatch(/the replies from UDP\/123 are dropped .*; fix: accept the replies \(INPUT, UDP from port 123, ESTABLISHED\)$/);

    const queries = fw004(dump([], ["-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT"], "DROP"), engine);
    expect(queries.facts.upstreams[0]).toMatchObject({ queries: "blocked", replies: "open" });
    expect(queries.violations[0]!.message).toMatch(/its queries to UDP\/123 are dropped \(by iptables-save:8\).*; fix: let the queries out \(OUTPUT, UDP to port 123\)$/);
  });

  it("an open path has no causes", () => {
    const open = fw004(dump([], ["-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT"]), engine);
    expect(open.facts.upstreams[0]).toMatchObject({ verdict: "open", queries: "open", replies: "open", blocked_by: [], untracked_by: [] });
    expect(open.violations).toEqual([]);
  });
});
