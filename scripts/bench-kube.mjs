#!/usr/bin/env node
// kube-proxy node figures (part of `npm run bench`, section 3; not a test): one node in kube-proxy iptables
// mode with 100,000 rules (scripts/gen-kube-iptables.mjs, ~135k lines, 15 MB), measured in one run on the
// same file, each 3 times (min / median / max):
//   - the floor: a node process that only reads the file and splits it into lines;
//   - `iptables-restore --test` on the file (the kernel tool's own parser), inside a private network
//     namespace in which the ipsets the file references exist (created with `ipset`); without ipset, on a
//     copy without the rules that reference a set (said in the output); skipped without root or iptables;
//   - `ntp-policy check NODE --format json --output r.json` end to end (dist/, npm run build): wall time,
//     peak RSS (/usr/bin/time), and its ratios to the two above.
// Also the in-process parse throughput (lines/s) and how many lines nearley actually parsed.
// Targets (issue 11): check faster than iptables-restore --test, ≤ 5× the floor, ≤ 300 MB peak RSS.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const RUNS = 3;

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => sorted(xs)[Math.floor(xs.length / 2)];
/** "min / median / max" of a list, each formatted by `f`. */
const spread = (xs, f) => {
  const s = sorted(xs);
  return `${f(s[0])} / ${f(median(s))} / ${f(s.at(-1))}`;
};
const seconds = (ms) => (ms / 1000).toFixed(2);
const ratio = (x) => x.toFixed(2);

const hasTime = spawnSync("sh", ["-c", "command -v /usr/bin/time"]).status === 0;

/** Wall time (ms) and peak RSS (MB; null without /usr/bin/time) of one command. */
function measure(cmd, args, options = {}) {
  const t0 = process.hrtime.bigint();
  const run = hasTime
    ? spawnSync("/usr/bin/time", ["-f", "%M", cmd, ...args], { encoding: "utf8", maxBuffer: 256 << 20, ...options })
    : spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 256 << 20, ...options });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const rss = hasTime ? Number(run.stderr.trim().split("\n").at(-1)) / 1024 : null;
  return { ms, rss, status: run.status, stderr: run.stderr };
}

const dir = mkdtempSync(path.join(tmpdir(), "ntp-policy-kube-"));
try {
  const node = path.join(dir, "k8s-node-1");
  mkdirSync(node);
  const dump = path.join(node, "iptables-save");
  execFileSync(process.execPath, [path.join(root, "scripts/gen-kube-iptables.mjs"), dump], { stdio: "ignore" });
  copyFileSync(path.join(root, "examples/host-dump/ntp-hardened/etc/ntp.conf"), path.join(node, "ntp.conf"));
  const text = readFileSync(dump, "utf8");

  // In-process parse throughput (after a JIT warm-up on a smaller dump, as in a long-running check).
  const { parseIptablesSave, IptablesLineParser } = await import(path.join(root, "dist/parse/iptables/index.js"));
  const warm = path.join(dir, "warm");
  execFileSync(process.execPath, [path.join(root, "scripts/gen-kube-iptables.mjs"), warm, "--rules", "5000", "--seed", "1"], { stdio: "ignore" });
  parseIptablesSave(readFileSync(warm, "utf8"), "warm", "ipv4");
  const parses = [];
  let ruleset = null;
  let lineParser = null;
  for (let i = 0; i < RUNS; i++) {
    lineParser = new IptablesLineParser(true);
    const t0 = process.hrtime.bigint();
    ruleset = parseIptablesSave(text, "iptables-save", "ipv4", { lineParser });
    parses.push(Number(process.hrtime.bigint() - t0) / 1e6);
    ruleset = i === RUNS - 1 ? ruleset : null;
  }
  if (ruleset.diagnostics.length > 0) throw new Error(`kube dump has diagnostics: ${ruleset.diagnostics[0].message}`);
  const { lines, rules } = ruleset.stats;
  console.log(
    `kube-proxy dump: ${rules.toLocaleString("en")} rules, ${lines.toLocaleString("en")} lines, ${(text.length / 1e6).toFixed(1)} MB; ` +
      `in-process parse ${spread(parses, (ms) => ms.toFixed(0))} ms (min / median / max) = ${Math.round(lines / (median(parses) / 1000)).toLocaleString("en")} lines/s; ` +
      `nearley ran on ${lineParser.misses} lines, the type-sequence cache answered ${lineParser.hits.toLocaleString("en")}`,
  );
  ruleset = null;

  // The floor: a process that reads and splits the file.
  const floorScript = `process.stdout.write(String(require("node:fs").readFileSync(${JSON.stringify(dump)}, "utf8").split("\\n").length))`;
  const floors = Array.from({ length: RUNS }, () => measure(process.execPath, ["-e", floorScript]));

  const restores = restoreTest(dump);

  const checkArgs = [path.join(root, "bin/ntp-policy.js"), "check", node, "--format", "json", "--output", path.join(dir, "report.json")];
  const checks = Array.from({ length: RUNS }, () => measure(process.execPath, checkArgs));
  for (const c of checks) if (c.status !== 0 && c.status !== 1) throw new Error(`kube check exited ${c.status}: ${c.stderr}`);

  const checkMs = checks.map((c) => c.ms);
  console.log(`kube node: read+split floor ${spread(floors.map((f) => f.ms), seconds)} s`);
  if (restores.runs) console.log(`kube node: iptables-restore --test ${spread(restores.runs.map((r) => r.ms), seconds)} s (${restores.how})`);
  else console.log(`kube node: iptables-restore --test not measured (${restores.how})`);
  console.log(`kube node: ntp-policy check (JSON report) ${spread(checkMs, seconds)} s wall`);
  // Ratios run by run (check i against floor i / restore i): all measured under the same load.
  const vsFloor = checks.map((c, i) => c.ms / floors[i].ms);
  console.log(`kube node: check / read+split floor ${spread(vsFloor, ratio)} (target ≤ 5)`);
  if (restores.runs) {
    const vsRestore = checks.map((c, i) => c.ms / restores.runs[i].ms);
    console.log(`kube node: check / iptables-restore --test ${spread(vsRestore, ratio)} (target < 1)`);
  }
  if (hasTime) console.log(`kube node: check peak RSS ${spread(checks.map((c) => c.rss), (mb) => mb.toFixed(0))} MB (target ≤ 300 MB)`);
  else console.log("kube node: peak RSS not measured (no /usr/bin/time)");
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * `iptables-restore --test` on the dump, RUNS times, in a private network namespace (it checks the rules
 * against the kernel there and never touches the host's tables). The ipsets the dump references
 * (`--match-set NAME`) are created in that namespace with `ipset`; without ipset, a copy of the dump
 * without those rules is measured instead.
 */
function restoreTest(dump) {
  if (process.getuid?.() !== 0) return { how: "needs root for a network namespace" };
  if (spawnSync("iptables-restore", ["--version"]).status !== 0) return { how: "iptables-restore is not installed" };
  const text = readFileSync(dump, "utf8");
  const sets = [...new Set([...text.matchAll(/--match-set (\S+)/g)].map((m) => m[1]))];
  const hasIpset = spawnSync("ipset", ["--version"]).status === 0;
  let file = dump;
  let how = sets.length === 0 ? "same file" : `same file, ipsets ${sets.join(", ")} created in the namespace`;
  if (sets.length > 0 && !hasIpset) {
    file = path.join(dir, "iptables-save.no-sets");
    const kept = text.split("\n").filter((l) => !l.includes("--match-set "));
    writeFileSync(file, kept.join("\n"));
    how = `a copy without the ${text.split("\n").length - kept.length} rule(s) that use an ipset (ipset is not installed)`;
  }
  const ns = `ntpp-bench-kube-${process.pid}`;
  if (spawnSync("ip", ["netns", "add", ns]).status !== 0) return { how: "could not create a network namespace" };
  try {
    if (file === dump) {
      for (const s of sets) {
        const made = spawnSync("ip", ["netns", "exec", ns, "ipset", "create", s, "hash:net"], { encoding: "utf8" });
        if (made.status !== 0) return { how: `ipset create ${s} failed: ${made.stderr.trim()}` };
      }
    }
    const input = readFileSync(file);
    const runs = Array.from({ length: RUNS }, () => measure("ip", ["netns", "exec", ns, "iptables-restore", "--test"], { input }));
    const failed = runs.find((r) => r.status !== 0);
    if (failed) return { how: `iptables-restore --test rejected the file: ${failed.stderr.trim().split("\n")[0]}` };
    return { runs, how };
  } finally {
    spawnSync("ip", ["netns", "del", ns]);
  }
}
