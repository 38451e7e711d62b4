/**
 * Custom policies: an organisation's own Rego, judged against the same input document and reporting through
 * the same finding contract as the built-in rules (docs/custom-policies.md).
 *
 * Contract. A custom rule is a package `custom.<name>` with a `violations` set whose members are built by
 * `data.ntp_policy.lib.result.fail(rego.metadata.chain(), location, message, evidence)`, and METADATA with
 * `title`, `description` and `custom: {id, severity, remediation, references?, profiles?, examples?}`. Ids match
 * the rule-id pattern (capital letters and three digits, e.g. ORG001) and never reuse a built-in rule's id.
 *
 * Two ways in, both only from paths the user names (never anything found in a host dump):
 * - `--policy DIR` (repeatable): the .rego files of DIR (without *_test.rego) are compiled with the package's
 *   policies/ntp_policy/lib and a generated entrypoint (CUSTOM_ENTRYPOINT) by `opa build -t wasm`, with the
 *   `opa` named by the OPA environment variable or found on PATH. Rule metadata comes from
 *   `opa inspect -a --format json` and travels inside the bundle (data.ntp_policy_custom.catalog). The bundle is
 *   cached by content digest in $XDG_CACHE_HOME/ntp-policy (default ~/.cache/ntp-policy).
 * - `--bundle FILE` (repeatable): a bundle built beforehand (`ntp-policy bundle`, or `opa build -t wasm` with the
 *   same entrypoint), tar.gz with /policy.wasm, or a bare policy.wasm. Needs neither Go nor OPA.
 *
 * The compiled policy then runs beside the built-in one with the same validation (src/policy/engine.ts).
 *
 * This module loads them; the parts live in src/policy/custom/: opa (finding and running OPA), compile (staging
 * and `opa build`), cache, catalogue (METADATA checks), bundle (reading bundles) and engine (running them).
 */
import { bundleCatalog, readBundle, readBundleFile } from "./custom/bundle.js";
import { compileCustomPolicies, stripRoot } from "./custom/compile.js";
import { customEngine, type CustomPolicy } from "./custom/engine.js";
import { CustomPolicyError } from "./custom/error.js";

export { cacheDirectory } from "./custom/cache.js";
export { customCatalogFromInspect } from "./custom/catalogue.js";
export { readBundle, type BundleContents } from "./custom/bundle.js";
export { compileCustomPolicies, CUSTOM_ENTRYPOINT, CUSTOM_ENTRYPOINT_REGO, LIB_DIR, type CompiledBundle } from "./custom/compile.js";
export { combinedDigest, combineEngines, customEngine, type CustomPolicy } from "./custom/engine.js";
export { CustomPolicyError } from "./custom/error.js";
export { findOpa } from "./custom/opa.js";
export { readTar } from "./tar.js";

export interface CustomPolicyOptions {
  policyDirs?: readonly string[];
  bundles?: readonly string[];
  /** Ids of the built-in rules, which custom rules may not reuse. */
  builtinIds: ReadonlySet<string>;
  /** Environment for OPA, XDG_CACHE_HOME, HOME and PATH (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

/** Load every custom policy the options name (none: an empty list), checking that no two rules share an id. */
export async function loadCustomPolicies(options: CustomPolicyOptions): Promise<CustomPolicy[]> {
  const out: CustomPolicy[] = [];
  const env = options.env ?? process.env;
  if (options.policyDirs && options.policyDirs.length > 0) {
    const compiled = compileCustomPolicies(options.policyDirs, { builtinIds: options.builtinIds, env });
    out.push(await customPolicyFromBundle(compiled.bundle, `--policy ${options.policyDirs.join(", ")}`, options.builtinIds, compiled.sourceOf));
  }
  for (const file of options.bundles ?? []) {
    out.push(await customPolicyFromBundle(readBundleFile(file), `--bundle ${file}`, options.builtinIds, (s) => `${file}:${stripRoot(s)}`));
  }
  const seen = new Map<string, string>();
  for (const p of out) {
    for (const r of p.rules) {
      const other = seen.get(r.id);
      if (other !== undefined) throw new CustomPolicyError(`custom rule id ${r.id} is declared by both ${other} and ${p.origin}`);
      seen.set(r.id, p.origin);
    }
  }
  return out;
}

/** A custom policy from bundle bytes (what --bundle reads; also a freshly compiled bundle). */
export async function customPolicyFromBundle(bytes: Buffer, origin: string, builtinIds: ReadonlySet<string>, sourceOf: (s: string) => string): Promise<CustomPolicy> {
  const contents = readBundle(bytes, origin);
  const rules = bundleCatalog(contents, origin, builtinIds, sourceOf);
  const engine = await customEngine(contents.wasm, rules, origin, builtinIds);
  return { origin, digest: engine.digest, wasm: contents.wasm, rules, engine };
}

