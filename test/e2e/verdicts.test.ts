/**
 * Verdicts an operator can defend, end to end through the CLI: the seed LAN server of examples/host-dump
 * with its trusted network, and the same configuration with the LAN left untrusted.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli, ROOT } from "./cli.js";

interface Finding {
  rule: string;
  severity: string;
  location: { line: number };
  message: string;
  remediation: string;
}

const LAN = "examples/host-dump/ntp-lan-server";
const findings = (args: string[]): Finding[] => JSON.parse(cli([...args, "--format", "json"]).stdout).hosts[0].findings;
const summary = (fs: Finding[]) => fs.map((f) => `${f.rule} ${f.severity} ${f.location.line}`).sort();

describe("the seed LAN time server (trusted_networks: [192.168.1.0/24])", () => {
  it("has no NTP finding at medium or above; NTP021 says disable monitor has no effect", () => {
    const got = findings(["check", LAN, "--config", "examples/ntp-lan-server.yaml"]);
    // The firewall from the same article admits only replies from the LAN, never a LAN client's request:
    // XL001 says so (a true finding about the firewall, not about ntp.conf).
    expect(summary(got)).toEqual(["NTP021 low 11", "XL001 medium 10"]);
    const ntp021 = got.find((f) => f.rule === "NTP021")!;
    expect(ntp021.message).toContain("`disable monitor` at ntp.conf:11 has no effect");
    expect(ntp021.remediation).toContain("drop `limited`");
  });

  it("passes the baseline with nothing at medium or above once the firewall admits the LAN's requests", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ntpp-lan-"));
    try {
      const host = path.join(dir, "lan");
      cpSync(path.join(ROOT, LAN), host, { recursive: true });
      const rules = readFileSync(path.join(host, "iptables-save"), "utf8").replace(
        "-A OUTPUT -o lo",
        "-A INPUT -s 192.168.1.0/24 -p udp -m udp --dport 123 -j ACCEPT\n-A OUTPUT -o lo",
      );
      writeFileSync(path.join(host, "iptables-save"), rules);
      const r = cli(["check", host, "--trusted", "192.168.1.0/24", "--fail-on", "medium", "--format", "json"]);
      expect(r.code).toBe(0);
      expect(summary(JSON.parse(r.stdout).hosts[0].findings)).toEqual(["NTP021 low 11"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("with the LAN untrusted, NTP002 fires and its advice is this host's (no `add disable monitor`, no mode7)", () => {
    const got = findings(["check", LAN]);
    const ntp002 = got.find((f) => f.rule === "NTP002")!;
    expect(ntp002.message).toContain("untrusted hosts such as 192.168.1.1");
    expect(ntp002.remediation).toContain("`disable monitor` is written, but `limited` keeps monitoring on (ntp.conf:6 and 1 more)");
    expect(ntp002.remediation).toContain("Add noquery to `restrict 192.168.1.0 mask 255.255.255.0 nomodify nopeer notrap` (ntp.conf:10)");
    expect(ntp002.remediation).not.toContain("Add `disable monitor`");
    expect(ntp002.remediation).not.toContain("mode7");
  });
});

describe("a host with the daemon installed but no configuration", () => {
  it("is reported (NTP022, high), not skipped, and fails the run", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ntpp-noconf-"));
    try {
      mkdirSync(path.join(dir, "ntp1"));
      writeFileSync(path.join(dir, "ntp1", "ntp.conf"), "restrict default noquery\nserver 192.0.2.1\n");
      mkdirSync(path.join(dir, "ntp2"));
      writeFileSync(path.join(dir, "ntp2", "ntp-version"), "ntpd ntpsec-1.2.2\n");
      const r = cli(["check", dir, "--format", "json"]);
      expect(r.code).toBe(1);
      const report = JSON.parse(r.stdout);
      expect(report.hosts.map((h: { host: string }) => h.host)).toEqual(["ntp1", "ntp2"]);
      const ntp2 = report.hosts[1].findings;
      expect(ntp2.map((f: Finding) => `${f.rule} ${f.severity}`)).toEqual(["NTP022 high"]);
      expect(ntp2[0].location).toEqual({ file: "ntp2/ntp-version", line: 1, column: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("judged by the daemon that runs", () => {
  const CONF = [
    "restrict default kod limited nomodify notrap noquery",
    "restrict 127.0.0.1",
    "server 192.0.2.1 iburst",
    "server 198.51.100.2 iburst",
    "server 203.0.113.3 iburst",
    "broadcast 192.0.2.255",
    "manycastclient 239.1.1.1",
    "crypto",
    "statistics loopstats cryptostats",
    "tos cohort 1",
    "discard minimum 0",
    "restrict 10.9.0.0 mask 255.255.0 ignore",
    "",
  ].join("\n");

  /** The report of one host with CONF and, when given, an ntp-version file. */
  const reportWith = (version: string | null, format = "json"): string => {
    const dir = mkdtempSync(path.join(tmpdir(), "ntpp-daemon-"));
    try {
      mkdirSync(path.join(dir, "h"));
      writeFileSync(path.join(dir, "h", "ntp.conf"), CONF);
      if (version !== null) writeFileSync(path.join(dir, "h", "ntp-version"), `${version}\n`);
      return cli(["check", path.join(dir, "h"), "--profile", "baseline", "--format", format]).stdout;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const checkWith = (version: string): Finding[] => JSON.parse(reportWith(version)).hosts[0].findings;
  const at = (fs: Finding[], rule: string) => fs.filter((f) => f.rule === rule).map((f) => f.location.line);

  it("on ntpsec, the lines ntpsec rejects are PARSE001 and NTP007/NTP017 do not fire", () => {
    const got = checkWith("ntpd ntpsec-1.2.2");
    expect(at(got, "PARSE001")).toEqual([6, 7, 8, 9, 10, 11, 12]);
    expect(got.find((f) => f.location.line === 6)!.message).toBe(
      "ntpsec rejects this line (syntax error): broadcast mode was removed from ntpsec; ntpd ignores the line",
    );
    expect(at(got, "NTP007")).toEqual([]);
    expect(at(got, "NTP017")).toEqual([]);
  });

  it("the report says which daemon each host was judged as, and why", () => {
    const ntpsec = JSON.parse(reportWith("ntpd ntpsec-1.2.2")).hosts[0];
    expect(ntpsec.judged_as).toEqual({ flavor: "ntpsec", decided_by: "version-file", version: "ntpd ntpsec-1.2.2" });
    // NTP007 and NTP017 cannot apply on ntpsec: not applicable with the reason, neither pass nor fail.
    const na = ntpsec.outcomes.filter((o: { rule: string }) => o.rule === "NTP007" || o.rule === "NTP017");
    expect(na.map((o: { status: string }) => o.status)).toEqual(["not_applicable", "not_applicable"]);
    expect(na[0].reason).toContain("judged as ntpsec (version-file)");
    expect(JSON.parse(reportWith(null)).hosts[0].judged_as).toEqual({ flavor: "ntpd", decided_by: "assumed", version: null });
    expect(reportWith("ntpd ntpsec-1.2.2", "text")).toMatch(/^h .*judged as ntpsec \(ntp-version\)$/m);
    expect(reportWith(null, "text")).toMatch(/^h .*judged as ntpd \(assumed: nothing says which daemon runs\)$/m);
  });

  it("on classic ntpd the same lines are accepted and judged; an unusable mask is rejected by both", () => {
    const got = checkWith("ntpd 4.2.8p15@1.3728-o");
    expect(at(got, "PARSE001")).toEqual([12]);
    expect(got.find((f) => f.rule === "PARSE001")!.message).toContain("restrict: ignoring line 12, mask '255.255.0' unusable");
    expect(at(got, "NTP007")).toEqual([1, 1]); // `restrict default` sets both families
    expect(at(got, "NTP017")).toEqual([7]);
  });
});

describe("stratum-1 servers", () => {
  const check = (conf: string): Finding[] => {
    const dir = mkdtempSync(path.join(tmpdir(), "ntpp-s1-"));
    try {
      writeFileSync(path.join(dir, "ntp.conf"), conf);
      return findings(["check", path.join(dir, "ntp.conf")]).filter((f) => f.rule === "NTP003" || f.rule === "NTP015");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const HEAD = "restrict default kod limited nomodify notrap nopeer noquery\nrestrict 127.0.0.1\n";

  it("a GPS and PPS server with one network upstream passes NTP003 and NTP015", () => {
    expect(check(`${HEAD}server 127.127.20.0 mode 17\nserver 127.127.22.0\nserver 192.0.2.1 iburst\n`)).toEqual([]);
    expect(check(`${HEAD}refclock nmea prefer\nrefclock pps\nrefclock shm unit 0\n`)).toEqual([]);
  });

  it("the undisciplined local clock does not count, and NTP003 says which sources it counted", () => {
    const got = check(`${HEAD}server 127.127.1.0\nserver 127.127.20.0\n`);
    expect(got.map((f) => f.rule)).toEqual(["NTP003"]);
    expect(got[0]!.message).toContain("Only 1 usable time source");
    expect(got[0]!.message).toContain("counted: `server 127.127.20.0` at ntp.conf:4;");
    const local = check(`${HEAD}server 127.127.1.0\nfudge 127.127.1.0 stratum 10\n`);
    expect(local.map((f) => f.rule).sort()).toEqual(["NTP003", "NTP015"]);
  });
});

describe("one root cause, located at the cause", () => {
  it("a typo'd `restrict default` line: NTP001 is located at the rejected line and says so, and PARSE001 suggests the word", () => {
    const got = findings(["check", "examples/host-dump/ntp-typo"]);
    const ntp001 = got.filter((f) => f.rule === "NTP001");
    expect(ntp001.map((f) => f.location.line)).toEqual([6, 6]);
    expect(ntp001[0]!.message).toMatch(/^ntpd rejects `restrict default kod nomodify notrap nopeer noqeury` at etc\/ntp\.conf:6 \(PARSE001\)/);
    expect(ntp001[0]!.remediation).toContain("--trusted");
    expect(got.find((f) => f.rule === "PARSE001")!.message).toContain('(did you mean "noquery"?)');
  });
});
