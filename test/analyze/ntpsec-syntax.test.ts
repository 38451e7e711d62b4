/**
 * Lines ntpsec rejects, read as ntpsec (src/analyze/ntpsec-syntax.ts), and — where ntpsec's ntpd is installed
 * and network namespaces work (root) — the same lines through the real ntpsec parser: every line we call
 * rejected must be a syntax error there, and every line we keep must not be.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readAsNtpsec } from "../../src/analyze/ntpsec-syntax.js";
import { conf } from "./helpers.js";

const REJECTED = [
  "broadcast 192.0.2.255",
  "manycastclient 239.1.1.1",
  "manycastserver 239.1.1.1",
  "broadcastclient",
  "multicastclient 224.0.1.1",
  "crypto",
  "crypto pw secret",
  "statistics loopstats cryptostats",
  "statistics timingstats",
  "filegen cryptostats file c type day enable",
  "filegen timingstats file t type day enable",
  "tos cohort 1",
  "discard minimum 0",
  "discard average 3",
  "enable mode7",
  "disable bclient",
  "revoke 5",
  "server 192.0.2.2 autokey",
];
const KEPT = ["server 192.0.2.2 iburst", "statistics loopstats peerstats", "filegen loopstats file l type day enable", "tos orphan 10", "enable stats", "disable monitor"];

describe("reading ntp.conf as ntpsec", () => {
  it.each(REJECTED)("rejects `%s` as a located syntax error", (line) => {
    const { kept, rejected } = readAsNtpsec(conf(line));
    expect(kept).toEqual([]);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.kind).toBe("syntax");
    expect(rejected[0]!.message).toMatch(/^ntpsec rejects this line \(syntax error\): .+; ntpd ignores the line$/);
    expect(rejected[0]!.location.line).toBe(1);
    expect(rejected[0]!.text).toBe(line);
  });

  it("locates the word ntpsec does not know", () => {
    expect(readAsNtpsec(conf("statistics loopstats cryptostats")).rejected[0]!.location.column).toBe(22);
    expect(readAsNtpsec(conf("enable mode7")).rejected[0]!.location.column).toBe(8);
  });

  it.each(KEPT)("keeps `%s`", (line) => {
    expect(readAsNtpsec(conf(line))).toEqual({ kept: conf(line), rejected: [] });
  });
});

/** The installed ntpd, when it is ntpsec, and root with network namespaces: the oracle. */
function oracleAvailable(): string | null {
  if (process.getuid?.() !== 0) return "not root";
  const v = spawnSync("ntpd", ["--version"], { encoding: "utf8" });
  if (v.status !== 0 || !/ntpsec/.test(v.stdout + v.stderr)) return "ntpsec's ntpd is not installed";
  return null;
}
const unavailable = oracleAvailable();
if (unavailable) console.warn(`\n${"#".repeat(80)}\n# NTPSEC ORACLE SKIPPED: ${unavailable}\n${"#".repeat(80)}\n`);

describe.skipIf(unavailable !== null)("against the real ntpsec parser (ntpd -n -d in a private network namespace)", () => {
  const ns = `ntpp-sec-${process.pid}`;
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "ntpp-sec-"));
    execFileSync("ip", ["netns", "add", ns]);
  });
  afterAll(() => {
    spawnSync("ip", ["netns", "delete", ns]);
    rmSync(dir, { recursive: true, force: true });
  });

  /** ntpsec's verdict on line 2 of a file whose line 1 is a plain server line. */
  const ntpsecRejects = (line: string): boolean => {
    const file = path.join(dir, "ntp.conf");
    writeFileSync(file, `server 192.0.2.1\n${line}\n`);
    const r = spawnSync("timeout", ["1", "ip", "netns", "exec", ns, "ntpd", "-n", "-d", "-c", file], { encoding: "utf8" });
    return /syntax error in .* line 2,/.test(r.stdout + r.stderr);
  };

  it("agrees on every line", () => {
    const disagreements = [
      ...REJECTED.filter((l) => !ntpsecRejects(l)).map((l) => `ntpsec accepts: ${l}`),
      ...KEPT.filter((l) => ntpsecRejects(l)).map((l) => `ntpsec rejects: ${l}`),
    ];
    expect(disagreements).toEqual([]);
  }, 60_000);
});
