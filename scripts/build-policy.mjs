#!/usr/bin/env node
// Builds the Rego policies into the committed artefacts in policies/build/:
//   policy.wasm    the compiled policy (entrypoint ntp_policy/main/violations), run by src/policy/engine.ts
//   catalog.json   rule metadata from the rules' METADATA (src/policy/catalog.ts reads it)
//   manifest.json  OPA version, build command, sha256 of every Rego source and of the outputs
// and then the rule pages docs/rules/ from catalog.json (scripts/build-docs.mjs), so one command rebuilds both.
//
// Modes (run from anywhere; everything runs from the repository root with relative paths):
//   node scripts/build-policy.mjs            opa fmt, opa check, opa test (+coverage), regal lint, build twice,
//                                            compare the two builds byte for byte, write policies/build/
//   node scripts/build-policy.mjs --check    the same, but write nothing: fail when policies/build differs from
//                                            a fresh build (what CI runs)
//   node scripts/build-policy.mjs --verify   no Go needed: fail when the manifest's digests do not match the
//                                            current Rego sources, policy.wasm and catalog.json
//
// OPA and Regal are pinned Go tools (tools/opa/go.mod, tools/regal/go.mod); `go tool -n` builds them once and
// prints the cached binary, which then runs with the repository root as working directory so that the source
// paths embedded in policy.wasm are the same on every machine.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { Buffer } from "node:buffer";
import { buildDocs } from "./build-docs.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const POLICY_DIR = "policies"; // linted and format-checked
const POLICY_ROOT = "policies/ntp_policy"; // loaded by test/build/inspect (policies/build holds JSON outputs)
const BUILD_DIR = "policies/build";
const ENTRYPOINT = "ntp_policy/main/violations";
const COVERAGE_THRESHOLD = 95;
const GENERATED_BY = "scripts/build-policy.mjs (npm run build:policy) — generated, do not edit";
const SOURCES_RULE = "every *.rego file under policies/ntp_policy except *_test.rego; path relative to the repository root";
const RULE_ID = /^(NTP|FW|XL|PARSE)\d{3}$/;
const SEVERITIES = ["critical", "high", "medium", "low", "info"];
const PROFILES = ["baseline", "cis", "stig"];
const RULE_INPUTS = ["ntp", "firewall_ipv4", "firewall_ipv6", "firewall", "daemon_version"];

class BuildError extends Error {}

function fail(message) {
  throw new BuildError(message);
}

function log(message) {
  console.log(`build-policy: ${message}`);
}

const sha256 = (data) => createHash("sha256").update(data).digest("hex");

// ---------------------------------------------------------------------------------------------------------------
// Digests (also all that --verify needs; src/policy/manifest.ts computes the same in TypeScript)

function listRegoSources() {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (entry.isFile() && entry.name.endsWith(".rego") && !entry.name.endsWith("_test.rego")) out.push(rel);
    }
  };
  walk(POLICY_ROOT);
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function sourceDigests() {
  const sources = listRegoSources().map((p) => ({ path: p, sha256: sha256(readFileSync(path.join(ROOT, p))) }));
  return { sources, sources_sha256: sha256(sources.map((s) => `${s.sha256}  ${s.path}\n`).join("")) };
}

function verify() {
  const manifestPath = path.join(ROOT, BUILD_DIR, "manifest.json");
  if (!existsSync(manifestPath)) fail(`${BUILD_DIR}/manifest.json is missing: run npm run build:policy`);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  const problems = [];
  const current = sourceDigests();
  const recorded = new Map((manifest.sources ?? []).map((s) => [s.path, s.sha256]));
  for (const s of current.sources) {
    if (!recorded.has(s.path)) problems.push(`${s.path} is new since the build`);
    else if (recorded.get(s.path) !== s.sha256) problems.push(`${s.path} changed since the build`);
    recorded.delete(s.path);
  }
  for (const p of recorded.keys()) problems.push(`${p} was removed since the build`);
  if (problems.length === 0 && manifest.sources_sha256 !== current.sources_sha256) {
    problems.push("the combined source digest does not match");
  }
  for (const key of ["wasm", "catalog"]) {
    const entry = manifest[key];
    const file = entry && path.join(ROOT, entry.path);
    if (!file || !existsSync(file)) problems.push(`${entry?.path ?? key} is missing`);
    else if (sha256(readFileSync(file)) !== entry.sha256) problems.push(`${entry.path} does not match the manifest`);
  }
  if (problems.length > 0) {
    fail(`policies/build is stale:\n  - ${problems.join("\n  - ")}\nRun npm run build:policy and commit policies/build.`);
  }
  log(`verified: ${current.sources.length} Rego sources and the build outputs match ${BUILD_DIR}/manifest.json`);
}

// ---------------------------------------------------------------------------------------------------------------
// Tools

// The environment OPA runs in: no OPA_* flag overrides, no wasm-opt post-processing (both change the output).
function cleanEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith("OPA_") || k.startsWith("EXPERIMENTAL_WASM_OPT")) continue;
    env[k] = v;
  }
  return env;
}

function goTool(name, { required }) {
  const started = Date.now();
  const r = spawnSync("go", ["-C", `tools/${name}`, "tool", "-n", name], { cwd: ROOT, encoding: "utf8" });
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : r.stderr.trim();
    if (required) fail(`cannot build ${name} with Go (tools/${name}/go.mod): ${why}`);
    log(`WARNING: ${name} is not available (${why}); skipping it`);
    return null;
  }
  const bin = r.stdout.trim();
  log(`${name}: ${bin} (${Date.now() - started} ms to resolve/build)`);
  return bin;
}

function run(bin, args, { label, capture = false } = {}) {
  const started = Date.now();
  const r = spawnSync(bin, args, {
    cwd: ROOT,
    env: cleanEnv(),
    encoding: capture ? "buffer" : undefined,
    stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) fail(`${label}: ${r.error.message}`);
  if (r.status !== 0) {
    const detail = capture ? `\n${r.stderr.toString()}${r.stdout.toString()}`.trimEnd() : "";
    fail(`${label} failed (exit ${r.status})${detail}`);
  }
  log(`${label}: ok (${Date.now() - started} ms)`);
  return capture ? r.stdout : null;
}

function opaVersion(opa) {
  const out = run(opa, ["version"], { label: "opa version", capture: true }).toString();
  const m = /^Version:\s*(\S+)/m.exec(out);
  if (!m) fail(`cannot read the OPA version from:\n${out}`);
  return m[1];
}

// ---------------------------------------------------------------------------------------------------------------
// Checks

function checkCoverage(opa) {
  const out = run(opa, ["test", "--coverage", "--format", "json", POLICY_ROOT], {
    label: "opa test --coverage",
    capture: true,
  });
  const report = JSON.parse(out.toString());
  let covered = 0;
  let notCovered = 0;
  for (const [file, f] of Object.entries(report.files ?? {})) {
    if (file.endsWith("_test.rego")) continue;
    covered += f.covered_lines ?? 0;
    notCovered += f.not_covered_lines ?? 0;
  }
  const pct = covered + notCovered === 0 ? 0 : (100 * covered) / (covered + notCovered);
  log(`policy line coverage (excluding tests): ${pct.toFixed(2)}% (${covered}/${covered + notCovered} lines)`);
  if (pct < COVERAGE_THRESHOLD) fail(`policy line coverage ${pct.toFixed(2)}% is below ${COVERAGE_THRESHOLD}%`);
  return Number(pct.toFixed(2));
}

// ---------------------------------------------------------------------------------------------------------------
// Build

const BUILD_ARGS = (out) => ["build", "-t", "wasm", "-e", ENTRYPOINT, "--ignore", "*_test.rego", "-o", out, POLICY_ROOT];

// A minimal tar reader: returns the body of the regular file `wanted` (leading "/" ignored).
function extractFromTarGz(gz, wanted) {
  const tar = gunzipSync(gz);
  const field = (h, start, end) => {
    const b = h.subarray(start, end);
    const z = b.indexOf(0);
    return b.subarray(0, z < 0 ? b.length : z).toString("utf8");
  };
  let offset = 0;
  let paxPath = null;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    let name = field(header, 0, 100);
    const prefix = field(header, 345, 500);
    if (prefix) name = `${prefix}/${name}`;
    const size = parseInt(field(header, 124, 136).trim() || "0", 8);
    const type = header[156] === 0 ? "0" : String.fromCharCode(header[156]);
    const body = tar.subarray(offset + 512, offset + 512 + size);
    if (type === "x") {
      const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString("utf8"));
      paxPath = m ? m[1] : null;
    } else {
      if (paxPath !== null) name = paxPath;
      paxPath = null;
      if (type === "0" && name.replace(/^\/+/, "") === wanted) return Buffer.from(body);
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  fail(`${wanted} is not in the bundle OPA built`);
}

function buildOnce(opa, label) {
  const dir = mkdtempSync(path.join(tmpdir(), "ntp-policy-build-"));
  try {
    const bundle = path.join(dir, "bundle.tar.gz");
    run(opa, BUILD_ARGS(bundle), { label });
    return extractFromTarGz(readFileSync(bundle), "policy.wasm");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Fails unless the module needs no host builtins (every builtin it calls is native in OPA's wasm runtime), and
// evaluates a host without ntp.conf to an empty set of violations.
async function checkWasm(wasm) {
  const { loadPolicy } = await import("@open-policy-agent/opa-wasm");
  const policy = await loadPolicy(wasm);
  const exports = policy.wasmInstance.exports;
  const addr = exports.opa_json_dump(exports.builtins());
  const mem = new Uint8Array(policy.mem.buffer);
  let end = addr;
  while (mem[end] !== 0) end++;
  const builtins = JSON.parse(Buffer.from(mem.subarray(addr, end)).toString("utf8"));
  if (Object.keys(builtins).length > 0) {
    fail(`policy.wasm needs host builtins (not native in wasm): ${Object.keys(builtins).sort().join(", ")}`);
  }
  if (!(ENTRYPOINT in policy.entrypoints)) fail(`policy.wasm has no entrypoint ${ENTRYPOINT}`);
  const smoke = policy.evaluate(
    {
      schema_version: "1.0",
      host: "smoke",
      settings: { trusted_networks: [], min_upstreams: 3 },
      files: [],
      diagnostics: [],
      ntp: null,
    },
    ENTRYPOINT,
  );
  if (!Array.isArray(smoke) || smoke.length !== 1 || !Array.isArray(smoke[0].result) || smoke[0].result.length) {
    fail(`policy.wasm smoke evaluation returned ${JSON.stringify(smoke)}`);
  }
  log("policy.wasm: no host builtins, smoke evaluation ok");
  return builtins;
}

// ---------------------------------------------------------------------------------------------------------------
// Catalog

function catalogFrom(opa) {
  const out = run(opa, ["inspect", "-a", "--format", "json", POLICY_ROOT], { label: "opa inspect -a", capture: true });
  const inspected = JSON.parse(out.toString());
  const problems = [];
  const rules = [];
  for (const a of inspected.annotations ?? []) {
    const ann = a.annotations ?? {};
    const custom = ann.custom ?? {};
    if (custom.id === undefined) continue;
    const pkgPath = (a.path ?? []).slice(1).map((t) => t.value);
    const pkg = pkgPath.join(".");
    const where = `${a.location?.file}:${a.location?.row}`;
    if (ann.scope !== "package") problems.push(`${where}: rule METADATA must be at package scope`);
    if (pkgPath.length !== 4 || pkgPath[0] !== "ntp_policy" || pkgPath[1] !== "rules") {
      problems.push(`${where}: rule package ${pkg} must be ntp_policy.rules.<category>.<rule> (main collects only those)`);
    }
    if (!RULE_ID.test(String(custom.id))) problems.push(`${where}: id ${custom.id} does not match ${RULE_ID}`);
    if (!SEVERITIES.includes(custom.severity)) problems.push(`${where}: severity ${custom.severity} is not one of ${SEVERITIES}`);
    for (const [k, v] of [["title", ann.title], ["description", ann.description], ["remediation", custom.remediation]]) {
      if (typeof v !== "string" || v.trim() === "") problems.push(`${where}: ${k} is missing`);
    }
    // custom.profiles: optional (absent: every profile); custom.examples: one failing and one passing line.
    let profiles;
    if (custom.profiles !== undefined) {
      const p = custom.profiles;
      if (!Array.isArray(p) || p.length === 0 || !p.every((x) => PROFILES.includes(x)) || new Set(p).size !== p.length) {
        problems.push(`${where}: custom.profiles must be a non-empty list of distinct profiles from ${PROFILES.join(", ")}`);
      } else {
        profiles = PROFILES.filter((x) => p.includes(x));
      }
    }
    // custom.inputs: required; the evidence the rule reads (a host without it: the rule is not applicable).
    const inputs = custom.inputs;
    if (!Array.isArray(inputs) || !inputs.every((x) => RULE_INPUTS.includes(x)) || new Set(inputs).size !== inputs.length) {
      problems.push(`${where}: custom.inputs must be a list of distinct evidence kinds from ${RULE_INPUTS.join(", ")} ([] for every host)`);
    }
    const ex = custom.examples;
    const exampleOk = (v) => typeof v === "string" && v.trim() !== "";
    if (!ex || typeof ex !== "object" || !exampleOk(ex.fail) || !exampleOk(ex.pass)) {
      problems.push(`${where}: custom.examples needs a fail: and a pass: line (a configuration line that breaks the rule and one that does not)`);
    }
    const references = [];
    if (!Array.isArray(custom.references)) problems.push(`${where}: custom.references must be a list`);
    for (const r of custom.references ?? []) {
      if (typeof r?.kind !== "string" || typeof r?.id !== "string") {
        problems.push(`${where}: every reference needs a kind and an id (got ${JSON.stringify(r)})`);
        continue;
      }
      references.push({
        kind: r.kind,
        id: r.id,
        ...(typeof r.title === "string" ? { title: r.title } : {}),
        ...(typeof r.url === "string" ? { url: r.url } : {}),
      });
    }
    rules.push({
      id: String(custom.id),
      title: String(ann.title ?? "").trim(),
      severity: custom.severity,
      description: String(ann.description ?? "").trim(),
      remediation: String(custom.remediation ?? "").trim(),
      references,
      package: pkg,
      source: a.location?.file,
      related_resources: (ann.related_resources ?? []).map((r) => ({
        ref: String(r.ref),
        ...(r.description ? { description: String(r.description) } : {}),
      })),
      ...(profiles ? { profiles } : {}),
      ...(Array.isArray(inputs) ? { inputs: RULE_INPUTS.filter((x) => inputs.includes(x)) } : {}),
      ...(ex && exampleOk(ex.fail) && exampleOk(ex.pass) ? { examples: { fail: ex.fail.trim(), pass: ex.pass.trim() } } : {}),
    });
  }
  const seen = new Set();
  for (const r of rules) {
    if (seen.has(r.id)) problems.push(`rule id ${r.id} is used twice`);
    seen.add(r.id);
  }
  if (rules.length === 0) problems.push("no rule METADATA found");
  if (problems.length > 0) fail(`rule METADATA problems:\n  - ${problems.join("\n  - ")}`);
  rules.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { generated_by: GENERATED_BY, rules };
}

// ---------------------------------------------------------------------------------------------------------------

const json = (value) => `${JSON.stringify(value, null, 2)}\n`;

async function build({ check }) {
  const started = Date.now();
  const opa = goTool("opa", { required: true });
  const regal = goTool("regal", { required: false });
  const version = opaVersion(opa);

  run(opa, ["fmt", "--list", "--fail", POLICY_DIR], { label: "opa fmt --list --fail" });
  run(opa, ["check", "--strict", POLICY_DIR], { label: "opa check --strict" });
  run(opa, ["test", POLICY_ROOT], { label: "opa test" });
  const coverage = checkCoverage(opa);
  if (regal) run(regal, ["lint", POLICY_DIR], { label: "regal lint" });

  const first = buildOnce(opa, "opa build -t wasm (1/2)");
  const second = buildOnce(opa, "opa build -t wasm (2/2)");
  if (!first.equals(second)) {
    fail(`opa build is not reproducible: two builds gave ${sha256(first)} and ${sha256(second)}`);
  }
  log(`reproducible: both builds are ${sha256(first)} (${first.length} bytes)`);
  const hostBuiltins = await checkWasm(first);

  const catalog = json(catalogFrom(opa));
  const { sources, sources_sha256 } = sourceDigests();
  const manifest = json({
    generated_by: GENERATED_BY,
    opa_version: version,
    build_command: ["opa", ...BUILD_ARGS("<tmpdir>/bundle.tar.gz")].join(" "),
    build_cwd: "<repository root>",
    extracted: "/policy.wasm from the bundle",
    entrypoints: [ENTRYPOINT],
    host_builtins: hostBuiltins,
    sources_rule: SOURCES_RULE,
    sources_digest_rule: 'sha256 of the lines "<sha256>  <path>\\n" of the sources, in this order',
    sources,
    sources_sha256,
    wasm: { path: `${BUILD_DIR}/policy.wasm`, sha256: sha256(first), bytes: first.length },
    catalog: { path: `${BUILD_DIR}/catalog.json`, sha256: sha256(catalog) },
    opa_test_coverage_percent: coverage,
  });
  const outputs = { "policy.wasm": first, "catalog.json": Buffer.from(catalog), "manifest.json": Buffer.from(manifest) };

  if (check) {
    const stale = [];
    for (const [name, fresh] of Object.entries(outputs)) {
      const file = path.join(ROOT, BUILD_DIR, name);
      if (!existsSync(file)) stale.push(`${BUILD_DIR}/${name} is missing`);
      else if (!readFileSync(file).equals(fresh)) stale.push(`${BUILD_DIR}/${name} differs from a fresh build`);
    }
    if (stale.length > 0) {
      fail(`policies/build is stale:\n  - ${stale.join("\n  - ")}\nRun npm run build:policy and commit policies/build.`);
    }
    log(`--check: ${BUILD_DIR} matches a fresh build (${Date.now() - started} ms)`);
    docs({ check: true });
    return;
  }
  mkdirSync(path.join(ROOT, BUILD_DIR), { recursive: true });
  for (const [name, data] of Object.entries(outputs)) writeFileSync(path.join(ROOT, BUILD_DIR, name), data);
  log(`wrote ${BUILD_DIR}/{policy.wasm,catalog.json,manifest.json} (${Date.now() - started} ms)`);
  docs({ check: false });
}

// The rule pages are generated from catalog.json: rebuild them (or, with --check, fail when they are stale).
function docs({ check }) {
  const result = buildDocs({ root: ROOT, check });
  if (check && result.stale.length > 0) {
    fail(`docs/rules is stale:\n  - ${result.stale.join("\n  - ")}\nRun npm run build:docs and commit docs/rules.`);
  }
  log(check ? `--check: docs/rules matches ${BUILD_DIR}/catalog.json` : `wrote docs/rules (${result.pages} pages)`);
}

async function main(argv) {
  const args = new Set(argv);
  for (const a of args) {
    if (!["--check", "--verify"].includes(a)) fail(`unknown argument ${a} (use --check or --verify)`);
  }
  if (args.has("--check") && args.has("--verify")) fail("use one of --check and --verify");
  if (args.has("--verify")) verify();
  else await build({ check: args.has("--check") });
}

main(process.argv.slice(2)).catch((e) => {
  console.error(`build-policy: ${e instanceof BuildError ? e.message : (e?.stack ?? String(e))}`);
  process.exit(e instanceof BuildError ? 1 : 2);
});
