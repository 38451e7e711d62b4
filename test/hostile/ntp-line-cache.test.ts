/**
 * The ntp.conf line cache gives exactly what a fresh parse gives (locations re-stamped with the file and
 * line of each use), and long lines are reported as not checked instead of being parsed for seconds.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { clearLineCache, MAX_PARSED_LINE_CHARS, parseNtpConf } from "../../src/parse/ntp/parse-file.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

function ntpFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...ntpFiles(p));
    else if (/ntp\.conf$|\.conf$/.test(e.name)) out.push(p);
  }
  return out;
}

describe("ntp.conf line cache", () => {
  it("cached parses equal fresh parses, file and line numbers included", () => {
    const files = [...ntpFiles(path.join(ROOT, "examples")), ...ntpFiles(path.join(ROOT, "test/fixtures"))];
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) {
      const text = readFileSync(f, "utf8");
      // The same lines twice, in another file and shifted down: every second parse is a cache hit.
      const doubled = `${text}\n# break\n${text}`;
      clearLineCache();
      const fresh = parseNtpConf(doubled, "a.conf");
      clearLineCache();
      parseNtpConf(text, "warm-up.conf");
      const cached = parseNtpConf(doubled, "a.conf");
      expect(cached).toEqual(fresh);
    }
  });

  it("a result handed out is never shared with a later one", () => {
    clearLineCache();
    const a = parseNtpConf("server 192.0.2.1 iburst\n", "a.conf");
    (a.nodes[0] as { text: string }).text = "changed";
    const b = parseNtpConf("\nserver 192.0.2.1 iburst\n", "b.conf");
    expect(b.nodes[0]!.text).toBe("server 192.0.2.1 iburst");
    expect(b.nodes[0]!.location).toEqual({ file: "b.conf", line: 2, column: 1 });
  });

  it("a line longer than the cap is not checked (PARSE004), not a syntax error, and costs nothing", () => {
    let line = "server 192.0.2.1";
    while (line.length < 14_000) line += " iburst";
    const r = parseNtpConf(`${`${line}\n`.repeat(200)}server 198.51.100.1\n`, "ntp.conf");
    expect(r.nodes).toHaveLength(1);
    expect(r.diagnostics).toHaveLength(200);
    expect(new Set(r.diagnostics.map((d) => d.kind))).toEqual(new Set(["not-checked"]));
    expect(r.diagnostics[0]!.message).toBe(`line of ${line.length} characters is too long to check (limit ${MAX_PARSED_LINE_CHARS}); ntpd would read it`);
  });
});
