/**
 * nftables input → the nft model (src/model/nft.ts).
 *
 *   const ruleset = parseNftRuleset(text, "etc/nftables.conf");          // one file, includes reported
 *   const ruleset = loadNftConfig(hostRoot, "etc/nftables.conf");        // includes followed in the host
 *   const ruleset = parseNftJson(text, "nft-ruleset.json");              // `nft -j list ruleset`
 *
 * Syntax lives in grammar/nft.ne (moo lexer + nearley, one statement at a time); src/parse/nft/reader.ts
 * cuts statements, follows includes and variables; builder.ts applies the commands. Never throws for bad
 * content: every rejected statement is a located diagnostic and the rest is still read.
 */
import type { NftRuleset } from "../../model/nft.js";
import { readHostFile } from "../../discover/host-files.js";
import { NftReader } from "./reader.js";

export { parseNftJson } from "./json.js";
export { normaliseRuleset } from "./normalise.js";

export function parseNftRuleset(text: string, file: string): NftRuleset {
  const reader = new NftReader();
  reader.readText(text, file);
  return reader.finish();
}

/** Read `entryRelPath` (host-relative) under `hostRoot` with everything it includes. */
export function loadNftConfig(hostRoot: string, entryRelPath: string): NftRuleset {
  const read = readHostFile(hostRoot, entryRelPath);
  if (!read.ok) {
    return {
      tables: [],
      files: [],
      diagnostics: [{ kind: "unreadable", message: `${entryRelPath}: ${read.reason}`, location: { file: entryRelPath, line: 1, column: 1 } }],
    };
  }
  const reader = new NftReader({ hostRoot });
  reader.readText(read.text, entryRelPath);
  return reader.finish();
}
