/** Waiver host globs: linear-time matching, `*` across line breaks, same answers as a reference matcher. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { globMatch } from "../../src/policy/apply-config.js";

/** Reference: dynamic programming over (glob prefix, text prefix); obviously right, O(|g|·|t|). */
function referenceMatch(glob: string, text: string): boolean {
  let row = new Array<boolean>(text.length + 1).fill(false);
  row[0] = true;
  for (const g of glob) {
    const next = new Array<boolean>(text.length + 1).fill(false);
    if (g === "*") {
      next[0] = row[0]!;
      for (let t = 1; t <= text.length; t++) next[t] = row[t]! || next[t - 1]!;
    } else {
      for (let t = 1; t <= text.length; t++) next[t] = row[t - 1]! && (g === "?" || g === text[t - 1]);
    }
    row = next;
  }
  return row[text.length]!;
}

describe("waiver host globs", () => {
  it("`*` and `?` match line breaks too", () => {
    expect(globMatch("*", "web\n1")).toBe(true);
    expect(globMatch("web*", "web\n::error title=x::")).toBe(true);
    expect(globMatch("web?1", "web\n1")).toBe(true);
    expect(globMatch("web-1", "web-1\n")).toBe(false);
  });

  it("a glob with many stars against a long name of separators returns at once", () => {
    const name = "-".repeat(250);
    // A backtracking regex needs minutes for this; the two-pointer match needs microseconds.
    expect(globMatch("*-*-*-*-*-prod", name)).toBe(false);
    expect(globMatch("*-*-*-*-*-prod", `${name}prod`)).toBe(true);
  }, 10_000);

  it("agrees with a reference matcher on random globs and names", () => {
    const alphabet = fc.constantFrom("a", "b", "-", ".", "\n", "*", "?");
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 12 }), fc.string({ unit: fc.constantFrom("a", "b", "-", ".", "\n", "*", "?"), maxLength: 20 }), (glob, text) => {
        expect(globMatch(glob, text)).toBe(referenceMatch(glob, text));
      }),
      { numRuns: 5000, seed: 13 },
    );
  });
});
