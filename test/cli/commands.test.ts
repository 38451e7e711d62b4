/**
 * The command line around configuration, profiles and the catalogue: `--profile`, configuration errors (exit 2
 * with file:line:col), `ntp-policy rules` and `ntp-policy explain`. Runs bin/ntp-policy.js (dist/).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { explainRule, renderRulesTable } from "../../src/cli/rules.js";
import { loadCatalog } from "../../src/policy/catalog.js";
import { rulesOfProfile } from "../../src/policy/profile.js";
import { cli } from "../e2e/cli.js";

function config(text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "ntp-policy-cli-")), "cfg.yaml");
  writeFileSync(file, text);
  return file;
}

function expectConfigError(text: string, where: string, message: RegExp): void {
  const file = config(text);
  const r = cli(["check", "examples/host-dump", "--config", file]);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe("");
  expect(r.stderr.startsWith(`ntp-policy: error: ${file}:${where}: `), r.stderr).toBe(true);
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
}

describe("configuration errors through the command line", () => {
  it("an unknown key is exit 2 with file:line:col", () => {
    expectConfigError("min_upstreams: 2\nmin_upstream: 3\n", "2:1", /unknown setting "min_upstream" \(known: profile, trusted_networks/);
    expectConfigError("waivers:\n  - rule: NTP001\n    hosts: [a]\n    justification: x\n    owner: me\n", "5:5", /unknown waiver key "owner"/);
  });

  it("a bad CIDR is exit 2 with file:line:col", () => {
    expectConfigError("trusted_networks:\n  - 10.0.0.0/8\n  - 10.0.0.0/33\n", "3:5", /"10\.0\.0\.0\/33" is not an IPv4 or IPv6 network/);
    expectConfigError("authorized_upstreams: ['*.pool.ntp.org', 192.0.2.0/40]\n", "1:42", /"192\.0\.2\.0\/40" is not a valid CIDR/);
  });

  it("a date that is not a date is exit 2 with file:line:col", () => {
    expectConfigError("waivers:\n  - rule: NTP001\n    hosts: [a]\n    justification: x\n    expires: 2027-02-30\n", "5:14", /expires must be a date written YYYY-MM-DD, not "2027-02-30"/);
    expectConfigError("waivers:\n  - rule: NTP001\n    hosts: [a]\n    justification: x\n    expires: next year\n", "5:14", /expires must be a date/);
  });

  it("a bad profile is exit 2 with file:line:col, and --profile is checked too", () => {
    expectConfigError("profile: pci\n", "1:10", /profile must be one of baseline, cis, stig/);
    const r = cli(["check", "examples/host-dump", "--profile", "pci"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--profile.*pci.*(baseline|choices)/i);
  });
});

describe("--profile", () => {
  const settings = (args: string[]) => (JSON.parse(cli(["parse", "examples/host-dump/ntp-open", ...args]).stdout) as { settings: Record<string, unknown> }).settings;

  it("sets the profile and its parameter defaults in the input document", () => {
    expect(settings([])).toMatchObject({ profile: "baseline", max_poll: 17, require_maxpoll: false });
    expect(settings(["--profile", "cis"])).toMatchObject({ profile: "cis", max_poll: 10, require_maxpoll: false });
    expect(settings(["--profile", "stig"])).toMatchObject({ profile: "stig", max_poll: 10, require_maxpoll: true });
  });

  it("overrides the configuration's profile (and an explicit max_poll still wins over the profile's default)", () => {
    const file = config("profile: stig\nmax_poll: 12\n");
    expect(settings(["--config", file])).toMatchObject({ profile: "stig", max_poll: 12, require_maxpoll: true });
    expect(settings(["--config", file, "--profile", "baseline"])).toMatchObject({ profile: "baseline", max_poll: 12, require_maxpoll: false });
  });

  it("check reports only the rules of the profile", () => {
    for (const profile of ["baseline", "cis", "stig"] as const) {
      const report = JSON.parse(cli(["check", "examples/host-dump", "--format", "json", "--profile", profile]).stdout) as { hosts: Array<{ findings: Array<{ rule: string }> }> };
      const allowed = new Set(rulesOfProfile(loadCatalog(), profile).map((r) => r.id));
      for (const f of report.hosts.flatMap((h) => h.findings)) expect(allowed.has(f.rule), `${f.rule} under ${profile}`).toBe(true);
    }
  });
});

describe("ntp-policy rules", () => {
  it("prints id, severity, profiles and title for every rule", () => {
    const r = cli(["rules"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^RULE +SEVERITY +PROFILES +TITLE$/);
    expect(lines).toHaveLength(loadCatalog().length + 1);
    expect(r.stdout).toMatch(/^NTP001 +high +[a-z,]+ +Untrusted hosts can query the daemon \(mode 6\/7\)$/m);
    expect(r.stdout).toBe(renderRulesTable(loadCatalog()));
  });

  it("--format json is the catalogue, profiles included", () => {
    const rules = JSON.parse(cli(["rules", "--format", "json"]).stdout) as Array<{ id: string; profiles: string[] }>;
    expect(rules.map((r) => r.id)).toEqual(loadCatalog().map((r) => r.id));
    for (const r of rules) expect(r.profiles.length).toBeGreaterThan(0);
  });

  it("--profile lists the rules of that profile only", () => {
    for (const profile of ["baseline", "cis", "stig"] as const) {
      const rules = JSON.parse(cli(["rules", "--format", "json", "--profile", profile]).stdout) as Array<{ id: string }>;
      expect(rules.map((r) => r.id)).toEqual(rulesOfProfile(loadCatalog(), profile).map((r) => r.id));
    }
    expect(cli(["rules", "--profile", "pci"]).code).toBe(2);
  });
});

describe("ntp-policy explain", () => {
  it("prints title, severity, profiles, rationale, remediation and references (case-insensitive id)", () => {
    const rule = loadCatalog().find((r) => r.id === "NTP001")!;
    const r = cli(["explain", "ntp001"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(explainRule(rule));
    expect(r.stdout).toMatch(/^NTP001: Untrusted hosts can query the daemon \(mode 6\/7\)\nseverity: high\nprofiles: [a-z, ]+\nsource: +policies\//);
    expect(r.stdout).toContain("How to fix:\n  Add noquery");
    expect(r.stdout).toContain("References:\n  - CIS");
    expect(r.stdout).toContain("  - CVE-2013-5211: ntpd monlist (REQ_MON_GETLIST) traffic amplification <https://nvd.nist.gov/vuln/detail/CVE-2013-5211>");
    expect(r.stdout).not.toContain("CVE CVE-");
  });

  it("lists each reference once, and bug trackers and guides under See also, not as compliance references", () => {
    const fw001 = cli(["explain", "FW001"]).stdout;
    expect(fw001.match(/nvd\.nist\.gov\/vuln\/detail\/CVE-2013-5211/g)?.length).toBe(1);
    const fw003 = cli(["explain", "FW003"]).stdout;
    const references = fw003.slice(fw003.indexOf("References:"), fw003.indexOf("See also:"));
    expect(references).not.toContain("github.com");
    expect(fw003.slice(fw003.indexOf("See also:"))).toContain("https://github.com/batfish/batfish/issues/232");
    expect(fw003.match(/batfish\/batfish\/issues\/232/g)?.length).toBe(1);
  });

  it("shows the failing and the passing example line", () => {
    const withExamples = { ...loadCatalog()[0]!, examples: { fail: "restrict default kod", pass: "restrict default kod noquery" } };
    expect(explainRule(withExamples)).toContain("Fails:\n  restrict default kod\n\nPasses:\n  restrict default kod noquery\n\nHow to fix:");
    const indent = (text: string) => text.trim().split("\n").map((l) => `  ${l}`).join("\n");
    for (const rule of loadCatalog().filter((r) => r.examples)) {
      const out = cli(["explain", rule.id]).stdout;
      expect(out).toContain(`Fails:\n${indent(rule.examples!.fail)}\n\nPasses:\n${indent(rule.examples!.pass)}\n`);
    }
  });

  it("an unknown rule is a usage error", () => {
    const r = cli(["explain", "NTP999"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('ntp-policy: error: unknown rule "NTP999"; `ntp-policy rules` lists them\n');
  });
});
