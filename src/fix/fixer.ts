/**
 * What a fixer is: for one failing finding, a change to the host's files that should make it pass, or the reason
 * no change is proposed (the fix needs a decision only a person can make: which upstreams, which networks, whether
 * to cut off traffic). Fixers never decide alone that they worked: src/fix/plan.ts checks every change again.
 */
import type { Config } from "../model/config.js";
import type { TextEdit } from "../model/edit.js";
import type { SourceLocation } from "../model/location.js";
import type { PolicyInput } from "../model/input.js";

/** A failing finding, located relative to the host directory. */
export interface HostFinding {
  rule: string;
  message: string;
  location: SourceLocation;
  evidence: Array<{ location: SourceLocation; text: string }>;
}

export interface FixContext {
  /** The host's policy input: the facts the finding was judged on. */
  input: PolicyInput;
  config: Config;
  /** The physical lines of a host file as it was checked (no line endings); null when it cannot be read. */
  lines(file: string): string[] | null;
}

export type Proposal = { description: string; edits: TextEdit[] } | { decision: string };

export interface Fixer {
  rules: readonly string[];
  propose(finding: HostFinding, ctx: FixContext): Proposal;
}

export function needsDecision(decision: string): Proposal {
  return { decision };
}
