/**
 * Running custom policies: the engine of a custom policy's wasm (the built-in engine's validation and ordering,
 * plus checks of its own), and the built-in and custom engines combined into one.
 */
import { loadWasmPolicy, probeWasmLoad } from "../wasm-instance.js";
import type { Violation } from "../../model/finding.js";
import type { PolicyInput } from "../../model/input.js";
import type { CatalogRule } from "../catalog.js";
import { sha256 } from "../digest.js";
import { createPolicyEngine, PolicyError, sortNotApplicable, sortPassedEvidence, sortViolations, toError, type PolicyEngine, type PolicyResult, type WasmPolicy } from "../engine.js";
import { ENTRYPOINT } from "../paths.js";
import { hostBuiltins, type WasmInternals } from "../wasm-builtins.js";
import { CUSTOM_ENTRYPOINT } from "./compile.js";
import { CustomPolicyError } from "./error.js";

/** Builtins the opa-wasm SDK implements in JavaScript; any other host builtin would fail at evaluation. */
const SDK_BUILTINS = new Set(["sprintf", "regex.split", "json.is_valid", "yaml.is_valid", "yaml.marshal", "yaml.unmarshal"]);

/** A custom policy ready to run: its engine, its rules and where it came from. */
export interface CustomPolicy {
  /** `--policy DIR[, DIR…]` or `--bundle FILE`, for messages. */
  origin: string;
  /** sha256 (hex) of the policy.wasm. */
  digest: string;
  /** The wasm module (for worker threads: customEngine() rebuilds the engine from it). */
  wasm: Uint8Array;
  /** The rules the bundle declares (empty for a bare .wasm or a bundle without ntp-policy's catalogue). */
  rules: CatalogRule[];
  engine: PolicyEngine;
}

/**
 * The engine of a custom policy's wasm: the built-in engine's validation and ordering, its entrypoint, and two
 * more checks — the module needs no builtin the SDK lacks, and it reports only its own rules (never a built-in
 * id; when the bundle carries a catalogue, only ids declared there).
 */
export async function customEngine(wasm: Uint8Array, rules: readonly CatalogRule[], origin: string, builtinIds: ReadonlySet<string>): Promise<PolicyEngine> {
  let loaded: WasmPolicy & WasmInternals;
  try {
    // First where it can be stopped: a start function that never returns must not hang this thread.
    await probeWasmLoad(wasm);
    loaded = (await loadWasmPolicy(wasm)) as typeof loaded;
  } catch (e) {
    throw new CustomPolicyError(`${origin}: cannot load the policy: ${toError(e).message}`);
  }
  if (!loaded.entrypoints || !Object.hasOwn(loaded.entrypoints, CUSTOM_ENTRYPOINT)) {
    const found = Object.keys(loaded.entrypoints ?? {}).join(", ") || "none";
    throw new CustomPolicyError(`${origin}: the policy has no entrypoint ${CUSTOM_ENTRYPOINT} (found: ${found}); build it with ntp-policy bundle`);
  }
  const missing = Object.keys(hostBuiltins(loaded)).sort().filter((b) => !SDK_BUILTINS.has(b));
  if (missing.length > 0) {
    throw new CustomPolicyError(`${origin}: the policy calls builtins that WebAssembly does not provide: ${missing.join(", ")} (docs/custom-policies.md lists what works)`);
  }
  const declared = new Set(rules.map((r) => r.id));
  const adapter: WasmPolicy = {
    entrypoints: { [ENTRYPOINT]: 0 },
    evaluate: (input) => loaded.evaluate(input, CUSTOM_ENTRYPOINT),
  };
  const inner = createPolicyEngine(adapter, sha256(wasm));
  const judge = (input: PolicyInput): PolicyResult => {
    let result: PolicyResult;
    try {
      result = inner.judge(input);
    } catch (e) {
      throw new PolicyError(`custom policy ${origin}: ${toError(e).message.replaceAll(ENTRYPOINT, CUSTOM_ENTRYPOINT)}`, { cause: e });
    }
    for (const v of [...result.violations, ...result.not_applicable, ...result.passed]) {
      if (builtinIds.has(v.rule)) throw new PolicyError(`custom policy ${origin} reported ${v.rule}, a built-in rule's id`);
      if (declared.size > 0 && !declared.has(v.rule)) throw new PolicyError(`custom policy ${origin} reported ${v.rule}, which no METADATA in it declares`);
    }
    return result;
  };
  return { digest: inner.digest, judge, evaluate: (input) => judge(input).violations };
}

/**
 * The built-in engine and the custom ones as one: violations and not-applicable verdicts of all, in the engine's
 * order. The digest covers every policy (the built-in one alone when there are no custom policies).
 */
/** The digest of the built-in policy with custom ones: the report's `policy.digest`. */
export function combinedDigest(builtinDigest: string, custom: readonly Pick<CustomPolicy, "digest">[]): string {
  return custom.length === 0 ? builtinDigest : sha256([builtinDigest, ...custom.map((c) => c.digest)].join("\n"));
}

export function combineEngines(builtin: PolicyEngine, custom: readonly CustomPolicy[]): PolicyEngine {
  if (custom.length === 0) return builtin;
  const digest = combinedDigest(builtin.digest, custom);
  return {
    digest,
    evaluate(input: PolicyInput): Violation[] {
      return this.judge(input).violations;
    },
    judge(input: PolicyInput): PolicyResult {
      const results = [builtin.judge(input), ...custom.map((c) => c.engine.judge(input))];
      return {
        violations: sortViolations(results.flatMap((r) => r.violations)),
        not_applicable: sortNotApplicable(results.flatMap((r) => r.not_applicable)),
        passed: sortPassedEvidence(results.flatMap((r) => r.passed)),
      };
    },
  };
}
