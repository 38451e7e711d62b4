/**
 * Output longer than JavaScript's longest string (2^29 - 24 characters, about 512 MB): every host fitted, but what
 * they make together does not. The command ends with one clear line and exit 2, not a RangeError stack trace.
 *
 * Only a huge input reaches the limit (here 720,000 server lines in four hosts, 14 MB on disk, whose policy input
 * documents are together over 512 MB of JSON; a minute or two and about 1.3 GB of memory), so it runs when asked:
 * NTPP_HUGE_TESTS=1 npx vitest run test/hostile/output-too-long.test.ts
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../e2e/cli.js";

const HOSTS = ["a", "b", "c", "d"];
const LINES_PER_HOST = 180_000;

function hugeFleet(): string {
  const root = mkdtempSync(path.join(tmpdir(), "ntp-policy-output-too-long-"));
  for (const host of HOSTS) {
    mkdirSync(path.join(root, host));
    const lines = Array.from({ length: LINES_PER_HOST }, (_, i) => `server 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    writeFileSync(path.join(root, host, "ntp.conf"), `${lines.join("\n")}\n`);
  }
  return root;
}

describe.runIf(process.env["NTPP_HUGE_TESTS"] === "1")("output longer than the longest JavaScript string", () => {
  it("`parse` of four hosts whose documents together exceed it: one line on stderr, exit 2, nothing on stdout", () => {
    const fleet = hugeFleet();
    try {
      const r = cli(["parse", fleet]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe(
        "ntp-policy: error: the output is larger than the longest string JavaScript can hold (about 512 MB): give fewer hosts per run, or write a smaller format (--quiet, --summary)\n",
      );
      // Each host alone fits: the same command on one of them succeeds.
      const one = cli(["parse", path.join(fleet, "a"), "--output", path.join(fleet, "a.json")]);
      expect(one.code).toBe(0);
    } finally {
      rmSync(fleet, { recursive: true, force: true });
    }
  }, 600_000);
});
