/**
 * Edits and diffs: line endings and final newlines kept, overlaps refused, and every diff applied by the real
 * `git apply` gives back exactly the patched text (a property over random files and edits).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { applyEdits, deleteLine, EditConflict, insertLines, linesOf, replaceLine } from "../../src/fix/text-edits.js";
import { diffLines, unifiedDiff } from "../../src/fix/unified-diff.js";
import type { TextEdit } from "../../src/model/edit.js";

describe("applyEdits", () => {
  it("inserts, replaces and deletes lines, keeping CRLF and a missing final newline", () => {
    const crlf = "a\r\nb\r\nc";
    expect(applyEdits(crlf, [insertLines("f", 2, ["new"])])).toBe("a\r\nnew\r\nb\r\nc");
    expect(applyEdits(crlf, [replaceLine("f", 3, "c", "C")])).toBe("a\r\nb\r\nC");
    expect(applyEdits("a\nb\nc\n", [deleteLine("f", 2), insertLines("f", 4, ["end"])])).toBe("a\nc\nend\n");
    expect(applyEdits("x = 1\n", [{ file: "f", start: { line: 1, column: 6 }, end: { line: 1, column: 6 }, text: " noquery" }])).toBe("x = 1 noquery\n");
  });

  it("keeps the order of insertions at one place and refuses overlapping changes", () => {
    expect(applyEdits("a\n", [insertLines("f", 1, ["1"]), insertLines("f", 1, ["2"])])).toBe("1\n2\na\n");
    const overlap: TextEdit[] = [replaceLine("f", 1, "abc", "x"), { file: "f", start: { line: 1, column: 2 }, end: { line: 1, column: 3 }, text: "y" }];
    expect(() => applyEdits("abc\n", overlap)).toThrow(EditConflict);
    expect(() => applyEdits("a\n", [insertLines("f", 9, ["z"])])).toThrow(EditConflict);
  });
});

describe("unifiedDiff", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "ntpp-diff-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("is empty for equal texts and minimal for small changes", () => {
    expect(unifiedDiff("f", "a\n", "a\n")).toBe("");
    const ops = diffLines(["a", "b", "c"], ["a", "x", "c"]);
    expect(ops.map((o) => o.kind).join("")).toBe(" -+ ");
    expect(unifiedDiff("h/ntp.conf", "a\nb\nc\n", "a\nb\nc\nd\n")).toBe("--- a/h/ntp.conf\n+++ b/h/ntp.conf\n@@ -1,3 +1,4 @@\n a\n b\n c\n+d\n");
  });

  it("git apply turns the file into the patched text, for random files and edits (CRLF, no final newline)", () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const failures: string[] = [];
    for (let round = 0; round < 60; round++) {
      const count = 1 + rand(40);
      const lines = Array.from({ length: count }, (_, i) => (rand(5) === 0 ? "same" : `line ${i} ${rand(1000)}`));
      const eol = rand(4) === 0 ? "\r\n" : "\n";
      const before = lines.join(eol) + (rand(5) === 0 ? "" : eol);
      const edits: TextEdit[] = [];
      const touched = new Set<number>();
      for (let k = 0; k < 1 + rand(4); k++) {
        const at = 1 + rand(linesOf(before).length);
        if (touched.has(at)) continue;
        touched.add(at);
        const old = linesOf(before)[at - 1]!;
        const kind = rand(3);
        edits.push(kind === 0 ? insertLines("f", at, [`added ${k}`]) : kind === 1 ? replaceLine("f", at, old, `${old} changed`) : deleteLine("f", at));
      }
      const after = applyEdits(before, edits);
      const file = path.join(dir, "f");
      writeFileSync(file, before);
      writeFileSync(path.join(dir, "p.diff"), unifiedDiff("f", before, after));
      const r = spawnSync("git", ["apply", "p.diff"], { cwd: dir, encoding: "utf8" });
      if (r.status !== 0) failures.push(`round ${round}: git apply: ${r.stderr}`);
      else if (readFileSync(file, "utf8") !== after) failures.push(`round ${round}: git apply gave another text`);
    }
    expect(failures).toEqual([]);
  });
});
