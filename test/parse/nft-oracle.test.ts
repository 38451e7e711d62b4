/**
 * The nft ruleset grammar against the real nft, on real files (test/corpus/nft/, sources and licences in
 * SOURCES.md).
 *
 * Labels (test/corpus/nft/labels.json) record what `nft -c -f FILE` said for each file, checked alone in a
 * fresh network namespace (test/parse/nft-kernel.ts): includes are NOT present (a file that includes others
 * is labelled as nft sees it standalone: rejected, "File not found"), interfaces the file names are created.
 * A label with `environment` is a verdict that depends on the machine, not on the text (a user, group or host
 * name that must resolve, a kernel feature): it is recorded but not compared.
 *
 * - Without a kernel: ntp-policy's verdict (no syntax/structure/include diagnostic = accept) must equal the
 *   label for every file: 0 disagreements.
 * - With a kernel (CI: NTPP_REQUIRE_NETNS=1 makes a skip a failure): nft -c is run again and must still give
 *   every label. UPDATE_NFT_LABELS=1 rewrites the labels from nft.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadNftConfig } from "../../src/parse/nft/index.js";
import { nftAvailable, nftCheck } from "./nft-kernel.js";

const CORPUS = path.resolve(import.meta.dirname, "../corpus/nft");
const LABELS = path.join(CORPUS, "labels.json");

interface Label {
  nft: "accept" | "reject";
  /** nft's first error message. */
  error?: string;
  /** Why the verdict depends on the machine rather than the text (then it is not compared). */
  environment?: string;
}

/** nft errors that come from the machine, not from the file. */
const ENVIRONMENT_ERRORS: Array<[RegExp, string]> = [
  [/Could not resolve hostname/, "a host name in the ruleset must resolve (DNS) when nft reads it"],
  [/User does not exist/, "skuid names a user that must exist on the host"],
  [/Group does not exist/, "skgid names a group that must exist on the host"],
  [/Could not process rule: (No such file or directory|Operation not supported)/, "the kernel here lacks a feature the ruleset uses (flowtable offload, secmark, fwd)"],
];

const corpusFiles = readdirSync(CORPUS)
  .filter((f) => /\.(nft|conf)$/.test(f))
  .sort();

function ours(text: string): { accepted: boolean; first: string } {
  const host = mkdtempSync(path.join(tmpdir(), "ntpp-nft-host-"));
  try {
    writeFileSync(path.join(host, "ruleset.nft"), text);
    const r = loadNftConfig(host, "ruleset.nft");
    const first = r.diagnostics[0];
    return { accepted: r.diagnostics.length === 0, first: first ? `${first.location.line}:${first.location.column} ${first.message}` : "" };
  } finally {
    rmSync(host, { recursive: true, force: true });
  }
}

function label(text: string): Label {
  const r = nftCheck(text);
  if (r.accepted) return { nft: "accept" };
  const env = ENVIRONMENT_ERRORS.find(([re]) => re.test(r.error));
  return env ? { nft: "reject", error: r.error, environment: env[1] } : { nft: "reject", error: r.error };
}

const kernel = nftAvailable();

describe("nft corpus", () => {
  it("has at least 50 files, each with a source, a licence and a label", () => {
    const sources = readFileSync(path.join(CORPUS, "SOURCES.md"), "utf8");
    const labels = JSON.parse(readFileSync(LABELS, "utf8")) as Record<string, Label>;
    expect(corpusFiles.length).toBeGreaterThanOrEqual(50);
    for (const f of corpusFiles) {
      expect(sources, f).toMatch(new RegExp(`^\\| ${f.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\| https://github\\.com/\\S+ \\| .+ \\| [0-9a-f]{40} \\| \\S+ \\|$`, "m"));
      expect(labels[f], f).toBeDefined();
    }
    expect(Object.keys(labels).sort()).toEqual(corpusFiles);
  });

  it("accepts and rejects exactly the files nft -c accepts and rejects (0 disagreements)", () => {
    const labels = JSON.parse(readFileSync(LABELS, "utf8")) as Record<string, Label>;
    const disagreements: string[] = [];
    let compared = 0;
    for (const f of corpusFiles) {
      const l = labels[f]!;
      if (l.environment) continue;
      compared++;
      const mine = ours(readFileSync(path.join(CORPUS, f), "utf8"));
      if (mine.accepted !== (l.nft === "accept")) {
        disagreements.push(`${f}: nft ${l.nft}s (${l.error ?? ""}), ntp-policy ${mine.accepted ? "accepts" : `rejects (${mine.first})`}`);
      }
    }
    expect(compared).toBeGreaterThanOrEqual(50);
    expect(disagreements).toEqual([]);
  });

  if (!kernel.ok) console.warn(`nft oracle re-verification skipped: ${kernel.reason}`);

  it.runIf(process.env.NTPP_REQUIRE_NETNS === "1")("has nft -c available where NTPP_REQUIRE_NETNS=1", () => {
    expect(kernel).toEqual({ ok: true });
  });

  it.runIf(kernel.ok)("labels are what nft -c says today", () => {
    const current: Record<string, Label> = {};
    for (const f of corpusFiles) current[f] = label(readFileSync(path.join(CORPUS, f), "utf8"));
    if (process.env.UPDATE_NFT_LABELS === "1") writeFileSync(LABELS, `${JSON.stringify(current, null, 2)}\n`);
    const labels = JSON.parse(readFileSync(LABELS, "utf8")) as Record<string, Label>;
    const verdicts = (ls: Record<string, Label>) => Object.fromEntries(Object.entries(ls).map(([f, l]) => [f, l.nft]));
    expect(verdicts(current)).toEqual(verdicts(labels));
  }, 300_000);
});
