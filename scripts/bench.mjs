#!/usr/bin/env node
// `npm run bench`: throughput and scale figures (not a test; CI does not time anything).
//  1. ntp.conf and chrony.conf parse throughput on generated 10,000-line files (target ≥ 40,000 lines/s), and a
//     10,000-line chrony host through parse and analysis (the policy input);
//  2. a full `ntp-policy check` of 10,000 typical hosts (target ≤ 10 s, ≤ 300 MB, report identical without the
//     fleet memo), and one host as the pre-commit hook checks it (≤ 2.5× `node -e 0`): scripts/bench-fleet.mjs;
//  3. a full check of one Kubernetes node in kube-proxy iptables mode with ~100,000 rules
//     (scripts/gen-kube-iptables.mjs, 15 MB; scripts/bench-kube.mjs): faster than iptables-restore --test on
//     the same file, ≤ 5× a read-and-split floor, ≤ 300 MB peak RSS;
//  4. firewall analysis on 1×/10×/100× inputs (scripts/bench-firewall.mjs): ratio per 10× near 10, not 100;
//  5. nftables: parsing of a 100,000-element set and 10,000 rules against `nft -c -f`, and the whole check of a
//     node holding it, time and peak RSS as ratios to a read-and-split floor (scripts/bench-nft.mjs).
//  6. hostile inputs that used to be quadratic, at 1×, 10× and 100× (restrict lines, server lines, includes,
//     long lines, waiver globs, and the lines the policy compares with one another: server lines out of order,
//     limited restrict lines, peer keys, interface lines, chrony allow/deny lines, iptables accept rules), with
//     their scaling ratio.
// Runs against the built CLI in dist/ (npm run build).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { parseNtpConf } = await import(path.join(root, "dist/parse/ntp/index.js"));

// A deterministic pseudo-random generator, so every run measures the same input.
let seed = 42;
const rand = (n) => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
};

const SHAPES = [
  () => `server ${rand(223) + 1}.${rand(256)}.${rand(256)}.${rand(256)} iburst minpoll 6 maxpoll 10`,
  () => `pool ${rand(4)}.pool.ntp.org iburst`,
  () => `restrict ${rand(223) + 1}.${rand(256)}.0.0 mask 255.255.0.0 nomodify notrap nopeer noquery`,
  () => "restrict -6 default kod limited nomodify notrap nopeer noquery",
  () => "restrict source notrap nomodify noquery",
  () => `# comment line ${rand(1000)}`,
  () => "",
  () => `fudge 127.127.1.0 stratum ${rand(16)}`,
  () => "statistics loopstats peerstats clockstats",
  () => `filegen loopstats file loopstats type day enable`,
  () => `tinker panic 0 stepout ${rand(900)}`,
  () => `driftfile /var/lib/ntp/ntp.drift`,
  () => `keys /etc/ntp/keys`,
  () => `trustedkey ${rand(10) + 1} ${rand(10) + 11}`,
  () => `server 2001:db8::${rand(65535).toString(16)} iburst prefer # upstream`,
  () => `tos minclock 4 minsane 3 maxclock 10`,
  () => `interface listen eth${rand(4)}`,
  () => `discard average 3 minimum 1`,
];

function ntpConf(lines) {
  const out = [];
  for (let i = 0; i < lines; i++) out.push(SHAPES[rand(SHAPES.length)]());
  return `${out.join("\n")}\n`;
}

// 1. Parse throughput.
const text = ntpConf(10_000);
parseNtpConf(ntpConf(2_000), "warmup.conf"); // let the JIT warm up, as in a long-running check
const runs = [];
for (let i = 0; i < 5; i++) {
  const t0 = process.hrtime.bigint();
  const result = parseNtpConf(text, "bench.conf");
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (result.diagnostics.length > 0) throw new Error(`bench input has errors: ${result.diagnostics[0].message}`);
  runs.push(ms);
}
runs.sort((a, b) => a - b);
const median = runs[2];
console.log(`ntp.conf parse: 10,000 lines in ${median.toFixed(0)} ms (median of 5) = ${Math.round(10_000 / (median / 1000)).toLocaleString("en")} lines/s`);

// 1b. chrony.conf parse throughput on a generated 10,000-line file (target ≥ 40,000 lines/s).
{
  const { parseChronyConf } = await import(path.join(root, "dist/parse/chrony/index.js"));
  const CHRONY_SHAPES = [
    () => `server ${rand(223) + 1}.${rand(256)}.${rand(256)}.${rand(256)} iburst minpoll 6 maxpoll 10`,
    () => `pool ${rand(4)}.pool.ntp.org iburst maxsources 4`,
    () => `server time${rand(9)}.example.net iburst nts prefer`,
    () => `allow ${rand(223) + 1}.${rand(256)}.0.0/16`,
    () => `deny ${rand(223) + 1}.${rand(256)}`,
    () => `cmdallow 2001:db8:${rand(65535).toString(16)}::/48`,
    () => `# comment line ${rand(1000)}`,
    () => "",
    () => "makestep 1.0 3",
    () => "driftfile /var/lib/chrony/chrony.drift",
    () => "rtcsync",
    () => "log measurements statistics tracking",
    () => `refclock PHC /dev/ptp${rand(4)} poll 3 dpoll -2 offset 0 refid PTP`,
    () => `ratelimit interval 1 burst ${rand(16) + 1}`,
    () => `local stratum ${rand(15) + 1} orphan`,
    () => "bindcmdaddress 127.0.0.1",
  ];
  const chronyConf = (lines) => `${Array.from({ length: lines }, () => CHRONY_SHAPES[rand(CHRONY_SHAPES.length)]()).join("\n")}\n`;
  // A fresh file per run: lines with their own addresses miss the parser's line cache, the fixed ones
  // (makestep, rtcsync, …) hit it, as on a fleet.
  const chronyTexts = Array.from({ length: 5 }, () => chronyConf(10_000));
  parseChronyConf(chronyConf(2_000), "warmup.conf");
  const chronyRuns = [];
  for (let i = 0; i < 5; i++) {
    const t0 = process.hrtime.bigint();
    const result = parseChronyConf(chronyTexts[i], "bench.conf");
    chronyRuns.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (result.diagnostics.length > 0) throw new Error(`chrony bench input has errors: ${result.diagnostics[0].message}`);
  }
  chronyRuns.sort((a, b) => a - b);
  console.log(`chrony.conf parse: 10,000 lines in ${chronyRuns[2].toFixed(0)} ms (median of 5) = ${Math.round(10_000 / (chronyRuns[2] / 1000)).toLocaleString("en")} lines/s`);
}

// 1c. A chrony host through the time-daemon seam: the 10,000-line chrony.conf read, parsed and analysed into
// the policy input (input.time and input.chrony: exact allow/deny sets, sources), as `ntp-policy check` does.
{
  const { inputsFor } = await import(path.join(root, "dist/check/index.js"));
  const { defaultConfig } = await import(path.join(root, "dist/model/config.js"));
  const host = mkdtempSync(path.join(tmpdir(), "ntpp-bench-chrony-"));
  mkdirSync(path.join(host, "etc/chrony"), { recursive: true });
  const { parseChronyConf } = await import(path.join(root, "dist/parse/chrony/index.js"));
  const lines = [];
  for (let i = 0; lines.length < 10_000; i++) {
    const line = [`allow ${rand(223) + 1}.${rand(256)}.0.0/16`, `deny ${rand(223) + 1}.${rand(256)}`, `server 192.0.2.${rand(254) + 1} iburst`, "makestep 1.0 3", "# comment"][i % 5];
    lines.push(line);
  }
  writeFileSync(path.join(host, "etc/chrony/chrony.conf"), `${lines.join("\n")}\n`);
  if (parseChronyConf(`${lines.join("\n")}\n`, "x").diagnostics.length > 0) throw new Error("chrony host bench input has errors");
  inputsFor([host], defaultConfig());
  const hostRuns = [];
  for (let i = 0; i < 5; i++) {
    const t0 = process.hrtime.bigint();
    inputsFor([host], defaultConfig());
    hostRuns.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  rmSync(host, { recursive: true, force: true });
  hostRuns.sort((a, b) => a - b);
  console.log(`chrony host (read, parse, analyse into input.time/input.chrony): 10,000 lines in ${hostRuns[2].toFixed(0)} ms (median of 5) = ${Math.round(10_000 / (hostRuns[2] / 1000)).toLocaleString("en")} lines/s`);
}

// 2. A 10,000-host fleet and one host as pre-commit runs it, as whole processes (own script).
execFileSync(process.execPath, [path.join(root, "scripts/bench-fleet.mjs")], { stdio: "inherit" });

// 3. A kube-proxy node (100,000 rules): the check against iptables-restore --test and the read+split floor,
//    wall time and peak RSS, min/median/max of 3 runs (own process: scripts/bench-kube.mjs).
execFileSync(process.execPath, [path.join(root, "scripts/bench-kube.mjs")], { stdio: "inherit" });

// 4. Firewall analysis scaling (1×/10×/100×): scripts/bench-firewall.mjs.
await import("./bench-firewall.mjs");

// 5. nftables: a 100,000-element set and 10,000 rules, parsed vs `nft -c -f` vs read+split (own process).
execFileSync(process.execPath, [path.join(root, "scripts/bench-nft.mjs")], { stdio: "inherit" });

// 6. Hostile inputs that used to take quadratic time (or worse): each at 1×, 10× and 100× its base size, one
//    host through parse → analyze → policy in-process. Near-linear code shows a 100×/1× ratio near 100 (a
//    cache or a cap can make it smaller); quadratic code shows ~10,000.
{
  const { discoverHosts } = await import(path.join(root, "dist/discover/hosts.js"));
  const { evaluateHost } = await import(path.join(root, "dist/check/evaluate-host.js"));
  const { loadPolicyEngine } = await import(path.join(root, "dist/policy/engine.js"));
  const { defaultConfig } = await import(path.join(root, "dist/model/config.js"));
  const { globMatch } = await import(path.join(root, "dist/policy/apply-config.js"));
  const { parseHost } = await import(path.join(root, "dist/parse/host.js"));
  const { buildPolicyInput } = await import(path.join(root, "dist/analyze/policy-input.js"));
  const engine = await loadPolicyEngine();
  const config = { ...defaultConfig(), trusted_networks: ["192.0.2.0/24"] };
  const checkHost = (files) => {
    const dir = mkdtempSync(path.join(tmpdir(), "ntp-policy-hostile-"));
    for (const [rel, body] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), body);
    }
    const t = process.hrtime.bigint();
    const result = evaluateHost(discoverHosts([dir])[0], config, engine);
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    rmSync(dir, { recursive: true, force: true });
    if (result.error) throw new Error(result.error);
    return ms;
  };
  /** The analyze stage alone (restrict list, firewall walk, policy input), without parsing and without the policy. */
  const analyzeHost = (files) => {
    const dir = mkdtempSync(path.join(tmpdir(), "ntp-policy-hostile-"));
    for (const [rel, body] of Object.entries(files)) writeFileSync(path.join(dir, rel), body);
    const parsed = parseHost(discoverHosts([dir])[0]);
    const t = process.hrtime.bigint();
    buildPolicyInput(parsed, config);
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    rmSync(dir, { recursive: true, force: true });
    return ms;
  };
  const v4 = (i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  const restrictLines = (n) => Array.from({ length: n }, (_, i) => `restrict ${v4(i * 256)} mask 255.255.255.0 nomodify noquery`).join("\n");
  const longLine = (() => {
    let l = "server 192.0.2.1";
    while (l.length < 14_000) l += " iburst";
    return l;
  })();
  const lines = (n, line) => Array.from({ length: n }, (_, i) => line(i)).join("\n");
  // Lines the policy compares with one another. In OPA's WebAssembly runtime `sort` is an insertion sort and
  // `x in set` a scan: lines out of order and membership tests per line are the inputs that show it.
  const policyCases = [
    ["server lines in reverse order (NTP016)", 40, (n) => checkHost({ "ntp.conf": lines(n, (i) => `server t${String(n - i).padStart(6, "0")}.example.com iburst`) })],
    ["restrict lines with limited, half answering queries (NTP002)", 20, (n) => checkHost({
      "ntp.conf": `disable monitor\n${lines(n, (i) => `restrict ${v4(i * 256)} mask 255.255.255.0 kod limited`)}\n${lines(n, (i) => `restrict ${v4((n + i) * 256)} mask 255.255.255.0 kod limited noquery`)}`,
    })],
    ["peer lines and as many trusted keys (NTP017)", 40, (n) => checkHost({
      "ntp.conf": `keys /etc/ntp.keys\n${lines(Math.ceil(n / 20), (j) => `trustedkey ${Array.from({ length: 20 }, (_, k) => j * 20 + k + 1).join(" ")}`)}\n${lines(n, (i) => `peer ${v4(i + 1)} key ${n + i + 1}`)}`,
    })],
    ["interface lines (NTP018)", 40, (n) => checkHost({ "ntp.conf": `server 192.0.2.1 iburst\n${lines(n, (i) => `interface listen ${v4(i + 1)}`)}` })],
    ["chrony allow lines (CHRONY001, CHRONY005)", 40, (n) => checkHost({ "chrony.conf": `server 192.0.2.1 iburst\n${lines(n, (i) => `allow ${v4(i * 256)}/24`)}` })],
    ["chrony deny lines under allow all", 40, (n) => checkHost({ "chrony.conf": `server 192.0.2.1 iburst\nallow\n${lines(n, (i) => `deny ${v4(i * 256)}/24`)}` })],
    ["iptables accept rules for single addresses (FW001)", 40, (n) => checkHost({
      "ntp.conf": "restrict default kod nomodify notrap nopeer\nserver 192.0.2.1 iburst",
      "iptables-save": `*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\n${lines(n, (i) => `-A INPUT -s ${v4(i * 3 + 7)}/32 -p udp -m udp --dport 123 -j ACCEPT`)}\nCOMMIT`,
    })],
  ];
  const cases = [
    ["restrict lines", 100, (n) => checkHost({ "ntp.conf": restrictLines(n) })],
    ["restrict lines, analysis only (src/analyze/restrict.ts)", 100, (n) => analyzeHost({ "ntp.conf": restrictLines(n) })],
    ["server lines (NTP016)", 40, (n) => checkHost({ "ntp.conf": Array.from({ length: n }, (_, i) => `server time${i}.example.com iburst`).join("\n") })],
    ...policyCases,
    ["includefile lines", 10, (n) => checkHost({ "ntp.conf": "includefile /etc/ntp/x.conf\n".repeat(n), "etc/ntp/x.conf": "server 192.0.2.1 iburst\nrestrict 192.0.2.0 mask 255.255.255.0\n" })],
    ["14 KB lines", 2, (n) => checkHost({ "ntp.conf": `${longLine}\n`.repeat(n) })],
    ["waiver glob *-*-*-*-*-prod vs a name of N dashes", 25, (n) => {
      const name = "-".repeat(n);
      const t = process.hrtime.bigint();
      for (let i = 0; i < 100; i++) globMatch("*-*-*-*-*-prod", name);
      return Number(process.hrtime.bigint() - t) / 1e6;
    }],
  ];
  console.log("hostile inputs (ms at 1× / 10× / 100×, medians of 5 / 5 / 3 runs, and the 100×/1× ratio):");
  const median = (runs, f) => Array.from({ length: runs }, f).sort((a, b) => a - b)[runs >> 1];
  for (const [name, base, run] of cases) {
    run(base); // warm-up
    const ms = [1, 10, 100].map((k) => median(k === 100 ? 3 : 5, () => run(base * k)));
    console.log(`  ${name} (${base.toLocaleString("en")} / ${(base * 10).toLocaleString("en")} / ${(base * 100).toLocaleString("en")}): ${ms.map((m) => m.toFixed(1)).join(" / ")} ms, ratio ${(ms[2] / ms[0]).toFixed(0)}`);
  }
}
