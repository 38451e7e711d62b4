import { describe, expect, it } from "vitest";
import { analyzeNtp } from "../../src/analyze/ntp-facts.js";
import { trustedNetworks } from "../../src/analyze/restrict.js";
import type { NtpNode } from "../../src/model/ntpconf.js";
import { conf, restrictLine, serverLine } from "./helpers.js";

function facts(lines: NtpNode[], version: string | null = null) {
  return analyzeNtp({ configFile: "ntp.conf", nodes: lines, template: null, includes: [] }, trustedNetworks([]), version).facts;
}

const sources = (nodes: NtpNode[], version: string | null = null) =>
  facts(nodes, version).associations.map((a) => [a.address, a.address_kind, a.selectable, a.unusable_reasons]);

describe("time sources", () => {
  it("counts ordinary servers and pools as selectable", () => {
    expect(sources([serverLine("server 192.0.2.1 iburst"), serverLine("pool 0.pool.ntp.org iburst")])).toEqual([
      ["192.0.2.1", "ipv4", true, []],
      ["0.pool.ntp.org", "hostname", true, []],
    ]);
  });

  it("recognises refclock pseudo-addresses and noselect", () => {
    expect(sources([serverLine("server 127.127.1.0"), serverLine("server 2001:db8::1 noselect")])).toEqual([
      ["127.127.1.0", "refclock", true, []],
      ["2001:db8::1", "ipv6", false, ["marked noselect"]],
    ]);
  });

  it("finds servers whose replies `restrict default ignore` drops", () => {
    const [a, b] = facts([restrictLine("restrict default ignore"), restrictLine("restrict 192.0.2.2 nomodify"), serverLine("server 192.0.2.1"), serverLine("server 192.0.2.2")]).associations;
    expect(a!.selectable).toBe(false);
    expect(a!.unusable_reasons[0]).toMatch(/dropped: restrict -4 default has ignore/);
    expect(b!.selectable).toBe(true);
  });

  it("lets a restrict source line open the way for host names", () => {
    const blocked = facts([restrictLine("restrict default ignore"), serverLine("server ntp.example.com")]).associations[0]!;
    expect(blocked.selectable).toBe(false);
    const open = facts([restrictLine("restrict default ignore"), restrictLine("restrict source nomodify"), serverLine("server ntp.example.com")]).associations[0]!;
    expect(open.selectable).toBe(true);
  });

  it("breaks pools under nopeer without restrict source in ntpd, but not in ntpsec", () => {
    const nodes = [restrictLine("restrict default nopeer noquery"), serverLine("pool pool.ntp.org iburst")];
    expect(facts(nodes).associations[0]!.unusable_reasons[0]).toMatch(/nopeer/);
    expect(facts(nodes, "ntpsec ntpd 1.2.2").associations[0]!.selectable).toBe(true);
    const fixed = [...nodes, restrictLine("restrict source noquery")];
    expect(facts(fixed).associations[0]!.selectable).toBe(true);
  });

  it("requires notrust sources to be authenticated and keys to be trusted", () => {
    const nodes: NtpNode[] = [restrictLine("restrict default notrust"), serverLine("server 192.0.2.1 key 5"), serverLine("server 192.0.2.2")];
    const [a, b] = facts(nodes).associations;
    expect(a!.unusable_reasons).toEqual(["key 5 is not a trustedkey"]);
    expect(b!.unusable_reasons[0]).toMatch(/notrust/);
  });
});

describe("system flags and daemon", () => {
  it("defaults monitor on and mode7 off; the last enable/disable wins", () => {
    const f = facts([]);
    expect(f.system.monitor).toEqual({ enabled: true, location: null, text: null, active: true });
    expect(f.system.mode7.enabled).toBe(false);
    expect(f.daemon).toEqual({ flavor: "ntpd", decided_by: "assumed", version: null });
  });

  it("keeps monitoring active while a restrict entry has limited", () => {
    const disable = conf("\n\ndisable monitor");
    expect(facts(disable).system.monitor).toEqual({ enabled: false, active: false, location: { file: "ntp.conf", line: 3, column: 9 }, text: "disable monitor" });
    expect(facts([...disable, restrictLine("restrict default limited kod noquery")]).system.monitor.active).toBe(true);
  });

  it("decides ntpsec from the version file or ntpsec-only syntax", () => {
    expect(facts([], "ntpsec ntpd 1.2.2+").daemon.decided_by).toBe("version-file");
    expect(facts([restrictLine("restrict 10.0.0.0/8 noquery")]).daemon).toEqual({ flavor: "ntpsec", decided_by: "syntax", version: null });
  });

  it("collects broadcast and multicast client lines and enable bclient", () => {
    const f = facts(conf("broadcastclient\nmulticastclient 224.0.1.1\nenable bclient\n"));
    expect(f.broadcast_client_lines.map((l) => [l.location.line, l.text])).toEqual([
      [1, "broadcastclient"],
      [2, "multicastclient 224.0.1.1"],
    ]);
    expect(f.system.bclient).toEqual({ enabled: true, location: { file: "ntp.conf", line: 3, column: 8 }, text: "enable bclient" });
  });
});

describe("reference clocks", () => {
  it("tells the undisciplined local clock from hardware clocks", () => {
    const facts = analyzeNtp(
      { configFile: "ntp.conf", nodes: conf("server 127.127.1.0\nserver 127.127.20.0\nrefclock local\nrefclock nmea\nserver 192.0.2.1\n"), template: null, includes: [] },
      trustedNetworks([]),
      null,
    ).facts;
    expect(facts.associations.map((a) => [a.address, a.local_clock])).toEqual([
      ["127.127.1.0", true],
      ["127.127.20.0", false],
      ["local", true],
      ["nmea", false],
      ["192.0.2.1", undefined],
    ]);
  });
});
