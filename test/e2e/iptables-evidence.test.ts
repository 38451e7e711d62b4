/**
 * What a host dump records about its firewall evidence, through the real command line and the compiled
 * policy: the iptables backend (`iptables-version`) decides lines only one backend accepts (PARSE001 on
 * the backend that rejects them, FW012 when none is recorded), an empty iptables-save is missing
 * evidence (never an open firewall), and `collected-at` reaches the JSON report.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "./cli.js";

const NTP_CONF = [
  "restrict -4 default kod limited nomodify notrap nopeer noquery",
  "restrict -6 default kod limited nomodify notrap nopeer noquery",
  "restrict 127.0.0.1",
  "restrict ::1",
  "disable monitor",
  "server 192.0.2.1 iburst",
  "server 192.0.2.2 iburst",
  "server 192.0.2.3 iburst",
  "",
].join("\n");

const FIREWALL = (extra: string): string =>
  [
    "*filter",
    ":INPUT DROP [0:0]",
    ":FORWARD DROP [0:0]",
    ":OUTPUT ACCEPT [0:0]",
    extra,
    "-A INPUT -i lo -j ACCEPT",
    "-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
    "-A INPUT -s 192.0.2.0/24 -p udp -m udp --dport 123 -j ACCEPT",
    "COMMIT",
    "",
  ].join("\n");

let tmp: string;

function host(name: string, files: Record<string, string>): string {
  const dir = path.join(tmp, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);
  return dir;
}

interface Finding {
  rule: string;
  severity: string;
  message: string;
  location: { file: string; line: number };
}

function check(dir: string): { findings: Finding[]; host: Record<string, unknown> } {
  const r = cli(["check", dir, "--format", "json", "--trusted", "192.0.2.0/24", "--trusted", "2001:db8::/32"]);
  expect([0, 1], r.stderr).toContain(r.code);
  const report = JSON.parse(r.stdout) as { hosts: Array<{ findings: Finding[] }> };
  return { findings: report.hosts[0]!.findings, host: report.hosts[0] as unknown as Record<string, unknown> };
}

const rules = (findings: Finding[]): string[] => findings.map((f) => f.rule);

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "ntpp-iptables-evidence-"));
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe("the iptables backend decides lines only one backend accepts", () => {
  const persist = FIREWALL(":NF_PERSIST_INPUT [0:0]");
  const ip6 = FIREWALL("").replace("192.0.2.0/24", "2001:db8::/32");

  it("no backend recorded: FW012 (low) at the line, not PARSE001", () => {
    const { findings } = check(host("unknown", { "ntp.conf": NTP_CONF, "iptables-save": persist, "ip6tables-save": ip6 }));
    const fw012 = findings.filter((f) => f.rule === "FW012");
    expect(fw012).toHaveLength(1);
    expect(fw012[0]).toMatchObject({ severity: "low", location: { file: "iptables-save", line: 5 } });
    expect(fw012[0]!.message).toContain("iptables-legacy-restore rejects this line, iptables-nft-restore accepts it");
    expect(rules(findings)).not.toContain("PARSE001");
  });

  it("legacy recorded: PARSE001, and the table counts as not loaded (FW006)", () => {
    const { findings } = check(
      host("legacy", { "ntp.conf": NTP_CONF, "iptables-save": persist, "ip6tables-save": ip6, "iptables-version": "iptables v1.8.9 (legacy)\n" }),
    );
    const parse001 = findings.filter((f) => f.rule === "PARSE001");
    expect(parse001.map((f) => [f.location.file, f.location.line])).toEqual([["iptables-save", 5]]);
    expect(parse001[0]!.message).toContain("the host's backend (iptables-version)");
    expect(rules(findings)).toContain("FW006");
    expect(rules(findings)).not.toContain("FW012");
  });

  it("nf_tables recorded: the line is fine", () => {
    const { findings, host: h } = check(
      host("nft", { "ntp.conf": NTP_CONF, "iptables-save": persist, "ip6tables-save": ip6, "iptables-version": "iptables v1.8.9 (nf_tables)\n" }),
    );
    expect(rules(findings)).not.toContain("PARSE001");
    expect(rules(findings)).not.toContain("FW012");
    expect(rules(findings)).not.toContain("FW006");
    expect((h["files"] as Array<{ kind: string }>).map((f) => f.kind)).toContain("iptables-version");
  });

  it("an iptables-version that names no backend is reported, and the lines stay portability notes", () => {
    const { findings } = check(
      host("garbled", { "ntp.conf": NTP_CONF, "iptables-save": persist, "ip6tables-save": ip6, "iptables-version": "whatever\n" }),
    );
    expect(findings.some((f) => f.location.file === "iptables-version")).toBe(true);
    expect(rules(findings)).toContain("FW012");
  });
});

describe("an empty iptables-save is missing evidence", () => {
  it("is FW007 naming the empty files, never FW001 or XL001", () => {
    const { findings } = check(host("firewalld", { "ntp.conf": NTP_CONF, "iptables-save": "", "ip6tables-save": "# nothing\n" }));
    expect(rules(findings)).not.toContain("FW001");
    expect(rules(findings)).not.toContain("XL001");
    expect(rules(findings)).not.toContain("FW002");
    const fw007 = findings.filter((f) => f.rule === "FW007");
    expect(fw007).toHaveLength(1);
    expect(fw007[0]!.message).toContain("an empty iptables-save");
    expect(fw007[0]!.message).toContain("an empty ip6tables-save");
  });

  it("an empty IPv6 dump beside a real IPv4 one is the IPv6 gap (FW003), saying the file is empty", () => {
    const { findings } = check(host("v6-empty", { "ntp.conf": NTP_CONF, "iptables-save": FIREWALL(""), "ip6tables-save": "" }));
    const fw003 = findings.filter((f) => f.rule === "FW003");
    expect(fw003.map((f) => f.message).join("\n")).toContain("an empty ip6tables-save");
    expect(rules(findings)).not.toContain("FW001");
  });
});

describe("collected-at", () => {
  it("is the host's collected_at in the JSON report; a malformed or missing one is null (not recorded); a malformed one is reported", () => {
    const files = { "ntp.conf": NTP_CONF, "iptables-save": FIREWALL(""), "ip6tables-save": FIREWALL("").replace("192.0.2.0/24", "2001:db8::/32") };
    expect(check(host("dated", { ...files, "collected-at": "2026-12-03T12:00:00Z\n" })).host["collected_at"]).toBe("2026-12-03T12:00:00Z");
    const bad = check(host("misdated", { ...files, "collected-at": "yesterday\n" }));
    expect(bad.host["collected_at"]).toBeNull();
    expect(bad.findings.some((f) => f.location.file === "collected-at")).toBe(true);
    expect(check(host("undated", files)).host["collected_at"]).toBeNull();
  });
});
