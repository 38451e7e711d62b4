/**
 * ntp.conf directives with one right value: `enable mode7` (NTP010) loses `mode7`, a missing `disable monitor`
 * (NTP011) is written after the last restrict line, a `maxpoll` above the limit (NTP013) is lowered to it or added.
 */
import { deleteLine, insertLines } from "../text-edits.js";
import { needsDecision, type Fixer, type Proposal } from "../fixer.js";

export const mode7Fixer: Fixer = {
  rules: ["NTP010"],
  propose(_finding, ctx): Proposal {
    const mode7 = ctx.input.ntp?.system.mode7;
    if (!mode7?.location || mode7.text === null) return needsDecision("the `enable mode7` line could not be found");
    const { file, line } = mode7.location;
    const physical = ctx.lines(file)?.[line - 1];
    if (physical === undefined) return needsDecision(`${file} could not be read again`);
    const words = mode7.text.trim().split(/\s+/);
    if (words.length === 2) return { description: `remove \`${mode7.text}\` (${file}:${line})`, edits: [deleteLine(file, line)] };
    // `enable mode7 stats`: drop the one word, and the blank before it.
    const at = mode7.location.column;
    const before = physical.slice(0, at - 1);
    const start = before.replace(/[ \t]+$/, "").length + 1;
    return {
      description: `remove mode7 from \`${mode7.text}\` (${file}:${line})`,
      edits: [{ file, start: { line, column: start }, end: { line, column: at + "mode7".length }, text: "" }],
    };
  },
};

export const disableMonitorFixer: Fixer = {
  rules: ["NTP011"],
  propose(_finding, ctx): Proposal {
    const file = ctx.input.ntp?.config_file;
    const lines = file ? ctx.lines(file) : null;
    if (!file || lines === null) return needsDecision("the ntp.conf could not be read again");
    let last = -1;
    lines.forEach((l, i) => {
      if (/^\s*restrict\b/.test(l)) last = i;
    });
    return { description: `write \`disable monitor\` in ${file}`, edits: [insertLines(file, last === -1 ? lines.length + 1 : last + 2, ["disable monitor"])] };
  },
};

export const maxpollFixer: Fixer = {
  rules: ["NTP013"],
  propose(finding, ctx): Proposal {
    const limit = ctx.input.settings.max_poll;
    // The daemon-neutral sources: `maxpoll N` is written the same way in ntp.conf and chrony.conf.
    const source = ctx.input.time?.sources.find((a) => a.location.file === finding.location.file && a.location.line === finding.location.line);
    if (!source) return needsDecision("the time source line could not be told from the facts");
    const { file, line, column } = source.location;
    const physical = ctx.lines(file)?.[line - 1];
    if (physical === undefined || physical.slice(column - 1, column - 1 + source.text.length) !== source.text) return needsDecision("the line is not as it was checked");
    const m = /(\bmaxpoll\s+)(\S+)/.exec(source.text);
    if (m) {
      const valueColumn = column + m.index + m[1]!.length;
      return {
        description: `lower maxpoll to ${limit} on \`${source.text}\` (${file}:${line})`,
        edits: [{ file, start: { line, column: valueColumn }, end: { line, column: valueColumn + m[2]!.length }, text: String(limit) }],
      };
    }
    const end = column + source.text.length;
    return {
      description: `add maxpoll ${limit} to \`${source.text}\` (${file}:${line})`,
      edits: [{ file, start: { line, column: end }, end: { line, column: end }, text: ` maxpoll ${limit}` }],
    };
  },
};
