import { closeSync, mkdirSync, mkdtempSync, openSync, symlinkSync, writeFileSync, ftruncateSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "./cli.js";

function dump(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(path.join(tmpdir(), "ntp-policy-e2e-"));
  for (const [rel, body] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), body);
  }
  return root;
}

const GOOD = "restrict default kod limited nomodify notrap nopeer noquery\nrestrict 127.0.0.1\nrestrict ::1\n# no disable monitor: limited keeps the MRU list (NTP021)\nserver 192.0.2.1\nserver 198.51.100.1\nserver 203.0.113.1\n";

function expectCleanFailure(r: { code: number | null; stderr: string }, message: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe("bad input never crashes the checker", () => {
  it("a missing path is a usage error", () => {
    expectCleanFailure(cli(["check", "/nonexistent/dump"]), /^ntp-policy: error: \/nonexistent\/dump: no such file/);
  });

  it("a directory without hosts is a usage error", () => {
    expectCleanFailure(cli(["check", dump({ "notes/readme.md": "hi" })]), /no hosts found/);
  });

  it("an unknown format or severity is a usage error", () => {
    expect(cli([]).code).toBe(2);
    expect(cli(["bogus"]).code).toBe(2);
    expect(cli(["--help"]).code).toBe(0);
    expect(cli(["check", "examples/host-dump", "--format", "yaml"]).code).toBe(2);
    expect(cli(["check", "examples/host-dump", "--fail-on", "severe"]).code).toBe(2);
    expectCleanFailure(cli(["check", "examples/host-dump", "--trusted", "10.0.0.0/99"]), /--trusted 10\.0\.0\.0\/99/);
  });

  it("a bad configuration is exit 2 with file:line", () => {
    const d = dump({ "cfg.yaml": "trusted_networks:\n  - 10.0.0.0/8\n  - not-a-network\n" });
    expectCleanFailure(cli(["check", "examples/host-dump", "--config", path.join(d, "cfg.yaml")]), /cfg\.yaml:3:5: "not-a-network" is not an IPv4 or IPv6 network/);
  });

  it("reads .ntp-policy.yaml from the working directory", () => {
    const d = dump({ ".ntp-policy.yaml": "min_upstreams: 1\n", "h/ntp.conf": "restrict default kod limited nomodify notrap nopeer noquery\nserver 192.0.2.1\n" });
    expect(cli(["check", "h"], { cwd: d }).code).toBe(0);
    expect(cli(["check", "h", "--min-upstreams", "2"], { cwd: d }).code).toBe(1);
  });

  it("binary, NUL and oversize files are findings, and the other hosts are still checked", () => {
    const d = dump({
      "good/ntp.conf": GOOD,
      "binary/ntp.conf": Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2]),
      "nul/ntp.conf": "server 192.0.2.1\n\u0000restrict default\n",
      "huge/ntp.conf": "",
    });
    const fd = openSync(path.join(d, "huge/ntp.conf"), "w");
    ftruncateSync(fd, 100 * 1024 * 1024);
    closeSync(fd);
    const r = cli(["check", d, "--format", "json"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    const report = JSON.parse(r.stdout);
    const rules = (host: string) => report.hosts.find((h: { host: string }) => h.host === host).findings.map((f: { rule: string }) => f.rule);
    // FW007 (info): the dump has no firewall; informational, it does not fail the run.
    expect(rules("good")).toEqual(["FW007"]);
    expect(rules("binary")).toEqual(["PARSE003"]);
    expect(rules("nul")).toEqual(["PARSE003"]);
    expect(rules("huge")).toEqual(["PARSE003"]);
    const huge = report.hosts.find((h: { host: string }) => h.host === "huge").findings[0];
    expect(huge.message).toMatch(/larger than/);
  });

  it("an include that escapes the host directory or loops is a finding", () => {
    const outside = dump({ "secret.conf": "restrict default\n" });
    const d = dump({
      "escape/ntp.conf": `${GOOD}includefile ../../../../../../${outside}/secret.conf\n`,
      "loop/ntp.conf": `${GOOD}includefile /etc/a.conf\n`,
      "loop/etc/a.conf": "includefile /etc/b.conf\n",
      "loop/etc/b.conf": "includefile /etc/a.conf\n",
      "link/ntp.conf": `${GOOD}includefile /etc/extra.conf\n`,
    });
    mkdirSync(path.join(d, "link/etc"));
    symlinkSync(path.join(outside, "secret.conf"), path.join(d, "link/etc/extra.conf"));
    const report = JSON.parse(cli(["check", d, "--format", "json"]).stdout);
    for (const host of ["escape", "loop", "link"]) {
      const findings = report.hosts.find((h: { host: string }) => h.host === host).findings;
      expect(findings.map((f: { rule: string }) => f.rule), host).toContain("NTP004");
      // The outside file's open `restrict default` never reached the policies.
      expect(findings.map((f: { rule: string }) => f.rule), host).not.toContain("NTP001");
    }
  });

  it("a template is reported once, not as a stream of syntax errors", () => {
    const d = dump({ "tpl/ntp.conf": "{% for s in servers %}\nserver {{ s }} iburst\n{% endfor %}\nrestrict default noquery\n" });
    const report = JSON.parse(cli(["check", d, "--format", "json"]).stdout);
    expect(report.hosts[0].findings.map((f: { rule: string }) => f.rule).filter((r: string) => r !== "FW007")).toEqual(["PARSE002"]);
  });

  it("a rejected restrict line leaves the host open, and the policies see that", () => {
    const d = dump({ "typo/ntp.conf": "restrict default kod nomodify notrap nopeer noqeury\nrestrict 127.0.0.1\nserver 192.0.2.1\nserver 192.0.2.2\nserver 192.0.2.3\ndisable monitor\n" });
    const report = JSON.parse(cli(["check", d, "--format", "json"]).stdout);
    const findings = report.hosts[0].findings;
    const parse = findings.find((f: { rule: string }) => f.rule === "PARSE001");
    expect(parse.location).toEqual({ file: "typo/ntp.conf", line: 1, column: 45 });
    expect(findings.filter((f: { rule: string }) => f.rule === "NTP001")).toHaveLength(2);
  });

  it("broken firewall dumps are located findings, and the analysis stays sound", () => {
    const filter = (...rules: string[]) => `*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n${rules.join("\n")}\nCOMMIT\n`;
    const d = dump({
      "truncated/ntp.conf": GOOD,
      "truncated/iptables-save": "*filter\n:INPUT DROP [0:0]\n-A INPUT -p udp --dport 123 -j ACCEPT\n",
      "v6asv4/ntp.conf": GOOD,
      "v6asv4/iptables-save": filter("-A INPUT -s 2001:db8::/32 -p udp --dport 123 -j ACCEPT"),
      "longline/ntp.conf": GOOD,
      "longline/iptables-save": filter(`-A INPUT -m comment --comment "${"x".repeat(10 * 1024 * 1024)}" -j ACCEPT`),
      "loop/ntp.conf": GOOD,
      "loop/iptables-save": `*filter\n:INPUT DROP [0:0]\n:A - [0:0]\n:B - [0:0]\n-A INPUT -j A\n-A A -j B\n-A B -j A\nCOMMIT\n`,
      "crlf/ntp.conf": GOOD,
      "crlf/iptables-save": filter("-A INPUT -p udp --dport 123 -j ACCEPT").replace(/\n/g, "\r\n"),
    });
    const r = cli(["check", d, "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    const findings = (host: string) => report.hosts.find((h: { host: string }) => h.host === host).findings as Array<{ rule: string; location: { file: string; line: number } }>;
    const rules = (host: string) => findings(host).map((f) => f.rule);
    // No COMMIT: iptables-restore applies nothing of the table; the dump is incomplete and nothing is proven.
    expect(rules("truncated")).toEqual(expect.arrayContaining(["PARSE001", "FW006"]));
    // An IPv6 address in an IPv4 dump is a located finding.
    expect(findings("v6asv4").some((f) => f.rule === "PARSE001" && f.location.file === "v6asv4/iptables-save")).toBe(true);
    // A 10 MB line is refused without being parsed, at its line.
    expect(findings("longline").some((f) => f.rule === "PARSE001" && f.location.line === 5)).toBe(true);
    // A loop between user chains is reported, and the analysis still answers (the loop is "unknown", never "safe").
    expect(report.hosts.find((h: { host: string }) => h.host === "loop").error).toBeUndefined();
    expect(rules("loop")).toEqual(expect.arrayContaining(["FW006", "FW001"]));
    // CRLF is tolerated: the open UDP/123 rule is still seen.
    expect(rules("crlf")).toContain("FW001");
  });
});
