/** Every fixer, by the rules it repairs. A rule without one needs a person's decision (its remediation says which). */
import type { Fixer } from "../fixer.js";
import { disableMonitorFixer, maxpollFixer, mode7Fixer } from "./directives.js";
import { untrustedNtpFixer } from "./iptables.js";
import { rejectedLineFixer } from "./rejected-line.js";
import { restrictFlagFixer } from "./restrict.js";
import { upstreamsFixer } from "./sources.js";

const FIXERS: readonly Fixer[] = [restrictFlagFixer, rejectedLineFixer, mode7Fixer, disableMonitorFixer, maxpollFixer, untrustedNtpFixer, upstreamsFixer];

const BY_RULE = new Map(FIXERS.flatMap((f) => f.rules.map((r) => [r, f] as const)));

export function fixerFor(rule: string): Fixer | undefined {
  return BY_RULE.get(rule);
}

/** The rules `fix` can repair, sorted. */
export const FIXABLE_RULES: readonly string[] = [...BY_RULE.keys()].sort();
