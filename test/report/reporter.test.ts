/** The registry, and what holds for every format: deterministic bytes, no mutation, colour only in text. */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPORTERS, reporterFor } from "../../src/report/reporter.js";
import { repositoryPrefix } from "../../src/cli/paths.js";
import { hostRelative, rulesInEffect, withPrefix } from "../../src/report/rule-info.js";
import { CATALOG, cleanReport, hostileReport } from "../fixtures/report/reports.js";

const FORMATS = ["text", "json", "sarif", "junit", "github", "markdown", "csv"];

describe("reporters", () => {
  it("registers one reporter per format", () => {
    const formats = REPORTERS.map((r) => r.format);
    expect(formats).toEqual(expect.arrayContaining(FORMATS));
    expect(new Set(formats).size).toBe(formats.length);
    for (const f of FORMATS) expect(reporterFor(f)?.format).toBe(f);
    expect(reporterFor("nope")).toBeUndefined();
  });

  for (const format of FORMATS) {
    describe(format, () => {
      const reporter = reporterFor(format)!;

      it("renders the same report to the same bytes, whatever the catalogue's order, without changing the report", () => {
        const report = hostileReport();
        const before = JSON.stringify(report);
        const a = reporter.render(report, { color: false, catalog: CATALOG });
        const b = reporter.render(structuredClone(report), { color: false, catalog: [...CATALOG].reverse() });
        expect(b).toBe(a);
        expect(JSON.stringify(report)).toBe(before);
        for (const quiet of [true, false]) {
          expect(reporter.render(hostileReport(), { color: false, quiet, catalog: CATALOG })).toBe(
            reporter.render(hostileReport(), { color: false, quiet, catalog: CATALOG }),
          );
        }
      });

      it("renders a clean report and a report without a catalogue", () => {
        expect(typeof reporter.render(cleanReport(), { color: false })).toBe("string");
        expect(typeof reporter.render(hostileReport(), { color: false })).toBe("string");
      });

      if (format !== "text") {
        it("never colours a machine format", () => {
          const report = hostileReport();
          expect(reporter.render(report, { color: true, catalog: CATALOG })).toBe(reporter.render(report, { color: false, catalog: CATALOG }));
        });
      }
    });
  }

  it("describes the rules in effect: switched-off rules left out, severities as configured", () => {
    const rules = rulesInEffect([...CATALOG].reverse(), {
      NTP002: { enabled: false, severity: null },
      NTP003: { enabled: true, severity: "critical" },
    });
    expect(rules.map((r) => r.id)).toEqual(["FW001", "NTP001", "NTP003", "NTP005", "PARSE001"]);
    expect(rules.find((r) => r.id === "NTP003")!.severity).toBe("critical");
    expect(CATALOG.find((r) => r.id === "NTP003")!.severity).toBe("medium");
  });

  it("finds the checked directory's path from the repository root", () => {
    const root = path.resolve(import.meta.dirname, "../..");
    expect(repositoryPrefix(["examples/host-dump"], root)).toBe("examples/host-dump");
    expect(repositoryPrefix([path.join(root, "examples/host-dump/")], root)).toBe("examples/host-dump");
    expect(repositoryPrefix(["examples/host-dump/ntp-open/ntp.conf"], root)).toBe("");
    expect(repositoryPrefix(["examples/host-dump/ntp-open", "examples/host-dump/ntp-typo"], root)).toBe("");
    expect(repositoryPrefix(["."], root)).toBe("");
    expect(repositoryPrefix([".."], root)).toBe("");
    expect(repositoryPrefix(["no/such/dir"], root)).toBe("");
  });

  it("joins path prefixes and host-relative paths", () => {
    expect(withPrefix(undefined, "a/b")).toBe("a/b");
    expect(withPrefix("", "a/b")).toBe("a/b");
    expect(withPrefix("./hosts/", "a/b")).toBe("hosts/a/b");
    expect(withPrefix("x\\y", "a")).toBe("x/y/a");
    expect(hostRelative("web-1", "web-1/etc/ntp.conf")).toBe("etc/ntp.conf");
    expect(hostRelative("", "etc/ntp.conf")).toBe("etc/ntp.conf");
    expect(hostRelative("web-1", "other/ntp.conf")).toBe("other/ntp.conf");
  });
});
