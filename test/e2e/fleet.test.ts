/**
 * A fleet through the real command line: worker threads, the fleet memo and the streamed JSON report give
 * the same bytes as checking every host on its own (NTP_POLICY_MEMO=0) and as one host at a time.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, ROOT } from "./cli.js";

let work: string;
let dump: string;
let config: string;

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), "ntp-policy-fleet-"));
  dump = path.join(work, "dump");
  // 60 hosts: enough for the worker pool (24 and more), with shared and unique configurations.
  const gen = spawnSync(process.execPath, [path.join(ROOT, "scripts/gen-fleet.mjs"), dump, "60", "7"], { encoding: "utf8" });
  expect(gen.status).toBe(0);
  config = path.join(work, "ntp-policy.yaml");
  writeFileSync(config, 'trusted_networks: [10.0.0.0/8, "2001:db8::/32"]\n');
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("a fleet check", () => {
  it("writes the same JSON report with and without the fleet memo", () => {
    const args = ["check", dump, "--config", config, "--format", "json"];
    const memo = cli(args);
    const plain = cli(args, { env: { NTP_POLICY_MEMO: "0" } });
    expect(memo.code).toBe(1);
    expect(plain.code).toBe(1);
    expect(memo.stdout).toBe(plain.stdout);
    const report = JSON.parse(memo.stdout) as { hosts: Array<{ host: string; findings: Array<{ rule: string; evidence: Array<{ text: string }> }> }> };
    expect(report.hosts).toHaveLength(60);
    // Each host quotes its own chain counters, not those of the host whose result it shares.
    const quoted = new Set(report.hosts.flatMap((h) => h.findings.flatMap((f) => f.evidence.map((e) => e.text))).filter((t) => t.startsWith(":INPUT")));
    expect(quoted.size).toBeGreaterThan(1);
  });

  it("gives each host what checking it alone gives", () => {
    const fleet = JSON.parse(cli(["check", dump, "--config", config, "--format", "json"]).stdout) as { hosts: Array<{ host: string }> };
    for (const name of readdirSync(dump).sort().slice(0, 6)) {
      const alone = JSON.parse(cli(["check", path.join(dump, name), "--config", config, "--format", "json"]).stdout) as { hosts: Array<Record<string, unknown>> };
      const inFleet = fleet.hosts.find((h) => h.host === name) as Record<string, unknown>;
      // Paths differ by the host's folder (the fleet's report is relative to the dump); the rest is the same.
      const strip = (h: Record<string, unknown>): string => JSON.stringify({ ...h, path: undefined, checked_path: undefined }).replaceAll(`${name}/`, "");
      expect(strip(inFleet)).toBe(strip(alone.hosts[0]!));
    }
  });

  it("streams JSON to --output with the bytes it writes to standard output", () => {
    const out = path.join(work, "report.json");
    const toFile = cli(["check", dump, "--config", config, "--format", "json", "--output", out]);
    const toStdout = cli(["check", dump, "--config", config, "--format", "json"]);
    expect(toFile.code).toBe(1);
    expect(toFile.stderr).toContain("wrote json report to");
    // Only the recorded command line differs (it names the output file).
    const withoutArguments = (text: string): string => text.replace(/"arguments": \[[^\]]*\]/, "");
    expect(withoutArguments(readFileSync(out, "utf8"))).toBe(withoutArguments(toStdout.stdout));
  });
});
