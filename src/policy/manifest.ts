/**
 * A freshness check of the committed policy build that needs no Go: the digests recorded in
 * policies/build/manifest.json against the current Rego sources, policy.wasm and catalog.json.
 * (src/policy/build/ writes the manifest; `npm run build:policy -- --verify` runs the same check from the command line.)
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { PACKAGE_ROOT } from "./paths.js";
import { compareIds } from "../model/rule-id.js";
import { sha256 } from "./digest.js";

export interface PolicyManifest {
  generated_by: string;
  opa_version: string;
  build_command: string;
  entrypoints: string[];
  host_builtins: Record<string, number>;
  sources: Array<{ path: string; sha256: string }>;
  sources_sha256: string;
  wasm: { path: string; sha256: string; bytes: number };
  catalog: { path: string; sha256: string };
}

/** The Rego files compiled into policy.wasm: every *.rego under policies/ntp_policy except *_test.rego. */
export const POLICY_SOURCE_ROOT = "policies/ntp_policy";

export function loadManifest(root: string = PACKAGE_ROOT): PolicyManifest {
  return JSON.parse(readFileSync(path.join(root, "policies", "build", "manifest.json"), "utf8")) as PolicyManifest;
}

/** Current digests of the policy sources, as the manifest records them. */
export function currentSourceDigests(root: string = PACKAGE_ROOT): Pick<PolicyManifest, "sources" | "sources_sha256"> {
  const files: string[] = [];
  const walk = (rel: string): void => {
    for (const entry of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile() && entry.name.endsWith(".rego") && !entry.name.endsWith("_test.rego")) files.push(child);
    }
  };
  walk(POLICY_SOURCE_ROOT);
  files.sort(compareIds);
  const sources = files.map((p) => ({ path: p, sha256: sha256(readFileSync(path.join(root, p))) }));
  return { sources, sources_sha256: sha256(sources.map((s) => `${s.sha256}  ${s.path}\n`).join("")) };
}

/** Problems that make the committed build stale (empty when it is fresh). */
export function verifyPolicyBuild(root: string = PACKAGE_ROOT): string[] {
  let manifest: PolicyManifest;
  try {
    manifest = loadManifest(root);
  } catch (e) {
    return [`cannot read policies/build/manifest.json: ${(e as Error).message}`];
  }
  const problems: string[] = [];
  const current = currentSourceDigests(root);
  const recorded = new Map((manifest.sources ?? []).map((s) => [s.path, s.sha256]));
  for (const s of current.sources) {
    const was = recorded.get(s.path);
    if (was === undefined) problems.push(`${s.path} is new since the build`);
    else if (was !== s.sha256) problems.push(`${s.path} changed since the build`);
    recorded.delete(s.path);
  }
  for (const p of recorded.keys()) problems.push(`${p} was removed since the build`);
  if (problems.length === 0 && manifest.sources_sha256 !== current.sources_sha256) {
    problems.push("the combined source digest does not match");
  }
  for (const output of [manifest.wasm, manifest.catalog]) {
    if (!output?.path) {
      problems.push("the manifest does not name its outputs");
      continue;
    }
    const file = path.join(root, output.path);
    if (!existsSync(file)) problems.push(`${output.path} is missing`);
    else if (sha256(readFileSync(file)) !== output.sha256) problems.push(`${output.path} does not match the manifest`);
  }
  return problems;
}

