/**
 * Profiles (baseline, cis, stig): which rules run. This is the one place that decides it, on the catalogue:
 *
 * - a rule runs under profile P when its catalogue entry lists P in `profiles`; a rule without `profiles`
 *   (custom rules usually, or any rule whose METADATA leaves it out) belongs to every profile;
 * - the configuration's `rules:` section tailors the profile: `off` (or `enabled: false`) removes a rule, and
 *   any other setting (`on`, a severity, `{enabled: true}`) selects the rule even when the profile leaves it out;
 * - a violation of a rule the catalogue does not know is never dropped here (fail closed).
 *
 * Parameter defaults per profile (max_poll, require_maxpoll) are model/config.ts's `profileDefaults`; they reach
 * the policies through the input document's `settings`.
 */
import { PROFILES, type Profile, type RuleSetting } from "../model/config.js";
import type { RuleMeta } from "../model/finding.js";

export { PROFILES, type Profile } from "../model/config.js";

export function isProfile(value: unknown): value is Profile {
  return typeof value === "string" && (PROFILES as readonly string[]).includes(value);
}

/** The profiles a rule belongs to: its `profiles`, or every profile when it has none. */
export function profilesOf(rule: Pick<RuleMeta, "profiles"> | undefined): readonly Profile[] {
  const listed = rule?.profiles;
  return listed && listed.length > 0 ? PROFILES.filter((p) => listed.includes(p)) : PROFILES;
}

/** The rule belongs to the profile (the configuration aside). An unknown rule (undefined) belongs to all. */
export function inProfile(rule: Pick<RuleMeta, "profiles"> | undefined, profile: Profile): boolean {
  return profilesOf(rule).includes(profile);
}

/**
 * Does the rule run under this profile, given its setting in the configuration's `rules:` (if any)?
 * An explicit setting wins over the profile; otherwise profile membership decides.
 */
export function ruleRuns(rule: Pick<RuleMeta, "profiles"> | undefined, profile: Profile, setting?: RuleSetting): boolean {
  if (setting) return setting.enabled;
  return inProfile(rule, profile);
}

/** The rules of a catalogue that belong to the profile (for `ntp-policy rules --profile P`), order kept. */
export function rulesOfProfile<T extends Pick<RuleMeta, "profiles">>(rules: readonly T[], profile: Profile): T[] {
  return rules.filter((r) => inProfile(r, profile));
}

/** The rules that run under the profile with these settings (what a check reports on), order kept. */
export function rulesThatRun<T extends Pick<RuleMeta, "id" | "profiles">>(
  rules: readonly T[],
  profile: Profile,
  settings: Readonly<Record<string, RuleSetting>>,
): T[] {
  return rules.filter((r) => ruleRuns(r, profile, settings[r.id]));
}
