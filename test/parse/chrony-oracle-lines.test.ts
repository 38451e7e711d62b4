/**
 * The chrony.conf grammar against chronyd on generated lines: every directive of chrony 4.3 (and unknown
 * ones, in mixed case) with argument words drawn from numbers in every sscanf-relevant shape, addresses and
 * subnets valid and not, option names of other directives and plain words. For each line the parser's
 * verdict (accepted, or refused with chronyd's message) must be what `chronyd -p` says. Also checks, without
 * chronyd, that no line is ever ambiguous to the grammar. NTPP_REQUIRE_CHRONY=1 makes a missing chronyd fail.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseChronyConf } from "../../src/parse/chrony/index.js";
import { ARITY, CHRONY_DIRECTIVES, LOG_PARAMETERS, REFCLOCK_FLAGS, SOURCE_FLAGS, SOURCE_INT_OPTIONS } from "../../src/parse/chrony/values.js";
import { chronydAvailable, chronydCheck } from "../chrony/chronyd.js";
import { requireOrSkip } from "../requirements.js";

// Directives whose reading touches the file system or DNS on the checking machine.
const SIDE_EFFECTS = new Set(["include", "confdir", "initstepslew"]);
const DIRECTIVES = [...CHRONY_DIRECTIVES].filter((d) => !SIDE_EFFECTS.has(d)).sort();
const WORDS = [
  "0", "1", "-1", "3", "10", "16", "24", "123", "+5", "1.5", "0.5", "-0.001", "1e3", "1e", ".5", "5.", "0x10", "inf", "nan",
  "12x", "x12", "4294967296", "0.0.0.0", "10.0.0.0", "10", "10/8", "10.1", "1.2.3", "1.2.3.4", "1.2.3.4/24", "10/33", "256.1",
  "1.2.3.4.5", "01.2.3.4", "::", "::1", "2001:db8::/32", "2001:db8::1/129", "fe80::1%eth0", "::ffff:1.2.3.4", "/var/run/x.sock", "/",
  "all", "ALL", "F323", "f323", "0xF323", "GPS", "GPSXX", "PPS", "SHM", "slew", "system", "step", "ignore", "require", "prefer",
  "mix", "smear", "leaponly", "LeapOnly", "orphan", "stratum", "distance", "interval", "burst", "leak", "rxfilter", "ntp", "none",
  "nocrossts", "eth0", "*", "#", "a#b", ...SOURCE_FLAGS, ...SOURCE_INT_OPTIONS, ...REFCLOCK_FLAGS, "poll", "refid", "lock",
  ...LOG_PARAMETERS, "Tracking", "user@example", "chrony",
];

const NUMERIC = WORDS.slice(0, WORDS.indexOf("/var/run/x.sock"));

function lines(count: number, seed: number): string[] {
  let s = seed;
  const rand = (n: number): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % n;
  };
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let d = rand(20) === 0 ? "bogus" : DIRECTIVES[rand(DIRECTIVES.length)]!;
    if (rand(8) === 0) d = d.toUpperCase();
    // Half the lines get the argument count the directive takes, mostly numbers and addresses, so that
    // chronyd's value checks (not only its argument counts) decide.
    const shaped = rand(2) === 0;
    const counts = ARITY.get(d.toLowerCase());
    const n = shaped && counts ? counts[rand(counts.length)]! : rand(6);
    const pool = shaped ? NUMERIC : WORDS;
    const args = Array.from({ length: n }, () => pool[rand(pool.length)]!);
    out.push([d, ...args].join(rand(10) === 0 ? "\t " : " "));
  }
  return out;
}

/** The parser's verdict on a one-line file, in chronyd -p's terms; null when chronyd's answer depends on DNS. */
function parserVerdict(line: string): { accepted: boolean; fatal: string | null } | null {
  const r = parseChronyConf(`${line}\n`, "t.conf", { hostPath: "/t.conf" });
  if (r.nodes.some((n) => n.kind === "access" && n.subnet.family === "hostname")) return null;
  const fatal = r.diagnostics.find((d) => d.fatal && d.stage === "parse");
  return fatal ? { accepted: false, fatal: fatal.daemonMessage! } : { accepted: true, fatal: null };
}

describe("chrony grammar on generated lines", () => {
  it("is never ambiguous and never throws", () => {
    for (const line of lines(4000, 7)) {
      const r = parseChronyConf(`${line}\n`, "t.conf");
      expect(r.diagnostics.filter((d) => /internal error/.test(d.message)), line).toEqual([]);
    }
  });

});

const chronyd = chronydAvailable();
const oracle = requireOrSkip("chrony line oracle (chronyd -p)", chronyd.ok, chronyd.ok ? "" : chronyd.reason, "NTPP_REQUIRE_CHRONY");

describe.runIf(oracle)("chrony grammar against chronyd on generated lines", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "ntpp-chrony-lines-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("agrees with chronyd -p on 600 generated lines (verdict and message)", () => {
    if (!chronyd.ok) throw new Error(chronyd.reason);
    const file = path.join(dir, "t.conf");
    const disagreements: string[] = [];
    let accepted = 0;
    let compared = 0;
    for (const line of lines(600, 11)) {
      const mine = parserVerdict(line);
      if (mine === null) continue;
      writeFileSync(file, `${line}\n`);
      const theirs = chronydCheck(chronyd.chronyd, file);
      const theirFatal = theirs.fatal?.replace(` in file ${file}`, " in file /t.conf") ?? null;
      compared++;
      if (theirs.accepted) accepted++;
      if (theirs.accepted !== mine.accepted || theirFatal !== mine.fatal) {
        disagreements.push(`${JSON.stringify(line)}: chronyd ${theirs.accepted ? "accepts" : `refuses (${theirFatal})`}, parser ${mine.accepted ? "accepts" : `refuses (${mine.fatal})`}`);
      }
    }
    console.log(`chrony line oracle: ${compared} lines compared, ${accepted} accepted by chronyd, ${disagreements.length} disagreements`);
    expect(disagreements).toEqual([]);
    // Both verdicts occur often enough for the comparison to mean something.
    expect(accepted).toBeGreaterThan(compared * 0.05);
    expect(accepted).toBeLessThan(compared * 0.95);
  }, 120_000);
});
