/**
 * The firewall files of one host dump, read and parsed: the iptables-save / ip6tables-save dumps, and
 * the nftables ruleset — the ruleset language (`nft-ruleset` from `nft list ruleset`, or the
 * configuration `nftables.conf` with what it includes, resolved inside the host directory), else
 * `nft -j list ruleset` JSON (`nft-ruleset.json`). Nothing here throws for bad content: unreadable
 * files and rejected statements are diagnostics; an nft statement nft -f would refuse says so.
 */
import type { HostTarget } from "../discover/hosts.js";
import { readHostFile } from "../discover/host-files.js";
import type { Diagnostic } from "../model/diagnostic.js";
import type { NftSource } from "../model/nft.js";
import type { InputFile } from "../model/input.js";
import type { IpFamily, IptablesBackend, Ruleset } from "../model/iptables.js";
import { parseIptablesSave } from "./iptables/index.js";
import { loadNftConfig, parseNftJson } from "./nft/index.js";

export interface FirewallFiles {
  /** The iptables dumps, per family (null: no file, or it could not be read). */
  iptables: Record<IpFamily, Ruleset | null>;
  /** The nftables ruleset (null: no file, or the entry file could not be read). */
  nft: NftSource | null;
  files: InputFile[];
  diagnostics: Diagnostic[];
}

export function readFirewallFiles(target: HostTarget, iptablesBackend: IptablesBackend | null): FirewallFiles {
  const files: InputFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const unreadable = (rel: string, reason: string): void => {
    diagnostics.push({ kind: "unreadable", message: `${rel}: ${reason}`, location: { file: rel, line: 1, column: 1 } });
  };

  const iptables: Record<IpFamily, Ruleset | null> = { ipv4: null, ipv6: null };
  for (const [kind, family] of [["iptables", "ipv4"], ["ip6tables", "ipv6"]] as const) {
    const rel = target.files[kind];
    if (!rel) continue;
    const read = readHostFile(target.root, rel);
    if (!read.ok) {
      unreadable(rel, read.reason);
      continue;
    }
    files.push({ path: rel, kind, sha256: read.sha256, bytes: read.bytes });
    const ruleset = parseIptablesSave(read.text, rel, family, { backend: iptablesBackend });
    diagnostics.push(...ruleset.diagnostics);
    iptables[family] = ruleset;
  }

  let nft: NftSource | null = null;
  const text = target.files.nft;
  const json = target.files.nftJson;
  if (text) {
    const ruleset = loadNftConfig(target.root, text);
    const texts = new Map<string, string>();
    for (const [i, rel] of ruleset.files.entries()) {
      if (texts.has(rel)) continue; // included twice: nft reads it twice, the dump lists it once
      const read = readHostFile(target.root, rel);
      if (!read.ok) continue; // the reader reported it
      texts.set(rel, read.text);
      files.push({ path: rel, kind: i === 0 ? "nft" : "nft.include", sha256: read.sha256, bytes: read.bytes });
    }
    diagnostics.push(...ruleset.diagnostics.map(refusedByNft));
    if (texts.has(text)) nft = { ruleset, file: text, texts };
  } else if (json) {
    const read = readHostFile(target.root, json);
    if (!read.ok) unreadable(json, read.reason);
    else {
      files.push({ path: json, kind: "nft-json", sha256: read.sha256, bytes: read.bytes });
      const ruleset = parseNftJson(read.text, json);
      diagnostics.push(...ruleset.diagnostics);
      nft = { ruleset, file: json };
    }
  }
  return { iptables, nft, files, diagnostics };
}

/** nft loads a file all or nothing: a statement it rejects means none of the file is loaded. */
function refusedByNft(d: Diagnostic): Diagnostic {
  if (d.kind !== "syntax" && d.kind !== "structure") return d;
  return { ...d, message: `${d.message} (nft -f would refuse the file: none of it is loaded)` };
}
