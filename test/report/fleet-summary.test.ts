import { describe, expect, it } from "vitest";
import type { Report } from "../../src/model/report.js";
import { summarise } from "../../src/report/summary.js";
import { textReporter } from "../../src/report/text.js";

/** A fleet of `n` hosts; host i has i failing NTP001 findings (high) and, on even hosts, one FW002 (medium). */
function fleet(n: number): Report {
  const hosts = Array.from({ length: n }, (_, i) => ({
    host: `h${i}`,
    path: `h${i}`,
    files: [],
    findings: [
      ...Array.from({ length: i }, (_, k) => ({
        rule: "NTP001",
        title: "t",
        severity: "high" as const,
        status: "fail" as const,
        message: `m${k}`,
        location: { file: `h${i}/ntp.conf`, line: k + 1, column: 1 },
        evidence: [],
        remediation: "",
      })),
      ...(i % 2 === 0
        ? [{ rule: "FW002", title: "t", severity: "medium" as const, status: "fail" as const, message: "m", location: { file: `h${i}/iptables-save`, line: 3, column: 1 }, evidence: [], remediation: "" }]
        : []),
    ],
  }));
  return {
    schema_version: "1.0",
    tool: { name: "ntp-policy", version: "0.1.0" },
    policy: { digest: "sha256:x" },
    config: { source: null, digest: null, profile: "baseline", trusted_networks: [], min_upstreams: 3 },
    hosts,
    notices: [],
    summary: summarise(hosts, "low"),
  };
}

describe("fleet summary in the text format", () => {
  it("names the worst hosts first and the pass rate of every failing rule", () => {
    const text = textReporter.render(fleet(8), { color: false });
    const summary = text.slice(text.indexOf("Fleet:"));
    expect(summary).toContain("Fleet: 8 of 8 hosts failing");
    const worst = summary.split("\n").filter((l) => /^ {4}h\d/.test(l)).map((l) => l.trim().split(/\s+/)[0]);
    // By failing count: h6 (6 + 1) and h7 (7) tie at 7, then by worst severity (both high), then by name.
    expect(worst).toEqual(["h6", "h7", "h4", "h5", "h2"]);
    expect(summary).toMatch(/NTP001 +13% +\(1\/8 hosts pass\)/);
    expect(summary).toMatch(/FW002 +50% +\(4\/8 hosts pass\)/);
  });

  it("is left out for one or two hosts and in quiet mode", () => {
    expect(textReporter.render(fleet(2), { color: false })).not.toContain("Fleet:");
    expect(textReporter.render(fleet(8), { color: false, quiet: true })).not.toContain("Fleet:");
  });
});
