/**
 * The proof: the firewall analysis against a real kernel. Every ruleset is loaded into netfilter in a
 * private network namespace (harness.ts) and UDP/123 datagrams are sent from chosen source addresses;
 * for each source, what the kernel delivered must agree with the analysis:
 *   delivered            ⇒ the source is in may_accept   (may is a sound over-approximation)
 *   source in must_accept ⇒ delivered                    (must is a sound under-approximation)
 * Rulesets: the examples' dumps, every corpus file iptables-restore accepted (and this kernel loads),
 * and hundreds of generated ones that exercise every construct the analysis models.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AddressSet, LOOPBACK, parseAddress } from "../../src/analyze/address-set.js";
import { analyzeIptables } from "../../src/analyze/firewall/analysis.js";
import type { IpFamily } from "../../src/model/iptables.js";
import { parseIptablesSave } from "../../src/parse/iptables/index.js";
import { edgeAddresses, generateRuleset } from "./generate.js";
import { sharedCorpusPresent } from "../requirements.js";
import { KernelLab, netnsAvailable, RulesetRejectedError, unprobeableReason } from "./harness.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CORPUS = path.resolve(ROOT, "../shared/corpus");
const SEEDS = Number(process.env["NTPP_DIFF_SEEDS"] ?? 150);
const available = netnsAvailable();
const corpusPresent = sharedCorpusPresent("kernel differential on the shared corpus (test/netns/differential.test.ts)", ["iptables", "oracle-iptables-restore.txt"]);

if (!available.ok) {
  console.warn(`\n*** KERNEL DIFFERENTIAL TESTS SKIPPED: ${available.reason} ***\n`);
}

/** Addresses worth probing for any ruleset: public, private and documentation ranges of both families. */
const BASE: Record<IpFamily, string[]> = {
  ipv4: ["203.0.113.9", "198.51.100.77", "192.0.2.200", "10.1.2.3", "172.16.5.5", "192.168.1.10", "8.8.8.8", "100.64.0.1", "1.1.1.1", "223.255.255.1"],
  ipv6: ["2001:db8::9", "2001:db8:1::5", "2a00:1450::1", "fd00::1", "2600::1", "2001:4860::8888"],
};

interface Disagreement {
  label: string;
  source: string;
  kind: "delivered but not in may_accept" | "in must_accept but not delivered";
}

interface Tally {
  rulesets: number;
  probes: number;
  delivered: number;
  mayHits: number;
  mustHits: number;
  skipped: string[];
  disagreements: Disagreement[];
}

const newTally = (): Tally => ({ rulesets: 0, probes: 0, delivered: 0, mayHits: 0, mustHits: 0, skipped: [], disagreements: [] });

describe.skipIf(!available.ok)("firewall analysis agrees with the kernel", () => {
  let lab: KernelLab;
  beforeAll(() => {
    lab = KernelLab.create();
  });
  afterAll(() => lab?.close());

  async function compare(label: string, text: string, family: IpFamily, sources: string[], tally: Tally): Promise<void> {
    const probeable = [...new Set(sources)].filter((s) => parseAddress(s)?.family === family && unprobeableReason(s) === null);
    try {
      lab.load(family === "ipv4" ? text : null, family === "ipv6" ? text : null);
    } catch (e) {
      if (e instanceof RulesetRejectedError) {
        tally.skipped.push(`${label}: the kernel refused it (${e.stderr.trim().split("\n")[0]})`);
        return;
      }
      throw e;
    }
    const ruleset = parseIptablesSave(text, label, family);
    const facts = analyzeIptables(ruleset, LOOPBACK[family], []).facts;
    const may = AddressSet.of(family, facts.ntp_inbound.may_accept);
    const must = AddressSet.of(family, facts.ntp_inbound.must_accept);
    const delivered = await lab.probe(probeable);
    tally.rulesets++;
    for (const source of probeable) {
      const one = AddressSet.of(family, [source]);
      const inMay = may.contains(one);
      const inMust = must.contains(one);
      tally.probes++;
      if (delivered.has(source)) tally.delivered++;
      if (inMay) tally.mayHits++;
      if (inMust) tally.mustHits++;
      if (delivered.has(source) && !inMay) tally.disagreements.push({ label, source, kind: "delivered but not in may_accept" });
      if (inMust && !delivered.has(source)) tally.disagreements.push({ label, source, kind: "in must_accept but not delivered" });
    }
  }

  function report(name: string, t: Tally): void {
    console.log(
      `${name}: ${t.rulesets} rulesets, ${t.probes} probes; kernel delivered ${t.delivered}, ` +
        `analysis may ${t.mayHits}, must ${t.mustHits}; ${t.skipped.length} skipped; ${t.disagreements.length} disagreements`,
    );
    for (const s of t.skipped) console.log(`  skipped ${s}`);
    for (const d of t.disagreements.slice(0, 20)) console.log(`  DISAGREE ${d.label} ${d.source}: ${d.kind}`);
  }

  it(`on ${SEEDS} generated rulesets per family`, async () => {
    const t = newTally();
    for (let seed = 1; seed <= SEEDS; seed++) {
      for (const fam of [4, 6] as const) {
        const g = generateRuleset(seed, fam);
        await compare(`generated seed ${seed} v${fam}`, g.text, fam === 4 ? "ipv4" : "ipv6", [...g.sources, ...BASE[fam === 4 ? "ipv4" : "ipv6"]], t);
      }
    }
    report("generated", t);
    expect(t.rulesets).toBeGreaterThanOrEqual(SEEDS * 2 * 0.95);
    expect(t.disagreements).toEqual([]);
    // The analysis must also be useful, not only sound: it decides most probes exactly.
    expect(t.mustHits).toBeGreaterThan(t.delivered * 0.5);
  }, 900_000); // ~0.4 s per ruleset on a quiet machine; far more on a busy CI runner

  it("on the examples' firewall dumps", async () => {
    const t = newTally();
    const dump = path.join(ROOT, "examples/host-dump");
    for (const host of readdirSync(dump).sort()) {
      for (const [file, family] of [["iptables-save", "ipv4"], ["ip6tables-save", "ipv6"]] as const) {
        const p = path.join(dump, host, file);
        if (!existsSync(p)) continue;
        const text = readFileSync(p, "utf8");
        await compare(`${host}/${file}`, text, family, [...BASE[family], ...probesFor(text, family)], t);
      }
    }
    report("examples", t);
    expect(t.rulesets).toBeGreaterThan(0);
    expect(t.disagreements).toEqual([]);
  });

  it.skipIf(!corpusPresent)("on the corpus files iptables-restore accepted", async () => {
    const t = newTally();
    const oracle = readFileSync(path.join(CORPUS, "oracle-iptables-restore.txt"), "utf8").split("\n");
    for (const line of oracle) {
      if (!line.trim() || line.startsWith("#")) continue;
      const [file, command, ...rest] = line.trim().split(/\s+/);
      if (rest.join(" ").startsWith("REJECTED")) continue;
      const family: IpFamily = command === "ip6tables-restore" ? "ipv6" : "ipv4";
      const text = readFileSync(path.join(CORPUS, "iptables", file!), "utf8");
      await compare(file!, text, family, [...BASE[family], ...probesFor(text, family)], t);
    }
    report("corpus", t);
    expect(t.rulesets).toBeGreaterThan(10);
    expect(t.disagreements).toEqual([]);
  });
});

/** Edges of every source prefix the ruleset mentions. */
function probesFor(text: string, family: IpFamily): string[] {
  const ruleset = parseIptablesSave(text, "probe", family);
  const out: string[] = [];
  for (const table of ruleset.tables) {
    for (const chain of table.chains) {
      for (const rule of chain.rules) {
        for (const prefix of rule.source?.prefixes ?? []) {
          const e = edgeAddresses(prefix, out.length);
          out.push(...[e.first, e.last, e.below, e.above, e.inside].filter((a): a is string => a !== null));
        }
      }
    }
  }
  return out.slice(0, 400);
}
