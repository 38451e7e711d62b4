#!/usr/bin/env node
// Command line of the policy build (the build itself is src/policy/build/, run from dist/):
//   node scripts/build-policy.mjs            opa fmt, opa check, opa test (+coverage), regal lint, build twice,
//                                            compare the two builds byte for byte, write policies/build/, then
//                                            the rule pages docs/rules/ from catalog.json (scripts/build-docs.mjs)
//   node scripts/build-policy.mjs --check    the same, but write nothing: fail when policies/build or docs/rules
//                                            differ from a fresh build (what CI runs)
//   node scripts/build-policy.mjs --verify   no Go needed: fail when the manifest's digests do not match the
//                                            current Rego sources, policy.wasm and catalog.json
// Exit 1 on a build problem, 2 on an internal error.
import { fileURLToPath } from "node:url";
import { buildDocs } from "./build-docs.mjs";
import { ensureDist } from "./ensure-dist.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const log = (message) => console.log(`build-policy: ${message}`);

class BuildFailure extends Error {}

async function main(argv) {
  const args = new Set(argv);
  for (const a of args) if (!["--check", "--verify"].includes(a)) throw new BuildFailure(`unknown argument ${a} (use --check or --verify)`);
  if (args.has("--check") && args.has("--verify")) throw new BuildFailure("use one of --check and --verify");
  ensureDist({ log });
  const build = await import("../dist/policy/build/index.js");
  const tools = { root: ROOT, log };
  try {
    if (args.has("--verify")) return build.verifyCommittedBuild(tools);
    const check = args.has("--check");
    await build.buildPolicy(tools, { check });
    // The rule pages are generated from catalog.json: rebuild them (or, with --check, fail when they are stale).
    const result = buildDocs({ root: ROOT, check });
    if (check && result.stale.length > 0) {
      throw new BuildFailure(`docs/rules is stale:\n  - ${result.stale.join("\n  - ")}\nRun npm run build:docs and commit docs/rules.`);
    }
    log(check ? `--check: docs/rules matches ${build.BUILD_DIR}/catalog.json` : `wrote docs/rules (${result.pages} pages)`);
  } catch (e) {
    throw e instanceof build.BuildError ? new BuildFailure(e.message) : e;
  }
}

main(process.argv.slice(2)).catch((e) => {
  console.error(`build-policy: ${e instanceof BuildFailure ? e.message : (e?.stack ?? String(e))}`);
  process.exit(e instanceof BuildFailure ? 1 : 2);
});
