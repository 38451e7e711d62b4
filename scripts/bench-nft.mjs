#!/usr/bin/env node
// nftables figures (part of `npm run bench`; not a test): a blocklist-shaped ruleset with a
// 100,000-element interval set and 10,000 rules, as firewalld or a blocklist generator writes it.
// Measured in one run on the same file: reading + splitting lines (the floor), ntp-policy's parse
// (dist/, npm run build), `nft -c -f` (check only) inside a private network namespace when root and nft
// are available, and the whole check of a node holding it (parse + firewall analysis + policy, through
// the command line). The targets are those of the kube-proxy iptables node (issue 11): end to end in less
// time than the kernel tool's own check of the same file, at most 5× the read-and-split floor, at most
// 300 MB peak RSS. Each figure is min/median/max of 3 runs; the ratios are of medians measured in this run.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { parseNftRuleset } = await import(path.join(root, "dist/parse/nft/index.js"));

let seed = 7;
const rand = (n) => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
};

function nftBenchRuleset(elements = 100_000, rules = 10_000) {
  const out = ["flush ruleset", "define NTP = { 123, 323 }", "table inet filter {", "\tset blocklist {", "\t\ttype ipv4_addr", "\t\tflags interval", "\t\telements = {"];
  // Distinct, non-overlapping /32s and /24s (nft refuses overlapping intervals).
  for (let i = 0; i < elements; i++) {
    const a = 11 + Math.floor(i / 65536);
    const b = Math.floor(i / 256) % 256;
    const c = i % 256;
    out.push(`\t\t\t${i % 10 === 0 ? `${a}.${b}.${c}.0/24` : `${a + 40}.${b}.${c}.${1 + rand(250)}`}${i < elements - 1 ? "," : ""}`);
  }
  out.push("\t\t}", "\t}", "\tchain input {", "\t\ttype filter hook input priority filter; policy drop;", "\t\tct state established,related accept", "\t\tip saddr @blocklist drop");
  for (let i = 0; i < rules - 3; i++) {
    const net = `${10 + (i % 200)}.${Math.floor(i / 200) % 256}.${rand(256)}.0/24`;
    switch (i % 5) {
      case 0: out.push(`\t\tip saddr ${net} udp dport $NTP counter accept`); break;
      case 1: out.push(`\t\tiifname "eth${i % 4}" ip saddr ${net} tcp dport { 22, 443 } accept comment "rule ${i}"`); break;
      case 2: out.push(`\t\tmeta l4proto udp th dport ${1024 + (i % 60000)} ip daddr ${net} drop`); break;
      case 3: out.push(`\t\tip6 saddr 2001:db8:${(i % 65535).toString(16)}::/48 udp dport 123 limit rate 10/second accept`); break;
      default: out.push(`\t\tct state new ip saddr ${net} log prefix "new " jump chk`);
    }
  }
  out.push("\t\tudp dport 123 reject", "\t}", "\tchain chk {", "\t\treturn", "\t}", "}");
  return `${out.join("\n")}\n`;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs, unit, digits = 2) => `${Math.min(...xs).toFixed(digits)}/${median(xs).toFixed(digits)}/${Math.max(...xs).toFixed(digits)} ${unit}`;
const time = (fn, runs) => {
  const all = [];
  let last;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    last = fn();
    all.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { ms: median(all), all, last };
};
const verdict = (ok) => (ok ? "target met" : "target NOT met");

const dir = mkdtempSync(path.join(tmpdir(), "ntpp-bench-nft-"));
try {
  const file = path.join(dir, "nftables.conf");
  writeFileSync(file, nftBenchRuleset());
  const bytes = readFileSync(file).length;
  const lines = readFileSync(file, "utf8").split("\n").length - 1;
  const split = time(() => readFileSync(file, "utf8").split("\n").length, 5);
  parseNftRuleset(nftBenchRuleset(2_000, 500), "warmup"); // JIT warm-up
  const rssBefore = process.memoryUsage().rss;
  const parse = time(() => parseNftRuleset(readFileSync(file, "utf8"), "nftables.conf"), 3);
  const rss = process.memoryUsage().rss;
  const r = parse.last;
  if (r.diagnostics.length > 0) throw new Error(`bench ruleset has diagnostics: ${r.diagnostics[0].message}`);
  const set = r.tables[0].sets[0];
  const ruleCount = r.tables[0].chains.reduce((n, c) => n + c.rules.length, 0);
  console.log(`nft: ${lines} lines, ${(bytes / 1e6).toFixed(1)} MB, set of ${set.elements.length} elements, ${ruleCount} rules`);
  console.log(`nft: read+split ${split.ms.toFixed(1)} ms; ntp-policy parse ${parse.ms.toFixed(0)} ms (${Math.round(lines / (parse.ms / 1000))} lines/s, ${(bytes / 1e6 / (parse.ms / 1000)).toFixed(1)} MB/s, RSS ${(Math.max(rss, rssBefore) / 1e6).toFixed(0)} MB)`);
  const nft = spawnSync("nft", ["--version"], { encoding: "utf8" });
  let kernelCheck = null;
  if (process.getuid?.() !== 0 || nft.status !== 0) {
    console.log("nft: nft -c -f skipped (needs root and nft)");
  } else {
    const ns = `ntpp-bench-${process.pid}`;
    spawnSync("ip", ["netns", "add", ns]);
    try {
      const check = time(() => spawnSync("ip", ["netns", "exec", ns, "nft", "-c", "-f", file], { encoding: "utf8", maxBuffer: 64 << 20 }), 3);
      if (check.last.status !== 0) console.log(`nft: nft -c -f rejected the bench ruleset: ${check.last.stderr.split("\n")[0]}`);
      else {
        kernelCheck = check;
        console.log(`nft: nft -c -f ${spread(check.all.map((ms) => ms / 1000), "s")} (min/median/max; ntp-policy parse / nft -c = ${(parse.ms / check.ms).toFixed(2)})`);
      }
    } finally {
      spawnSync("ip", ["netns", "del", ns]);
    }
  }
  endToEnd(file, kernelCheck);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** Wall time (ms) and peak RSS (MB, from /usr/bin/time; null without it) of a node process. */
function measure(args) {
  const timed = spawnSync("sh", ["-c", "command -v /usr/bin/time"], { encoding: "utf8" }).status === 0;
  const t0 = process.hrtime.bigint();
  const run = timed ? spawnSync("/usr/bin/time", ["-f", "%M", process.execPath, ...args], { encoding: "utf8", maxBuffer: 256 << 20 }) : spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer: 256 << 20 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const rss = timed ? Number(run.stderr.trim().split("\n").at(-1)) / 1024 : null;
  return { ms, rss, status: run.status, stderr: run.stderr };
}

/** The node checked end to end (3 runs), against the read-and-split floor and `nft -c -f` measured in this run. */
function endToEnd(rulesetFile, kernelCheck) {
  const host = path.join(dir, "nft-node");
  spawnSync("mkdir", ["-p", host]);
  writeFileSync(path.join(host, "nft-ruleset"), readFileSync(rulesetFile));
  writeFileSync(path.join(host, "ntp.conf"), readFileSync(path.join(root, "examples/host-dump/ntp-hardened/etc/ntp.conf")));
  const floorArgs = ["-e", `process.stdout.write(String(require("node:fs").readFileSync(${JSON.stringify(path.join(host, "nft-ruleset"))}, "utf8").split("\\n").length))`];
  const checkArgs = [path.join(root, "bin/ntp-policy.js"), "check", host, "--format", "json", "--output", path.join(dir, "report.json")];
  const floors = [0, 1, 2].map(() => measure(floorArgs));
  const checks = [0, 1, 2].map(() => measure(checkArgs));
  for (const c of checks) if (c.status !== 0 && c.status !== 1) throw new Error(`nft node check exited ${c.status}: ${c.stderr}`);
  const floorMs = median(floors.map((f) => f.ms));
  const checkMs = median(checks.map((c) => c.ms));
  console.log(
    `nft: check of one node (100,000-element set, 10,000 rules; parse + analysis + policy): wall ${spread(checks.map((c) => c.ms / 1000), "s")} (min/median/max); read+split floor ${spread(floors.map((f) => f.ms / 1000), "s")}`,
  );
  const floorRatio = checkMs / floorMs;
  console.log(`nft: end to end / read+split floor = ${floorRatio.toFixed(1)} (target ≤ 5: ${verdict(floorRatio <= 5)})`);
  if (kernelCheck) {
    const kernelRatio = checkMs / kernelCheck.ms;
    console.log(`nft: end to end / nft -c -f = ${kernelRatio.toFixed(2)} (target < 1: ${verdict(kernelRatio < 1)})`);
  } else {
    console.log("nft: end to end / nft -c -f not measured (needs root and nft)");
  }
  if (checks[0].rss === null) {
    console.log("nft: peak RSS not measured (no /usr/bin/time)");
  } else {
    const rss = checks.map((c) => c.rss);
    const floorRss = median(floors.map((f) => f.rss));
    console.log(`nft: peak RSS ${spread(rss, "MB", 0)} (min/median/max; floor ${floorRss.toFixed(0)} MB, ratio ${(median(rss) / floorRss).toFixed(1)}; target ≤ 300 MB: ${verdict(median(rss) <= 300)})`);
  }
}
