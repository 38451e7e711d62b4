/**
 * What the built-in policy build reads and writes, and the one command that compiles it. Every path is relative
 * to the repository root, which is also OPA's working directory, so the source paths embedded in policy.wasm
 * are the same on every machine.
 */
import { ENTRYPOINT } from "../paths.js";

/** Linted and format-checked (rules, their tests, the library). */
export const POLICY_DIR = "policies";
/** Compiled and tested (policies/build holds the JSON outputs, which OPA must not load as data). */
export { POLICY_SOURCE_ROOT as POLICY_ROOT } from "../manifest.js";
/** The committed outputs: policy.wasm, catalog.json, manifest.json. */
export const BUILD_DIR = "policies/build";
/** `opa test --coverage` must cover at least this share of the non-test Rego lines. */
export const COVERAGE_THRESHOLD = 95;
export const GENERATED_BY = "scripts/build-policy.mjs (npm run build:policy) — generated, do not edit";
export const SOURCES_RULE = "every *.rego file under policies/ntp_policy except *_test.rego; path relative to the repository root";

/** The `opa build` arguments (after the `opa` command) that write the bundle to `out`. */
export function buildArgs(out: string): string[] {
  return ["build", "-t", "wasm", "-e", ENTRYPOINT, "--ignore", "*_test.rego", "-o", out, "policies/ntp_policy"];
}
