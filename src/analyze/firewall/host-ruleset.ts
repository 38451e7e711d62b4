/**
 * One host's firewall for one family, from every dump it has: the iptables-save dump and the nft
 * ruleset are judged together, each table's base chains at their hooks and priorities (iptables
 * tables at the standard ones), as the kernel runs them side by side.
 *
 * On an iptables-nft host `nft list ruleset` also prints the tables iptables-nft manages (`table ip
 * filter` with `xt` statements nft cannot translate). With both dumps present those tables would be
 * counted twice: an nft table of this family whose name is a table of the iptables dump is left out,
 * and the iptables-save form (exact for every match module) is kept — except for tables the iptables
 * dump itself says it cannot show (`# Table `x' is incompatible, use 'nft' tool.`), where the nft form
 * is kept and the iptables one left out. The nft ruleset also answers the iptables dump's "empty" and
 * "incompatible table" incompleteness.
 */
import type { Ruleset } from "../../model/iptables.js";
import type { AnalysedFamily, NetfilterRuleset } from "../../model/netfilter.js";
import { netfilterFromIptables } from "./from-iptables.js";
import { netfilterFromNft, type NftSource } from "./from-nft.js";

export interface HostRuleset {
  ruleset: NetfilterRuleset;
  /** Every file the ruleset comes from, with its format, in the order the facts name them. */
  sources: Array<{ file: string; format: "iptables" | "nft" }>;
  /** nft tables left out because the iptables dump holds the same table (`ip filter`, …). */
  duplicates: string[];
}

export function hostRuleset(family: AnalysedFamily, iptables: Ruleset | null, nft: NftSource | null): HostRuleset | null {
  if (!nft) return iptables ? { ruleset: netfilterFromIptables(iptables), sources: [{ file: iptables.file, format: "iptables" }], duplicates: [] } : null;
  const fromNft = netfilterFromNft(nft, family);
  if (!iptables) return { ruleset: fromNft, sources: [{ file: nft.file, format: "nft" }], duplicates: [] };

  const incompatible = new Set(iptables.incomplete.filter((r) => r.kind === "nft-incompatible-table").map((r) => r.table));
  const fromIptables = netfilterFromIptables({
    ...iptables,
    tables: iptables.tables.filter((t) => !incompatible.has(t.name)),
    incomplete: iptables.incomplete.filter((r) => r.kind !== "nft-incompatible-table" && r.kind !== "empty-dump"),
  });
  const tableFamily = family === "ipv4" ? "ip" : "ip6";
  const iptablesNames = new Set(fromIptables.tables.map((t) => t.name));
  const duplicates: string[] = [];
  const nftTables = fromNft.tables.filter((t) => {
    const duplicate = t.family === tableFamily && iptablesNames.has(t.name);
    if (duplicate) duplicates.push(`${t.family} ${t.name}`);
    return !duplicate;
  });
  const empty = iptables.empty && (fromNft.empty ?? false);
  // The file the facts name first: the one that holds rules (the nft ruleset on an nft host).
  const nftFirst = iptables.empty || fromIptables.tables.length === 0;
  const sources: HostRuleset["sources"] = nftFirst
    ? [{ file: nft.file, format: "nft" }, { file: iptables.file, format: "iptables" }]
    : [{ file: iptables.file, format: "iptables" }, { file: nft.file, format: "nft" }];
  return {
    ruleset: {
      family,
      file: sources[0]!.file,
      tables: [...fromIptables.tables, ...nftTables],
      incomplete: [...fromIptables.incomplete, ...fromNft.incomplete],
      empty,
    },
    sources,
    duplicates,
  };
}
