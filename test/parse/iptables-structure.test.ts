import { describe, expect, test } from "vitest";
import { findChain, findTable, indexChains } from "../../src/model/iptables.js";
import { parseIptablesSave } from "../../src/parse/iptables/index.js";
import { BODY, chain, filter, load, show, where } from "./iptables-helpers.js";

const names = (r: ReturnType<typeof load>, table: string, c: string): string[] =>
  chain(r, table, c).rules.map((x) => x.text);

describe("file structure", () => {
  test("rules, chain declarations and COMMIT outside any table", () => {
    const r = load(["-A INPUT -j ACCEPT", ":X - [0:0]", "COMMIT", "*filter", "COMMIT"]);
    expect(show(r.diagnostics)).toBe(
      [
        "1:1 structure command outside a table (no *table line before it): iptables-restore rejects it",
        "2:1 structure chain declaration outside a table (no *table line before it)",
        "3:1 structure COMMIT outside a table (no *table line before it)",
      ].join("\n"),
    );
    expect(r.tables.map((t) => [t.name, t.committed, t.loadable])).toEqual([["filter", true, true]]);
  });

  test("a table without COMMIT at the end of the file (truncated dump) is kept, marked uncommitted", () => {
    const r = load(["*filter", ":INPUT DROP [0:0]", "-A INPUT -p udp --dport 123 -j ACCEPT"]);
    expect(show(r.diagnostics)).toBe(
      "1:1 structure table filter has no COMMIT (the file ends at line 3): iptables-restore applies nothing of it",
    );
    expect(r.diagnostics[0]!.text).toBe("*filter");
    expect(r.tables[0]).toMatchObject({ name: "filter", committed: false });
    expect(chain(r, "filter", "INPUT").rules).toHaveLength(1);
    expect(r.incomplete).toEqual([
      {
        kind: "uncommitted-table",
        reason: "table filter has no COMMIT: iptables-restore applies nothing of it",
        location: { file: "rules.v4", line: 1, column: 1 },
        table: "filter",
      },
    ]);
  });

  test("truncated in the middle of a line", () => {
    const text = "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p udp -m udp --dp";
    const r = parseIptablesSave(text, "rules.v4", "ipv4");
    expect(where(r)).toEqual(["1:1 structure", "3:24 syntax"]);
    // getopt accepts unambiguous abbreviations: --dp is --dport, which lacks its value.
    expect(r.diagnostics[1]!.message).toBe("option --dp requires an argument");
    expect(r.tables[0]!.committed).toBe(false);
  });

  test("a new *table while one is open: the open one is uncommitted", () => {
    const r = load(["*nat", ":PREROUTING ACCEPT [0:0]", "*filter", ":INPUT ACCEPT [0:0]", "COMMIT"]);
    expect(show(r.diagnostics)).toBe("3:1 structure *table while table nat is still open (no COMMIT): iptables-restore rejects this line");
    expect(r.tables.map((t) => [t.name, t.committed])).toEqual([
      ["nat", false],
      ["filter", true],
    ]);
    expect(r.incomplete.map((i) => i.table)).toEqual(["nat"]);
  });

  test("duplicate tables: the later block replaces the earlier one (restore flushes the table)", () => {
    const r = load(["*filter", "-A INPUT -j DROP", "COMMIT", "*filter", "-A INPUT -j ACCEPT", "COMMIT"]);
    // Both backends accept it (checked against the real tools in iptables-restore-oracle-backends.test.ts).
    expect(r.diagnostics).toEqual([]);
    expect(r.tables).toHaveLength(1);
    expect(names(r, "filter", "INPUT")).toEqual(["-A INPUT -j ACCEPT"]);
  });

  test("unknown table names", () => {
    const r = load(["*filtre", ":X - [0:0]", "-A X -j ACCEPT", "COMMIT"]);
    expect(where(r)).toEqual(["1:1 structure"]);
    expect(r.diagnostics[0]!.message).toContain('unknown table "filtre"');
    expect(r.tables[0]).toMatchObject({ name: "filtre", loadable: false, committed: true });
  });

  test("model lookup helpers", () => {
    const r = filter([":X - [0:0]"]);
    const t = findTable(r, "filter")!;
    expect(findChain(t, "X")?.builtin).toBe(false);
    expect([...indexChains(t).keys()]).toEqual(["INPUT", "FORWARD", "OUTPUT", "X"]);
    expect(findTable(r, "nat")).toBeUndefined();
  });

  test("built-in chains exist without declaration; their policy is then unknown (null)", () => {
    const r = load(["*filter", "-A INPUT -j ACCEPT", "COMMIT"]);
    expect(r.diagnostics).toEqual([]);
    expect(r.tables[0]!.chains.map((c) => [c.name, c.builtin, c.declared, c.policy])).toEqual([
      ["INPUT", true, false, null],
      ["FORWARD", true, false, null],
      ["OUTPUT", true, false, null],
    ]);
  });

  test("rules for an undeclared chain: structure diagnostic, chain kept as undeclared", () => {
    const r = filter(["-A MYCHAIN -j ACCEPT", "-A INPUT -j MYCHAIN"]);
    expect(show(r.diagnostics)).toBe(
      `${BODY}:4 structure rule for chain MYCHAIN, which is not declared in table filter (no :MYCHAIN line or -N): iptables-restore rejects it`,
    );
    expect(chain(r, "filter", "MYCHAIN")).toMatchObject({ declared: false, builtin: false });
    expect(chain(r, "filter", "INPUT").rules[0]!.target).toMatchObject({ name: "MYCHAIN", resolution: "chain" });
    expect(r.tables[0]!.loadable).toBe(false);
  });

  test("a jump to a chain that does not exist", () => {
    const r = filter(["-A INPUT -j NOPE", "-A INPUT -g ACCEPT"]);
    expect(show(r.diagnostics)).toBe(
      [
        `${BODY}:10 structure -j NOPE: neither a chain of table filter nor a target ntp-policy knows (as a chain it does not exist: a real load fails on both backends, although iptables-nft-restore --test accepts it)`,
        `${BODY + 1}:10 structure -g ACCEPT: goto needs a user-defined chain of table filter`,
      ].join("\n"),
    );
  });

  test("chain declarations: policy checks, redeclaration, user chain without '-', strtok-style ': NAME'", () => {
    const r = load([
      "*filter",
      ":INPUT REJECT [0:0]",
      ":NF_PERSIST_INPUT [0:0]",
      ":A - [0:0]",
      ":A - [0:0]",
      ": B - [0:0]",
      ":C",
      "COMMIT",
    ]);
    expect(show(r.diagnostics)).toBe(
      [
        '2:8 syntax can\'t set policy "REJECT" on built-in chain INPUT (ACCEPT or DROP)',
        "3:19 portability user-defined chain NF_PERSIST_INPUT declared with counters but no policy ('-'): iptables-legacy-restore rejects this line, iptables-nft-restore accepts it, and the dump does not record which backend the host uses (no iptables-version)",
        "5:1 portability chain A is declared twice in table filter (first at line 4): iptables-legacy-restore rejects this line, iptables-nft-restore accepts it, and the dump does not record which backend the host uses (no iptables-version)",
        "7:3 syntax unexpected end of line; expected value",
      ].join("\n"),
    );
    expect(r.tables[0]!.chains.map((c) => c.name)).toEqual(["INPUT", "FORWARD", "OUTPUT", "NF_PERSIST_INPUT", "A", "B"]);
  });

  test("chain declarations may come after rules (fspv corpus file)", () => {
    const r = load(["*filter", ":X [0:0]", "-A X -j DROP", ":INPUT ACCEPT [0:0]", "-A INPUT -j X", "COMMIT"]);
    expect(where(r)).toEqual(["2:4 portability"]);
    expect(chain(r, "filter", "INPUT")).toMatchObject({ policy: "ACCEPT", declared: true });
    expect(chain(r, "filter", "INPUT").rules[0]!.target?.resolution).toBe("chain");
  });

  test("CRLF line endings are tolerated: the same model, no diagnostic", () => {
    const lf = "# x\n*filter\n:INPUT DROP [0:0]\n-A INPUT -p udp -m udp --dport 123 -m comment --comment \"ntp\" -j ACCEPT\nCOMMIT\n";
    const a = parseIptablesSave(lf, "f", "ipv4");
    const b = parseIptablesSave(lf.replace(/\n/g, "\r\n"), "f", "ipv4");
    expect(b.diagnostics).toEqual([]);
    expect(b).toEqual(a);
  });

  test("a final line without newline, and a UTF-8 BOM", () => {
    const r = parseIptablesSave("\uFEFF*filter\n-A INPUT -j ACCEPT\nCOMMIT", "f", "ipv4", { backend: "nf_tables" });
    expect(r.diagnostics).toEqual([]);
    expect(r.tables[0]!.committed).toBe(true);
    expect(r.stats.lines).toBe(3);
  });

  test("a 10 MB line is rejected with a located diagnostic, fast, without feeding it to the parser", () => {
    const big = `-A INPUT -m comment --comment ${"x ".repeat(5_000_000)}-j ACCEPT`;
    const text = `*filter\n${big}\n-A INPUT -j DROP\nCOMMIT\n`;
    const started = performance.now();
    const r = parseIptablesSave(text, "f", "ipv4");
    expect(performance.now() - started).toBeLessThan(2000);
    expect(show(r.diagnostics)).toBe("2:1 syntax line of 10000039 characters: iptables-restore reads at most 10239 per line");
    expect(r.diagnostics[0]!.text!.length).toBeLessThanOrEqual(401);
    expect(chain(r, "filter", "INPUT").rules.map((x) => x.text)).toEqual(["-A INPUT -j DROP"]);
  });

  test("a v6 dump given as v4, and a v4 dump given as v6: one diagnostic, the parse continues", () => {
    const v6 = [
      "*filter",
      ":INPUT DROP [0:0]",
      "-A INPUT -s ::1/128 -j ACCEPT",
      "-A INPUT -s fe80::/10 -d ff02::1 -j ACCEPT",
      "-A INPUT -p udp --dport 123 -j ACCEPT",
      "COMMIT",
    ];
    const r = load(v6, "ipv4");
    expect(show(r.diagnostics)).toBe(
      "3:1 structure 3 IPv6 addresses in a file read as iptables-save (IPv4): is this the ip6tables dump? iptables-restore rejects these rules",
    );
    const rules = chain(r, "filter", "INPUT").rules;
    expect(rules).toHaveLength(3);
    expect(rules[1]!.source).toMatchObject({ prefixes: [], otherFamily: ["fe80::/10"] });
    const back = load(["*filter", "-A INPUT -s 10.0.0.0/8 -j ACCEPT", "COMMIT"], "ipv6");
    expect(where(back)).toEqual(["2:1 structure"]);
    expect(back.diagnostics[0]!.message).toContain("1 IPv4 address in a file read as ip6tables-save (IPv6)");
  });

  test("nothing throws for bad content", () => {
    const junk = ["\u0000\u0001\u0002", "*", ":", "[", "]", '"', "!", "-", "--", "COMMIT\tx", "*nat *filter", "-A", "-E a"];
    expect(() => parseIptablesSave(junk.join("\n"), "f", "ipv4")).not.toThrow();
    expect(() => parseIptablesSave(`*filter\n${junk.join("\n")}\nCOMMIT`, "f", "ipv6")).not.toThrow();
  });
});

describe("commands are applied in order, as iptables-restore does", () => {
  test("-A appends, -I inserts at a position (default 1)", () => {
    const r = filter(["-A INPUT -j LOG", "-A INPUT -j DROP", "-I INPUT -s 10.0.0.1 -j ACCEPT", "-I INPUT 3 -s 10.0.0.2 -j ACCEPT"]);
    expect(names(r, "filter", "INPUT")).toEqual([
      "-I INPUT -s 10.0.0.1 -j ACCEPT",
      "-A INPUT -j LOG",
      "-I INPUT 3 -s 10.0.0.2 -j ACCEPT",
      "-A INPUT -j DROP",
    ]);
  });

  test("-I beyond the end of the chain", () => {
    const r = filter(["-A INPUT -j DROP", "-I INPUT 3 -j ACCEPT"]);
    expect(show(r.diagnostics)).toBe(`${BODY + 1}:10 structure -I INPUT 3: index of insertion too big (the chain has 1 rules)`);
  });

  test("-D by number and by specification (basic option order and implicit matches do not matter)", () => {
    const r = filter([
      "-A INPUT -p udp -m udp --dport 123 -m comment --comment ntp -j ACCEPT",
      "-A INPUT -s 192.0.2.0/24 -j DROP",
      "-A INPUT -j LOG",
      "-D INPUT -p udp --dport 123 -j ACCEPT -m comment --comment ntp",
      "-D INPUT 2",
      "-D INPUT -j REJECT",
    ]);
    expect(names(r, "filter", "INPUT")).toEqual(["-A INPUT -s 192.0.2.0/24 -j DROP"]);
    expect(show(r.diagnostics)).toBe(`${BODY + 5}:1 structure -D INPUT: no rule in the chain matches this specification`);
    expect(r.stats.rules).toBe(1);
  });

  test("-D by specification compares match order like the kernel (an implicit match is loaded last)", () => {
    const r = filter(["-A INPUT -p udp -m udp --dport 123 -m comment --comment ntp -j ACCEPT", "-D INPUT -p udp -m comment --comment ntp --dport 123 -j ACCEPT"]);
    expect(where(r)).toEqual([`${BODY + 1}:1 structure`]);
  });

  test("-R replaces a rule", () => {
    const r = filter(["-A INPUT -j LOG", "-A INPUT -j DROP", "-R INPUT 2 -j ACCEPT", "-R INPUT 5 -j ACCEPT"]);
    expect(names(r, "filter", "INPUT")).toEqual(["-A INPUT -j LOG", "-R INPUT 2 -j ACCEPT"]);
    expect(where(r)).toEqual([`${BODY + 3}:10 structure`]);
  });

  test("-N creates, -F flushes, -X deletes, -E renames (references move along), -Z is accepted", () => {
    const r = filter([
      "-N a",
      "-A a -j LOG",
      "-A INPUT -j a",
      "-N b",
      "-A b -j DROP",
      "-F b",
      "-X b",
      "-E a renamed",
      "-Z",
      "-Z INPUT 1",
      "-N a",
    ]);
    expect(r.diagnostics).toEqual([]);
    expect(r.tables[0]!.chains.map((c) => c.name)).toEqual(["INPUT", "FORWARD", "OUTPUT", "renamed", "a"]);
    expect(chain(r, "filter", "INPUT").rules[0]!.target).toMatchObject({ name: "renamed", resolution: "chain" });
  });

  test("-X of a referenced or non-empty chain, -X of a built-in, -F of an unknown chain", () => {
    const r = filter(["-N a", "-A a -j LOG", "-A INPUT -j a", "-X a", "-F a", "-X a", "-X INPUT", "-F nope"]);
    expect(show(r.diagnostics)).toBe(
      [
        `${BODY + 3}:4 structure -X a: chain is not empty (flush it first)`,
        `${BODY + 5}:4 structure -X a: chain is still referenced by a rule`,
        `${BODY + 6}:4 structure -X INPUT: built-in chains cannot be deleted`,
        `${BODY + 7}:4 structure -F nope: no such chain`,
      ].join("\n"),
    );
  });

  test("-F without a chain flushes the table; -X without a chain deletes the empty user chains", () => {
    const r = filter(["-N a", "-A a -j LOG", "-A INPUT -j ACCEPT", "-F", "-X"]);
    expect(r.diagnostics).toEqual([]);
    expect(r.tables[0]!.chains.map((c) => [c.name, c.rules.length])).toEqual([
      ["INPUT", 0],
      ["FORWARD", 0],
      ["OUTPUT", 0],
    ]);
    expect(r.stats.rules).toBe(0);
  });

  test("-P sets a built-in policy, overriding the :CHAIN declaration; not on user chains; no DROP in nat", () => {
    const r = load([
      "*filter",
      ":INPUT ACCEPT [0:0]",
      ":X - [0:0]",
      "-P INPUT DROP",
      "-P X DROP",
      "COMMIT",
      "*nat",
      "-P PREROUTING DROP",
      "COMMIT",
    ]);
    expect(chain(r, "filter", "INPUT").policy).toBe("DROP");
    expect(show(r.diagnostics)).toBe(
      [
        "5:4 structure -P X: only built-in chains of table filter have a policy",
        "8:15 syntax the nat table is not intended for filtering: DROP is not allowed",
      ].join("\n"),
    );
  });

  test("-N of an existing chain; -E to an existing name; -D/-R on an unknown chain", () => {
    const r = filter(["-N a", "-N a", "-N b", "-E a b", "-E nope x", "-D nope 1", "-R nope 1 -j DROP"]);
    expect(where(r)).toEqual([`${BODY + 1}:4 structure`, `${BODY + 3}:6 structure`, `${BODY + 4}:4 structure`, `${BODY + 5}:4 structure`, `${BODY + 6}:4 structure`]);
  });
});
