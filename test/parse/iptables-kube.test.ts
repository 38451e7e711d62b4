/**
 * The kube-proxy benchmark input (scripts/gen-kube-iptables.mjs) at a CI-friendly size: it parses
 * without diagnostics into the expected shape, and the type-sequence cache gives exactly what fresh
 * nearley parses give. How fast it parses is measured by `npm run bench` (the kube-proxy dump parse),
 * not timed here.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseIptablesSave } from "../../src/parse/iptables/index.js";
import { IptablesLineParser } from "../../src/parse/iptables/iptables-line-parser.js";
import { chain } from "./iptables-helpers.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
let dir = "";
let text = "";

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "ntp-policy-kube-"));
  const out = path.join(dir, "iptables-save");
  execFileSync(process.execPath, [path.join(ROOT, "scripts/gen-kube-iptables.mjs"), out, "--rules", "20000", "--seed", "7"], { stdio: "pipe" });
  text = readFileSync(out, "utf8");
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("kube-proxy dump (20k rules)", () => {
  test("parses without diagnostics into the expected tables and chains", () => {
    const r = parseIptablesSave(text, "iptables-save", "ipv4");
    expect(r.diagnostics).toEqual([]);
    expect(r.stats.rules).toBeGreaterThanOrEqual(20000);
    expect(r.tables.map((t) => [t.name, t.committed, t.loadable])).toEqual([
      ["mangle", true, true],
      ["filter", true, true],
      ["nat", true, true],
    ]);
    expect(r.generator).toMatchObject({ program: "iptables-save", version: "1.8.9", backend: "nf_tables" });
    const input = chain(r, "filter", "INPUT");
    expect(input.policy).toBe("DROP");
    const ntp = input.rules.find((x) => x.ports.dport?.ranges[0]?.[0] === 123 && x.target?.name === "NTP-CLIENTS");
    expect(ntp).toBeDefined();
    const svc = chain(r, "nat", "KUBE-SERVICES").rules[0]!;
    expect(svc.target?.resolution).toBe("chain");
    expect(svc.destination?.prefixes[0]).toMatch(/^10\.96\.\d+\.\d+\/32$/);
    const seps = r.tables[2]!.chains.filter((c) => c.name.startsWith("KUBE-SEP-"));
    expect(seps.length).toBeGreaterThan(1000);
    const dnat = seps[0]!.rules[1]!;
    expect(dnat.target).toMatchObject({ name: "DNAT", resolution: "extension", options: [{ name: "to-destination" }] });
  });

  test("cached parses equal fresh nearley parses on every line", () => {
    const cached = new IptablesLineParser(true);
    const fresh = new IptablesLineParser(false);
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
      const a = fresh.parse(lines[i]!, i + 1);
      const b = cached.parse(lines[i]!, i + 1);
      if (JSON.stringify(a) !== JSON.stringify(b)) expect(b).toEqual(a);
    }
    expect(cached.misses).toBeLessThan(200);
    expect(cached.hits).toBeGreaterThan(lines.length - 200);
  });

  test("the model is the same with and without the cache", () => {
    const a = parseIptablesSave(text, "iptables-save", "ipv4", { cache: false });
    const b = parseIptablesSave(text, "iptables-save", "ipv4", { cache: true });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });
});
