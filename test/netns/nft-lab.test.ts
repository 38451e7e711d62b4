/**
 * The nftables front end against a real kernel. Each generated ruleset (nft-generate.ts: inet, ip and ip6
 * tables, several base chains per hook at different priorities, named sets with intervals, anonymous sets,
 * concatenations, verdict maps, ct state, jumps and gotos) is loaded with `nft -f` into the receiver
 * namespace of the kernel lab (harness.ts) and probed with real UDP/123 datagrams from IPv4 and IPv6
 * sources. For every probe:
 *   delivered              ⇒ the source is in may_accept   (sound over-approximation)
 *   source in must_accept  ⇒ delivered                    (sound under-approximation)
 * and the ruleset as the kernel prints it, in text (`nft list ruleset`) and in JSON (`nft -j list ruleset`),
 * gives the same facts as each other (locations and quoted lines aside).
 * Skipped with a banner where namespaces are unavailable; NTPP_REQUIRE_NETNS=1 (CI) makes that a failure.
 * NTPP_NFT_SEEDS changes the number of rulesets (default 210).
 */
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AddressSet, LOOPBACK, parseAddress } from "../../src/analyze/address-set.js";
import { analyzeFamily } from "../../src/analyze/firewall/analysis.js";
import { netfilterFromNft } from "../../src/analyze/firewall/from-nft.js";
import type { FamilyFirewallFacts } from "../../src/model/input.js";
import type { NftRuleset } from "../../src/model/nft.js";
import { parseNftJson, parseNftRuleset } from "../../src/parse/nft/index.js";
import { requireOrSkip } from "../requirements.js";
import { KernelLab, netnsAvailable } from "./harness.js";
import { generateNftRuleset, NFT_FEATURES } from "./nft-generate.js";

const net = netnsAvailable();
const nftPresent = spawnSync("nft", ["--version"], { encoding: "utf8" }).status === 0;
const runLab =
  requireOrSkip("nft kernel lab", net.ok, net.ok ? "" : net.reason, "NTPP_REQUIRE_NETNS") &&
  requireOrSkip("nft kernel lab", nftPresent, "nft is not installed", "NTPP_REQUIRE_NETNS");
const SEEDS = Number(process.env["NTPP_NFT_SEEDS"] ?? 210);

type Family = "ipv4" | "ipv6";
const FAMILIES: Family[] = ["ipv4", "ipv6"];

function facts(ruleset: NftRuleset, file: string, family: Family, text?: string): FamilyFirewallFacts {
  const model = netfilterFromNft({ ruleset, file, ...(text !== undefined ? { texts: new Map([[file, text]]) } : {}) }, family);
  return analyzeFamily(model, LOOPBACK[family], []).facts;
}

/** The facts without what differs between the text and the JSON form of one ruleset: locations, quoted lines, file names. */
function comparable(f: FamilyFirewallFacts): unknown {
  const drop = new Set(["location", "text", "file", "sources", "input_policy_location", "input_policy_text", "forward_policy_line", "output_policy_line"]);
  return JSON.parse(JSON.stringify(f, (k, v) => (drop.has(k) ? undefined : v)));
}

describe.skipIf(!runLab)("nft rulesets: the analysis agrees with the kernel", () => {
  let lab: KernelLab;
  beforeAll(() => {
    lab = KernelLab.create();
  });
  afterAll(() => lab?.close());

  it(`on ${SEEDS} generated rulesets, IPv4 and IPv6`, async () => {
    let rulesets = 0;
    let probes = 0;
    let delivered = 0;
    let mustHits = 0;
    const disagreements: string[] = [];
    const formMismatches: string[] = [];
    const refused: string[] = [];
    const seen = new Set<string>();
    for (let seed = 1; seed <= SEEDS; seed++) {
      const g = generateNftRuleset(seed);
      lab.load(null, null); // a pristine kernel: no table of an earlier ruleset
      try {
        lab.execInReceiver("nft", ["-f", "-"], g.text);
      } catch (e) {
        refused.push(`seed ${seed}: ${String(e).split("\n").slice(0, 3).join(" ")}`);
        continue;
      }
      rulesets++;
      g.features.forEach((f) => seen.add(f));
      const parsed = parseNftRuleset(g.text, "nftables.conf");
      expect(parsed.diagnostics, `seed ${seed}`).toEqual([]);
      const listed = lab.execInReceiver("nft", ["list", "ruleset"]);
      const json = lab.execInReceiver("nft", ["-j", "list", "ruleset"]);
      const fromText = parseNftRuleset(listed, "nft-ruleset");
      const fromJson = parseNftJson(json, "nft-ruleset.json");
      expect(fromText.diagnostics, `seed ${seed} nft list ruleset:\n${listed}`).toEqual([]);
      expect(fromJson.diagnostics, `seed ${seed} nft -j list ruleset`).toEqual([]);
      const deliveredNow = await lab.probe(g.sources);
      for (const family of FAMILIES) {
        const written = facts(parsed, "nftables.conf", family, g.text);
        const listedFacts = facts(fromText, "nft-ruleset", family, listed);
        const jsonFacts = facts(fromJson, "nft-ruleset.json", family);
        if (JSON.stringify(comparable(listedFacts)) !== JSON.stringify(comparable(jsonFacts))) {
          formMismatches.push(`seed ${seed} ${family}`);
          if (process.env["NTPP_NFT_DEBUG"]) console.log(JSON.stringify(comparable(listedFacts)), "\n", JSON.stringify(comparable(jsonFacts)), "\n", listed);
        }
        for (const [label, f] of [["as written", written], ["as listed", listedFacts]] as const) {
          const may = AddressSet.of(family, f.ntp_inbound.may_accept);
          const must = AddressSet.of(family, f.ntp_inbound.must_accept);
          for (const source of g.sources) {
            if (parseAddress(source)?.family !== family) continue;
            const one = AddressSet.of(family, [source]);
            const got = deliveredNow.has(source);
            if (label === "as written") {
              probes++;
              if (got) delivered++;
              if (must.contains(one)) mustHits++;
            }
            if (got && !may.contains(one)) disagreements.push(`seed ${seed} (${label}) ${source}: delivered but not in may_accept`);
            if (must.contains(one) && !got) disagreements.push(`seed ${seed} (${label}) ${source}: in must_accept but not delivered`);
          }
        }
      }
    }
    console.log(`nft lab: ${rulesets} rulesets, ${probes} probes; kernel delivered ${delivered}, must ${mustHits}; ${refused.length} refused; ${disagreements.length} disagreements; ${formMismatches.length} text/JSON mismatches`);
    for (const d of [...refused, ...disagreements, ...formMismatches].slice(0, 20)) console.log(`  ${d}`);
    expect(refused).toEqual([]);
    expect(rulesets).toBeGreaterThanOrEqual(Math.min(SEEDS, 200));
    expect(disagreements).toEqual([]);
    expect(formMismatches).toEqual([]);
    // Useful, not only sound: most delivered probes are proven.
    expect(mustHits).toBeGreaterThan(delivered * 0.5);
    if (SEEDS >= 200) expect([...NFT_FEATURES].filter((f) => !seen.has(f))).toEqual([]);
  }, 900_000);
});
