/** Options of `check` a user meets in the first hour, through the real CLI. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "./cli.js";

const tmp = (): string => mkdtempSync(path.join(tmpdir(), "ntpp-options-"));

function config(text: string): string {
  const file = path.join(tmp(), "ntp-policy.yaml");
  writeFileSync(file, text);
  return file;
}

describe("configuration mistakes", () => {
  it("an unknown rule id under rules: is an error with a did-you-mean (exit 2)", () => {
    const r = cli(["check", "examples/host-dump", "--config", config("rules:\n  NPT001: off\n")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ntp-policy\.yaml:2:3: unknown rule "NPT001" \(did you mean NTP001\?\)/);
    const far = cli(["check", "examples/host-dump", "--config", config("rules:\n  NTP999: off\n")]);
    expect(far.code).toBe(2);
    expect(far.stderr).toContain('unknown rule "NTP999"');
    expect(far.stdout).toBe("");
  });

  it("a waiver for an unknown rule is an error too", () => {
    const r = cli(["check", "examples/host-dump", "--config", config('waivers:\n  - rule: NTP0001\n    hosts: ["*"]\n    justification: x\n')]);
    expect(r.code).toBe(2);
    const typo = cli(["check", "examples/host-dump", "--config", config('waivers:\n  - rule: PRASE001\n    hosts: ["*"]\n    justification: x\n')]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown rule "PRASE001" (did you mean PARSE001?)');
  });

  it("--trusted with host bits set warns and says which network is used", () => {
    const r = cli(["check", "examples/host-dump/ntp-hardened", "--trusted", "10.0.0.1/8"]);
    expect(r.stderr).toContain("ntp-policy: warning: --trusted 10.0.0.1/8 has host bits set: it is read as the network 10.0.0.0/8");
    expect(cli(["check", "examples/host-dump/ntp-hardened", "--trusted", "10.0.0.0/8"]).stderr).toBe("");
  });
});

describe("a waiver's file: is relative to the host, however the tool is invoked", () => {
  const waiver = config(
    ["waivers:", "  - rule: PARSE001", '    hosts: ["ntp-typo"]', "    file: etc/ntp.conf", "    line: 6", "    justification: tracked in CHG-1", ""].join("\n"),
  );
  for (const target of ["examples/host-dump", "examples/host-dump/ntp-typo", "examples/host-dump/ntp-typo/etc/ntp.conf"]) {
    it(`check ${target}`, () => {
      const report = JSON.parse(cli(["check", target, "--format", "json", "--config", waiver]).stdout);
      const host = report.hosts.find((h: { host: string }) => h.host === "ntp-typo");
      const parse001 = host.findings.filter((f: { rule: string }) => f.rule === "PARSE001");
      expect(parse001.length).toBeGreaterThan(0);
      expect(parse001.every((f: { status: string }) => f.status === "waived")).toBe(true);
      expect(report.notices).toEqual([]);
    });
  }
});

describe("outputs and exit codes", () => {
  it("writes several reports in one run and says on stderr what it wrote", () => {
    const dir = tmp();
    const sarif = path.join(dir, "out.sarif");
    const junit = path.join(dir, "out.xml");
    const r = cli(["check", "examples/host-dump", "--format", "text", "--format", `sarif=${sarif}`, "--format", `junit=${junit}`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("NTP001");
    expect(JSON.parse(readFileSync(sarif, "utf8")).version).toBe("2.1.0");
    expect(readFileSync(junit, "utf8")).toMatch(/^<\?xml/);
    expect(r.stderr).toBe(`ntp-policy: wrote sarif report to ${sarif}\nntp-policy: wrote junit report to ${junit}\n`);
  });

  it("--output prints a one-line note of what was written", () => {
    const file = path.join(tmp(), "report.json");
    const r = cli(["check", "examples/host-dump", "--format", "json", "--output", file]);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`ntp-policy: wrote json report to ${file}\n`);
    expect(existsSync(file)).toBe(true);
  });

  it("refuses two reports on standard output", () => {
    const r = cli(["check", "examples/host-dump", "--format", "text", "--format", "json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("only one report can go to standard output");
  });

  it("--fail-on never reports but exits 0", () => {
    const r = cli(["check", "examples/host-dump", "--fail-on", "never"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("NTP001");
  });

  it("--help lists the exit codes and an example", () => {
    const r = cli(["check", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Exit codes:\n {2}0 .*\n {2}1 .*\n {2}2 /);
    expect(r.stdout).toContain("ntp-policy check examples/host-dump");
  });

  it("prints paths a shell can open from the working directory", () => {
    const r = cli(["check", "examples/host-dump"]);
    expect(r.stdout).toContain("examples/host-dump/ntp-open/ntp.conf:1:1  high  NTP001");
    expect(existsSync(path.join(path.resolve(import.meta.dirname, "../.."), "examples/host-dump/ntp-open/ntp.conf"))).toBe(true);
    const single = cli(["check", "examples/host-dump/ntp-open/ntp.conf"]);
    expect(single.stdout).toContain("examples/host-dump/ntp-open/ntp.conf:1:1  high  NTP001");
  });

  it("says in the summary that no trusted networks are configured, and how to set them", () => {
    const r = cli(["check", "examples/host-dump/ntp-open"]);
    expect(r.stdout).toContain("no trusted networks are configured");
    expect(r.stdout).toContain("--trusted CIDR");
    expect(r.stdout).toContain("trusted_networks:");
    expect(cli(["check", "examples/host-dump/ntp-open", "--trusted", "192.0.2.0/24"]).stdout).not.toContain("no trusted networks are configured");
  });
});
