/**
 * A line the daemon rejected because of one misspelt keyword (`noqeury`): the keyword the grammar expected that is
 * closest to what was written (the same did-you-mean PARSE001's message shows) replaces it. No close keyword, or
 * more than one problem on the line: no change is proposed.
 */
import type { SourceLine } from "../../model/input.js";
import { didYouMean } from "../../parse/did-you-mean.js";
import type { FixContext, Fixer, Proposal } from "../fixer.js";
import { needsDecision } from "../fixer.js";

export function repairRejectedLine(line: SourceLine, ctx: FixContext): Proposal | null {
  const diagnostic = ctx.input.diagnostics.find(
    (d) => d.kind === "syntax" && d.location.file === line.location.file && d.location.line === line.location.line,
  );
  if (!diagnostic) return null;
  const physical = ctx.lines(diagnostic.location.file)?.[diagnostic.location.line - 1];
  if (physical === undefined) return null;
  const word = /^[^\s#]+/.exec(physical.slice(diagnostic.location.column - 1))?.[0];
  if (word === undefined) return null;
  const suggestion = didYouMean(word, diagnostic.expected);
  if (suggestion === null) return null;
  const { file, line: n, column } = diagnostic.location;
  return {
    description: `correct "${word}" to "${suggestion}" at ${file}:${n}:${column}`,
    edits: [{ file, start: { line: n, column }, end: { line: n, column: column + word.length }, text: suggestion }],
  };
}

export const rejectedLineFixer: Fixer = {
  rules: ["PARSE001"],
  propose(finding, ctx) {
    const line = { location: finding.location, text: finding.evidence[0]?.text ?? "" };
    return repairRejectedLine(line, ctx) ?? needsDecision("no single-word correction is known for this line");
  },
};
