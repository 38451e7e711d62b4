/**
 * Rule ids, the one definition every stage checks them by (the Rego build, the catalogue, the engine's output
 * validation, custom policies).
 *
 * A rule id is a family prefix of capital letters followed by exactly three digits. The families are open,
 * not a closed list: today `NTP` (ntpd configuration), `FW` (host firewall), `XL` (both layers together) and
 * `PARSE` (input the daemon or the firewall loader would reject, or that could not be fully checked); a new time
 * daemon or firewall front end brings its own family (e.g. `CHRONY001`, `NFT001`), and custom policies use their
 * organisation's prefix (e.g. `ORG001`). The number is never reused for another meaning.
 */
export const RULE_ID_PATTERN = /^[A-Z]+[0-9]{3}$/;

/** How messages describe the pattern. */
export const RULE_ID_FORM = "capital letters and three digits (e.g. NTP001, FW012, PARSE004, ORG001)";

export function isRuleId(value: unknown): value is string {
  return typeof value === "string" && RULE_ID_PATTERN.test(value);
}

/**
 * The one order of ids, paths and other keys in generated and reported output: by UTF-16 code unit, the same on
 * every machine and locale (never localeCompare).
 */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
