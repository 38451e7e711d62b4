/**
 * The policy stage: runs the compiled Rego (policies/build/policy.wasm) in-process with
 * @open-policy-agent/opa-wasm and returns validated, deterministically ordered violations.
 *
 * Everything the SDK can throw (strings, plain objects, Errors) becomes a `PolicyError`, and output that does not
 * have the Violation shape is rejected, never dropped: a broken policy must fail the run, not pass it.
 */
import { readFileSync } from "node:fs";
import { loadWasmPolicy } from "./wasm-instance.js";
import { isSeverity, type Evidence, type NotApplicable, type PassedEvidence, type Violation } from "../model/finding.js";
import type { PolicyInput } from "../model/input.js";
import type { SourceLocation } from "../model/location.js";
import { compareIds, RULE_ID_PATTERN } from "../model/rule-id.js";
import { sha256 } from "./digest.js";
import { isRecord } from "./json-object.js";
import { DEFAULT_WASM_PATH, ENTRYPOINT } from "./paths.js";

export { DEFAULT_WASM_PATH, ENTRYPOINT } from "./paths.js";
export { RULE_ID_PATTERN } from "../model/rule-id.js";

export class PolicyError extends Error {
  override name = "PolicyError";
}

/** What the policy says about one host: its violations, and the rules that do not apply to it (with why). */
export interface PolicyResult {
  violations: Violation[];
  not_applicable: NotApplicable[];
  /** The lines that satisfy each rule (shown where the rule passes), sorted by rule, file, line, column, text. */
  passed: PassedEvidence[];
}

export interface PolicyEngine {
  /** Violations for one host's input document, sorted by rule, file, line, column, message. */
  evaluate(input: PolicyInput): Violation[];
  /** The violations and the rules the policy judged not applicable to this host (sorted by rule, then reason). */
  judge(input: PolicyInput): PolicyResult;
  /** sha256 (hex) of the policy.wasm that was loaded: the JSON report's `policy.digest`. */
  readonly digest: string;
}

/** What the engine needs from a loaded opa-wasm policy (a seam for tests). */
export interface WasmPolicy {
  evaluate(input: unknown, entrypoint: string | number): unknown;
  entrypoints: Record<string, number>;
}

/** sha256 (hex) of policy.wasm, without loading it. */
export function policyDigest(wasmPath: string = DEFAULT_WASM_PATH): string {
  return sha256(readFileSync(wasmPath));
}

/** Load policy.wasm (by default the committed build, resolved from the package root). */
export async function loadPolicyEngine(wasmPath: string = DEFAULT_WASM_PATH): Promise<PolicyEngine> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(wasmPath);
  } catch (e) {
    throw new PolicyError(`cannot read the policy ${wasmPath}: ${toError(e).message}`, { cause: e });
  }
  // One compiled engine per policy content and process: `fix` checks a host again for every change it
  // verifies, and compiling the wasm each time would cost more than the check.
  const digest = sha256(bytes);
  let engine = ENGINES.get(digest);
  if (!engine) {
    engine = loadWasmPolicy(bytes).then(
      (policy) => createPolicyEngine(policy as WasmPolicy, digest),
      (e: unknown) => {
        ENGINES.delete(digest);
        throw new PolicyError(`cannot load the policy ${wasmPath}: ${toError(e).message}`, { cause: e });
      },
    );
    ENGINES.set(digest, engine);
  }
  return engine;
}

const ENGINES = new Map<string, Promise<PolicyEngine>>();

/** Wrap a loaded policy: entrypoint check, error normalisation, output validation and ordering. */
export function createPolicyEngine(policy: WasmPolicy, digest: string): PolicyEngine {
  if (!policy.entrypoints || !Object.hasOwn(policy.entrypoints, ENTRYPOINT)) {
    const found = Object.keys(policy.entrypoints ?? {}).join(", ") || "none";
    throw new PolicyError(`the policy has no entrypoint ${ENTRYPOINT} (found: ${found})`);
  }
  const judge = (input: PolicyInput): PolicyResult => {
    // The SDK treats falsy input as "no input", JSON-encodes strings and Buffers, and evaluates an ArrayBuffer of
    // malformed JSON as if there were no input (fail open): only a plain object is safe.
    if (
      typeof input !== "object" ||
      input === null ||
      Array.isArray(input) ||
      input instanceof ArrayBuffer ||
      ArrayBuffer.isView(input)
    ) {
      throw new PolicyError(`the policy input must be an object, got ${describe(input)}`);
    }
    let raw: unknown;
    try {
      raw = policy.evaluate(input, ENTRYPOINT);
    } catch (e) {
      throw new PolicyError(`policy evaluation failed: ${toError(e).message}`, { cause: e });
    }
    const { violations, not_applicable, passed } = splitResult(raw);
    return { violations: sortViolations(violations), not_applicable: sortNotApplicable(not_applicable), passed: sortPassedEvidence(passed) };
  };
  return { digest, judge, evaluate: (input) => judge(input).violations };
}

/** One entry per rule and reason, sorted by rule, then reason. */
export function sortNotApplicable(entries: readonly NotApplicable[]): NotApplicable[] {
  const seen = new Map<string, NotApplicable>();
  for (const e of entries) seen.set(`${e.rule}\u0000${e.reason}`, e);
  return [...seen.values()].sort((a, b) => compareIds(a.rule, b.rule) || compareIds(a.reason, b.reason));
}

/** One entry per rule and line, sorted by rule, file, line, column, then text. */
export function sortPassedEvidence(entries: readonly PassedEvidence[]): PassedEvidence[] {
  const seen = new Map<string, PassedEvidence>();
  for (const e of entries) seen.set(JSON.stringify([e.rule, e.location.file, e.location.line, e.location.column, e.text]), e);
  return [...seen.values()].sort(
    (a, b) =>
      compareIds(a.rule, b.rule) ||
      compareIds(a.location.file, b.location.file) ||
      a.location.line - b.location.line ||
      a.location.column - b.location.column ||
      compareIds(a.text, b.text),
  );
}

/** Turn anything thrown (the SDK throws strings and plain objects) into an Error. */
export function toError(e: unknown): Error {
  if (e instanceof Error) return e;
  if (typeof e === "string") return new Error(`opa-wasm: ${e}`);
  if (typeof e === "object" && e !== null && "message" in e) {
    return new Error(`opa-wasm: ${String((e as { message: unknown }).message)}`);
  }
  let text: string;
  try {
    text = JSON.stringify(e) ?? String(e);
  } catch {
    text = String(e);
  }
  return new Error(`opa-wasm: ${text}`);
}

/** The raw result set of the entrypoint → validated violations (throws PolicyError on anything unexpected). */
export function validateResult(raw: unknown): Violation[] {
  return splitResult(raw).violations;
}

/**
 * The raw result set → violations and not-applicable entries. An entry `{rule, not_applicable: "<reason>"}`
 * (what main.rego makes of a rule's `not_applicable` set) says the rule does not apply to the host; an entry
 * `{rule, passed_evidence: {location, text}}` (a rule's `passed_evidence` set) names a line that satisfies the
 * rule; every other entry must be a violation. Throws PolicyError on anything unexpected.
 */
export function splitResult(raw: unknown): PolicyResult {
  if (!Array.isArray(raw)) throw new PolicyError(`the policy returned ${describe(raw)} instead of a result set`);
  if (raw.length === 0) throw new PolicyError(`the policy left ${ENTRYPOINT} undefined (empty result set)`);
  if (raw.length > 1) throw new PolicyError(`the policy returned ${raw.length} results for ${ENTRYPOINT}, expected 1`);
  const first: unknown = raw[0];
  if (!isRecord(first) || !Array.isArray(first.result)) {
    throw new PolicyError(`the policy result for ${ENTRYPOINT} is ${describe(first)}, expected {result: [...]}`);
  }
  const violations: Violation[] = [];
  const notApplicable: NotApplicable[] = [];
  const passed: PassedEvidence[] = [];
  for (const [i, v] of (first.result as unknown[]).entries()) {
    if (isRecord(v) && "not_applicable" in v) notApplicable.push(validateNotApplicable(v, i));
    else if (isRecord(v) && "passed_evidence" in v) passed.push(validatePassedEvidence(v, i));
    else violations.push(validateViolation(v, i));
  }
  return { violations, not_applicable: notApplicable, passed };
}

function validateNotApplicable(v: Record<string, unknown>, index: number): NotApplicable {
  if (typeof v.rule !== "string" || !RULE_ID_PATTERN.test(v.rule)) {
    throw new PolicyError(`the policy returned a malformed not-applicable entry (#${index + 1}): rule id ${describe(v.rule)} is not like NTP001`);
  }
  if (typeof v.not_applicable !== "string" || v.not_applicable.trim() === "") {
    throw new PolicyError(`the policy returned a malformed not-applicable entry (#${index + 1}) for ${v.rule}: the reason is missing`);
  }
  return { rule: v.rule, reason: v.not_applicable };
}

function validatePassedEvidence(v: Record<string, unknown>, index: number): PassedEvidence {
  const bad = (why: string): never => {
    throw new PolicyError(`the policy returned a malformed passed-evidence entry (#${index + 1}): ${why}: ${snippet(v)}`);
  };
  if (typeof v.rule !== "string" || !RULE_ID_PATTERN.test(v.rule)) return bad(`rule id ${describe(v.rule)} is not like NTP001`);
  const e = v.passed_evidence;
  if (!isRecord(e)) return bad("passed_evidence is not an object");
  const location = checkLocation(e.location);
  if (typeof location === "string") return bad(`location ${location}`);
  if (typeof e.text !== "string") return bad("text is not a string");
  return { rule: v.rule, location, text: e.text };
}

/** Check one violation's shape and return a copy with a fixed key order. */
export function validateViolation(v: unknown, index = 0): Violation {
  const bad = (why: string): never => {
    throw new PolicyError(`the policy returned a malformed violation (#${index + 1}): ${why}: ${snippet(v)}`);
  };
  if (!isRecord(v)) return bad("not an object");
  if (typeof v.rule !== "string" || !RULE_ID_PATTERN.test(v.rule)) return bad(`rule id ${describe(v.rule)} is not like NTP001`);
  if (!isSeverity(v.severity)) return bad(`severity ${describe(v.severity)} is not critical, high, medium, low or info`);
  if (typeof v.message !== "string" || v.message.trim() === "") return bad("message is missing");
  if (typeof v.remediation !== "string" || v.remediation.trim() === "") return bad("remediation is missing");
  const location = checkLocation(v.location);
  if (typeof location === "string") return bad(`location ${location}`);
  if (!Array.isArray(v.evidence)) return bad("evidence is not a list");
  const evidence: Evidence[] = [];
  for (const [i, e] of v.evidence.entries()) {
    if (!isRecord(e)) return bad(`evidence #${i + 1} is not an object`);
    const loc = checkLocation(e.location);
    if (typeof loc === "string") return bad(`evidence #${i + 1} location ${loc}`);
    if (typeof e.text !== "string") return bad(`evidence #${i + 1} text is not a string`);
    evidence.push({ location: loc, text: e.text });
  }
  return { rule: v.rule, severity: v.severity, message: v.message, location, evidence, remediation: v.remediation };
}

/** Order by rule, file, line, column, message (then the whole violation, so the order is total). */
export function sortViolations(violations: Violation[]): Violation[] {
  const keyed = violations.map((v) => ({ v, json: JSON.stringify(v) }));
  keyed.sort(
    (a, b) =>
      compareIds(a.v.rule, b.v.rule) ||
      compareIds(a.v.location.file, b.v.location.file) ||
      a.v.location.line - b.v.location.line ||
      a.v.location.column - b.v.location.column ||
      compareIds(a.v.message, b.v.message) ||
      compareIds(a.json, b.json),
  );
  return keyed.map((k) => k.v);
}

function checkLocation(loc: unknown): SourceLocation | string {
  if (!isRecord(loc)) return `is ${describe(loc)}, expected {file, line, column}`;
  if (typeof loc.file !== "string" || loc.file === "") return "has no file";
  if (!isPositiveInteger(loc.line)) return `line ${describe(loc.line)} is not a positive integer`;
  if (!isPositiveInteger(loc.column)) return `column ${describe(loc.column)} is not a positive integer`;
  return { file: loc.file, line: loc.line, column: loc.column };
}

function isPositiveInteger(n: unknown): n is number {
  return typeof n === "number" && Number.isInteger(n) && n >= 1;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === "object") return "an object";
  return typeof v === "undefined" ? "undefined" : `${typeof v} ${String(v)}`;
}

function snippet(v: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(v) ?? String(v);
  } catch {
    text = String(v);
  }
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

