/**
 * Per-host caps: an include fan-out bomb and a flood of rejected lines end in one PARSE004 finding ("not fully
 * checked") while the rest of the host is still checked.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { discoverHosts } from "../../src/discover/hosts.js";
import { MAX_DIAGNOSTICS_PER_HOST, parseHost } from "../../src/parse/host.js";
import { MAX_INCLUDED_FILES } from "../../src/parse/ntp/includes.js";

function host(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), "ntp-policy-caps-"));
  for (const [rel, body] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), body);
  }
  return root;
}

describe("per-host caps", () => {
  it("an include fan-out bomb (10 includes per level, 5 levels: 100,000 reads) stops at the cap with PARSE004", () => {
    const files: Record<string, string> = { "ntp.conf": `restrict default\n${"includefile /l1.conf\n".repeat(10)}server 192.0.2.9\n` };
    for (let level = 1; level <= 5; level++) {
      files[`l${level}.conf`] = level < 5 ? `includefile /l${level + 1}.conf\n`.repeat(10) : "server 192.0.2.1\n";
    }
    const [target] = discoverHosts([host(files)]);
    const parsed = parseHost(target!);
    const capped = parsed.diagnostics.filter((d) => d.kind === "not-checked");
    expect(capped).toHaveLength(1);
    expect(capped[0]!.message).toBe(`more than ${MAX_INCLUDED_FILES} included files: this includefile and every later one were not followed`);
    expect(parsed.ntp!.includes.filter((i) => i.resolved)).toHaveLength(MAX_INCLUDED_FILES);
    // The rest of the host is still read: the line after the includefile lines of the entry file.
    expect(parsed.ntp!.nodes.some((n) => n.location.file === "ntp.conf" && n.location.line === 12)).toBe(true);
  }, 20_000);

  it("more rejected lines than the cap: the first ones are reported, the rest counted in one not-checked", () => {
    const n = MAX_DIAGNOSTICS_PER_HOST + 500;
    const [target] = discoverHosts([host({ "ntp.conf": `${"bogus line\n".repeat(n)}server 192.0.2.1\n` })]);
    const parsed = parseHost(target!);
    expect(parsed.diagnostics).toHaveLength(MAX_DIAGNOSTICS_PER_HOST + 1);
    expect(parsed.diagnostics.at(-1)).toMatchObject({
      kind: "not-checked",
      message: `more than ${MAX_DIAGNOSTICS_PER_HOST} diagnostics: 500 more, from this line on, are not reported`,
      location: { file: "ntp.conf", line: MAX_DIAGNOSTICS_PER_HOST + 1, column: 1 },
    });
    expect(parsed.ntp!.nodes).toHaveLength(1);
  });
});
