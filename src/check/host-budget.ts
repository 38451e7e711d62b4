/**
 * The per-host time and memory budget: the backstop behind every linear algorithm and cap. A host that
 * exceeds it — a pathological dump, a custom policy with a runaway comprehension — is reported as not
 * checked (a PARSE004 finding that says why) and the rest of the fleet still completes.
 */
import type { HostTarget } from "../discover/hosts.js";
import { NOT_CHECKED_RULE, type Violation } from "../model/finding.js";
import { loadCatalog } from "../policy/catalog.js";
import type { HostResult } from "./evaluate-host.js";

export interface HostBudget {
  /** Wall-clock time one host may take, in milliseconds. */
  timeoutMs: number;
  /** Heap one host's worker may use (V8 old generation), in MB. */
  memoryMb: number;
}

/** Far above what any real host needs (a 100,000-rule kube-proxy node takes a few seconds and ~300 MB). */
export const DEFAULT_HOST_BUDGET: HostBudget = { timeoutMs: 30_000, memoryMb: 512 };

export { NOT_CHECKED_RULE };

/** The result of a host that was stopped: no files known, one PARSE004 violation with the reason. */
export function notCheckedResult(target: HostTarget, reason: string): HostResult {
  const rule = loadCatalog().find((r) => r.id === NOT_CHECKED_RULE);
  const file = target.files.ntp ?? target.files.iptables ?? target.files.ip6tables ?? target.files.version ?? ".";
  const violation: Violation = {
    rule: NOT_CHECKED_RULE,
    severity: rule?.severity ?? "high",
    message: `this host was not checked: ${reason}; no finding of any other rule is known for it`,
    location: { file, line: 1, column: 1 },
    evidence: [],
    remediation: rule?.remediation ?? "",
  };
  return { host: target.name, pathPrefix: target.displayPrefix, files: [], violations: [violation], not_applicable: [], passed: [], collected_at: null };
}

/**
 * True when `e` (or what caused it) is JavaScript's string limit, "Invalid string length": a string longer than
 * V8 allows (2^29 - 24 characters, about 512 MB), e.g. the policy input document of a host with millions of lines
 * as opa-wasm JSON-encodes it to pass it to the policy.
 */
export function isStringLimitError(e: unknown): boolean {
  for (let cause: unknown = e, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    if (cause instanceof RangeError && /Invalid string length/.test(cause.message)) return true;
  }
  return false;
}

export const TOO_LARGE_TO_JUDGE =
  "its facts are larger than the longest string JavaScript can hold (about 512 MB as JSON), so the policy cannot be given them: the configuration is too large to judge";

export function describeTimeout(budget: HostBudget): string {
  return `checking it took longer than ${formatSeconds(budget.timeoutMs)} (--host-timeout)`;
}

export function describeOutOfMemory(budget: HostBudget): string {
  return `checking it needed more than ${budget.memoryMb} MB of memory (--host-memory)`;
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
