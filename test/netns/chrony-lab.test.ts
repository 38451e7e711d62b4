/**
 * chrony semantics proven against the real chronyd: for hand-written and 200+ generated configurations,
 * the facts the check pipeline judges must agree with who actually got an NTP reply and a chronyc command
 * reply, on every probe (IPv4 and IPv6, remote and loopback sources): the daemon-neutral `input.time`
 * (`serves_time`, `query_access`, which the rules read) for sources outside loopback, and `input.chrony`'s
 * exact sets (`serves_time_to`, `may_query_or_command`) for loopback sources, which `input.time` leaves out. Skipped with a banner where namespaces or chronyd are unavailable;
 * NTPP_REQUIRE_NETNS=1 (CI) turns the skip into a failure. NTPP_CHRONY_SEEDS changes the number of seeds.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AddressSet, LOOPBACK, parseAddress } from "../../src/analyze/address-set.js";
import { analyzeChrony } from "../../src/analyze/time/chrony.js";
import { trustedNetworks } from "../../src/analyze/trust.js";
import { parseChronyConf, parseChronyDaemonOptions } from "../../src/parse/chrony/index.js";
import { ChronyLab, chronyLabAvailable, type ChronyProbe } from "./chrony-lab.js";
import { generateChronyConfig } from "./chrony-generate.js";
import { chronydAvailable } from "../chrony/chronyd.js";
import { netnsAvailable } from "./harness.js";
import { requireOrSkip } from "../requirements.js";

const availability = chronyLabAvailable();
const net = netnsAvailable();
const daemon = chronydAvailable();
// Either requirement may be the missing one: CI requires both (NTPP_REQUIRE_NETNS, NTPP_REQUIRE_CHRONY).
const runLab =
  requireOrSkip("chrony namespace lab", net.ok, net.ok ? "" : net.reason, "NTPP_REQUIRE_NETNS") &&
  requireOrSkip("chrony namespace lab", daemon.ok, daemon.ok ? "" : daemon.reason, "NTPP_REQUIRE_CHRONY");
const SEEDS = Number(process.env.NTPP_CHRONY_SEEDS ?? 210);

/** What the check pipeline's chrony analysis (src/analyze/time/chrony.ts) predicts for each probe. */
function predicted(lab: ChronyLab, config: string, optionsFile: string, probes: ChronyProbe[]): boolean[] {
  const parsed = parseChronyConf(`${config}${lab.labLines()}`, "etc/chrony/chrony.conf");
  expect(parsed.diagnostics.filter((d) => d.fatal)).toEqual([]);
  const options = parseChronyDaemonOptions(optionsFile, "etc/sysconfig/chronyd");
  const host = {
    configPath: "etc/chrony/chrony.conf",
    config: { files: [], nodes: parsed.nodes, diagnostics: parsed.diagnostics, includes: [], fatal: false },
    optionsPath: "etc/sysconfig/chronyd",
    options,
    files: [],
    diagnostics: [],
  };
  const { time, facts } = analyzeChrony({ host, versionText: null }, trustedNetworks([]));
  return probes.map((p) => {
    const a = parseAddress(p.src)!;
    const probe = AddressSet.of(a.family, [p.src]);
    const cidrs = LOOPBACK[a.family].contains(probe)
      ? (p.kind === "ntp" ? facts.serves_time_to : facts.may_query_or_command)[a.family]
      : (p.kind === "ntp" ? time.serves_time : time.query_access)[a.family].addresses;
    return AddressSet.of(a.family, cidrs).contains(probe);
  });
}

describe.runIf(runLab)("chrony lab (real chronyd in a network namespace)", () => {
  let lab: ChronyLab;
  beforeAll(() => {
    expect(availability).toMatchObject({ ok: true });
    lab = ChronyLab.create();
  });
  afterAll(() => lab?.close());

  const probes = (kind: "ntp" | "cmd", port: number, srcs: string[], local = false): ChronyProbe[] =>
    srcs.map((src) => ({ src, kind, port, local }));

  it("default configuration: no NTP client served, commands from 127.0.0.1 and ::1 only", async () => {
    const ps = [
      ...probes("ntp", 123, ["10.1.2.3", "2001:db8::1"]),
      ...probes("ntp", 123, ["127.0.0.1", "::1"], true),
      ...probes("cmd", 323, ["10.1.2.3", "2001:db8::1"]),
      ...probes("cmd", 323, ["127.0.0.1", "127.0.0.2", "::1"], true),
    ];
    const run = await lab.run("pool 2.pool.ntp.org iburst\n", ps);
    expect([...run.answered].map((i) => `${ps[i]!.kind} ${ps[i]!.src}`).sort()).toEqual(["cmd 127.0.0.1", "cmd ::1"]);
    expect(predicted(lab, "pool 2.pool.ntp.org iburst\n", "", ps)).toEqual(ps.map((_, i) => run.answered.has(i)));
  });

  it("allow opens NTP to the allowed subnets only; cmdallow + bindcmdaddress open the command port", async () => {
    const config = "allow 192.0.2.0/24\ndeny 192.0.2.128/25\nallow 2001:db8::/32\ncmdallow 10/8\nbindcmdaddress 0.0.0.0\n";
    const ps = [...probes("ntp", 123, ["192.0.2.1", "192.0.2.200", "10.1.2.3", "2001:db8::1", "fd00::1"]), ...probes("cmd", 323, ["10.1.2.3", "192.0.2.1", "2001:db8::1"])];
    const run = await lab.run(config, ps);
    expect([...run.answered].map((i) => `${ps[i]!.kind} ${ps[i]!.src}`).sort()).toEqual(["cmd 10.1.2.3", "ntp 192.0.2.1", "ntp 2001:db8::1"]);
    expect(predicted(lab, config, "", ps)).toEqual(ps.map((_, i) => run.answered.has(i)));
  });

  it("allow/deny order, `all` and prefix lengths off the 4-bit node boundaries behave as in addrfilt.c", async () => {
    const srcs = ["10.0.0.1", "10.1.2.3", "10.64.0.1", "10.200.0.1", "192.0.2.1"];
    const cases: Array<[string, string[]]> = [
      ["deny 10.1/16\nallow 10/8\n", ["10.0.0.1", "10.64.0.1", "10.200.0.1"]],
      ["deny 10.1/16\nallow all 10/8\n", ["10.0.0.1", "10.1.2.3", "10.64.0.1", "10.200.0.1"]],
      ["allow 10.0.0.0/10\ndeny 10.0.0.0/9\n", []],
      ["deny 10.0.0.0/9\nallow 10.0.0.0/10\n", ["10.0.0.1", "10.1.2.3"]],
      ["deny 10/8\nallow all\n", srcs],
      ["allow\ndeny all 10.0.0.0/9\n", ["10.200.0.1", "192.0.2.1"]],
    ];
    for (const [config, served] of cases) {
      const ps = probes("ntp", 123, srcs);
      const run = await lab.run(config, ps);
      expect([...run.answered].map((i) => ps[i]!.src).sort(), config).toEqual([...served].sort());
      expect(predicted(lab, config, "", ps), config).toEqual(ps.map((_, i) => run.answered.has(i)));
    }
  });

  it("port 0 makes a pure client and cmdport 0 closes the command port, whatever allow says", async () => {
    const config = "allow\ncmdallow\nbindcmdaddress 0.0.0.0\nport 0\ncmdport 0\n";
    const ps = [...probes("ntp", 123, ["10.1.2.3", "2001:db8::1"]), ...probes("cmd", 323, ["10.1.2.3"]), ...probes("cmd", 323, ["127.0.0.1"], true)];
    const run = await lab.run(config, ps);
    expect(run.answered.size).toBe(0);
    expect(predicted(lab, config, "", ps)).toEqual(ps.map(() => false));
  });

  it("chronyd refuses to start where the parser says it will", async () => {
    for (const config of ["allow 10.0.0.0/33\n", "server a iburst # comment\n", "bogus\n"]) {
      const run = await lab.run(config, []);
      expect(run.exited, config).toBe(1);
      const fatal = parseChronyConf(config, "etc/chrony/chrony.conf").diagnostics.filter((d) => d.fatal);
      expect(fatal, config).toHaveLength(1);
      expect(run.log).toContain(fatal[0]!.daemonMessage!.replace(/ in file .*$/, ""));
    }
  });

  it(`${SEEDS} generated configurations: 0 disagreements on every probe`, async () => {
    const disagreements: string[] = [];
    let probesSent = 0;
    let answered = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const g = generateChronyConfig(seed);
      const run = await lab.run(g.text, g.probes, g.args);
      expect(run.exited, `seed ${seed} exited:\n${g.text}\n${run.log}`).toBeNull();
      const want = predicted(lab, g.text, g.optionsFile, g.probes);
      g.probes.forEach((p, i) => {
        probesSent++;
        if (run.answered.has(i)) answered++;
        if (want[i] !== run.answered.has(i)) {
          disagreements.push(`seed ${seed} ${g.args.join(" ")} ${p.kind} from ${p.src}${p.local ? " (local)" : ""} to ${p.dst ?? "receiver"}:${p.port}: analysis ${want[i] ? "answered" : "silent"}, chronyd ${run.answered.has(i) ? "answered" : "silent"}\n${g.text}`);
        }
      });
    }
    console.log(`chrony lab: ${SEEDS} configurations, ${probesSent} probes, ${answered} answered, ${disagreements.length} disagreements`);
    expect(disagreements.slice(0, 10)).toEqual([]);
    // The generated configurations discriminate: a fair share of probes is answered, and not all.
    expect(answered).toBeGreaterThan(probesSent * 0.05);
    expect(answered).toBeLessThan(probesSent * 0.9);
  }, 600_000);
});
