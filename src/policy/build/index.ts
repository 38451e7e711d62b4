/**
 * The built-in policy build (`npm run build:policy`, scripts/build-policy.mjs is its command line). From the
 * Rego under policies/ntp_policy it writes the committed artefacts in policies/build/:
 *   policy.wasm    the compiled policy (entrypoint ntp_policy/main/violations), run by src/policy/engine.ts
 *   catalog.json   rule metadata from the rules' METADATA (src/policy/catalog.ts reads it)
 *   manifest.json  OPA version, build command, sha256 of every Rego source and of the outputs
 *
 * `buildPolicy` runs opa fmt, opa check --strict, opa test (with coverage), regal lint, builds twice and compares
 * the builds, then writes the outputs — or, with `check`, writes nothing and fails when the committed outputs
 * differ from the fresh build. `verifyCommittedBuild` needs no Go: the manifest's digests against the sources.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { sha256 } from "../digest.js";
import { currentSourceDigests, verifyPolicyBuild } from "../manifest.js";
import { ENTRYPOINT } from "../paths.js";
import { catalogFromInspect } from "./catalog.js";
import { checkCoverage } from "./coverage.js";
import { BUILD_DIR, buildArgs, GENERATED_BY, POLICY_DIR, POLICY_ROOT, SOURCES_RULE } from "./layout.js";
import { fail, goTool, opaVersion, run, type Tools } from "./tools.js";
import { checkWasm, reproducibleBuild } from "./wasm.js";

export { BuildError } from "./tools.js";
export { BUILD_DIR } from "./layout.js";

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

const stale = (problems: string[]): never =>
  fail(`policies/build is stale:\n  - ${problems.join("\n  - ")}\nRun npm run build:policy and commit policies/build.`);

export async function buildPolicy(tools: Tools, { check }: { check: boolean }): Promise<void> {
  const started = Date.now();
  const opa = goTool(tools, "opa", { required: true })!;
  const regal = goTool(tools, "regal", { required: false });
  const version = opaVersion(tools, opa);

  run(tools, opa, ["fmt", "--list", "--fail", POLICY_DIR], "opa fmt --list --fail");
  run(tools, opa, ["check", "--strict", POLICY_DIR], "opa check --strict");
  run(tools, opa, ["test", POLICY_ROOT], "opa test");
  const coverage = checkCoverage(tools, opa);
  if (regal) run(tools, regal, ["lint", POLICY_DIR], "regal lint");

  const wasm = reproducibleBuild(tools, opa);
  const builtins = await checkWasm(tools, wasm);

  const inspected: unknown = JSON.parse(run(tools, opa, ["inspect", "-a", "--format", "json", POLICY_ROOT], "opa inspect -a", { capture: true }).toString());
  const catalog = json(catalogFromInspect(inspected));
  const { sources, sources_sha256 } = currentSourceDigests(tools.root);
  const manifest = json({
    generated_by: GENERATED_BY,
    opa_version: version,
    build_command: ["opa", ...buildArgs("<tmpdir>/bundle.tar.gz")].join(" "),
    build_cwd: "<repository root>",
    extracted: "/policy.wasm from the bundle",
    entrypoints: [ENTRYPOINT],
    host_builtins: builtins,
    sources_rule: SOURCES_RULE,
    sources_digest_rule: 'sha256 of the lines "<sha256>  <path>\\n" of the sources, in this order',
    sources,
    sources_sha256,
    wasm: { path: `${BUILD_DIR}/policy.wasm`, sha256: sha256(wasm), bytes: wasm.length },
    catalog: { path: `${BUILD_DIR}/catalog.json`, sha256: sha256(catalog) },
    opa_test_coverage_percent: coverage,
  });
  const outputs: Record<string, Buffer> = { "policy.wasm": wasm, "catalog.json": Buffer.from(catalog), "manifest.json": Buffer.from(manifest) };

  if (check) {
    const problems: string[] = [];
    for (const [name, fresh] of Object.entries(outputs)) {
      const file = path.join(tools.root, BUILD_DIR, name);
      if (!existsSync(file)) problems.push(`${BUILD_DIR}/${name} is missing`);
      else if (!readFileSync(file).equals(fresh)) problems.push(`${BUILD_DIR}/${name} differs from a fresh build`);
    }
    if (problems.length > 0) stale(problems);
    tools.log(`--check: ${BUILD_DIR} matches a fresh build (${Date.now() - started} ms)`);
    return;
  }
  mkdirSync(path.join(tools.root, BUILD_DIR), { recursive: true });
  for (const [name, data] of Object.entries(outputs)) writeFileSync(path.join(tools.root, BUILD_DIR, name), data);
  tools.log(`wrote ${BUILD_DIR}/{policy.wasm,catalog.json,manifest.json} (${Date.now() - started} ms)`);
}

/** `--verify`: the committed build matches the current sources (no Go needed). */
export function verifyCommittedBuild(tools: Tools): void {
  const problems = verifyPolicyBuild(tools.root);
  if (problems.length > 0) stale(problems);
  tools.log(`verified: ${currentSourceDigests(tools.root).sources.length} Rego sources and the build outputs match ${BUILD_DIR}/manifest.json`);
}
