/** A rule written for one time daemon on a host that runs another: not applicable, and nothing left unevaluated. */
import { describe, expect, it } from "vitest";
import type { RuleInput } from "../../src/model/finding.js";
import type { InputFileKind } from "../../src/model/input.js";
import { hostOutcomes, leftUnevaluated, notApplicableReasons } from "../../src/report/outcomes.js";
import type { RuleInfo } from "../../src/report/reporter.js";

const rule = (id: string, inputs: RuleInput[]): RuleInfo => ({ id, severity: "medium", title: id, inputs }) as unknown as RuleInfo;
const RULES = [rule("NTP002", ["ntp"]), rule("CHRONY001", ["chrony"]), rule("NTP003", ["time"]), rule("FW001", ["firewall"])];
const file = (path: string, kind: InputFileKind) => ({ path, kind, sha256: "0".repeat(64) });

describe("outcomes by time daemon", () => {
  it("on a chrony host: the ntpd rule is for another daemon, the neutral rule runs, missing firewall evidence is still missing", () => {
    const outcomes = hostOutcomes({ findings: [], files: [file("etc/chrony.conf", "chrony.conf")] }, RULES);
    expect(outcomes.map((o) => [o.rule, o.status, o.reason])).toEqual([
      ["CHRONY001", "pass", null],
      ["FW001", "not_applicable", "no firewall evidence (iptables-save, ip6tables-save or an nft ruleset)"],
      ["NTP002", "not_applicable", "written for another time daemon: it reads ntp.conf, this host's daemon is configured in chrony.conf"],
      ["NTP003", "pass", null],
    ]);
    expect(outcomes.filter(leftUnevaluated).map((o) => o.rule)).toEqual(["FW001"]);
    expect(notApplicableReasons(outcomes)).toEqual(["no firewall evidence (iptables-save, ip6tables-save or an nft ruleset)"]);
  });

  it("on an ntpd host the chrony rule is for another daemon; on a host with no daemon configuration both are missing evidence", () => {
    const ntpd = hostOutcomes({ findings: [], files: [file("ntp.conf", "ntp.conf")] }, RULES);
    expect(ntpd.find((o) => o.rule === "CHRONY001")?.reason).toMatch(/^written for another time daemon: it reads chrony.conf/);
    const none = hostOutcomes({ findings: [], files: [file("iptables-save", "iptables")] }, RULES);
    expect(none.filter(leftUnevaluated).map((o) => [o.rule, o.reason])).toEqual([
      ["CHRONY001", "no chrony evidence (chrony.conf)"],
      ["NTP002", "no ntp evidence (ntp.conf)"],
      ["NTP003", "no time evidence (ntp.conf or chrony.conf)"],
    ]);
  });
});
