/**
 * The real-world corpus (third-party files, read in place) against the oracle: the lines ntpsec 1.2.2
 * rejected. ntpsec is stricter than classic ntpd 4.2.8 (no broadcast, manycast, crypto, autokey,
 * noepeer, bclient …) while this checker accepts the union of both dialects, so agreement is asserted
 * where a line is an error for both daemons, and every other difference is explained below.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseNtpConf } from "../../src/parse/ntp/index.js";
import { codePart, isBlank, splitLines } from "../../src/parse/ntp/text.js";
import { SHARED_CORPUS, sharedCorpusPresent } from "../requirements.js";

// The shared corpus sits beside the repository (../shared), in CI as here.
const CORPUS = SHARED_CORPUS;
const DIR = path.join(CORPUS, "ntp");
const ORACLE = path.join(CORPUS, "oracle-ntpsec-syntax.txt");

function oracle(): Map<string, number[]> {
  const map = new Map<string, number[]>();
  for (const line of readFileSync(ORACLE, "utf8").split("\n")) {
    if (line.startsWith("#") || line.trim() === "") continue;
    const [name, lines] = line.trim().split(/\s+/);
    map.set(name!, lines === "none" ? [] : lines!.split(",").filter(Boolean).map(Number));
  }
  return map;
}

/**
 * Files where the oracle reports rejected lines: what this parser rejects, which of the oracle's lines
 * are errors for classic ntpd too (`genuine`: asserted to be rejected here), and why the rest differ.
 * `template`: the file is a template (reported once, no syntax diagnostics).
 */
const DISAGREEMENTS: Record<string, { ours: number[] | "template"; genuine: number[]; why: string }> = {
  "11notes__docker-ntp__ntp.conf": {
    ours: [1, 2, 3],
    genuine: [1],
    why: "OpenNTPD syntax (listen on, sensor, servers). ntpsec reports only line 1: after a syntax error bison suppresses further error messages until three tokens have been shifted, and lines 2-3 come too soon.",
  },
  "EFForg__OpenWireless__etc_ntp.conf": {
    ours: [],
    genuine: [],
    why: "line 28 `broadcast ff02::101 autokey` is classic ntpd syntax; ntpsec removed broadcast mode and Autokey.",
  },
  "Enstore-org__enstore__etc_ntp.conf": {
    ours: [19],
    genuine: [],
    why: "line 16 `enable bclient` and line 17 `broadcastdelay` are classic ntpd syntax (ntpsec dropped both; line 17's error went unreported by bison's suppression, see above). Line 19 `authenticate no` is an xntpd-era keyword neither daemon knows; ntpsec's report of it was suppressed the same way.",
  },
  "ITSparkles__Pi-StratumOne__ntp.conf": {
    ours: [15],
    genuine: [15],
    why: "line 15 is prose (an error everywhere); line 43 `broadcast 192.168.1.255` is classic ntpd syntax.",
  },
  "MattX__2BSD__etc_ntp.conf": {
    ours: [13, 17],
    genuine: [13, 17],
    why: "2.11BSD-era NTPv1 syntax (`precision`, `peer / LOCL 5 -6 local`): an error for both daemons.",
  },
  "ansible-lockdown__RHEL7-CIS__templates_ntp.conf.j2": {
    ours: "template",
    genuine: [],
    why: "Jinja template (first marker line 23). ntpsec's 24 is the `{{` on line 24; its 22 is line 23: an error on a line that starts with a special character (`{`) is blamed on the previous line, where the last good token was.",
  },
  "burnbabyburn__docker-samba-dc__etc_ntp.conf": {
    ours: "template",
    genuine: [],
    why: "`{{ NTPSERVER }}` placeholders (lines 15, 32; ntpsec blames lines 14, 31 as above).",
  },
  "david-hill__knox__etc_ntp.conf": {
    ours: [],
    genuine: [],
    why: "`noepeer` is a restrict flag of ntpd 4.2.8p11+, unknown to ntpsec.",
  },
  "ghoneycutt__puppet-module-ntp__templates_ntp.conf.erb": {
    ours: "template",
    genuine: [],
    why: "ERB template.",
  },
  "mrhid6__SolarisADjoin__files_ntp.conf": {
    ours: "template",
    genuine: [],
    why: "`server %DCDomain` is a placeholder filled in by a script; lines 58 `broadcast 224.0.1.1 ttl 4` and 60 `enable auth monitor` are classic ntpd syntax.",
  },
  "ntpsec__ntpsec__etc_historical_baldwin.conf": {
    ours: [],
    genuine: [],
    why: "line 7 `manycastclient` is classic ntpd syntax.",
  },
  "ntpsec__ntpsec__etc_historical_rackety.conf": {
    ours: [],
    genuine: [],
    why: "line 28 `broadcast` and line 43 `crypto` are classic ntpd syntax.",
  },
};

const present = sharedCorpusPresent("ntp.conf corpus (test/parse/ntp-corpus.test.ts)", ["ntp", "oracle-ntpsec-syntax.txt"]);

describe.skipIf(!present)("ntp.conf corpus", () => {
  // Read only when present: a skipped describe still runs its body to collect the tests.
  const labels = present ? oracle() : new Map<string, number[]>();
  const files = existsSync(DIR) ? readdirSync(DIR).sort() : [];

  it("has an oracle label for every corpus file", () => {
    expect(files.filter((f) => !labels.has(f))).toEqual([]);
  });

  it.each(files)("%s", (name) => {
    const text = readFileSync(path.join(DIR, name), "utf8");
    const r = parseNtpConf(text, name);
    // Exactly one parse for every accepted line: the driver turns a second parse into an internal error.
    expect(r.diagnostics.filter((d) => /internal error|ambiguous/.test(d.message))).toEqual([]);
    // Every non-blank line is either a node or a diagnostic (or after `end`, or the file is a template).
    const codeLines = splitLines(text).filter((l) => !isBlank(codePart(l))).length;
    if (!r.template) expect(r.nodes.length + r.diagnostics.length).toBe(codeLines);

    const rejected = r.diagnostics.filter((d) => d.kind === "syntax").map((d) => d.location.line);
    const expectedByOracle = labels.get(name) ?? [];
    const known = DISAGREEMENTS[name];
    if (expectedByOracle.length === 0) {
      expect(rejected).toEqual([]);
      expect(known).toBeUndefined();
      return;
    }
    expect(known, `explain ${name} in DISAGREEMENTS`).toBeDefined();
    const agree = expectedByOracle.filter((l) => rejected.includes(l));
    console.log(
      `${name}: oracle rejects ${expectedByOracle.length} line(s) [${expectedByOracle.join(",")}], we reject ${agree.length} of them` +
        (r.template ? ` (file is a ${r.template.engine} template)` : `; we reject [${rejected.join(",")}]`),
    );
    if (known!.ours === "template") {
      expect(r.template).not.toBeNull();
      expect(r.diagnostics.map((d) => d.kind)).toEqual(["template"]);
    } else {
      expect(r.template).toBeNull();
      expect(rejected).toEqual(known!.ours);
      for (const line of known!.genuine) expect(rejected).toContain(line);
    }
  });
});
