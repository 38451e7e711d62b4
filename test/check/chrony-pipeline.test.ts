/** chrony hosts through discover → parse → analyze: the time-daemon seam, input.time and input.chrony. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { inputsFor } from "../../src/check/index.js";
import { defaultConfig } from "../../src/model/config.js";
import type { PolicyInput } from "../../src/model/input.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function inputOf(files: Record<string, string>): PolicyInput {
  const dir = mkdtempSync(path.join(tmpdir(), "ntp-policy-chrony-"));
  dirs.push(dir);
  const root = path.join(dir, "h1");
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return inputsFor([root], { ...defaultConfig(), trusted_networks: ["192.0.2.0/24"] })[0]!;
}

const FIREWALL = [
  "*filter",
  ":INPUT DROP [0:0]",
  ":FORWARD DROP [0:0]",
  ":OUTPUT ACCEPT [0:0]",
  "-A INPUT -p udp --dport 123 -s 198.51.100.0/25 -j ACCEPT",
  "-A INPUT -p udp --sport 123 -s 203.0.113.9 -j DROP",
  "-A INPUT -m state --state ESTABLISHED -j ACCEPT",
  "COMMIT",
  "",
].join("\n");

describe("a chrony host in the check pipeline", () => {
  const input = inputOf({
    "etc/chrony/chrony.conf": [
      "server 203.0.113.9 iburst",
      "server time.example.org iburst nts maxpoll 12",
      "include /etc/chrony/conf.d/*.conf",
      "allow 198.51.100.0/24",
      "cmdallow 10.0.0.0/8",
      "bindcmdaddress 0.0.0.0",
      "",
    ].join("\n"),
    "etc/chrony/conf.d/extra.conf": "bogus directive\n",
    "etc/default/chrony": 'DAEMON_OPTS="-F 1 -u _chrony"\n',
    "chrony-version": "chronyd (chrony) version 4.3 (+CMDMON +NTP +REFCLOCK)\n",
    "iptables-save": FIREWALL,
  });

  it("reads the files of the chrony daemon with the agreed kinds", () => {
    expect(input.files.map((f) => [f.path, f.kind])).toEqual([
      ["chrony-version", "chrony-version"],
      ["etc/chrony/chrony.conf", "chrony.conf"],
      ["etc/chrony/conf.d/extra.conf", "chrony.include"],
      ["etc/default/chrony", "chrony-options"],
      ["iptables-save", "iptables"],
    ]);
    expect(input.ntp).toBeNull();
    expect(input.chrony?.runs_as_user).toEqual({ user: "_chrony", from: "options", location: { file: "etc/default/chrony", line: 1, column: 1 } });
  });

  it("says which daemon runs, from the version file", () => {
    expect(input.time?.daemon).toEqual({ name: "chrony", decided_by: "version-file", version: "chronyd (chrony) version 4.3 (+CMDMON +NTP +REFCLOCK)", config_file: "etc/chrony/chrony.conf" });
  });

  it("carries a line chronyd refuses, in the included file, as a located syntax diagnostic that stops chronyd", () => {
    expect(input.diagnostics).toEqual([
      expect.objectContaining({ kind: "syntax", location: { file: "etc/chrony/conf.d/extra.conf", line: 1, column: 1 }, text: "bogus directive" }),
    ]);
    expect(input.diagnostics[0]!.message).toMatch(/^Invalid directive.*chronyd will not start$/);
  });

  it("gives who may get time and who may command chronyd, with the lines that open them", () => {
    expect(input.time?.serves_time.ipv4).toEqual({
      addresses: ["198.51.100.0/24"],
      untrusted: true,
      untrusted_example: "198.51.100.1",
      lines: [{ location: { file: "etc/chrony/chrony.conf", line: 4, column: 1 }, text: "allow 198.51.100.0/24" }],
    });
    expect(input.time?.serves_time.ipv6).toEqual({ addresses: [], untrusted: false, untrusted_example: null, lines: [] });
    expect(input.time?.query_access.ipv4.addresses).toEqual(["10.0.0.0/8"]);
    expect(input.time?.query_access.ipv4.lines.map((l) => l.text)).toEqual(["cmdallow 10.0.0.0/8", "bindcmdaddress 0.0.0.0"]);
  });

  it("lists the sources with their authentication and written maxpoll", () => {
    expect(input.time?.sources.map((s) => [s.mode, s.address, s.address_kind, s.authenticated, s.maxpoll])).toEqual([
      ["server", "203.0.113.9", "ipv4", false, null],
      ["server", "time.example.org", "hostname", true, 12],
    ]);
  });

  it("checks the firewall against chrony's sources and allow lines (FW004, XL001 facts)", () => {
    const fw = input.firewall.ipv4!;
    expect(fw.upstreams.map((u) => [u.address, u.replies])).toEqual([
      ["203.0.113.9", "blocked"],
      ["time.example.org", "partial"],
    ]);
    expect(input.exposure.ipv4).toMatchObject({
      ntp_queryable: [],
      ntp_served: ["198.51.100.0/24"],
      served_but_blocked: ["198.51.100.128/25"],
      served_but_blocked_entries: [{ location: { file: "etc/chrony/chrony.conf", line: 4, column: 1 }, text: "allow 198.51.100.0/24" }],
    });
  });
});

describe("a host with both an ntp.conf and a chrony.conf", () => {
  const both = { "etc/ntp.conf": "server 0.pool.ntp.org iburst\n", "etc/chrony.conf": "server 1.pool.ntp.org iburst\nallow\n" };

  it("judges both files by their own rules; input.time is ntpd's when nothing says which runs", () => {
    const input = inputOf(both);
    expect(input.ntp?.config_file).toBe("etc/ntp.conf");
    expect(input.chrony?.sources.map((s) => s.address)).toEqual(["1.pool.ntp.org"]);
    expect(input.time?.daemon.name).toBe("ntpd");
    expect(input.time?.also_configured).toEqual(["chrony"]);
  });

  it("takes chrony as the daemon that runs when only chrony-version is in the dump", () => {
    const input = inputOf({ ...both, "chrony-version": "chronyd (chrony) version 4.3\n" });
    expect(input.time?.daemon.name).toBe("chrony");
    expect(input.time?.also_configured).toEqual(["ntpd"]);
    expect(input.time?.sources.map((s) => s.address)).toEqual(["1.pool.ntp.org"]);
  });
});
