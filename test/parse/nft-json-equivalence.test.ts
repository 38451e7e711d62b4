/**
 * The two input forms of one ruleset give one model: each ruleset is loaded into the real kernel in a
 * private namespace (`nft -f`), read back with `nft list ruleset` and `nft -j list ruleset`, and both outputs
 * are parsed; their normalised rulesets must be equal, with no diagnostics, and the text form must read the
 * listing as the kernel printed it.
 *
 * Rulesets: test/fixtures/nft/constructs.nft (every modelled construct) and every corpus file nft accepts.
 * Excluded: rulesets with anonymous chains (`jump { … }`), which nft 1.0.x leaves out of its JSON output
 * ("stmt ops chain have no json callback"): the JSON form of such a ruleset is not the ruleset.
 * Needs root and nft (NTPP_REQUIRE_NETNS=1 makes a skip a failure).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { normaliseRuleset, parseNftJson, parseNftRuleset } from "../../src/parse/nft/index.js";
import { nftAvailable, nftRoundTrip } from "./nft-kernel.js";

const CORPUS = path.resolve(import.meta.dirname, "../corpus/nft");
const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/nft");
const kernel = nftAvailable();
if (!kernel.ok) console.warn(`nft text/JSON equivalence skipped: ${kernel.reason}`);

interface Label {
  nft: "accept" | "reject";
}

function rulesets(): Array<[string, string]> {
  const labels = JSON.parse(readFileSync(path.join(CORPUS, "labels.json"), "utf8")) as Record<string, Label>;
  const accepted = Object.entries(labels)
    .filter(([, l]) => l.nft === "accept")
    .map(([f]) => [f, readFileSync(path.join(CORPUS, f), "utf8")] as [string, string]);
  return [["constructs.nft", readFileSync(path.join(FIXTURES, "constructs.nft"), "utf8")], ...accepted];
}

describe("nft list ruleset and nft -j list ruleset", () => {
  it.runIf(process.env.NTPP_REQUIRE_NETNS === "1")("has nft available where NTPP_REQUIRE_NETNS=1", () => {
    expect(kernel).toEqual({ ok: true });
  });

  it.runIf(kernel.ok)("give equal normalised rulesets for every ruleset the kernel loads", () => {
    const mismatches: string[] = [];
    let compared = 0;
    const excluded: string[] = [];
    let rules = 0;
    let understood = 0;
    for (const [name, text] of rulesets()) {
      const trip = nftRoundTrip(text);
      if (!trip.loaded) {
        mismatches.push(`${name}: nft -f failed: ${trip.error.split("\n")[0]}`);
        continue;
      }
      if (/\b(?:jump|goto) \{/.test(trip.text)) {
        excluded.push(name);
        continue;
      }
      const fromText = parseNftRuleset(trip.text, "nft-ruleset");
      const fromJson = parseNftJson(trip.json, "nft-ruleset.json");
      if (fromText.diagnostics.length > 0) mismatches.push(`${name}: text: ${fromText.diagnostics[0]!.message}`);
      if (fromJson.diagnostics.length > 0) mismatches.push(`${name}: json: ${fromJson.diagnostics[0]!.message}`);
      const a = JSON.stringify(normaliseRuleset(fromText));
      const b = JSON.stringify(normaliseRuleset(fromJson));
      if (a !== b) mismatches.push(`${name}: ${firstDifference(a, b)}`);
      compared++;
      for (const t of fromText.tables) for (const c of t.chains) for (const r of c.rules) {
        rules++;
        if (r.understood) understood++;
      }
    }
    console.log(`nft text/JSON equivalence: ${compared} rulesets, ${rules} rules (${understood} fully understood), ${mismatches.length} mismatches; excluded (anonymous chains): ${excluded.join(", ") || "none"}`);
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThanOrEqual(40);
  }, 600_000);

  it.runIf(kernel.ok)("reads every modelled construct of the fixture from the kernel listing", () => {
    const trip = nftRoundTrip(readFileSync(path.join(FIXTURES, "constructs.nft"), "utf8"));
    const r = parseNftRuleset(trip.text, "nft-ruleset");
    const unknown = r.tables.flatMap((t) => t.chains.flatMap((c) => c.rules.flatMap((x) => x.items.filter((i) => i.k === "unknown"))));
    expect(unknown).toEqual([]);
    expect(r.tables.map((t) => `${t.family} ${t.name}`)).toEqual(["inet filter", "ip nat", "ip6 raw", "bridge br", "arp a", "netdev ingress", "ip flat"]);
  }, 60_000);
});

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `text …${a.slice(Math.max(0, i - 80), i + 80)}… json …${b.slice(Math.max(0, i - 80), i + 80)}…`;
}

export const fixtureNames = (): string[] => readdirSync(FIXTURES);
