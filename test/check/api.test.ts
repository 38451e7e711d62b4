/**
 * The check pipeline called as a library (src/check/index.ts), without the command line: the same report
 * as `ntp-policy check examples/host-dump --format json`, byte for byte (test/golden/examples.json).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { catalogInEffect, ConfigError, fullCatalog, resolveConfig, runCheck, streamCheck } from "../../src/check/index.js";
import { JsonReportStream } from "../../src/report/json.js";
import { repositoryPrefix } from "../../src/cli/paths.js";
import { reportTime } from "../../src/model/clock.js";
import { reporterFor } from "../../src/report/reporter.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

describe("the check API", () => {
  it("checks a list of paths with a configuration and returns the report model the command line renders", async () => {
    const paths = ["examples/host-dump"];
    const warnings: string[] = [];
    const config = resolveConfig({}, new Set(fullCatalog().map((r) => r.id)), (w) => warnings.push(w));
    const report = await runCheck({ paths, config, failOn: "low", today: new Date().toISOString().slice(0, 10), argv: ["check", ...paths, "--format", "json"] });
    expect(warnings).toEqual([]);
    expect(report.summary.hosts).toBe(9);
    expect(report.hosts.find((h) => h.host === "ntp-hardened")!.findings).toEqual([]);
    const json = reporterFor("json")!.render(report, {
      color: false,
      quiet: false,
      catalog: catalogInEffect(config),
      pathPrefix: repositoryPrefix(paths),
      generatedAt: reportTime().toISOString(),
      summary: false,
    });
    expect(json).toBe(readFileSync(path.join(ROOT, "test/golden/examples.json"), "utf8"));
  });

  it("streams the same JSON report a host at a time, byte for byte", async () => {
    const paths = ["examples/host-dump"];
    const config = resolveConfig({}, new Set(fullCatalog().map((r) => r.id)), () => undefined);
    const chunks: string[] = [];
    const stream = new JsonReportStream((text) => chunks.push(text));
    const tail = await streamCheck(
      { paths, config, failOn: "low", today: new Date().toISOString().slice(0, 10), argv: ["check", ...paths, "--format", "json"] },
      { begin: (head) => stream.begin(head), host: (entry) => stream.host(entry.json) },
    );
    stream.end(tail);
    // One piece per host between the head and the tail: no host waited for the whole report.
    expect(chunks).toHaveLength(1 + 9 + 1);
    expect(chunks.join("")).toBe(readFileSync(path.join(ROOT, "test/golden/examples.json"), "utf8"));
  });

  it("streams an empty report as JSON.stringify writes it", () => {
    const chunks: string[] = [];
    const stream = new JsonReportStream((text) => chunks.push(text));
    const head = { schema_version: "1.2", tool: { name: "ntp-policy", version: "0" } };
    stream.begin(head as never);
    stream.end({ notices: [], summary: { hosts: 0 } as never });
    expect(chunks.join("")).toBe(`${JSON.stringify({ ...head, hosts: [], notices: [], summary: { hosts: 0 } }, null, 2)}\n`);
  });

  it("applies overrides to the configuration and refuses a bad one with a message", () => {
    const known = new Set(fullCatalog().map((r) => r.id));
    const warnings: string[] = [];
    const config = resolveConfig({ trusted: ["10.0.0.1/8"], minUpstreams: 2, profile: "cis" }, known, (w) => warnings.push(w));
    expect(config).toMatchObject({ trusted_networks: ["10.0.0.1/8"], min_upstreams: 2, profile: "cis" });
    expect(warnings).toHaveLength(1);
    expect(() => resolveConfig({ trusted: ["10.0.0.0/33"] }, known)).toThrow(ConfigError);
    expect(() => resolveConfig({ minUpstreams: 101 }, known)).toThrow(/--min-upstreams 101: expected a whole number from 0 to 100/);
  });
});
