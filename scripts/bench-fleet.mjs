#!/usr/bin/env node
// `npm run bench`, fleet part: the command as users run it, timed as whole processes.
//  - 10,000 hosts shaped like a real fleet (scripts/gen-fleet.mjs: ntp.conf + iptables-save + ip6tables-save,
//    mixed open and hardened, most sharing a configuration, a fifth unique) checked to a JSON report: wall time
//    and peak RSS, min/median/max of 3 runs; targets ≤ 10 s and ≤ 300 MB on 2 cores. Then the same check without
//    the fleet memo (NTP_POLICY_MEMO=0): the two reports must be byte-identical.
//  - one host as the pre-commit hook checks it (one ntp.conf given as a file): median of 7 runs as a ratio to
//    a bare `node -e 0` measured in the same run; target ≤ 2.5×.
// Runs against the built CLI (npm run build).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(root, "bin/ntp-policy.js");
const timed = existsSync("/usr/bin/time");

/** One process: wall seconds, peak RSS in MB (null without /usr/bin/time), exit status. */
function run(args, env = {}) {
  const t0 = process.hrtime.bigint();
  const r = timed
    ? spawnSync("/usr/bin/time", ["-f", "%M", process.execPath, ...args], { encoding: "utf8", env: { ...process.env, ...env } })
    : spawnSync(process.execPath, args, { encoding: "utf8", env: { ...process.env, ...env } });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const rss = timed ? Math.round(Number(r.stderr.trim().split("\n").at(-1)) / 1024) : null;
  return { wall, rss, status: r.status, stderr: r.stderr };
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0], median: s[Math.floor(s.length / 2)], max: s.at(-1) };
};
const fmt = ({ min, median, max }, digits = 2) => `${median.toFixed(digits)} (min ${min.toFixed(digits)}, max ${max.toFixed(digits)})`;

// The reference: a bare Node.js start, in this run.
const bare = stats(Array.from({ length: 7 }, () => run(["-e", "0"]).wall));

// 1. The fleet.
const work = mkdtempSync(path.join(tmpdir(), "ntp-policy-fleet-"));
const dump = path.join(work, "dump");
spawnSync(process.execPath, [path.join(root, "scripts/gen-fleet.mjs"), dump, "10000"], { stdio: "inherit" });
const config = path.join(work, "ntp-policy.yaml");
writeFileSync(config, 'trusted_networks: [10.0.0.0/8, "2001:db8::/32"]\n');
const report = path.join(work, "report.json");
const args = [cli, "check", dump, "--config", config, "--format", "json", "--output", report];
const runs = [];
for (let i = 0; i < 3; i++) {
  const r = run(args);
  if (r.status !== 0 && r.status !== 1) throw new Error(`fleet check exited ${r.status}: ${r.stderr}`);
  runs.push(r);
}
const wall = stats(runs.map((r) => r.wall));
const memoised = readFileSync(report);
const hosts = JSON.parse(memoised.toString("utf8")).summary.hosts;
console.log(`check of ${hosts.toLocaleString("en")} typical hosts (ntp.conf + iptables-save + ip6tables-save, JSON report), 3 runs:`);
console.log(`  wall ${fmt(wall)} s, target ≤ 10 s: ${wall.median <= 10 ? "met" : "NOT met"}`);
if (timed) {
  const rss = stats(runs.map((r) => r.rss));
  console.log(`  peak RSS ${fmt(rss, 0)} MB, target ≤ 300 MB: ${rss.median <= 300 ? "met" : "NOT met"}`);
}
console.log(`  per host: ${((wall.median / hosts) * 1000).toFixed(2)} ms wall`);
// The same fleet without the memo: the report must not change by a byte.
const plain = run(args, { NTP_POLICY_MEMO: "0" });
const identical = readFileSync(report).equals(memoised);
console.log(`  without the fleet memo: ${plain.wall.toFixed(2)} s wall (${(plain.wall / wall.median).toFixed(1)}× the memoised run); reports byte-identical: ${identical ? "yes" : "NO"}`);
rmSync(work, { recursive: true, force: true });
if (!identical) process.exitCode = 1;

// 2. One host, as the pre-commit hook passes it.
const file = path.join(root, "examples/host-dump/ntp-hardened/etc/ntp.conf");
run([cli, "check", file]); // the file system cache warmed, as for the hook's second file
const one = stats(Array.from({ length: 7 }, () => run([cli, "check", file]).wall));
console.log(
  `one host (pre-commit: check etc/ntp.conf): ${(one.median * 1000).toFixed(0)} ms (min ${(one.min * 1000).toFixed(0)}, max ${(one.max * 1000).toFixed(0)}), ` +
    `bare node -e 0: ${(bare.median * 1000).toFixed(0)} ms; ratio ${(one.median / bare.median).toFixed(2)}× (target ≤ 2.5×: ${one.median / bare.median <= 2.5 ? "met" : "NOT met"})`,
);
