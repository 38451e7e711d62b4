/**
 * `ntp-policy merge`, end to end with the real command line: three shards (sites) checked one by one to JSON,
 * merged, and compared with one `check` of all three folders — the expected bytes always come from that real
 * run, never from the test. The one field that differs by design is `run.arguments` (the merge command line);
 * what derives from it (the HTML's command line and JSON digest, the OSCAL document's UUIDs) is recomputed from
 * the single run's report with that field replaced, and SARIF's verified fixes, which need the host files, are
 * the one thing merge cannot carry.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { catalogInEffect, fullCatalog, resolveConfig } from "../../src/check/index.js";
import { isPrintable } from "../../src/report/escape.js";
import { jsonReporter } from "../../src/report/json.js";
import { oscalReporter } from "../../src/report/oscal.js";
import type { Report } from "../../src/model/report.js";
import { BIN, cli, ROOT } from "./cli.js";

const EXAMPLES = path.join(ROOT, "examples/host-dump");
const SITES: Record<string, string[]> = {
  "site-a": ["chrony-hardened", "chrony-open", "nft-hardened"],
  "site-b": ["nft-open", "ntp-few-sources", "ntp-hardened"],
  "site-c": ["ntp-lan-server", "ntp-open", "ntp-typo"],
};
// Waivers whose notices one run and the shards see differently: NTP001 on ntp-open is used in site-c's shard
// only (so "unused" in the two others, but not in the fleet), one matches no host anywhere, one has expired.
const CONFIG = `trusted_networks: [192.0.2.0/24, "2001:db8::/32"]
waivers:
  - rule: NTP001
    hosts: ["ntp-open"]
    justification: lab host
    approved_by: Security team
    expires: 2099-12-31
  - rule: NTP001
    hosts: ["no-such-host-*"]
    justification: decommissioned
  - rule: NTP002
    hosts: ["*"]
    justification: old exception
    expires: 2020-01-01
`;
const ENV = { SOURCE_DATE_EPOCH: "1700000000" };
const FORMATS_BYTE_IDENTICAL = ["text", "junit", "github", "markdown", "csv"];

let dir: string;
const SHARDS = ["a.json", "b.json", "c.json"];

function run(args: string[]): ReturnType<typeof cli> {
  return cli(args, { cwd: dir, env: ENV });
}

function readJson<T = Report>(file: string): T {
  return JSON.parse(readFileSync(path.join(dir, file), "utf8")) as T;
}

/** The single run's report as merge makes it: its run.arguments are the merge command's. */
function withArguments(report: Report, args: string[]): Report {
  return { ...report, run: { arguments: args, paths: report.run!.paths } };
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "ntpp-merge-"));
  for (const [site, hosts] of Object.entries(SITES)) {
    for (const h of hosts) cpSync(path.join(EXAMPLES, h), path.join(dir, site, h), { recursive: true });
  }
  writeFileSync(path.join(dir, ".ntp-policy.yaml"), CONFIG);
  Object.keys(SITES).forEach((site, i) => {
    const r = run(["check", site, "--format", "json", "--output", SHARDS[i]!]);
    expect(r.code, r.stderr).toBe(1);
  });
  const all = run(["check", ...Object.keys(SITES), "--format", "json", "--output", "all.json"]);
  expect(all.code, all.stderr).toBe(1);
});

describe("merge: the shards' reports as one check of all their hosts", () => {
  it("the scenario is one where merging is more than concatenation (notices differ per shard)", () => {
    const all = readJson("all.json");
    const shards = SHARDS.map((f) => readJson(f));
    expect(shards.map((s) => s.hosts.length)).toEqual([3, 3, 3]);
    // A shard without ntp-open reports NTP001's waiver as unused; the whole fleet does not.
    const unused = (r: Report): string[] => r.notices.filter((n) => n.kind === "waiver-unused").map((n) => n.message);
    expect(unused(shards[0]!).length).toBeGreaterThan(unused(all).length);
    expect(unused(all).length).toBeGreaterThan(0);
    expect(all.notices.some((n) => n.kind === "waiver-expired")).toBe(true);
  });

  it("json: identical to the single run except run.arguments, which is the merge command line", () => {
    const args = ["merge", ...SHARDS, "--format", "json"];
    const r = run(args);
    expect(r.stderr).toBe("");
    const expected = withArguments(readJson("all.json"), args);
    expect(r.stdout).toBe(jsonReporter.render(expected, { color: false }));
    expect(readJson("all.json").run!.paths).toEqual(Object.keys(SITES));
  });

  it("exit code and summary follow the merged report, as check's", () => {
    for (const failOn of ["critical", "high", "info", "never"]) {
      const single = run(["check", ...Object.keys(SITES), "--format", "json", "--fail-on", failOn]);
      const merged = run(["merge", ...SHARDS, "--format", "json", "--fail-on", failOn]);
      expect(merged.code, `--fail-on ${failOn}`).toBe(single.code);
      expect((JSON.parse(merged.stdout) as Report).summary).toEqual((JSON.parse(single.stdout) as Report).summary);
    }
  });

  it.each(FORMATS_BYTE_IDENTICAL)("%s: byte-identical to the single run", (format) => {
    const single = run(["check", ...Object.keys(SITES), "--format", format]);
    const merged = run(["merge", ...SHARDS, "--format", format]);
    expect(merged.code).toBe(single.code);
    expect(merged.stdout.length).toBeGreaterThan(100);
    expect(merged.stdout).toBe(single.stdout);
  });

  it("sarif: identical but for the verified fixes, which need the host files", () => {
    const single = JSON.parse(run(["check", ...Object.keys(SITES), "--format", "sarif"]).stdout);
    const merged = JSON.parse(run(["merge", ...SHARDS, "--format", "sarif"]).stdout);
    let fixes = 0;
    for (const result of single.runs[0].results) {
      if (result.fixes) fixes++;
      delete result.fixes;
    }
    expect(fixes).toBeGreaterThan(0); // (so the difference is real, and the rest is compared below)
    expect(merged).toEqual(single);
  });

  it("html: identical but for the command line and the JSON digest, which derive from run.arguments", () => {
    const checkArgs = ["check", ...Object.keys(SITES), "--format", "html"];
    const mergeArgs = ["merge", ...SHARDS, "--format", "html"];
    const single = run(checkArgs).stdout;
    const merged = run(mergeArgs).stdout;
    const digest = (args: string[]): string => createHash("sha256").update(jsonReporter.render(withArguments(readJson("all.json"), args), { color: false })).digest("hex");
    expect(single).toContain(digest(checkArgs)); // the substitution below is of what is really there
    const expected = single.replaceAll(`ntp-policy ${checkArgs.join(" ")}`, `ntp-policy ${mergeArgs.join(" ")}`).replaceAll(digest(checkArgs), digest(mergeArgs));
    expect(merged).toBe(expected);
  });

  it("oscal: what the single run's report renders with the merge command line", () => {
    const args = ["merge", ...SHARDS, "--format", "oscal"];
    const merged = run(args);
    const config = resolveConfig({ config: path.join(dir, ".ntp-policy.yaml") }, new Set(fullCatalog().map((r) => r.id)));
    const generatedAt = new Date(Number(ENV.SOURCE_DATE_EPOCH) * 1000).toISOString();
    const expected = oscalReporter.render(withArguments(readJson("all.json"), args), { color: false, catalog: catalogInEffect(config), generatedAt });
    expect(merged.stdout).toBe(expected);
  });

  it("several outputs in one run, as check writes them", () => {
    const r = run(["merge", ...SHARDS, "--format", "text", "--format", "junit=merged.xml"]);
    expect(r.stdout).toBe(run(["check", ...Object.keys(SITES)]).stdout);
    expect(readFileSync(path.join(dir, "merged.xml"), "utf8")).toBe(run(["check", ...Object.keys(SITES), "--format", "junit"]).stdout);
    expect(r.stderr).toContain("wrote junit report to merged.xml");
  });

  it("one shard of one directory: the paths GitHub resolves (sarif, github) get that directory, as check gives them", () => {
    const single = run(["check", "site-c", "--format", "github"]);
    const merged = run(["merge", "c.json", "--format", "github"]);
    expect(single.stdout).toMatch(/file=site-c\//);
    expect(merged.stdout).toBe(single.stdout);
  });

  it("custom policies: merge is given the same --bundle, and their rules are in every format as check shows them", () => {
    const bundle = path.join(ROOT, "test/fixtures/custom-policy/org-policy.tar.gz");
    for (const site of ["site-a", "site-b"]) run(["check", site, "--bundle", bundle, "--format", "json", "--output", `${site}-org.json`]);
    const shards = ["site-a-org.json", "site-b-org.json"];
    const without = run(["merge", ...shards, "--format", "junit"]);
    expect(without.code).toBe(2);
    expect(without.stderr).toMatch(/site-a-org\.json: checked with the policy sha256:[0-9a-f]{64}, but this installation's built-in policy is .*give merge the same --policy\/--bundle/);
    const single = run(["check", "site-a", "site-b", "--bundle", bundle, "--format", "junit"]);
    const merged = run(["merge", ...shards, "--bundle", bundle, "--format", "junit"]);
    expect(merged.stdout).toMatch(/ORG\d{3}/);
    expect(merged.code).toBe(single.code);
    expect(merged.stdout).toBe(single.stdout);
  });

  it("--fail-on defaults to the shards' own; shards checked with different ones need --fail-on", () => {
    run(["check", "site-a", "--format", "json", "--output", "a-high.json", "--fail-on", "high"]);
    const refused = run(["merge", "a-high.json", "b.json", "--format", "json"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^ntp-policy: error: b\.json: checked with --fail-on low, a-high\.json with --fail-on high: give merge the --fail-on/);
    const given = run(["merge", "a-high.json", "b.json", "--format", "json", "--fail-on", "high"]);
    expect((JSON.parse(given.stdout) as Report).summary.fail_on).toBe("high");
    const inherited = run(["merge", "a-high.json", "--format", "json"]);
    expect((JSON.parse(inherited.stdout) as Report).summary.fail_on).toBe("high");
  });
});

describe("merge refuses what it cannot combine: one located line, exit 2, no stack trace", () => {
  function refused(args: string[]): string {
    const r = run(["merge", ...args, "--format", "json"]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^ntp-policy: error: /);
    expect(r.stderr).not.toMatch(/\n\s+at |internal:/);
    return lines[0]!;
  }

  function edited(name: string, edit: (r: Report & Record<string, unknown>) => void, from = "b.json"): string {
    const report = readJson<Report & Record<string, unknown>>(from);
    edit(report);
    writeFileSync(path.join(dir, name), JSON.stringify(report));
    return name;
  }

  it("a different configuration (another --trusted)", () => {
    run(["check", "site-b", "--format", "json", "--output", "b-trusted.json", "--trusted", "10.0.0.0/8"]);
    expect(refused(["a.json", "b-trusted.json"])).toMatch(/b-trusted\.json: its configuration .* differs from a\.json's at config\.trusted_networks\[0\] \("10\.0\.0\.0\/8" here, "192\.0\.2\.0\/24" there\)/);
  });

  it("a different configuration file (digest)", () => {
    mkdirSync(path.join(dir, "other"), { recursive: true });
    writeFileSync(path.join(dir, "other/.ntp-policy.yaml"), `${CONFIG}min_upstreams: 2\n`);
    run(["check", "site-b", "--config", "other/.ntp-policy.yaml", "--format", "json", "--output", "b-config.json"]);
    expect(refused(["a.json", "b-config.json"])).toMatch(/b-config\.json: its configuration .* differs from a\.json's at config\.(source|digest)/);
  });

  it("another tool version, report schema or policy", () => {
    expect(refused([edited("v.json", (r) => (r.tool.version = "0.0.9"))])).toMatch(/v\.json: made by ntp-policy 0\.0\.9 .*this is ntp-policy \d/);
    expect(refused(["a.json", edited("s.json", (r) => (r.schema_version = "1.1"))])).toMatch(/s\.json: made by ntp-policy .* \(report schema 1\.1\)/);
    expect(refused(["a.json", edited("p.json", (r) => (r.policy.digest = `sha256:${"0".repeat(64)}`))])).toMatch(/p\.json: checked with the policy sha256:0{64}, but this installation's built-in policy is sha256:[0-9a-f]{64}/);
  });

  it("a host in two shards", () => {
    expect(refused(["a.json", "b.json", "a.json"])).toMatch(/a\.json: host "chrony-hardened" is also in an earlier argument naming the same file: each host must be checked in one shard only/);
    const twice = edited("twice.json", (r) => r.hosts.push(r.hosts[0]!));
    expect(refused([twice])).toMatch(/twice\.json: host "nft-open" is also in this report twice/);
  });

  it("files that are not ntp-policy JSON reports", () => {
    writeFileSync(path.join(dir, "notes.txt"), "hello\n");
    expect(refused(["notes.txt"])).toMatch(/notes\.txt: not a JSON document/);
    writeFileSync(path.join(dir, "empty.json"), "");
    expect(refused(["empty.json"])).toMatch(/empty\.json: not a JSON document/);
    writeFileSync(path.join(dir, "sarif.json"), run(["merge", "a.json", "--format", "sarif"]).stdout);
    expect(refused(["sarif.json"])).toMatch(/sarif\.json: not an ntp-policy JSON report/);
    expect(refused(["missing.json"])).toMatch(/missing\.json: no such file/);
    expect(refused(["site-a"])).toMatch(/site-a: is a directory/);
    expect(refused([edited("sev.json", (r) => ((r.hosts[1]!.findings[0] as { severity: string }).severity = "urgent"))])).toMatch(
      /sev\.json: not a JSON report as ntp-policy .* writes it: hosts\[1\]\.findings\[0\]\.severity: expected one of critical, high, medium, low, info, found string "urgent"/,
    );
    expect(refused([edited("extra.json", (r) => (r["extra"] = 1))])).toMatch(/extra\.json: .*the document: unknown field "extra"/);
    expect(refused([edited("nohosts.json", (r) => delete (r as Partial<Report>).hosts)])).toMatch(/nohosts\.json: .*the document: the field "hosts" is missing/);
  });

  it("an expired waiver one shard reports and another does not (checked on different days)", () => {
    const file = edited("b-day.json", (r) => (r.notices = r.notices.filter((n) => n.kind !== "waiver-expired")));
    expect(refused(["a.json", file])).toMatch(/a\.json: "waiver for NTP002 on \* expired on 2020-01-01; it no longer applies" is not in b-day\.json: the shards judged waiver expiry on different days/);
  });

  it("a host name from a shard reaches the terminal escaped", () => {
    const evil = "x\u001b]0;owned\u0007\n::error::forged";
    const one = edited("evil1.json", (r) => (r.hosts[0]!.host = evil));
    const two = edited("evil2.json", (r) => (r.hosts = [{ ...r.hosts[1]!, host: evil }]), "c.json");
    const line = refused([one, two]);
    expect(isPrintable(line)).toBe(true);
    expect(line).toContain('"x\\u001b]0;owned\\u0007\\n::error::forged" is also in evil1.json');
  });
});

describe("merge stays out of check's start-up", () => {
  /** Text found only in merge's modules (src/cli/merge.ts, src/report/merge.ts, src/report/report-shape.ts). */
  const MERGE_CODE = ["merge reads the reports of", "each host must be checked in one shard only", "expected a whole number, found"];

  /** The package's own module files a command loads (dist/…, bundled or not), recorded by a module resolve hook. */
  function modulesLoadedBy(args: string[]): string[] {
    const hooks = path.join(dir, "record-hooks.mjs");
    const log = path.join(dir, `loaded-${args[0]}.txt`);
    writeFileSync(hooks, `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (r.url.includes("/dist/")) appendFileSync(${JSON.stringify(log)}, r.url + "\\n");
  return r;
}
`);
    writeFileSync(path.join(dir, "record.mjs"), `import { register } from "node:module";\nregister(${JSON.stringify(`file://${hooks}`)});\n`);
    writeFileSync(log, "");
    const r = spawnSync(process.execPath, ["--import", path.join(dir, "record.mjs"), BIN, ...args], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(r.status, r.stderr).toBe(1);
    return [...new Set(readFileSync(log, "utf8").split("\n").filter((l) => l !== ""))].map((u) => fileURLToPath(u));
  }

  const holding = (files: string[], text: string): string[] => files.filter((f) => readFileSync(f, "utf8").includes(text));

  it("check loads none of merge's code; merge does", () => {
    const byMerge = modulesLoadedBy(["merge", ...SHARDS, "--format", "csv"]);
    for (const text of MERGE_CODE) expect(holding(byMerge, text), text).not.toEqual([]);
    const byCheck = modulesLoadedBy(["check", "site-a", "--format", "csv"]);
    expect(byCheck.length).toBeGreaterThan(0);
    for (const text of MERGE_CODE) expect(holding(byCheck, text), text).toEqual([]);
  });
});
