/**
 * grammar/chrony.ne through parseChronyConf: what chronyd 4.3 accepts is a node, what it refuses is a
 * fatal diagnostic with chronyd's wording. Cases come from chrony's conf.c / cmdparse.c and were checked
 * with `chronyd -p` (the corpus test does that on real files).
 */
import { describe, expect, it } from "vitest";
import { parseChronyConf } from "../../src/parse/chrony/index.js";

const one = (line: string) => parseChronyConf(`${line}\n`, "etc/chrony/chrony.conf");
const accepted = (line: string) => {
  const r = one(line);
  expect(r.diagnostics.filter((d) => d.fatal), line).toEqual([]);
  expect(r.nodes, line).toHaveLength(1);
  return r.nodes[0]!;
};
const refused = (line: string) => {
  const r = one(line);
  const fatal = r.diagnostics.filter((d) => d.fatal);
  expect(fatal, line).toHaveLength(1);
  expect(r.nodes).toEqual([]);
  return fatal[0]!;
};

describe("chrony.conf grammar", () => {
  it("reads sources with every option, directive and option names case-insensitively", () => {
    const n = accepted("SERVER ntp1.example.net IBURST minpoll 4 maxpoll 10 key 5 prefer noselect trust require xleave polltarget 6 maxsources 3 port 123 presend 9 minstratum 2 version 4 auto_offline offline burst nts ntsport 4460 certset 1 copy extfield F323 maxdelay 0.3 maxdelayratio 2 maxdelaydevratio 10 maxdelayquant 0.5 mindelay 0.001 asymmetry 0.5 offset -1e-3 filter 3 minsamples 4 maxsamples 8");
    expect(n).toMatchObject({ kind: "source", directive: "server", address: { text: "ntp1.example.net" } });
    if (n.kind !== "source") throw new Error("kind");
    expect(n.options).toMatchObject({ iburst: true, minpoll: 4, maxpoll: 10, key: 5, nts: true, offset: -0.001, extfield: "F323" });
    expect(n.location).toEqual({ file: "etc/chrony/chrony.conf", line: 1, column: 1 });
    expect(accepted("pool iburst iburst")).toMatchObject({ directive: "pool", address: { text: "iburst" } });
    expect(accepted("peer 2001:db8::1 minpoll -6")).toMatchObject({ directive: "peer" });
  });

  it("refuses bad source options with chronyd's wording", () => {
    expect(refused("server a iburst # comment").daemonMessage).toBe("Could not parse server directive at line 1 in file /etc/chrony/chrony.conf");
    expect(refused("server a minpoll 6.5").message).toMatch(/^Could not parse server directive .*chronyd will not start$/);
    expect(refused("server a key 0").daemonMessage).toMatch(/^Could not parse server/);
    expect(refused("server").daemonMessage).toMatch(/^Could not parse server/);
    expect(refused("pool a maxpoll").daemonMessage).toMatch(/^Could not parse pool/);
  });

  it("reads allow/deny subnets in every form chronyd accepts", () => {
    const subnet = (line: string) => {
      const n = accepted(line);
      if (n.kind !== "access") throw new Error("kind");
      return { all: n.all, ...n.subnet, written: n.subnet.written?.text ?? null };
    };
    expect(subnet("allow")).toEqual({ all: false, family: "any", address: null, bits: 0, written: null });
    expect(subnet("deny all")).toEqual({ all: true, family: "any", address: null, bits: 0, written: null });
    expect(subnet("allow 1.2.3")).toMatchObject({ family: "ipv4", address: "1.2.3.0", bits: 24 });
    expect(subnet("allow 10")).toMatchObject({ family: "ipv4", address: "10.0.0.0", bits: 8 });
    expect(subnet("allow 10/12")).toMatchObject({ family: "ipv4", address: "10.0.0.0", bits: 12 });
    expect(subnet("allow 192.168.1.0/24")).toMatchObject({ family: "ipv4", bits: 24 });
    expect(subnet("allow 192.168.1.7")).toMatchObject({ family: "ipv4", bits: 32 });
    expect(subnet("cmdallow all ::/0")).toMatchObject({ all: true, family: "ipv6", address: "::", bits: 0 });
    expect(subnet("cmddeny 2001:db8::/32")).toMatchObject({ family: "ipv6", bits: 32 });
    expect(subnet("allow ntp.example.net")).toMatchObject({ family: "hostname", address: "ntp.example.net" });
    // `all` is case-sensitive: `ALL` is a host name to chronyd (which then fails to resolve it).
    expect(subnet("allow ALL")).toMatchObject({ all: false, family: "hostname", address: "ALL" });
    for (const bad of ["allow 256.1", "allow 10/x", "allow 1.2.3.4.5", "allow a b", "allow all a b", "allow host/24", "allow 10/-1"]) {
      expect(refused(bad).daemonMessage, bad).toMatch(/^Could not parse allow directive/);
    }
    const bad = refused("allow 10.0.0.0/33");
    expect(bad).toMatchObject({ stage: "startup", daemonMessage: "Bad subnet in 10.0.0.0/33" });
  });

  it("checks argument counts and values like chronyd", () => {
    expect(refused("makestep 1").daemonMessage).toMatch(/^Missing arguments for makestep directive at line 1/);
    expect(refused("driftfile a b").daemonMessage).toMatch(/^Too many arguments for driftfile directive/);
    expect(refused("rtcsync yes").daemonMessage).toMatch(/^Too many arguments for rtcsync/);
    expect(refused("Port x").daemonMessage).toMatch(/^Could not parse Port directive/);
    expect(refused("foo bar").daemonMessage).toMatch(/^Invalid directive at line 1/);
    expect(refused("log Tracking").daemonMessage).toMatch(/^Invalid log parameter/);
    expect(refused("refclock SHM 0 foo").daemonMessage).toMatch(/^Invalid refclock option/);
    expect(refused("refclock SHM 0 poll x").daemonMessage).toMatch(/^Could not parse refclock directive/);
    expect(refused("leapsecmode smear").daemonMessage).toMatch(/^Could not parse leapsecmode/);
    expect(refused("local stratum 16").daemonMessage).toMatch(/^Could not parse local/);
    expect(refused("bindaddress eth0").daemonMessage).toMatch(/^Could not parse bindaddress/);
    expect(refused(`keyfile /${"x".repeat(2100)}`).daemonMessage).toMatch(/^String too long at line 1/);
    for (const ok of [
      "port 123x", "port 0", "cmdport 0", "makestep 1.0 3", "makestep 1 -1", "maxupdateskew 100.0", "rtcsync",
      "driftfile /var/lib/chrony/chrony.drift", "keyfile /etc/chrony/chrony.keys", "ntsdumpdir /var/lib/chrony",
      "ntsserverkey /etc/k.pem", "ntsservercert /etc/c.pem", "nosystemcert", "authselectmode require", "leapsectz right/UTC",
      "logdir /var/log/chrony", "log measurements statistics tracking", "log", "user _chrony", "include /etc/chrony/conf.d/*.conf",
      "confdir /etc/chrony/conf.d /usr/lib/chrony.d", "sourcedir /run/chrony-dhcp", "sourcedir /etc/chrony/sources.d",
      "local stratum 10 orphan distance 0.1", "local", "smoothtime 400 0.001 leaponly", "smoothtime 400 0.001",
      "hwtimestamp * rxfilter all minpoll -2 nocrossts", "hwtimestamp eth0", "ratelimit interval 3 burst 8 leak 2",
      "cmdratelimit", "ntsratelimit interval 6", "noclientlog", "clientloglimit 1048576", "bindcmdaddress /var/run/chrony/chronyd.sock",
      "bindcmdaddress /", "bindcmdaddress ::1", "bindaddress 0.0.0.0", "acquisitionport 1123", "leapsecmode slew",
      "refclock PHC /dev/ptp0 poll 3 dpoll -2 offset 0 refid PTP stratum 1 prefer", "refclock PPS /dev/pps0 lock NMEA",
      "maxchange 1000 1 2", "fallbackdrift 16 19", "mailonchange root@localhost 0.5", "initstepslew 10 a b",
      "broadcast 30 192.168.1.255", "tempcomp /sys/x 30 0.1 0 0 0", "tempcomp /sys/x 30 /etc/points", "dumponexit",
      "ntstrustedcerts 1 /etc/ca", "lock_all", "sched_priority 1", "commandkey 1", "dscp 46", "ptpport 319",
    ]) {
      accepted(ok);
    }
  });

  it("treats only lines starting with ! ; # % as comments and keeps reading after a good line", () => {
    const r = parseChronyConf("# c\n  ; c\n! c\n% c\n\n\tserver a\n", "f");
    expect(r.nodes.map((n) => n.location)).toEqual([{ file: "f", line: 6, column: 2 }]);
    expect(r.diagnostics).toEqual([]);
  });

  it("reads *.sources files as chronyd does: source lines only, bad ones skipped, never fatal", () => {
    const r = parseChronyConf("server a iburst\nallow all\nserver b bogus\npool c\n", "run/chrony-dhcp/eth0.sources", { sourcesFile: true });
    expect(r.nodes.map((n) => (n.kind === "source" ? n.address.text : n.kind))).toEqual(["a", "c"]);
    expect(r.diagnostics.map((d) => [d.location.line, d.fatal])).toEqual([[2, false], [3, false]]);
    expect(parseChronyConf("server a\nserver b", "x.sources", { sourcesFile: true }).nodes).toHaveLength(1);
  });
});

describe("chrony line cache", () => {
  it("answers a repeated line with the same node, stamped with its own file and line", () => {
    const text = "server a iburst\nallow 10/8\nserver a iburst\n  allow 10/8\nbogus x\nbogus x\n";
    const first = parseChronyConf(text, "one.conf");
    const second = parseChronyConf(text, "two.conf");
    expect(second).toEqual(JSON.parse(JSON.stringify(first).replaceAll("one.conf", "two.conf").replaceAll("/two.conf", "/two.conf")));
    expect(first.nodes.map((n) => [n.location.line, n.location.column])).toEqual([[1, 1], [2, 1], [3, 1], [4, 3]]);
    expect(first.nodes[2]).toMatchObject({ address: { location: { file: "one.conf", line: 3, column: 8 } } });
    expect(first.diagnostics.map((d) => [d.location.line, d.daemonMessage])).toEqual([
      [5, "Invalid directive at line 5 in file /one.conf"],
      [6, "Invalid directive at line 6 in file /one.conf"],
    ]);
  });
});
