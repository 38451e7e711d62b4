/**
 * The per-host budget: a host whose check runs away (a custom rule looping for ever, a rule that asks for
 * gigabytes) is reported as not checked (PARSE004, with the reason) while every other host of the fleet is
 * checked; a single host gets the same bound. The bundle test/fixtures/hostile/hostile-policies.tar.gz is
 * `ntp-policy bundle --policy test/fixtures/hostile/policies`.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../e2e/cli.js";

const BUNDLE = "test/fixtures/hostile/hostile-policies.tar.gz";
const BROKEN_HOST = "broken\n::error title=x::pwned\u001b]0;owned\u0007";

interface JsonReport {
  hosts: Array<{ host: string; error?: string; findings: Array<{ rule: string; status: string; message: string }> }>;
}

function fleet(hosts: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), "ntp-policy-budget-"));
  for (const [name, server] of Object.entries(hosts)) {
    mkdirSync(path.join(root, name));
    writeFileSync(path.join(root, name, "ntp.conf"), `restrict default kod limited nomodify notrap nopeer noquery\nserver ${server} iburst\n`);
  }
  return root;
}

describe("per-host time and memory budget", () => {
  it("a runaway host is not checked, the others are, and a failing host's name is escaped on stderr", () => {
    const root = fleet({
      "a-good": "192.0.2.1",
      slow: "slow.example.com",
      hungry: "hungry.example.com",
      [BROKEN_HOST]: "broken.example.com",
      "z-good": "192.0.2.2",
    });
    const r = cli(["check", root, "--bundle", BUNDLE, "--host-timeout", "4", "--host-memory", "128", "--format", "json"]);
    const report = JSON.parse(r.stdout) as JsonReport;
    const byName = new Map(report.hosts.map((h) => [h.host, h]));
    expect([...byName.keys()].sort()).toEqual(["a-good", BROKEN_HOST, "hungry", "slow", "z-good"].sort());
    for (const good of ["a-good", "z-good"]) {
      expect(byName.get(good)!.findings.some((f) => f.rule === "NTP003")).toBe(true);
      expect(byName.get(good)!.findings.some((f) => f.rule === "PARSE004")).toBe(false);
    }
    const notChecked = (name: string): string[] => byName.get(name)!.findings.filter((f) => f.rule === "PARSE004").map((f) => f.message);
    expect(notChecked("slow")).toEqual(["this host was not checked: checking it took longer than 4 s (--host-timeout); no finding of any other rule is known for it"]);
    expect(notChecked("hungry")).toEqual([expect.stringMatching(/^this host was not checked: checking it (needed more than 128 MB of memory|took longer than 4 s)/)]);
    // A host the policy fails on is an internal error (exit 2), reported on stderr with its name escaped.
    expect(byName.get(BROKEN_HOST)!.error).toMatch(/malformed violation/);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("ntp-policy: error: broken\\x0A::error title=x::pwned\\x1B]0;owned\\x07: internal error while checking this host");
    expect(r.stderr.split("\n").filter((l) => l.startsWith("::"))).toEqual([]);
  }, 120_000);

  it("a single host gets the same bound; --fail-on-unchecked makes it exit 2", () => {
    const root = fleet({ slow: "slow.example.com" });
    const host = path.join(root, "slow");
    const plain = cli(["check", host, "--bundle", BUNDLE, "--host-timeout", "2"]);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toMatch(/PARSE004 +this host was not checked: checking it took longer than 2 s/);
    expect(cli(["check", host, "--bundle", BUNDLE, "--host-timeout", "2", "--fail-on-unchecked"]).code).toBe(2);
  }, 60_000);

  it("budget flags are validated", () => {
    expect(cli(["check", "examples/host-dump", "--host-timeout", "0"]).stderr).toMatch(/--host-timeout 0: expected seconds/);
    expect(cli(["check", "examples/host-dump", "--host-memory", "1"]).code).toBe(2);
  });
});

describe("a host too large to judge (JavaScript's string limit)", () => {
  it("the real policy cannot be given a document longer than V8's longest string: the host is PARSE004, not an internal error", async () => {
    const { loadPolicyEngine } = await import("../../src/policy/engine.js");
    const { failedHost } = await import("../../src/check/evaluate-host.js");
    const { discoverHosts } = await import("../../src/discover/hosts.js");
    const { TOO_LARGE_TO_JUDGE } = await import("../../src/check/host-budget.js");
    const engine = await loadPolicyEngine();
    // What a few million configuration lines become: a document that opa-wasm cannot JSON-encode (≈ 560 MB).
    // One shared 200-character string keeps the test's own memory small; the encoding is what overflows.
    const line = "x".repeat(200);
    const huge = { schema_version: "1.1", host: "big", filler: new Array(2_800_000).fill(line) } as unknown as Parameters<typeof engine.judge>[0];
    let thrown: unknown;
    try {
      engine.judge(huge);
    } catch (e) {
      thrown = e;
    }
    expect(String((thrown as Error | undefined)?.message)).toMatch(/Invalid string length/);
    const [target] = discoverHosts([fleet({ big: "192.0.2.1" })]);
    const result = failedHost(target!, thrown);
    expect(result.error).toBeUndefined();
    expect(result.violations).toEqual([
      expect.objectContaining({
        rule: "PARSE004",
        message: `this host was not checked: ${TOO_LARGE_TO_JUDGE}; no finding of any other rule is known for it`,
        location: { file: "ntp.conf", line: 1, column: 1 },
      }),
    ]);
  }, 120_000);
});
