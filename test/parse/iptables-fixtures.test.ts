/** Hand-made dumps for the forms the shared corpus lacks (see corpus SOURCES.md "Known gaps"). */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import type { IpFamily } from "../../src/model/iptables.js";
import { parseIptablesSave } from "../../src/parse/iptables/index.js";
import { chain, show } from "./iptables-helpers.js";

const DIR = path.resolve(import.meta.dirname, "../fixtures/iptables");
const parse = (name: string, family: IpFamily = "ipv4") =>
  parseIptablesSave(readFileSync(path.join(DIR, name), "utf8"), name, family);

describe("fixtures", () => {
  test("save-counters.v4: iptables-save -c output, dotted mask, trailing blanks (1.4.x)", () => {
    const r = parse("save-counters.v4");
    expect(r.diagnostics).toEqual([]);
    expect(chain(r, "filter", "INPUT").counters).toEqual({ packets: "120", bytes: "9600" });
    const rules = chain(r, "filter", "RH-Firewall-1-INPUT").rules;
    expect(rules.map((x) => x.counters?.packets)).toEqual(["12", "1523", "40", "3", "0"]);
    expect(rules[2]!.source?.prefixes).toEqual(["192.0.2.0/24"]);
    expect(rules[3]!.target?.options[0]?.values).toEqual(["ntp refused: "]);
  });

  test("legacy-negation.rules: intrapositioned '!' normalised and kept, each line flagged (iptables 1.8+ rejects it)", () => {
    const r = parse("legacy-negation.rules");
    expect(r.diagnostics.map((d) => `${d.location.line}:${d.location.column} ${d.kind}`)).toEqual(["6:13 syntax", "7:13 syntax", "8:32 syntax"]);
    const rules = chain(r, "filter", "INPUT").rules;
    expect(rules.map((x) => x.legacyNegation)).toEqual([true, true, true]);
    expect(rules[0]!.inInterface).toMatchObject({ name: "eth0", negated: true });
    expect(rules[1]!.source).toMatchObject({ prefixes: ["192.0.2.0/24"], negated: true });
    expect(rules[2]!.ports.dport).toMatchObject({ ranges: [[123, 123]], negated: true });
    expect(rules[2]!.conntrack).toEqual({ states: ["INVALID"], negated: true });
  });

  test("nft-legacy-warning.v4: incompatible table and hidden legacy tables make the dump incomplete", () => {
    const r = parse("nft-legacy-warning.v4");
    expect(r.diagnostics).toEqual([]);
    expect(r.generator).toMatchObject({ program: "iptables-nft-save", version: "1.8.7", backend: null });
    expect(r.incomplete.map((i) => [i.kind, i.table, i.location.line])).toEqual([
      ["nft-incompatible-table", "raw", 9],
      ["legacy-tables-present", null, 10],
    ]);
  });

  test("shared-46.rules: each family keeps its own lines", () => {
    const v4 = parse("shared-46.rules", "ipv4");
    const v6 = parse("shared-46.rules", "ipv6");
    expect(show(v4.diagnostics)).toBe("");
    expect(show(v6.diagnostics)).toBe("");
    expect(chain(v4, "filter", "INPUT").rules.map((x) => [x.location.line, x.familyMarker])).toEqual([
      [6, null],
      [7, "-4"],
      [9, "-4"],
    ]);
    expect(chain(v6, "filter", "INPUT").rules.map((x) => [x.location.line, x.familyMarker])).toEqual([
      [6, null],
      [8, "-6"],
      [10, "-6"],
    ]);
    expect(v4.skipped.map((s) => s.location.line)).toEqual([8, 10]);
    expect(chain(v6, "filter", "INPUT").rules[2]!.source?.prefixes).toEqual(["fd00::/8"]);
  });

  test("ntp-server.v6: raw NOTRACK of udp/123, v6 prefixes, REJECT with icmp6", () => {
    const r = parse("ntp-server.v6", "ipv6");
    expect(r.diagnostics).toEqual([]);
    expect(chain(r, "raw", "PREROUTING").rules[0]!.target).toMatchObject({ name: "CT", options: [{ name: "notrack", values: [] }] });
    const input = chain(r, "filter", "INPUT").rules;
    expect(input[2]!.source?.prefixes).toEqual(["2001:db8:100::/48"]);
    expect(input[4]!.target?.options[0]?.values).toEqual(["icmp6-port-unreachable"]);
  });

  test("crlf.v4: CRLF line endings", () => {
    const r = parse("crlf.v4");
    expect(r.diagnostics).toEqual([]);
    const rule = chain(r, "filter", "INPUT").rules[0]!;
    expect(rule.text.endsWith("ACCEPT")).toBe(true);
    expect(rule.matches[1]!.options[0]!.values).toEqual(["ntp, from the lan"]);
  });

  test("truncated.v4: the last line is cut and the table never committed", () => {
    const r = parse("truncated.v4");
    expect(show(r.diagnostics)).toBe(
      [
        "2:1 structure table filter has no COMMIT (the file ends at line 7): iptables-restore applies nothing of it",
        "7:36 structure -j ACC: neither a chain of table filter nor a target ntp-policy knows (as a chain it does not exist: a real load fails on both backends, although iptables-nft-restore --test accepts it)",
      ].join("\n"),
    );
    expect(r.tables[0]).toMatchObject({ committed: false });
    expect(r.incomplete[0]).toMatchObject({ kind: "uncommitted-table", table: "filter" });
  });
});
