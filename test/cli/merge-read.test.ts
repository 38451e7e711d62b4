/**
 * Reading a shard's report: a size cap, whatever the file is — a regular file past the cap is refused from
 * its size, a FIFO fed without end is read no further than the cap — and a report's host order as one run's.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readShard } from "../../src/cli/merge.js";
import { MergeError, mergeReports } from "../../src/report/merge.js";
import { summarise } from "../../src/report/summary.js";
import type { HostReport, Report } from "../../src/model/report.js";

const dir = mkdtempSync(path.join(tmpdir(), "ntpp-merge-read-"));

describe("readShard", () => {
  it("refuses a regular file over the cap from its size", () => {
    const file = path.join(dir, "big.json");
    writeFileSync(file, " ".repeat(2048));
    expect(() => readShard(file, 1024)).toThrow(new MergeError(`${file}: 2048 bytes, more than the 1024-byte limit of a report`));
  });

  it("stops reading a FIFO that never ends at the cap", async () => {
    const fifo = path.join(dir, "endless");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const writer = spawn("sh", ["-c", `yes > '${fifo}'`], { stdio: "ignore" });
    try {
      expect(() => readShard(fifo, 64 * 1024)).toThrow(/endless: more than the 65536-byte limit of a report/);
    } finally {
      writer.kill();
    }
  });
});

function host(name: string): HostReport {
  return { host: name, path: name, files: [], findings: [], outcomes: [] };
}

function report(hosts: HostReport[]): Report {
  return {
    schema_version: "1.2",
    tool: { name: "ntp-policy", version: "0.1.0" },
    policy: { digest: "sha256:x" },
    config: { source: null, digest: null, profile: "baseline", trusted_networks: [], min_upstreams: 3 },
    run: { arguments: [], paths: [] },
    hosts,
    notices: [],
    summary: summarise(hosts, "low"),
  };
}

describe("mergeReports", () => {
  it("orders hosts as check does (by UTF-16 code units, so `B` before `a`), whatever the shards' order", () => {
    const merged = mergeReports(
      [
        { name: "1.json", report: report([host("a"), host("z")]) },
        { name: "2.json", report: report([host("B"), host("ä")]) },
      ],
      { failOn: "low", argv: ["merge"] },
    );
    expect(merged.hosts.map((h) => h.host)).toEqual(["B", "a", "z", "ä"]);
  });
});
