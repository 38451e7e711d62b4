/**
 * Restrict entries that lack a flag (NTP001 noquery, NTP005 nomodify, NTP006 notrap, NTP007 nopeer): the flag is
 * added to the very line that configures the entry. Where no line configures it (ntpd's built-in default entry),
 * an explicit `restrict -4|-6 default` line with the CIS flags is written before the first restrict line. Where a
 * rejected `restrict default` line is why the built-in entry is in place, that line is repaired instead (PARSE001's
 * did-you-mean).
 */
import type { RestrictEntryFact } from "../../model/input.js";
import { insertLines } from "../text-edits.js";
import { needsDecision, type FixContext, type Fixer, type HostFinding, type Proposal } from "../fixer.js";
import { repairRejectedLine } from "./rejected-line.js";

const FLAG_OF: Record<string, string> = { NTP001: "noquery", NTP005: "nomodify", NTP006: "notrap", NTP007: "nopeer" };

/** The flags CIS and the STIG give the default entries. */
export const HARDENED_DEFAULT_FLAGS = "kod nomodify notrap nopeer noquery";

function entryAt(finding: HostFinding, ctx: FixContext): RestrictEntryFact | null {
  const entries = ctx.input.ntp?.restrict.entries ?? [];
  const at = finding.location;
  const same = (l: { file: string; line: number }): boolean => l.file === at.file && l.line === at.line;
  // A configured entry: the finding points at one of its lines.
  const configured = entries.find((e) => !e.implicit && e.lines.some((l) => same(l.location)));
  if (configured) return configured;
  // The built-in default: its evidence says which family.
  const family = finding.evidence.some((e) => /restrict -6 default \(built-in/.test(e.text)) ? "ipv6" : "ipv4";
  return entries.find((e) => e.implicit && e.kind === "default" && e.family === family && (e.rejected_lines ?? []).some((l) => same(l.location)))
    ?? entries.find((e) => e.implicit && e.kind === "default" && e.family === family && finding.evidence.some((ev) => ev.text.startsWith(`restrict ${family === "ipv6" ? "-6" : "-4"} default (built-in`)))
    ?? null;
}

export const restrictFlagFixer: Fixer = {
  rules: Object.keys(FLAG_OF),
  propose(finding, ctx): Proposal {
    const flag = FLAG_OF[finding.rule]!;
    const entry = entryAt(finding, ctx);
    if (entry === null) return needsDecision("the finding's restrict entry could not be told from the facts");
    if (!entry.implicit) {
      const line = entry.lines.find((l) => l.location.file === finding.location.file && l.location.line === finding.location.line) ?? entry.lines[0]!;
      const physical = ctx.lines(line.location.file)?.[line.location.line - 1];
      if (physical === undefined) return needsDecision(`${line.location.file} could not be read again`);
      const end = line.location.column + line.text.length;
      if (physical.slice(line.location.column - 1, end - 1) !== line.text) return needsDecision("the line is not as it was checked");
      return {
        description: `add ${flag} to \`${line.text}\` (${line.location.file}:${line.location.line})`,
        edits: [{ file: line.location.file, start: { line: line.location.line, column: end }, end: { line: line.location.line, column: end }, text: ` ${flag}` }],
      };
    }
    const rejected = entry.rejected_lines ?? [];
    if (rejected.length > 0) return repairRejectedLine(rejected[0]!, ctx) ?? needsDecision(`rewrite the rejected line ${rejected[0]!.location.file}:${rejected[0]!.location.line}; no single-word correction is known`);
    const file = ctx.input.ntp?.config_file;
    const lines = file ? ctx.lines(file) : null;
    if (!file || lines === null) return needsDecision("the ntp.conf could not be read again");
    const firstRestrict = lines.findIndex((l) => /^\s*restrict\b/.test(l));
    const option = entry.family === "ipv6" ? "-6" : "-4";
    const text = `restrict ${option} default ${HARDENED_DEFAULT_FLAGS}`;
    return {
      description: `write \`${text}\` in ${file}, replacing ntpd's built-in default entry`,
      edits: [insertLines(file, firstRestrict === -1 ? 1 : firstRestrict + 1, [text])],
    };
  },
};
