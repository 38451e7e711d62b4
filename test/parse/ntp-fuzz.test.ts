/**
 * Token-aware fuzzing of the ntp.conf grammar (in the scale test project): random derivations of the
 * compiled grammar, with each token type filled from a table of realistic words, must each be accepted
 * with exactly one parse (the driver raises an internal error on a second parse). nearley-unparse cannot
 * do this: it knows nothing of %token symbols.
 */
import { describe, expect, it } from "vitest";
import grammar, { NTP_KEYWORDS } from "../../src/parse/generated/ntp.js";
import { parseNtpConf } from "../../src/parse/ntp/index.js";

type Sym = string | { literal?: string; type?: string };
interface Rule {
  name: string;
  symbols: Sym[];
}
const rules = (grammar as unknown as { ParserRules: Rule[] }).ParserRules;
const byName = new Map<string, Rule[]>();
for (const r of rules) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);

/** Words for each token type, chosen in the lexer context where the grammar expects that type. */
const SAMPLES: Record<string, string[]> = {
  // T_String in token mode: never a keyword or a number
  word: ["ntp.example.org", "10.0.0.1", "::1", "eth0", "2001:db8::/32", "192.168.0.0/16", "host-1", "fe80::1%eth0"],
  qstr: ['"quoted value"', '"default"', '"10"', '"with # hash"'],
  // forced strings: anything goes, keywords and numbers included (pitfall 6)
  str: ["pool.ntp.org", "/var/lib/ntp/drift", "server", "default", "limited", "10", "0x1f", "=syncall", "+clockall", '"a b"', "GPS", "x(1)"],
  fam: ["-4", "-6"],
  int: ["0", "1", "10", "-1", "2147483647"],
  uint: ["0x10", "0XfF", "2147483648"],
  double: ["0.5", "-.000097", "1e-3", "+5", "5.", "1E+2"],
  lparen: ["("],
  rparen: [")"],
  pipe: ["|"],
  eq: ["="],
};

/** Fewest tokens needed to derive each nonterminal (fixpoint), to stop expansions from running away. */
const minLength = new Map<string, number>();
for (let changed = true; changed; ) {
  changed = false;
  for (const r of rules) {
    let total = 0;
    for (const s of r.symbols) {
      const n = typeof s === "string" ? minLength.get(s) : 1;
      if (n === undefined) {
        total = Infinity;
        break;
      }
      total += n;
    }
    if (total < (minLength.get(r.name) ?? Infinity)) {
      minLength.set(r.name, total);
      changed = true;
    }
  }
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function generate(random: () => number, name: string, depth: number, out: string[]): void {
  const alternatives = byName.get(name)!;
  const finite = alternatives.filter((r) => r.symbols.every((s) => typeof s !== "string" || minLength.has(s)));
  let rule: Rule;
  if (depth > 10) {
    // Deep in the tree take the shortest alternative so every derivation ends.
    rule = [...finite].sort((a, b) => cost(a) - cost(b))[0]!;
  } else if (name.includes("$ebnf") && finite.length === 2) {
    // Lists (`x:*`, `x:+`): grow them more often than not, so long option lists get exercised.
    rule = random() < 0.65 ? finite.find((r) => r.symbols.length > 1) ?? finite[0]! : finite.find((r) => r.symbols.length <= 1) ?? finite[0]!;
  } else {
    rule = finite[Math.floor(random() * finite.length)]!;
  }
  for (const s of rule.symbols) {
    if (typeof s === "string") generate(random, s, depth + 1, out);
    else if (s.literal !== undefined) out.push(s.literal);
    else {
      const samples = SAMPLES[s.type!]!;
      out.push(samples[Math.floor(random() * samples.length)]!);
    }
  }
}
const cost = (r: Rule) => r.symbols.reduce<number>((n, s) => n + (typeof s === "string" ? minLength.get(s)! : 1), 0);

describe("ntp grammar fuzz", () => {
  it("every grammar literal is a lexer keyword and every keyword is used by the grammar", () => {
    const literals = new Set(rules.flatMap((r) => r.symbols.flatMap((s) => (typeof s === "object" && s.literal !== undefined ? [s.literal] : []))));
    expect([...literals].filter((l) => !NTP_KEYWORDS.has(l))).toEqual([]);
    expect([...NTP_KEYWORDS].filter((k) => !literals.has(k))).toEqual([]);
    const types = new Set(rules.flatMap((r) => r.symbols.flatMap((s) => (typeof s === "object" && s.type !== undefined ? [s.type] : []))));
    expect([...types].filter((t) => !(t in SAMPLES))).toEqual([]);
  });

  it("6000 generated lines: each accepted, each with exactly one parse", () => {
    const random = rng(20240601);
    const failures: string[] = [];
    const kinds = new Set<string>();
    for (let i = 0; i < 6000; i++) {
      const words: string[] = [];
      generate(random, "line", 0, words);
      const sep = () => (random() < 0.2 ? "\t" : random() < 0.1 ? "  " : " ");
      let line = (random() < 0.1 ? "  " : "") + words.map((wd, j) => (j === 0 ? wd : sep() + wd)).join("");
      if (random() < 0.15) line += " # trailing comment";
      if (random() < 0.1) line += "\r";
      const r = parseNtpConf(line, "fuzz.conf");
      if (r.diagnostics.length !== 0 || r.nodes.length !== 1) failures.push(`${JSON.stringify(line)}: ${r.diagnostics.map((d) => d.message).join("; ")}`);
      else kinds.add(r.nodes[0]!.keyword);
    }
    expect(failures.slice(0, 10)).toEqual([]);
    // the derivations reach (nearly) every one of the grammar's 60 commands
    expect(kinds.size).toBeGreaterThan(55);
  });
});
