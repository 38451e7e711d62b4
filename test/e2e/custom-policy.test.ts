/**
 * Custom policies through the real command line, both ways in:
 * - compiled with OPA (`--policy DIR`): OPA is the pinned Go tool (tools/opa/go.mod) behind a wrapper script named
 *   by the OPA environment variable; these tests are skipped, and say so, on a machine without Go;
 * - prebuilt (`--bundle FILE`) with no OPA anywhere: OPA unset and a PATH without opa.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, ROOT } from "./cli.js";

const FIXTURE = "test/fixtures/custom-policy";
const POLICIES = `${FIXTURE}/policies`;
const HOSTS = `${FIXTURE}/hosts`;
const BUNDLE = `${FIXTURE}/org-policy.tar.gz`;

function tmp(): string {
  return mkdtempSync(path.join(tmpdir(), "ntp-policy-e2e-custom-"));
}

/** No OPA: the variable unset and a PATH that holds no opa (node itself is started by absolute path). */
function noOpaEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: tmp(), XDG_CACHE_HOME: tmp() };
  delete env["OPA"];
  return env;
}

interface JsonFinding {
  rule: string;
  severity: string;
  status: string;
  message: string;
  location: { file: string; line: number; column: number };
}

function findings(stdout: string): Array<{ host: string } & JsonFinding> {
  const report = JSON.parse(stdout) as { hosts: Array<{ host: string; findings: JsonFinding[] }> };
  return report.hosts.flatMap((h) => h.findings.map((f) => ({ host: h.host, ...f })));
}

function custom(stdout: string): Array<[string, string, string, string]> {
  return findings(stdout)
    .filter((f) => f.rule.startsWith("ORG"))
    .map((f) => [f.rule, f.status, `${f.location.file}:${f.location.line}:${f.location.column}`, f.severity]);
}

function expectOneLineError(r: { code: number | null; stderr: string }, message: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
  expect(r.stderr).not.toMatch(/error: internal|internal error|\n\s+at /);
}

describe("a prebuilt bundle, on a machine without OPA", () => {
  it("reports the custom finding with its location", () => {
    const r = cli(["check", HOSTS, "--bundle", BUNDLE, "--format", "json"], { env: noOpaEnv() });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(custom(r.stdout)).toEqual([["ORG001", "fail", "lab-1/ntp.conf:8:1", "medium"]]);
    const text = cli(["check", HOSTS, "--bundle", BUNDLE], { env: noOpaEnv() }).stdout;
    expect(text).toContain("lab-1/ntp.conf:8:1  medium  ORG001  server 10.0.0.1 uses key 5, a lab key (below 10)");
  });

  it("runs in the worker threads of a large fleet too, with the same result as in-process", () => {
    // 30 hosts (the pool starts at 24): copies of lab-1, each with the custom finding.
    const fleet = tmp();
    for (let i = 0; i < 30; i++) {
      mkdirSync(path.join(fleet, `lab-${String(i).padStart(2, "0")}`));
      copyFileSync(path.join(ROOT, HOSTS, "lab-1/ntp.conf"), path.join(fleet, `lab-${String(i).padStart(2, "0")}`, "ntp.conf"));
    }
    const r = cli(["check", fleet, "--bundle", BUNDLE, "--format", "json"], { env: noOpaEnv() });
    expect(r.stderr).toBe("");
    const org = custom(r.stdout);
    expect(org).toHaveLength(30);
    expect(new Set(org.map((f) => f[0]))).toEqual(new Set(["ORG001"]));
  });

  it("applies profiles to custom rules: ORG002 belongs to cis and stig only", () => {
    expect(custom(cli(["check", HOSTS, "--bundle", BUNDLE, "--format", "json", "--profile", "cis"], { env: noOpaEnv() }).stdout)).toEqual([
      ["ORG002", "fail", "edge-1/ntp.conf:1:1", "high"],
      ["ORG001", "fail", "lab-1/ntp.conf:8:1", "medium"],
    ]);
    const d = tmp();
    writeFileSync(path.join(d, "cfg.yaml"), "profile: stig\n");
    const fromConfig = cli(["check", HOSTS, "--bundle", BUNDLE, "--format", "json", "--config", path.join(d, "cfg.yaml")], { env: noOpaEnv() });
    expect(custom(fromConfig.stdout).map((f) => f[0])).toEqual(["ORG002", "ORG001"]);
    const overridden = cli(["check", HOSTS, "--bundle", BUNDLE, "--format", "json", "--config", path.join(d, "cfg.yaml"), "--profile", "baseline"], { env: noOpaEnv() });
    expect(custom(overridden.stdout).map((f) => f[0])).toEqual(["ORG001"]);
  });

  it("applies rule settings and waivers to custom rules", () => {
    const d = tmp();
    writeFileSync(
      path.join(d, "cfg.yaml"),
      [
        "rules:",
        "  ORG001: low",
        "  ORG002: on",
        "waivers:",
        "  - rule: ORG002",
        "    hosts: [edge-*]",
        "    justification: edge hosts have no route to 10.0.0.0/8 until the VPN is in",
        "    approved_by: Network team",
        "    expires: 2099-12-31",
        "",
      ].join("\n"),
    );
    const r = cli(["check", HOSTS, "--bundle", BUNDLE, "--format", "json", "--config", path.join(d, "cfg.yaml")], { env: noOpaEnv() });
    expect(custom(r.stdout)).toEqual([
      ["ORG002", "waived", "edge-1/ntp.conf:1:1", "high"],
      ["ORG001", "fail", "lab-1/ntp.conf:8:1", "low"],
    ]);
    writeFileSync(path.join(d, "off.yaml"), "rules:\n  ORG001: off\n");
    const off = cli(["check", HOSTS, "--bundle", BUNDLE, "--format", "json", "--config", path.join(d, "off.yaml")], { env: noOpaEnv() });
    expect(custom(off.stdout)).toEqual([]);
  });

  it("lists and explains custom rules", () => {
    const rules = cli(["rules", "--bundle", BUNDLE], { env: noOpaEnv() });
    expect(rules.code).toBe(0);
    expect(rules.stdout).toMatch(/^ORG001 +medium +baseline,cis,stig +Server key id below 10$/m);
    expect(rules.stdout).toMatch(/^ORG002 +high +cis,stig +No time source inside 10\.0\.0\.0\/8$/m);
    const cis = JSON.parse(cli(["rules", "--bundle", BUNDLE, "--profile", "baseline", "--format", "json"], { env: noOpaEnv() }).stdout) as Array<{ id: string }>;
    expect(cis.map((r) => r.id)).toContain("ORG001");
    expect(cis.map((r) => r.id)).not.toContain("ORG002");
    const explain = cli(["explain", "ORG001", "--bundle", BUNDLE], { env: noOpaEnv() });
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain("Fails:\n  server 10.0.0.1 key 5\n\nPasses:\n  server 10.0.0.1 key 12\n");
    expect(explain.stdout).toContain("  - ORG SEC-TIME-4: Time source authentication");
  });

  it("--policy without a compiler is a one-line error that points to --bundle", () => {
    const r = cli(["check", HOSTS, "--policy", POLICIES], { env: noOpaEnv() });
    expectOneLineError(r, /^ntp-policy: error: --policy needs OPA to compile Rego, and none was found .*--bundle FILE/);
    expectOneLineError(cli(["check", HOSTS, "--policy", POLICIES], { env: { ...noOpaEnv(), OPA: "/nonexistent/opa" } }), /^ntp-policy: error: OPA=\/nonexistent\/opa is not an executable file\n$/);
  });

  it("a bundle that is not one is a one-line error", () => {
    expectOneLineError(cli(["check", HOSTS, "--bundle", `${HOSTS}/lab-1/ntp.conf`], { env: noOpaEnv() }), /neither a bundle \(tar\.gz from opa build -t wasm\) nor a \.wasm module/);
    expectOneLineError(cli(["check", HOSTS, "--bundle", "policies/build/policy.wasm"], { env: noOpaEnv() }), /has no entrypoint ntp_policy_custom\/main\/violations/);
  });

  it("never takes a policy from the checked directory", () => {
    // A host dump that carries Rego and an `opa` of its own: neither is used (no --policy, no PATH entry for it).
    const d = tmp();
    mkdirSync(path.join(d, "h"));
    writeFileSync(path.join(d, "h/ntp.conf"), readFileSync(path.join(ROOT, HOSTS, "lab-1/ntp.conf")));
    writeFileSync(path.join(d, "h/evil.rego"), "package custom.evil\n");
    writeFileSync(path.join(d, "opa"), "#!/bin/sh\ntouch \"$(dirname \"$0\")/ran\"\n");
    chmodSync(path.join(d, "opa"), 0o755);
    const r = cli(["check", "h", "--format", "json"], { cwd: d, env: { ...noOpaEnv(), PATH: "." } });
    expect(custom(r.stdout)).toEqual([]);
    const withPolicy = cli(["check", "h", "--policy", path.join(ROOT, POLICIES)], { cwd: d, env: { ...noOpaEnv(), PATH: "." } });
    expect(withPolicy.code).toBe(2);
    expect(existsSync(path.join(d, "ran"))).toBe(false);
  });
});

/** The pinned OPA (tools/opa/go.mod) when Go is available, else null (the compile tests are then skipped). */
function pinnedOpa(): { bin: string; gocache: string } | null {
  const go = spawnSync("go", ["-C", path.join(ROOT, "tools/opa"), "tool", "-n", "opa"], { encoding: "utf8", timeout: 600_000 });
  if (go.status !== 0) return null;
  const gocache = spawnSync("go", ["env", "GOCACHE"], { encoding: "utf8" }).stdout.trim();
  return { bin: go.stdout.trim(), gocache };
}

const opa = pinnedOpa();

describe.skipIf(!opa)(`custom policies compiled with OPA (go tool opa from tools/opa/go.mod)${opa ? "" : " — skipped: no Go"}`, () => {
  let env: NodeJS.ProcessEnv;
  let log: string;
  let cache: string;

  beforeAll(() => {
    const dir = tmp();
    log = path.join(dir, "opa.log");
    cache = path.join(dir, "cache");
    const wrapper = path.join(dir, "opa-wrapper.sh");
    // What a user would write: run the pinned OPA through Go (here logging each call, to see the cache work).
    writeFileSync(wrapper, `#!/bin/sh\necho "$1" >> "${log}"\nexec "$(go -C "${path.join(ROOT, "tools/opa")}" tool -n opa)" "$@"\n`);
    chmodSync(wrapper, 0o755);
    // XDG_CACHE_HOME also moves Go's build cache: keep Go's where it is, so OPA is not rebuilt.
    env = { ...process.env, OPA: wrapper, XDG_CACHE_HOME: cache, GOCACHE: opa!.gocache };
  });

  const calls = (): string[] => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : []);

  it("compiles the directory, reports the custom finding with its location, and caches the build", () => {
    const r = cli(["check", HOSTS, "--policy", POLICIES, "--format", "json"], { env });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(custom(r.stdout)).toEqual([["ORG001", "fail", "lab-1/ntp.conf:8:1", "medium"]]);
    expect(calls()).toEqual(["version", "inspect", "build"]);
    expect(readdirSync(path.join(cache, "ntp-policy/custom"))).toEqual([expect.stringMatching(/^[0-9a-f]{64}\.tar\.gz$/)]);

    const again = cli(["check", HOSTS, "--policy", POLICIES, "--format", "json", "--profile", "stig"], { env });
    expect(custom(again.stdout).map((f) => f[0])).toEqual(["ORG002", "ORG001"]);
    expect(calls()).toEqual(["version", "inspect", "build", "version"]);
  });

  it("explains a custom rule from its source", () => {
    const r = cli(["explain", "ORG002", "--policy", POLICIES], { env });
    expect(r.stdout).toContain(`source:   ${POLICIES}/internal_source/internal_source.rego`);
    expect(r.stdout).toContain("profiles: cis, stig");
  });

  it("`ntp-policy bundle` builds what --bundle runs where there is no OPA", () => {
    const out = path.join(tmp(), "org.tar.gz");
    const built = cli(["bundle", "--policy", POLICIES, "--output", out], { env });
    expect(built.code).toBe(0);
    expect(built.stderr).toMatch(/wrote .*org\.tar\.gz: rules ORG001, ORG002/);
    const r = cli(["check", HOSTS, "--bundle", out, "--format", "json", "--profile", "cis"], { env: noOpaEnv() });
    expect(custom(r.stdout)).toEqual([
      ["ORG002", "fail", "edge-1/ntp.conf:1:1", "high"],
      ["ORG001", "fail", "lab-1/ntp.conf:8:1", "medium"],
    ]);
  });

  function policyDir(files: Record<string, string>): string {
    const d = tmp();
    for (const [rel, body] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(d, rel)), { recursive: true });
      writeFileSync(path.join(d, rel), body);
    }
    return d;
  }

  const rule = (pkg: string, id: string, body = 'violations contains result.fail(rego.metadata.chain(), {"file": "ntp.conf", "line": 1, "column": 1}, "m", []) if false') =>
    `# METADATA\n# title: t\n# custom:\n#   id: ${id}\n#   severity: low\n#   remediation: r\npackage ${pkg}\n\nimport data.ntp_policy.lib.result\n\n${body}\n`;

  it("refuses a custom rule that reuses a built-in id, and a package outside custom.<name>", () => {
    const clash = policyDir({ "clash.rego": rule("custom.clash", "NTP001") });
    expectOneLineError(cli(["check", HOSTS, "--policy", clash], { env }), new RegExp(`${clash}/clash\\.rego:7: rule id NTP001 is a built-in rule's id`));
    const outside = policyDir({ "org.rego": rule("org.keys", "ORG009") });
    expectOneLineError(cli(["check", HOSTS, "--policy", outside], { env }), /org\.rego: package org\.keys: custom policies must be in a package custom\.<name>/);
  });

  it("a custom rule is not applicable where its declared evidence is missing, or where it says so, never passed", () => {
    const header = (id: string, inputs: string) =>
      `# METADATA\n# title: t\n# custom:\n#   id: ${id}\n#   severity: low\n#   remediation: r\n#   inputs: ${inputs}\n`;
    const dir = policyDir({
      "fw.rego": `${header("ORG020", "[firewall]")}package custom.fw\n\nimport data.ntp_policy.lib.result\n\nviolations contains result.fail(rego.metadata.chain(), {"file": "ntp.conf", "line": 1, "column": 1}, "m", []) if false\n`,
      "keys.rego":
        `${header("ORG021", "[ntp]")}package custom.keys\n\nimport data.ntp_policy.lib.result\n\n` +
        'violations contains result.fail(rego.metadata.chain(), {"file": "ntp.conf", "line": 1, "column": 1}, "m", []) if false\n\n' +
        'not_applicable contains result.not_applicable(rego.metadata.chain(), "no production keys to judge") if input.ntp\n',
      "plain.rego":
        `${header("ORG022", "[ntp]")}package custom.plain\n\nimport data.ntp_policy.lib.result\n\nviolations contains result.fail(rego.metadata.chain(), {"file": "ntp.conf", "line": 1, "column": 1}, "m", []) if false\n\n` +
        // Its passing evidence: the restrict lines with noquery, through result.pass and the custom entrypoint.
        "passed_evidence contains result.pass(rego.metadata.chain(), line) if {\n\tsome entry in input.ntp.restrict.entries\n" +
        '\t"noquery" in entry.flags\n\tsome line in entry.lines\n}\n',
    });
    const r = cli(["check", `${HOSTS}/lab-1`, "--policy", dir, "--format", "json"], { env });
    expect(r.stderr).toBe("");
    const report = JSON.parse(r.stdout) as { hosts: Array<{ outcomes: Array<{ rule: string; status: string; reason: string | null }> }> };
    expect(report.hosts[0]!.outcomes.filter((o) => o.rule.startsWith("ORG"))).toEqual([
      { rule: "ORG020", status: "not_applicable", reason: "no firewall evidence (iptables-save, ip6tables-save or an nft ruleset)", evidence: [] },
      { rule: "ORG021", status: "not_applicable", reason: "no production keys to judge", evidence: [] },
      {
        rule: "ORG022",
        status: "pass",
        reason: null,
        evidence: [{ location: { file: "ntp.conf", line: 2, column: 1 }, text: "restrict default kod nomodify notrap nopeer noquery" }],
      },
    ]);
  });

  it("names the user's file and line when OPA rejects the Rego", () => {
    const broken = policyDir({ "rules/broken.rego": rule("custom.broken", "ORG010", "violations contains v if {\n\tv := input.x +\n}") });
    const r = cli(["check", HOSTS, "--policy", broken], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${broken}/rules/broken.rego:`);
    expect(r.stderr).toMatch(/rego_parse_error/);
  });

  it("refuses a policy that calls a builtin WebAssembly lacks, before checking anything", () => {
    const clock = policyDir({ "clock.rego": rule("custom.clock", "ORG011", 'violations contains result.fail(rego.metadata.chain(), {"file": "ntp.conf", "line": 1, "column": 1}, "m", []) if time.now_ns() < 0') });
    expectOneLineError(cli(["check", HOSTS, "--policy", clock], { env }), /calls builtins that WebAssembly does not provide: time\.now_ns/);
  });

  it("the walk-through in docs/custom-policies.md works as written", () => {
    const doc = readFileSync(path.join(ROOT, "docs/custom-policies.md"), "utf8");
    const [rule, test] = [...doc.matchAll(/```rego\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const dir = policyDir({ "internal_source/internal_source.rego": rule!, "internal_source/internal_source_test.rego": test! });
    const tested = spawnSync(opa!.bin, ["test", dir, "policies/ntp_policy/lib/result.rego"], { cwd: ROOT, encoding: "utf8" });
    expect(tested.stdout).toContain("PASS: 2/2");
    const r = cli(["check", "examples/host-dump", "--policy", dir, "--format", "json"], { env });
    expect(findings(r.stdout).filter((f) => f.rule === "ORG001").map((f) => `${f.location.file}:${f.location.line}:${f.location.column}`)).toContain("ntp-open/ntp.conf:1:1");
    const text = cli(["check", "examples/host-dump/ntp-open", "--policy", dir], { env }).stdout;
    expect(text).toContain("ntp.conf:1:1  high  ORG001  no server, pool or peer line names an address in 10.0.0.0/8");
  });

  it("the fixture policies pass `opa test` with the result helper, as docs/custom-policies.md shows", () => {
    // The helpers without the library's own tests (those need the built-in rules).
    const lib = readdirSync(path.join(ROOT, "policies/ntp_policy/lib"))
      .filter((f) => f.endsWith(".rego") && !f.endsWith("_test.rego"))
      .map((f) => `policies/ntp_policy/lib/${f}`);
    const out = execFileSync(opa!.bin, ["test", "-v", POLICIES, ...lib], { cwd: ROOT, encoding: "utf8" });
    expect(out).toMatch(/test_key_below_10_fails: PASS/);
    expect(out).toMatch(/^PASS: 3\/3$/m);
  });
});
