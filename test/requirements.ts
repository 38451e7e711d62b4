/**
 * Suites that need something outside the repository (the shared real-world corpus beside it, network
 * namespaces, Chromium, pre-commit) skip where it is missing, with a banner nobody can miss; CI sets the
 * suite's NTPP_REQUIRE_… variable, which turns that skip into a failing test, so CI always runs them.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, it } from "vitest";

/** The shared corpus: ../shared/corpus beside the repository (third-party data, read in place, never copied). */
export const SHARED_CORPUS = path.resolve(import.meta.dirname, "../../shared/corpus");

/**
 * Call at the top level of a test file. When `available` is false: prints the banner, and registers a failing
 * test when the environment variable `requireVar` is "1". Returns `available`, for `describe.skipIf(!…)`.
 */
export function requireOrSkip(suite: string, available: boolean, reason: string, requireVar: string): boolean {
  if (available) return true;
  const banner = "!".repeat(100);
  console.warn(`\n${banner}\n!! SKIPPED: ${suite}: ${reason}\n!! (set ${requireVar}=1 to make this a failure, as CI does)\n${banner}\n`);
  if (process.env[requireVar] === "1") {
    describe(suite, () => {
      it(`is required here (${requireVar}=1)`, () => {
        throw new Error(`${suite} cannot run: ${reason}`);
      });
    });
  }
  return false;
}

/** The shared corpus files a suite reads are all there (else the banner, or a failure under NTPP_REQUIRE_SHARED=1). */
export function sharedCorpusPresent(suite: string, files: readonly string[]): boolean {
  const missing = files.filter((f) => !existsSync(path.join(SHARED_CORPUS, f)));
  return requireOrSkip(suite, missing.length === 0, `the shared corpus is not beside the repository (missing ${missing.map((f) => path.join(SHARED_CORPUS, f)).join(", ")})`, "NTPP_REQUIRE_SHARED");
}
