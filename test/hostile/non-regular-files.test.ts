/**
 * A host whose ntp.conf or firewall dump is not a regular file (a FIFO, a device, a directory, a broken
 * link, a link loop) stays in the report with a PARSE003 finding: it neither disappears nor passes, and the
 * checker never opens (and so never blocks on) such a file.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../e2e/cli.js";

const GOOD_NTP = "restrict default kod limited nomodify notrap nopeer noquery\nrestrict 127.0.0.1\nrestrict ::1\ndisable monitor\nserver 192.0.2.1\nserver 198.51.100.1\nserver 203.0.113.1\n";
const GOOD_FW = "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\nCOMMIT\n";

/** A fleet where every host but `good` has one kind of non-regular file where a file belongs. */
function hostileFleet(): string {
  const root = mkdtempSync(path.join(tmpdir(), "ntp-policy-nonregular-"));
  const host = (name: string): string => {
    const dir = path.join(root, name);
    mkdirSync(dir, { recursive: true });
    return dir;
  };
  writeFileSync(path.join(host("good"), "ntp.conf"), GOOD_NTP);
  execFileSync("mkfifo", [path.join(host("fifo"), "ntp.conf")]);
  symlinkSync("missing.conf", path.join(host("dangling"), "ntp.conf"));
  symlinkSync("ntp.conf", path.join(host("loop"), "ntp.conf"));
  mkdirSync(path.join(host("directory"), "ntp.conf"), { mode: 0o000 });
  const zero = host("dev-zero");
  symlinkSync("/dev/zero", path.join(zero, "ntp.conf"));
  writeFileSync(path.join(zero, "iptables-save"), GOOD_FW);
  const fwFifo = host("fw-fifo");
  writeFileSync(path.join(fwFifo, "ntp.conf"), GOOD_NTP);
  execFileSync("mkfifo", [path.join(fwFifo, "iptables-save")]);
  return root;
}

interface JsonReport {
  hosts: Array<{ host: string; findings: Array<{ rule: string; status: string; message: string; location: { file: string } }> }>;
}

describe("non-regular files in a host dump", () => {
  it("every such host is reported with PARSE003, none vanishes, none passes, nothing blocks", () => {
    const root = hostileFleet();
    const r = cli(["check", root, "--format", "json", "--trusted", "192.0.2.0/24"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.hosts.map((h) => h.host)).toEqual(["dangling", "dev-zero", "directory", "fifo", "fw-fifo", "good", "loop"]);
    const parse003 = (name: string): string[] =>
      report.hosts.find((h) => h.host === name)!.findings.filter((f) => f.rule === "PARSE003").map((f) => `${f.location.file.slice(name.length + 1)}: ${f.message}`);
    expect(parse003("fifo")).toEqual([expect.stringMatching(/^ntp\.conf: ntp\.conf: a FIFO \(named pipe\), not a regular file/)]);
    expect(parse003("dangling")).toEqual([expect.stringMatching(/^ntp\.conf: ntp\.conf: a symbolic link to a missing file/)]);
    expect(parse003("loop")).toEqual([expect.stringMatching(/^ntp\.conf: ntp\.conf: too many levels of symbolic links/)]);
    expect(parse003("directory")).toEqual([expect.stringMatching(/^ntp\.conf: ntp\.conf: a directory, not a regular file/)]);
    expect(parse003("dev-zero")).toEqual([expect.stringMatching(/^ntp\.conf: ntp\.conf: the file is a link that leads outside the host directory/)]);
    expect(parse003("fw-fifo")).toEqual([expect.stringMatching(/^iptables-save: iptables-save: a FIFO \(named pipe\), not a regular file/)]);
    expect(parse003("good")).toEqual([]);
  });

  it("a host with only a FIFO as ntp.conf, checked on its own, fails rather than passes", () => {
    const root = mkdtempSync(path.join(tmpdir(), "ntp-policy-fifo-"));
    execFileSync("mkfifo", [path.join(root, "ntp.conf")]);
    const r = cli(["check", root]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/PARSE003/);
  });
});
