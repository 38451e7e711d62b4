/**
 * iptables-save / ip6tables-save / iptables-restore input → the firewall model (src/model/iptables.ts).
 *
 *   const ruleset = parseIptablesSave(text, "iptables-save", "ipv4");
 *
 * Syntax lives in grammar/iptables.ne (moo lexer + nearley, one line at a time); this module adds the
 * file structure, option ownership and arity, value normalisation and command application.
 */
import type { IpFamily, Ruleset } from "../../model/iptables.js";
import { loadRuleset, type LoadOptions } from "./loader.js";

export { MAX_LINE_LENGTH, type LoadOptions } from "./loader.js";
export { IptablesLineParser, type LineResult } from "./iptables-line-parser.js";

/**
 * Parse a dump. `file` is the path used in locations (host-relative); `family` is how the file is read
 * (`ipv4` for iptables-save / rules.v4, `ipv6` for ip6tables-save / rules.v6). Never throws for bad
 * content: every rejected or misplaced line is a located diagnostic and the rest is still modelled.
 */
export function parseIptablesSave(text: string, file: string, family: IpFamily, options?: LoadOptions): Ruleset {
  return loadRuleset(text, file, family, options);
}
