#!/usr/bin/env node
// Acceptance pass over the shared real-world corpus (../shared/corpus, third-party data: read from
// there, copied only into a temporary directory): every ntp.conf is checked through the built CLI in
// one run, no host may fail internally, and no file that ntpd accepted may get a PARSE001 finding.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const corpus = path.resolve(root, "../shared/corpus");
const ntpDir = path.join(corpus, "ntp");
if (!existsSync(ntpDir)) {
  // Like the corpus test suites: a loud skip on a clone without ../shared, a failure where CI requires it.
  const banner = "!".repeat(100);
  console.log(`${banner}\n!! SKIPPED: corpus-check: ${ntpDir} not found (the shared corpus is not beside the repository)\n${banner}`);
  process.exit(process.env.NTPP_REQUIRE_SHARED === "1" ? 1 : 0);
}

// oracle: "<file> none" or "<file> 12,15," (lines ntpsec rejected)
const oracle = new Map();
for (const line of readFileSync(path.join(corpus, "oracle-ntpsec-syntax.txt"), "utf8").split("\n")) {
  if (!line.trim() || line.startsWith("#")) continue;
  const [file, verdict] = line.trim().split(/\s+/);
  oracle.set(file, verdict === "none" ? [] : verdict.split(",").filter(Boolean).map(Number));
}

const dump = mkdtempSync(path.join(tmpdir(), "ntp-policy-corpus-"));
const files = readdirSync(ntpDir).sort();
const hostOf = (file) => file.replace(/[^A-Za-z0-9._-]/g, "_");
for (const file of files) {
  mkdirSync(path.join(dump, hostOf(file)));
  writeFileSync(path.join(dump, hostOf(file), "ntp.conf"), readFileSync(path.join(ntpDir, file)));
}

let out;
try {
  out = execFileSync(process.execPath, [path.join(root, "bin/ntp-policy.js"), "check", dump, "--format", "json"], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
} catch (e) {
  if (e.status !== 1) {
    console.error(`corpus-check: ntp-policy exited ${e.status}: ${e.stderr}`);
    process.exit(1);
  }
  out = e.stdout;
}
rmSync(dump, { recursive: true, force: true });

const report = JSON.parse(out);
let failures = 0;
let accepted = 0;
for (const file of files) {
  const host = report.hosts.find((h) => h.host === hostOf(file));
  const rejected = oracle.get(file);
  if (!host) {
    console.log(`FAIL ${file}: not in the report`);
    failures++;
    continue;
  }
  if (host.error) {
    console.log(`FAIL ${file}: ${host.error}`);
    failures++;
    continue;
  }
  const parse001 = host.findings.filter((f) => f.rule === "PARSE001").map((f) => f.location.line);
  const template = host.findings.some((f) => f.rule === "PARSE002");
  if (rejected && rejected.length === 0) {
    accepted++;
    if (parse001.length > 0) {
      console.log(`FAIL ${file}: ntpd accepts it, but PARSE001 on line(s) ${parse001.join(",")}`);
      failures++;
      continue;
    }
  }
  const verdict = template ? "template" : `PARSE001 lines [${parse001.join(",")}], oracle [${(rejected ?? ["?"]).join(",")}]`;
  console.log(`ok   ${file}: ${host.findings.length} findings; ${verdict}`);
}
console.log(`corpus-check: ${files.length} files, ${accepted} accepted by ntpd, ${failures} failures`);
process.exit(failures === 0 ? 0 : 1);
