/** `ntp-policy check` on chrony hosts, through the built command line: located findings, every format. */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chronydAvailable, chronydCheck } from "../chrony/chronyd.js";
import { cli, ROOT } from "./cli.js";

let dump: string;

function write(rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(dump, rel)), { recursive: true });
  writeFileSync(path.join(dump, rel), text);
}

beforeAll(() => {
  dump = mkdtempSync(path.join(tmpdir(), "ntp-policy-chrony-e2e-"));
  // A typo in an included file: chronyd will not start.
  write("broken/etc/chrony/chrony.conf", "pool 2.debian.pool.ntp.org iburst\nconfdir /etc/chrony/conf.d\n");
  write("broken/etc/chrony/conf.d/servers.conf", "severs time.example.org iburst\n");
  // ntpd and chrony side by side in one fleet.
  write("ntp1/ntp.conf", "restrict default kod nomodify notrap nopeer noquery\nserver 0.pool.ntp.org iburst\n");
  write("chrony1/etc/chrony.conf", "server 0.pool.ntp.org iburst\nserver 1.pool.ntp.org iburst\nserver 2.pool.ntp.org iburst\nallow\n");
});
afterAll(() => rmSync(dump, { recursive: true, force: true }));

describe("check on chrony hosts", () => {
  it("a line chronyd refuses is a critical PARSE001 located in the included file, with its code frame", () => {
    const r = cli(["check", path.join(dump, "broken")]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/broken\/etc\/chrony\/conf\.d\/servers\.conf:1:1 {2}critical {2}PARSE001 {2}Invalid directive \("severs" is not a chrony\.conf directive; did you mean "server"\?\); chronyd will not start/);
    expect(r.stdout).toContain("> 1 | severs time.example.org iburst");
    expect(r.stdout).toContain("Fix the line so that chronyd accepts it");
  });

  it("judges a mixed fleet: each host by its own daemon's rules, the neutral rules on both", () => {
    const report = JSON.parse(cli(["check", dump, "--format", "json", "--fail-on", "never"]).stdout);
    const host = (name: string) => report.hosts.find((h: { host: string }) => h.host === name);
    const rules = (name: string) => host(name).findings.map((f: { rule: string }) => f.rule).sort();
    expect(rules("chrony1")).toEqual(["CHRONY001", "CHRONY001", "FW007"]);
    expect(rules("ntp1")).toEqual(["FW007", "NTP003"]);
    expect(host("chrony1").judged_as).toEqual({ flavor: "chrony", decided_by: "config-file", version: null });
    const outcome = (name: string, rule: string) => host(name).outcomes.find((o: { rule: string }) => o.rule === rule);
    expect(outcome("chrony1", "NTP003")).toMatchObject({ status: "pass" });
    expect(outcome("chrony1", "NTP002")).toMatchObject({ status: "not_applicable", reason: expect.stringMatching(/^written for another time daemon/) });
    expect(outcome("ntp1", "CHRONY001")).toMatchObject({ status: "not_applicable", reason: expect.stringMatching(/^written for another time daemon/) });
    expect(host("broken").findings.map((f: { rule: string; severity: string }) => [f.rule, f.severity])).toContainEqual(["PARSE001", "critical"]);
  });

  it("every format carries the chrony findings", () => {
    for (const format of ["sarif", "junit", "markdown", "csv", "html", "github"]) {
      const r = cli(["check", dump, "--format", format, "--fail-on", "never"]);
      expect(r.code, `${format}: ${r.stderr}`).toBe(0);
      expect(r.stdout, format).toContain("CHRONY001");
    }
  });

  it("rules and explain know the chrony rules", () => {
    expect(cli(["rules"]).stdout).toMatch(/CHRONY003/);
    const explained = cli(["explain", "CHRONY002"]);
    expect(explained.code).toBe(0);
    expect(explained.stdout).toContain("chronyd_no_chronyc_network");
  });

  it("fix adds maxpoll to a chrony source (NTP013), verified by a re-check, and chronyd accepts the result", () => {
    const host = path.join(dump, "fix", "chrony-open");
    cpSync(path.join(ROOT, "examples/host-dump/chrony-open"), host, { recursive: true });
    const r = cli(["fix", host, "--profile", "stig", "--rule", "NTP013", "--write"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("fixed NTP013 at etc/chrony.conf:2: add maxpoll 10 to `pool 2.rhel.pool.ntp.org iburst`");
    const text = readFileSync(path.join(host, "etc/chrony.conf"), "utf8");
    expect(text.split("\n")[1]).toBe("pool 2.rhel.pool.ntp.org iburst maxpoll 10");
    const daemon = chronydAvailable();
    if (daemon.ok) expect(chronydCheck(daemon.chronyd, path.join(host, "etc/chrony.conf"))).toMatchObject({ accepted: true });
    // The restrict fixers have nothing to edit on a chrony host: a person decides.
    const rest = cli(["fix", host, "--profile", "stig", "--rule", "NTP001"]);
    expect(rest.code).toBe(1);
    expect(rest.stdout).toBe("");
  });

  it("source_kind from the configuration: recorded in the report, CHRONY006 at the pool line of chrony-open only", () => {
    const config = path.join(dump, "server-only.yaml");
    writeFileSync(config, "source_kind: server\n");
    const examples = path.join(ROOT, "examples/host-dump");
    const r = cli(["check", path.join(examples, "chrony-open"), path.join(examples, "chrony-hardened"), "--config", config, "--format", "json"]);
    const report = JSON.parse(r.stdout);
    expect(report.config.source_kind).toBe("server");
    const chrony006 = report.hosts.flatMap((h: { findings: Array<{ rule: string; location: { file: string; line: number } }> }) =>
      h.findings.filter((f) => f.rule === "CHRONY006").map((f) => `${f.location.file}:${f.location.line}`),
    );
    expect(chrony006).toEqual(["etc/chrony.conf:2"]);
    expect(report.hosts.find((h: { host: string }) => h.host === "chrony-hardened").findings).toEqual([]);
  });
});
