/**
 * `fix` proven with the real tools, over generated broken hosts: each host (an ntp.conf with missing restrict
 * flags, the built-in defaults, `enable mode7`, a misspelt keyword; an iptables-save that accepts UDP/123 from
 * everywhere in one of several ways) is fixed in-process, then
 * - checked again: no failing finding of a rule the fix claims to have fixed, and nothing new;
 * - the patched iptables file is loaded by iptables-restore into a private network namespace and probed with real
 *   datagrams: untrusted sources no longer reach UDP/123, and every trusted source reaches it exactly when it did
 *   before the fix (the fix changes nothing else);
 * - the patched ntp.conf is read by ntpsec's own parser (`ntpd -n -d -c FILE` in a private namespace): no line
 *   is rejected.
 * Skipped (loudly) where namespaces are unavailable; NTPP_REQUIRE_NETNS=1 makes that a failure (CI).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCheck } from "../../src/check/index.js";
import { planFixes } from "../../src/fix/index.js";
import { defaultConfig } from "../../src/model/config.js";
import { KernelLab, netnsAvailable } from "./harness.js";

const availability = netnsAvailable();
if (!availability.ok) {
  const banner = "#".repeat(100);
  console.warn(`\n${banner}\n# FIX LAB TESTS SKIPPED: ${availability.reason}\n${banner}\n`);
}
const ntpsec = spawnSync("ntpd", ["--version"], { encoding: "utf8" });
const hasNtpsec = ntpsec.status === 0 && /ntpsec/.test(ntpsec.stdout + ntpsec.stderr);

const TRUSTED_V4 = "10.0.0.0/8";
const TRUSTED_V6 = "2001:db8:1::/48";
const config = { ...defaultConfig(), trusted_networks: [TRUSTED_V4, TRUSTED_V6] };
const TRUSTED_SOURCES = ["10.1.2.3", "10.200.0.9", "2001:db8:1::5"];
const UNTRUSTED_SOURCES = ["203.0.113.9", "192.0.2.77", "198.51.100.1", "2001:db8:2::9", "fd00::1"];

/** A small deterministic generator (mulberry32), so a failing host can be regenerated from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One of several ways a filter table lets UDP/123 in from everywhere. */
function brokenFirewall(r: () => number, family: 4 | 6): string {
  const established = r() < 0.7 ? ["-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT"] : [];
  const lo = r() < 0.7 ? ["-A INPUT -i lo -j ACCEPT"] : [];
  const ssh = ["-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT"];
  const shapes: Array<() => { policy: string; chains: string[]; rules: string[] }> = [
    () => ({ policy: "ACCEPT", chains: [], rules: [...lo, ...established, ...ssh] }),
    () => ({ policy: "DROP", chains: [], rules: [...lo, ...established, ...ssh, "-A INPUT -p udp -m udp --dport 123 -j ACCEPT"] }),
    () => ({
      policy: "DROP",
      chains: [":SERVICES - [0:0]"],
      rules: [...lo, ...established, "-A INPUT -p udp -j SERVICES", "-A SERVICES -p udp -m udp --dport 123 -j ACCEPT", "-A SERVICES -p udp -m udp --dport 53 -j ACCEPT"],
    }),
    () => ({ policy: "DROP", chains: [], rules: [...lo, ...established, `-A INPUT -s ${family === 4 ? "0.0.0.0/0" : "::/0"} -p udp -m multiport --dports 123,323 -j ACCEPT`] }),
    () => ({ policy: "DROP", chains: [], rules: [...established, "-A INPUT -i eth0 -j ACCEPT"] }),
  ];
  const shape = shapes[Math.floor(r() * shapes.length)]!();
  return ["*filter", `:INPUT ${shape.policy} [0:0]`, ":FORWARD DROP [0:0]", ":OUTPUT ACCEPT [0:0]", ...shape.chains, ...shape.rules, "COMMIT", ""].join("\n");
}

function brokenNtpConf(r: () => number): string {
  const lines = ["driftfile /var/lib/ntpsec/ntp.drift", "server 192.0.2.10 iburst", "server 192.0.2.11 iburst", "server 192.0.2.12 iburst"];
  const flags = ["kod", "nomodify", "notrap", "nopeer", "noquery"].filter(() => r() < 0.6);
  const style = r();
  if (style < 0.3) {
    // No restrict default line at all: ntpd's built-in entries.
  } else if (style < 0.5) {
    lines.push(`restrict default ${[...flags, "noqeury"].join(" ")}`);
  } else {
    lines.push(`restrict -4 default ${flags.join(" ")}`.trim(), `restrict -6 default ${flags.join(" ")}`.trim());
  }
  lines.push("restrict 127.0.0.1", "restrict ::1");
  if (r() < 0.4) lines.push("enable mode7");
  if (r() < 0.5) lines.push("disable monitor");
  return `${lines.join("\n")}\n`;
}

describe.skipIf(!availability.ok)("fix, proven on generated broken hosts (real iptables-restore, kernel, ntpsec)", () => {
  let lab: KernelLab;
  let dir: string;
  const ns = `ntpp-fix-${process.pid}`;
  beforeAll(() => {
    lab = KernelLab.create();
    dir = mkdtempSync(path.join(tmpdir(), "ntpp-fix-"));
    if (hasNtpsec) execFileSync("ip", ["netns", "add", ns]);
  });
  afterAll(() => {
    lab?.close();
    if (hasNtpsec) spawnSync("ip", ["netns", "delete", ns]);
    rmSync(dir, { recursive: true, force: true });
  });

  it.runIf(process.env.NTPP_REQUIRE_NETNS === "1")("runs where NTPP_REQUIRE_NETNS=1 (ntpsec included)", () => {
    expect(hasNtpsec).toBe(true);
  });

  it("every fixed finding stays fixed, nothing new appears, the kernel agrees and ntpsec accepts the file", async () => {
    const HOSTS = 24;
    const problems: string[] = [];
    let fixedCount = 0;
    for (let seed = 1; seed <= HOSTS; seed++) {
      const r = random(seed);
      const root = path.join(dir, `host-${seed}`);
      mkdirSync(root, { recursive: true });
      writeFileSync(path.join(root, "ntp.conf"), brokenNtpConf(r));
      writeFileSync(path.join(root, "iptables-save"), brokenFirewall(r, 4));
      writeFileSync(path.join(root, "ip6tables-save"), brokenFirewall(r, 6));
      const before = { v4: readFileSync(path.join(root, "iptables-save"), "utf8"), v6: readFileSync(path.join(root, "ip6tables-save"), "utf8") };

      const plan = await planFixes({ paths: [root], config, today: "2026-12-03" });
      const host = plan.hosts[0];
      if (!host) continue;
      fixedCount += host.fixed.length;
      const patched = new Map(host.files.map((f) => [f.file, f.after]));
      for (const f of host.files) writeFileSync(path.join(root, f.file), f.after);

      // Checked again from disk: what remains failing is exactly what fix said it could not fix.
      const after = await runCheck({ paths: [root], config, failOn: "info", today: "2026-12-03", workers: 0 });
      const failing = after.hosts[0]!.findings.filter((f) => f.status === "fail").map((f) => f.rule).sort();
      const unresolved = host.unresolved.map((u) => u.finding.rule).sort();
      if (JSON.stringify(failing) !== JSON.stringify(unresolved)) problems.push(`seed ${seed}: failing after fix ${failing.join(",")} ≠ not fixed ${unresolved.join(",")}`);
      if (host.fixed.some((f) => f.finding.rule === "FW001") && failing.includes("FW001")) problems.push(`seed ${seed}: FW001 claimed fixed`);

      // The kernel: untrusted sources are cut off for certain; trusted ones reach UDP/123 exactly as before.
      lab.load(before.v4, before.v6);
      const trustedBefore = await lab.probe(TRUSTED_SOURCES);
      lab.load(patched.get("iptables-save") ?? before.v4, patched.get("ip6tables-save") ?? before.v6);
      const afterProbe = await lab.probe([...TRUSTED_SOURCES, ...UNTRUSTED_SOURCES]);
      // With trusted networks configured, every shape of the generator is repairable.
      const fw001Fixed = host.fixed.filter((f) => f.finding.rule === "FW001").length === 2;
      if (!fw001Fixed) problems.push(`seed ${seed}: FW001 not fixed: ${host.unresolved.filter((u) => u.finding.rule === "FW001").map((u) => u.reason).join("; ")}`);
      {
        for (const s of UNTRUSTED_SOURCES) if (afterProbe.has(s)) problems.push(`seed ${seed}: ${s} still reaches UDP/123 after the fix`);
      }
      for (const s of TRUSTED_SOURCES) if (trustedBefore.has(s) !== afterProbe.has(s)) problems.push(`seed ${seed}: trusted ${s} ${afterProbe.has(s) ? "now" : "no longer"} reaches UDP/123`);

      // ntpsec's parser accepts the patched ntp.conf (unless a rejected line is among what fix left alone).
      const leftRejected = host.unresolved.some((u) => u.finding.rule === "PARSE001");
      if (hasNtpsec && patched.has("ntp.conf") && !leftRejected) {
        const file = path.join(root, "ntp.conf");
        const out = spawnSync("timeout", ["1", "ip", "netns", "exec", ns, "ntpd", "-n", "-d", "-c", file], { encoding: "utf8" });
        const text = out.stdout + out.stderr;
        if (/syntax error/.test(text)) problems.push(`seed ${seed}: ntpsec rejects the patched ntp.conf: ${text.split("\n").find((l) => /syntax error/.test(l))}\n${readFileSync(file, "utf8")}`);
      }
    }
    expect(problems).toEqual([]);
    // The generator breaks hosts in ways fix can repair: most findings must have been fixed.
    expect(fixedCount).toBeGreaterThan(HOSTS * 3);
  }, 300_000);
});
