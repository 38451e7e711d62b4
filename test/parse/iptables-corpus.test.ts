/**
 * The shared real-world corpus (read in place, never copied): every file iptables-restore accepted
 * must parse with zero syntax diagnostics; for a rejected file, the first line we reject must be the
 * line the oracle's message names (when it names one), and a rejection that comes from the test
 * machine (an ipset or host name that does not exist there) must not be a syntax diagnostic.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import type { IpFamily } from "../../src/model/iptables.js";
import { parseIptablesSave } from "../../src/parse/iptables/index.js";
import { IptablesLineParser } from "../../src/parse/iptables/iptables-line-parser.js";
import { show } from "./iptables-helpers.js";
import { SHARED_CORPUS, sharedCorpusPresent } from "../requirements.js";

const CORPUS = SHARED_CORPUS;
const DIR = path.join(CORPUS, "iptables");
const ORACLE = path.join(CORPUS, "oracle-iptables-restore.txt");
const present = sharedCorpusPresent("iptables corpus (test/parse/iptables-corpus.test.ts)", ["iptables", "oracle-iptables-restore.txt"]);

interface OracleEntry {
  file: string;
  family: IpFamily;
  accepted: boolean;
  message: string;
}

function oracle(): OracleEntry[] {
  const out: OracleEntry[] = [];
  for (const line of readFileSync(ORACLE, "utf8").split("\n")) {
    if (line.startsWith("#") || line.trim() === "") continue;
    const m = /^(\S+) (ip6?tables-restore) ?(.*)$/.exec(line);
    if (!m) continue;
    const message = m[3]!.trim();
    out.push({ file: m[1]!, family: m[2] === "ip6tables-restore" ? "ipv6" : "ipv4", accepted: !message.startsWith("REJECTED"), message });
  }
  return out;
}

/** The 1-based line the oracle's message points at, or null when it names none / is environmental. */
function oracleLine(text: string, message: string): number | "environment" | null {
  const lines = text.split("\n");
  if (/Set \S+ doesn't exist|host\/network .* not found/.test(message)) return "environment";
  if (message.includes("-P requires a chain and a policy")) {
    const i = lines.findIndex((l) => /^\s*-P(\s+\S+)?\s*$/.test(l));
    return i >= 0 ? i + 1 : null;
  }
  const quoted = /`([^']*)'/.exec(message)?.[1];
  if (quoted === undefined) return null;
  const words = (l: string): string[] => (l.startsWith("#") ? [] : l.split(/\s+/));
  let i = lines.findIndex((l) => words(l).includes(quoted));
  if (i < 0) i = lines.findIndex((l) => words(l).some((w) => w.includes(quoted)));
  return i >= 0 ? i + 1 : null;
}

describe.skipIf(!present)("shared corpus against the iptables-restore oracle", () => {
  const entries = present ? oracle() : [];

  test("the oracle lists every corpus file", () => {
    expect(entries.map((e) => e.file).sort()).toEqual(readdirSync(DIR).sort());
  });

  test.each(entries.filter((e) => e.accepted).map((e) => [e.file, e] as const))("accepted: %s parses with zero syntax diagnostics", (_, e) => {
    const r = parseIptablesSave(readFileSync(path.join(DIR, e.file), "utf8"), e.file, e.family);
    expect(show(r.diagnostics.filter((d) => d.kind === "syntax"))).toBe("");
  });

  test("rejected files: we reject the line the oracle names", () => {
    const rows: string[] = [];
    let disagreements = 0;
    for (const e of entries.filter((x) => !x.accepted)) {
      const text = readFileSync(path.join(DIR, e.file), "utf8");
      const r = parseIptablesSave(text, e.file, e.family);
      const first = r.diagnostics.find((d) => d.kind === "syntax") ?? null;
      const want = oracleLine(text, e.message);
      let verdict: string;
      if (want === "environment") verdict = first ? "DISAGREE (environmental rejection, but we report syntax)" : "agree (syntax ok; rejected by the test machine)";
      else if (want === null) verdict = first ? "oracle names no line; we reject one" : "oracle names no line; we reject none";
      else verdict = first?.location.line === want ? "agree" : `DISAGREE (oracle line ${want})`;
      if (verdict.startsWith("DISAGREE")) disagreements++;
      rows.push(`${e.file}: oracle ${JSON.stringify(e.message.slice(0, 80))} → ours ${first ? `${first.location.line}:${first.location.column} ${first.message}` : "no syntax diagnostic"} — ${verdict}`);
    }
    console.log(`iptables-restore oracle agreement on rejected files:\n${rows.join("\n")}`);
    expect(disagreements).toBe(0);
  });

  test("every accepted corpus line has exactly one parse, cached or not", () => {
    const cached = new IptablesLineParser(true);
    const fresh = new IptablesLineParser(false);
    let lines = 0;
    for (const e of entries) {
      const text = readFileSync(path.join(DIR, e.file), "utf8");
      text.split("\n").forEach((line, i) => {
        const a = fresh.parse(line, i + 1);
        const b = cached.parse(line, i + 1);
        expect(b).toEqual(a);
        lines++;
      });
    }
    expect(lines).toBeGreaterThan(1000);
  });
});
