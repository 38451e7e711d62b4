/**
 * The chrony.conf parser against chronyd's own verdicts on real files (test/corpus/chrony, sources and
 * licences in SOURCES.md). labels.json holds what `chronyd -p -f FILE` (chrony 4.3) said about each file;
 * the parser must agree on every file: accepted, or refused at the same line with the same message.
 * With NTPP_REQUIRE_CHRONY=1 (CI) the labels are re-checked against the real chronyd, and a missing
 * chronyd fails; NTPP_UPDATE_LABELS=1 rewrites labels.json from chronyd.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseChronyConf } from "../../src/parse/chrony/index.js";
import { chronydAvailable, chronydCheck } from "../chrony/chronyd.js";
import { requireOrSkip } from "../requirements.js";

const DIR = path.resolve(import.meta.dirname, "../corpus/chrony");
const FILES = readdirSync(path.join(DIR, "files")).filter((f) => f.endsWith(".conf")).sort();
const LABELS_PATH = path.join(DIR, "labels.json");

interface Label {
  verdict: "accept" | "reject";
  /** chronyd's message with " in file …" removed, e.g. "Invalid directive at line 160". */
  fatal: string | null;
}
const labels = JSON.parse(readFileSync(LABELS_PATH, "utf8")) as Record<string, Label>;

/** What the parser says chronyd will do with a file, in the labels' terms. */
function parserVerdict(file: string): Label {
  const text = readFileSync(path.join(DIR, "files", file), "utf8");
  const parsed = parseChronyConf(text, file, { hostPath: "/FILE" });
  // chronyd -p stops at the first fatal line of the reading stage.
  const fatal = parsed.diagnostics.find((d) => d.fatal && d.stage === "parse");
  if (!fatal) return { verdict: "accept", fatal: null };
  return { verdict: "reject", fatal: fatal.daemonMessage!.replace(/ in file \S+$/, "") };
}

describe("chrony corpus: the parser agrees with chronyd", () => {
  it("has at least 50 labelled files, each with a source", () => {
    expect(FILES.length).toBeGreaterThanOrEqual(50);
    expect(Object.keys(labels).sort()).toEqual(FILES);
    const sources = readFileSync(path.join(DIR, "SOURCES.md"), "utf8");
    for (const f of FILES) expect(sources, f).toContain(`\`${f}\``);
    // Both verdicts occur, so the comparison can fail either way.
    expect(new Set(Object.values(labels).map((l) => l.verdict))).toEqual(new Set(["accept", "reject"]));
  });

  it("0 disagreements between the parser and chronyd's labels", () => {
    const disagreements = FILES.map((f) => ({ file: f, label: labels[f], parser: parserVerdict(f) })).filter(
      (x) => JSON.stringify(x.label) !== JSON.stringify(x.parser),
    );
    expect(disagreements).toEqual([]);
  });

});

const chronyd = chronydAvailable();
const oracle = requireOrSkip("chrony corpus oracle (chronyd -p)", chronyd.ok, chronyd.ok ? "" : chronyd.reason, "NTPP_REQUIRE_CHRONY");

describe.runIf(oracle)("chrony corpus: labels against the real chronyd", () => {
  it("labels are what the real chronyd says (chronyd -p -f FILE)", () => {
    if (!chronyd.ok) throw new Error(chronyd.reason);
    const fresh: Record<string, Label> = {};
    for (const f of FILES) {
      const v = chronydCheck(chronyd.chronyd, path.join(DIR, "files", f));
      fresh[f] = { verdict: v.accepted ? "accept" : "reject", fatal: v.fatal ? v.fatal.replace(/ in file \S+$/, "") : null };
    }
    if (process.env.NTPP_UPDATE_LABELS === "1") writeFileSync(LABELS_PATH, `${JSON.stringify(fresh, null, 2)}\n`);
    expect(fresh).toEqual(labels);
  });
});
