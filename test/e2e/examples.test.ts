import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { cli, ROOT } from "./cli.js";

const GOLDEN = path.join(ROOT, "test/golden/examples.json");

describe("the README's first command", () => {
  it("reports located findings with fixes and exits 1", () => {
    const r = cli(["check", "examples/host-dump"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("ntp-open/ntp.conf:1:1  high  NTP001");
    expect(r.stdout).toMatch(/ntp-typo\/etc\/ntp\.conf:6:\d+ {2}medium {2}PARSE001/);
    expect(r.stdout).toMatch(/ntp-few-sources\/ntp\.conf:\d+:1 {2}medium {2}NTP003/);
    expect(r.stdout).toContain("fix:");
    expect(r.stdout).toMatch(/chrony-open\/etc\/chrony\.conf:8:1 {2}high {2}CHRONY001/);
    expect(r.stdout).not.toContain("ntp-hardened");
    expect(r.stdout).not.toContain("chrony-hardened");
    expect(r.stdout.trimEnd().split("\n").at(-1)).toMatch(/^9 hosts checked: \d+ failing findings on 6 hosts/);
  });

  it("produces the golden JSON report, byte for byte, every time", () => {
    const a = cli(["check", "examples/host-dump", "--format", "json"]);
    const b = cli(["check", "examples/host-dump", "--format", "json"]);
    expect(a.code).toBe(1);
    expect(a.stdout).toBe(b.stdout);
    if (process.env["UPDATE_GOLDEN"]) writeFileSync(GOLDEN, a.stdout);
    expect(a.stdout).toBe(readFileSync(GOLDEN, "utf8"));
  });

  it("follows the JSON report contract", () => {
    const report = JSON.parse(cli(["check", "examples/host-dump", "--format", "json"]).stdout);
    expect(report.schema_version).toBe("1.2");
    expect(report.tool.name).toBe("ntp-policy");
    expect(report.policy.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(report.hosts.map((h: { host: string }) => h.host)).toEqual([
      "chrony-hardened",
      "chrony-open",
      "nft-hardened",
      "nft-open",
      "ntp-few-sources",
      "ntp-hardened",
      "ntp-lan-server",
      "ntp-open",
      "ntp-typo",
    ]);
    const hardened = report.hosts[5];
    expect(hardened.findings).toEqual([]);
    expect(hardened.files.map((f: { path: string; kind: string }) => [f.path, f.kind])).toEqual([
      ["ntp-hardened/etc/iptables/rules.v4", "iptables"],
      ["ntp-hardened/etc/iptables/rules.v6", "ip6tables"],
      ["ntp-hardened/etc/ntp.conf", "ntp.conf"],
      ["ntp-hardened/etc/ntp/upstreams.conf", "ntp.include"],
    ]);
    // The same hardened client behind an nftables ruleset (an inet table, sets, a verdict map, an include): no finding.
    const nftHardened = report.hosts[2];
    expect(nftHardened.findings).toEqual([]);
    expect(nftHardened.files.map((f: { path: string; kind: string }) => [f.path, f.kind])).toEqual([
      ["nft-hardened/etc/nftables.conf", "nft"],
      ["nft-hardened/etc/nftables.d/networks.nft", "nft.include"],
      ["nft-hardened/etc/ntp.conf", "ntp.conf"],
      ["nft-hardened/etc/ntp/upstreams.conf", "ntp.include"],
    ]);
    for (const host of report.hosts) {
      for (const f of host.findings) {
        expect(Object.keys(f)).toEqual(expect.arrayContaining(["rule", "severity", "status", "message", "location", "evidence", "remediation"]));
        expect(f.location.file.startsWith(`${host.host}/`)).toBe(true);
      }
    }
    const rules = (host: string) => report.hosts.find((h: { host: string }) => h.host === host).findings.map((f: { rule: string }) => f.rule);
    const sorted = (host: string) => [...rules(host)].sort();
    expect(sorted("ntp-open")).toEqual(["FW001", "FW002", "FW003", "NTP001", "NTP001", "NTP002", "NTP010", "XL001"]);
    // The inet table filters both families: no FW003, FW001/FW002/XL001 per family, each quoting the nft line with an nft fix.
    expect(sorted("nft-open")).toEqual(["FW001", "FW001", "FW002", "FW002", "NTP001", "NTP001", "NTP002", "NTP010", "XL001", "XL001"]);
    const nftOpen = report.hosts.find((h: { host: string }) => h.host === "nft-open");
    const fw001 = nftOpen.findings.find((f: { rule: string }) => f.rule === "FW001");
    expect(fw001.location).toEqual({ file: "nft-open/nft-ruleset", line: 12, column: 3 });
    expect(fw001.evidence[0].text).toBe("udp dport 123 counter packets 0 bytes 0 accept — accepts");
    expect(fw001.remediation).toContain('`nft insert rule inet filter input iifname != "lo" meta nfproto ipv4 udp dport 123 drop`');
    expect(sorted("ntp-typo")).toEqual(["FW001", "FW001", "FW002", "FW003", "FW005", "NTP001", "NTP001", "PARSE001", "XL001", "XL001"]);
    expect(sorted("ntp-few-sources")).toEqual(["FW004", "FW004", "NTP003", "NTP021"]);
    // No trusted networks are configured, so the LAN the seed server serves is untrusted here.
    expect(sorted("ntp-lan-server")).toEqual(["NTP001", "NTP002", "NTP021", "XL001"]);
    expect(sorted("chrony-hardened")).toEqual([]);
    expect(sorted("chrony-open")).toEqual(["CHRONY001", "CHRONY001", "CHRONY003", "CHRONY004", "FW001", "FW002", "FW003", "NTP001", "NTP001", "NTP003"]);
    const chrony = report.hosts[0];
    expect(chrony.judged_as).toEqual({ flavor: "chrony", decided_by: "version-file", version: expect.stringMatching(/^chronyd \(chrony\) version 4\.3/) });
    expect(chrony.files.map((f: { path: string; kind: string }) => [f.path, f.kind])).toEqual([
      ["chrony-hardened/chrony-version", "chrony-version"],
      ["chrony-hardened/etc/chrony/chrony.conf", "chrony.conf"],
      ["chrony-hardened/etc/chrony/conf.d/local.conf", "chrony.include"],
      ["chrony-hardened/etc/default/chrony", "chrony-options"],
      ["chrony-hardened/etc/iptables/rules.v4", "iptables"],
      ["chrony-hardened/etc/iptables/rules.v6", "ip6tables"],
      ["chrony-hardened/key-files", "key-files"],
    ]);
    // Every rule family shows up in the examples.
    const families = new Set(report.hosts.flatMap((h: { findings: Array<{ rule: string }> }) => h.findings.map((f) => f.rule.replace(/\d+$/, ""))));
    expect([...families].sort()).toEqual(["CHRONY", "FW", "NTP", "PARSE", "XL"]);
  });

  it("prints an input document that follows the published schema", () => {
    const r = cli(["parse", "examples/host-dump"]);
    expect(r.code).toBe(0);
    const docs = JSON.parse(r.stdout);
    expect(docs).toHaveLength(9);
    const ajv = new Ajv2020.default({ allErrors: true, strict: true, allowUnionTypes: true });
    const validate = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, "docs/input.schema.json"), "utf8")));
    for (const doc of docs) {
      expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    }
    const single = JSON.parse(cli(["parse", "examples/host-dump/ntp-open"]).stdout);
    expect(single.host).toBe("ntp-open");
  });

  it("lets flags override trusted networks and the upstream minimum", () => {
    const few = cli(["check", "examples/host-dump/ntp-few-sources", "--min-upstreams", "1", "--format", "json"]);
    expect(JSON.parse(few.stdout).hosts[0].findings.map((f: { rule: string }) => f.rule)).toEqual(["NTP021", "FW004", "FW004"]);
    const open = cli(["check", "examples/host-dump/ntp-open", "--trusted", "0.0.0.0/0", "--trusted", "::/0", "--format", "json"]);
    expect(JSON.parse(open.stdout).hosts[0].findings.map((f: { rule: string }) => f.rule).sort()).toEqual(["FW002", "FW003", "NTP010"]);
  });
});
