/**
 * The nft ruleset language: what each construct becomes, where it is located, and what happens to input
 * that is wrong or not understood. (Agreement with nft itself: nft-oracle.test.ts and
 * nft-json-equivalence.test.ts.)
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { NftChain, NftRule, NftRuleset } from "../../src/model/nft.js";
import { loadNftConfig, parseNftJson, parseNftRuleset } from "../../src/parse/nft/index.js";
import { parseCounts } from "../../src/parse/nft/statement-parser.js";

const parse = (text: string): NftRuleset => parseNftRuleset(text, "etc/nftables.conf");
const chain = (r: NftRuleset, table: string, name: string): NftChain => {
  const c = r.tables.find((t) => t.name === table)?.chains.find((x) => x.name === name);
  if (!c) throw new Error(`no chain ${table} ${name}`);
  return c;
};
const rulesOf = (text: string, table = "t", name = "c"): NftRule[] => chain(parse(text), table, name).rules;

const hosts: string[] = [];
function host(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), "ntpp-nft-host-"));
  hosts.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}
afterAll(() => {
  for (const h of hosts) rmSync(h, { recursive: true, force: true });
});

describe("tables and base chains", () => {
  it("reads a base chain: type, hook, named priority with offset, policy, locations", () => {
    const r = parse("table inet filter {\n  chain input {\n    type filter hook input priority filter + 10; policy drop;\n  }\n}\n");
    expect(r.diagnostics).toEqual([]);
    const t = r.tables[0]!;
    expect(t).toMatchObject({ family: "inet", name: "filter", loc: { file: "etc/nftables.conf", line: 1, column: 1 } });
    const c = t.chains[0]!;
    expect(c.loc).toEqual({ file: "etc/nftables.conf", line: 2, column: 3 });
    expect(c.policy).toBe("drop");
    expect(c.base).toEqual({
      type: "filter", hook: "input", priorityText: "filter + 10", priority: 10,
      loc: { file: "etc/nftables.conf", line: 3, column: 5 },
    });
  });

  it.each([
    ["ip", "raw", -300], ["ip6", "mangle", -150], ["inet", "dstnat", -100], ["inet", "security", 50],
    ["ip", "srcnat - 5", 95], ["inet", "-150", -150], ["bridge", "filter", -200], ["bridge", "out", 100],
  ])("resolves priority in family %s: %s = %d", (family, prio, value) => {
    const r = parse(`table ${family} t { chain c { type filter hook forward priority ${prio}; } }`);
    expect(r.diagnostics).toEqual([]);
    expect(chain(r, "t", "c").base?.priority).toBe(value);
    expect(chain(r, "t", "c").policy).toBe("accept"); // nft's default policy
  });

  it("reports a priority name the family does not have", () => {
    const r = parse("table bridge t { chain c { type filter hook forward priority mangle; } }");
    expect(r.diagnostics).toMatchObject([{ kind: "structure", message: expect.stringMatching(/priority "mangle"/) }]);
  });

  it("reads every family, netdev devices, regular chains and table flags", () => {
    const r = parse([
      "table ip a { }", "table ip6 b { }", "table arp c { }", "table bridge d { }",
      'table netdev e { chain in { type filter hook ingress devices = { "eth0", eth1 } priority 0; } }',
      "table inet f { flags dormant; chain helper { } }",
    ].join("\n"));
    expect(r.diagnostics).toEqual([]);
    expect(r.tables.map((t) => t.family)).toEqual(["ip", "ip6", "arp", "bridge", "netdev", "inet"]);
    expect(chain(r, "e", "in").base?.devices).toEqual(["eth0", "eth1"]);
    expect(chain(r, "f", "helper").base).toBeUndefined();
    expect(r.tables[5]!.flags).toEqual(["dormant"]);
  });
});

describe("rules", () => {
  it("reads matches, statements and the verdict with the column of each item", () => {
    const [rule] = rulesOf('table inet t { chain c {\n\tip saddr 10.0.0.0/8 udp dport { 123, 323 } counter log prefix "ntp " accept comment "x"\n} }');
    expect(rule!.understood).toBe(true);
    expect(rule!.comment).toBe("x");
    expect(rule!.items.map((i) => [i.k, i.loc.line, i.loc.column])).toEqual([
      ["match", 2, 2], ["match", 2, 22], ["counter", 2, 45], ["log", 2, 53], ["verdict", 2, 71],
    ]);
    expect(rule!.items[0]).toMatchObject({ left: { k: "payload", protocol: "ip", field: "saddr" }, op: "==", right: { k: "value", text: "10.0.0.0/8" } });
    expect(rule!.items[1]).toMatchObject({
      left: { k: "payload", protocol: "udp", field: "dport" },
      right: { k: "set", elements: [{ key: { k: "value", text: "123" } }, { key: { k: "value", text: "323" } }] },
    });
  });

  it.each([
    ["ct state established,related accept", { left: { k: "ct", key: "state" }, right: { k: "list" } }],
    ["ct state != invalid accept", { op: "!=" }],
    ["meta l4proto udp accept", { left: { k: "meta", key: "l4proto" }, right: { text: "udp" } }],
    ["meta nfproto ipv6 accept", { left: { k: "meta", key: "nfproto" } }],
    ["th dport 123 accept", { left: { k: "payload", protocol: "th", field: "dport" } }],
    ["ip6 saddr fe80::/10 accept", { left: { protocol: "ip6" }, right: { text: "fe80::/10" } }],
    ["ip daddr 192.0.2.1-192.0.2.9 accept", { right: { text: "192.0.2.1-192.0.2.9" } }],
    ['iifname "eth*" accept', { left: { k: "meta", key: "iifname" }, right: { text: "eth*" } }],
    ["iif lo accept", { left: { k: "meta", key: "iif" } }],
    ["oif lo accept", { left: { k: "meta", key: "oif" } }],
    ["udp dport >= 1024 accept", { op: ">=" }],
    ["ip saddr . udp dport { 10.0.0.1 . 123 } accept", { left: { k: "concat" }, right: { k: "set", elements: [{ key: { k: "concat" } }] } }],
    ["ip saddr @allowed accept", { right: { k: "setref", name: "allowed" } }],
    ["ct original saddr 10.0.0.1 accept", { left: { k: "ct", key: "saddr", dir: "original" } }],
    ["fib daddr type local accept", { left: { k: "fib", flags: ["daddr"], result: "type" } }],
    ["meta mark & 0xff == 0x1 accept", { left: { k: "binop", op: "&" } }],
    ["tcp flags syn / fin,syn,rst,ack accept", { left: { k: "binop", op: "&" }, right: { text: "syn" } }],
  ])("reads the match in %s", (text, shape) => {
    const [rule] = rulesOf(`table inet t { set allowed { type ipv4_addr; }\n chain c { ${text}; } }`);
    expect(rule!.understood).toBe(true);
    expect(rule!.items[0]).toMatchObject({ k: "match", ...shape });
    expect(rule!.items.at(-1)).toMatchObject({ k: "verdict", verdict: "accept" });
  });

  it.each([
    ["drop", { verdict: "drop" }], ["reject", { verdict: "reject" }],
    ["reject with icmpx type admin-prohibited", { verdict: "reject", args: ["with", "icmpx", "type", "admin-prohibited"] }],
    ["reject with tcp reset", { verdict: "reject", args: ["with", "tcp", "reset"] }],
    ["jump other", { verdict: "jump", target: "other" }], ["goto other", { verdict: "goto", target: "other" }],
    ["return", { verdict: "return" }], ["continue", { verdict: "continue" }],
    ["queue num 1 bypass", { verdict: "queue", args: ["num", "1", "bypass"] }],
  ])("reads the verdict %s", (text, shape) => {
    const rules = rulesOf(`table inet t { chain other { }\n chain c { ${text} } }`);
    expect(rules[0]!.items).toMatchObject([{ k: "verdict", ...shape }]);
  });

  it.each([
    ["dnat to 10.0.0.2:123", { k: "nat", kind: "dnat", to: "10.0.0.2:123" }],
    ["dnat ip to 10.0.0.2", { k: "nat", kind: "dnat", family: "ip", to: "10.0.0.2" }],
    ["snat to 192.0.2.1 persistent", { k: "nat", kind: "snat", to: "192.0.2.1", flags: ["persistent"] }],
    ["redirect to :123", { k: "nat", kind: "redirect", to: ":123" }],
    ["masquerade random,persistent", { k: "nat", kind: "masquerade", flags: ["random", "persistent"] }],
    ["notrack", { k: "notrack", filters: false }],
    ["limit rate over 10/second burst 5 packets", { k: "limit", filters: true, args: ["over", "10/second", "burst", "5", "packets"] }],
    ["quota over 10 mbytes", { k: "quota", filters: true }],
    ["meta mark set 0x1", { k: "set", filters: false }],
    ["add @seen { ip saddr }", { k: "dynset" }],
  ])("reads the statement %s", (text, shape) => {
    const [rule] = rulesOf(`table ip t { set seen { type ipv4_addr; } chain c { ${text} } }`);
    expect(rule!.understood).toBe(true);
    expect(rule!.items[0]).toMatchObject(shape);
  });

  it("reads verdict maps with verdicts and jumps", () => {
    const [rule] = rulesOf("table inet t { chain ntp { }\n chain c { udp dport vmap { 123 : jump ntp, 124: drop } } }");
    expect(rule!.items).toMatchObject([{
      k: "vmap",
      key: { k: "payload", protocol: "udp", field: "dport" },
      map: { k: "set", elements: [{ key: { text: "123" }, value: { k: "verdict", verdict: "jump", target: "ntp" } }, { key: { text: "124" }, value: { verdict: "drop" } }] },
    }]);
  });

  it("keeps what it does not understand as an unknown item, verbatim, and still reads the rest of the rule", () => {
    const [rule] = rulesOf("table inet t { chain c { udp dport 123 tcp option maxseg size set rt mtu accept } }");
    expect(rule!.understood).toBe(false);
    expect(rule!.items).toMatchObject([
      { k: "match", left: { protocol: "udp" } },
      { k: "unknown", text: "tcp option maxseg size set rt mtu", loc: { line: 1, column: 40 } },
      { k: "verdict", verdict: "accept" },
    ]);
  });

  it("never reads a rule it does not understand as accepting nothing: the whole rule stays, as unknown", () => {
    const rules = rulesOf("table inet t { chain c { ct count over 10 drop } }");
    expect(rules).toHaveLength(1);
    expect(rules[0]!.understood).toBe(false);
    expect(rules[0]!.items).toMatchObject([{ k: "unknown", text: "ct count over 10" }, { k: "verdict", verdict: "drop" }]);
  });
});

describe("sets and maps", () => {
  it("reads types, flags, timeouts and elements (prefixes, ranges, concatenations, options)", () => {
    const r = parse([
      "table inet t {",
      "  set a { type ipv4_addr; flags interval, timeout; timeout 1h",
      "    elements = { 10.0.0.0/8, 192.0.2.1-192.0.2.9,",
      "                 198.51.100.7 timeout 30m comment \"x\" }",
      "  }",
      "  set b { typeof ip saddr . udp dport; elements = { 10.0.0.1 . 123 } }",
      "  map m { type ipv4_addr : verdict; elements = { 10.0.0.1 : accept } }",
      "}",
    ].join("\n"));
    expect(r.diagnostics).toEqual([]);
    const [a, b, m] = r.tables[0]!.sets;
    expect(a).toMatchObject({ name: "a", map: false, keyType: ["ipv4_addr"], flags: ["interval", "timeout"], timeout: "1h", loc: { line: 2, column: 3 } });
    expect(a!.elements).toEqual([
      { key: { k: "value", text: "10.0.0.0/8" } },
      { key: { k: "value", text: "192.0.2.1-192.0.2.9" } },
      { key: { k: "value", text: "198.51.100.7" }, options: ["timeout 30m", 'comment "x"'] },
    ]);
    expect(b).toMatchObject({ typeof: true, keyType: ["ip saddr", "udp dport"], elements: [{ key: { k: "concat" } }] });
    expect(m).toMatchObject({ map: true, dataType: "verdict", elements: [{ value: { k: "verdict", verdict: "accept" } }] });
  });

  it("reads long element lists element by element: a bad element is one diagnostic, the others are kept", () => {
    const elements = Array.from({ length: 200 }, (_, i) => (i === 150 ? "10.0.0.1 :: :" : `10.0.${Math.floor(i / 250)}.${i % 250}`));
    const r = parse(`table ip t {\n  set s {\n    type ipv4_addr\n    elements = { ${elements.join(",\n      ")} }\n  }\n}\n`);
    expect(r.diagnostics).toMatchObject([{ kind: "syntax", location: { line: 154 } }]);
    expect(r.tables[0]!.sets[0]!.elements).toHaveLength(199);
    expect(r.tables[0]!.sets[0]!.elements[0]).toEqual({ key: { k: "value", text: "10.0.0.0" } });
    const cmd = parse(`add table ip t\nadd set ip t s { type ipv4_addr; }\nadd element ip t s { ${elements.filter((_, i) => i !== 150).join(", ")} }\n`);
    expect(cmd.diagnostics).toEqual([]);
    expect(cmd.tables[0]!.sets[0]!.elements).toHaveLength(199);
  });

  it("builds a long set's one-word elements exactly as the grammar builds them in a short set", () => {
    const kinds = ["10.0.0.0/8", "192.0.2.1-192.0.2.9", "198.51.100.7", "2001:db8::/32", '"quoted name"', "ntp", "1024-65535", "0x7b", "eth*", "timeout", "10.0.0.1 . 123", "198.51.100.8 timeout 30m", "192.0.2.1 : accept", "counter"];
    const elements = Array.from({ length: 10 * kinds.length }, (_, i) => kinds[i % kinds.length]!);
    const set = (list: string[]): string => `table inet t {\n  set s {\n    type ipv4_addr\n    elements = { ${list.join(", ")} }\n  }\n}\n`;
    const long = parse(set(elements));
    // Short sets (below the long-set threshold) go through the grammar in one parse: the oracle.
    const short = [0, 1, 2, 3, 4].map((k) => parse(set(elements.slice(k * 2 * kinds.length, (k + 1) * 2 * kinds.length))));
    expect(long.diagnostics).toEqual([]);
    expect(short.flatMap((r) => r.diagnostics)).toEqual([]);
    expect(long.tables[0]!.sets[0]!.elements).toEqual(short.flatMap((r) => r.tables[0]!.sets[0]!.elements));
    expect(long.tables[0]!.sets[0]!.elements).toHaveLength(elements.length);
  });

  it("adds and deletes elements with flat commands", () => {
    const r = parse("add table ip t\nadd set ip t s { type ipv4_addr; }\nadd element ip t s { 192.0.2.1, 192.0.2.2 }\ndelete element ip t s { 192.0.2.1 }\n");
    expect(r.diagnostics).toEqual([]);
    expect(r.tables[0]!.sets[0]!.elements).toEqual([{ key: { k: "value", text: "192.0.2.2" } }]);
  });
});

describe("commands", () => {
  it("applies add, insert, flush and delete in order, with flush ruleset", () => {
    const r = parse([
      "table ip old { }",
      "flush ruleset",
      "add table inet t",
      "add chain inet t c { type filter hook input priority 0; policy drop; }",
      "add rule inet t c udp dport 123 accept",
      "insert rule inet t c ip saddr 127.0.0.1 accept",
      "add chain inet t gone",
      "delete chain inet t gone",
      "add chain inet t flushed",
      "add rule inet t flushed drop",
      "flush chain inet t flushed",
      "rule inet t c drop", // the verb is optional
    ].join("\n"));
    expect(r.diagnostics).toEqual([]);
    expect(r.tables.map((t) => t.name)).toEqual(["t"]);
    expect(r.tables[0]!.chains.map((c) => [c.name, c.rules.length])).toEqual([["c", 3], ["flushed", 0]]);
    const c = chain(r, "t", "c");
    expect(c.policy).toBe("drop");
    expect(c.rules.map((x) => x.loc.line)).toEqual([6, 5, 12]);
    expect(c.rules[0]!.loc).toEqual({ file: "etc/nftables.conf", line: 6, column: 22 });
  });

  it("flush ruleset FAMILY removes only that family", () => {
    const r = parse("table ip a { }\ntable inet b { }\nflush ruleset ip\n");
    expect(r.tables.map((t) => t.name)).toEqual(["b"]);
  });

  it("reports commands nft would refuse: a rule for a missing chain, a jump or set that does not exist", () => {
    const r = parse([
      "add table ip t",
      "add rule ip t nowhere accept",
      "add chain ip t c",
      "add rule ip t c jump missing",
      "add rule ip t c ip saddr @nope drop",
      "delete rule ip t c handle 4",
    ].join("\n"));
    expect(r.diagnostics.map((d) => [d.kind, d.location.line, d.message])).toEqual([
      ["structure", 2, 'add rule: ip t has no chain "nowhere"'],
      ["structure", 6, "delete rule by handle: handles are not known offline; not applied"],
      ["structure", 4, 'jump to chain "missing", which table ip t does not have'],
      ["structure", 5, "set @nope is not declared in table ip t"],
    ]);
  });
});

describe("variables, comments, continuations", () => {
  it("substitutes define'd values (sets, strings, nested variables) at the place of use", () => {
    const r = parse([
      "define PORTS = { 123, 323 }",
      'define IF = "eth0"',
      "define NETS = { 10.0.0.0/8, $ONE }".replace("$ONE", "192.0.2.1"),
      "table inet t {",
      "  chain c {",
      "    iifname $IF udp dport $PORTS ip saddr $NETS accept  # comment",
      "  }",
      "}",
    ].join("\n"));
    expect(r.diagnostics).toEqual([]);
    const [rule] = chain(r, "t", "c").rules;
    expect(rule!.items).toMatchObject([
      { k: "match", right: { k: "value", text: "eth0" }, loc: { line: 6, column: 5 } },
      { k: "match", right: { k: "set", elements: [{ key: { text: "123" } }, { key: { text: "323" } }] }, loc: { line: 6, column: 17 } },
      { k: "match", right: { k: "set" } },
      { k: "verdict" },
    ]);
  });

  it("reports an undefined variable at its use and keeps reading", () => {
    const r = parse("table inet t {\n  chain c {\n    udp dport $NOPE accept\n    udp dport 123 drop\n  }\n}\n");
    expect(r.diagnostics).toMatchObject([{ kind: "syntax", message: "undefined variable $NOPE", location: { line: 3, column: 15 }, text: "    udp dport $NOPE accept" }]);
    expect(chain(r, "t", "c").rules).toHaveLength(2);
  });

  it("redefine replaces, undefine removes, define twice is an error", () => {
    const r = parse("define A = 1\nredefine A = 2\ntable ip t { chain c { udp dport $A accept } }\nundefine A\ndefine B = 1\ndefine B = 2\n");
    expect(chain(r, "t", "c").rules[0]!.items[0]).toMatchObject({ right: { text: "2" } });
    expect(r.diagnostics.map((d) => d.message)).toEqual(["$B is already defined in this block (use redefine)"]);
  });

  it("joins lines ended by a backslash and keeps set elements spread over lines in one statement", () => {
    const r = parse("table ip t {\n  chain c {\n    udp dport 123 \\\n      accept\n    ip saddr {\n      10.0.0.1,\n      10.0.0.2\n    } drop\n  }\n}\n");
    expect(r.diagnostics).toEqual([]);
    expect(chain(r, "t", "c").rules.map((x) => x.items.map((i) => i.k))).toEqual([["match", "verdict"], ["match", "verdict"]]);
  });
});

describe("errors", () => {
  it("turns one bad statement into one located diagnostic and reads the rest", () => {
    const r = parse("table inet t {\n  chain c {\n    type filter hook input priority;\n    udp dport 123 accept\n  }\n  bogus thing\n}\n");
    expect(r.diagnostics.map((d) => [d.kind, d.location.line, d.location.column])).toEqual([["syntax", 3, 36], ["syntax", 6, 3]]);
    expect(r.diagnostics[0]!.message).toMatch(/^unexpected ';'|^unexpected end of statement/);
    expect(chain(r, "t", "c").rules).toHaveLength(1);
  });

  it("reports unbalanced braces", () => {
    expect(parse("table ip t {\n chain c {\n").diagnostics).toMatchObject([{ kind: "syntax", message: expect.stringMatching(/2 block\(s\) not closed/) }]);
    expect(parse("table ip t { }\n}\n").diagnostics).toMatchObject([{ location: { line: 2, column: 1 }, message: "unexpected '}': no block is open" }]);
    expect(parse("table ip t { chain c { ip saddr { 1.2.3.4 accept } }").diagnostics[0]!.message).toMatch(/not closed/);
  });

  it("skips the contents of a block whose header is wrong, without losing the blocks after it", () => {
    const r = parse("table ip t {\n  chain c d e {\n    accept\n  }\n  chain ok { drop; }\n}\n");
    expect(r.diagnostics).toHaveLength(1);
    expect(chain(r, "t", "ok").rules).toHaveLength(1);
  });

  it("never throws, and gives the same answer twice, on mangled input", () => {
    const base = readFileSync(path.resolve(import.meta.dirname, "../fixtures/nft/constructs.nft"), "utf8");
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pieces = ["{", "}", ";", "\n", "$X", "@s", '"', "\\\n", " . ", ",", ":", "accept", "table", "define X = {", "#", "include \"x\"", "\u0000", "é"];
    for (let i = 0; i < 200; i++) {
      let text = base;
      for (let k = 0; k < 5; k++) {
        const at = rand(text.length);
        text = rand(2) === 0 ? text.slice(0, at) + pieces[rand(pieces.length)] + text.slice(at) : text.slice(0, at) + text.slice(at + rand(20));
      }
      const a = parse(text);
      expect(JSON.stringify(parse(text))).toBe(JSON.stringify(a));
    }
  });
});

describe("includes", () => {
  it("follows absolute and relative includes and globs inside the host directory only", () => {
    const root = host({
      "etc/nftables.conf": 'include "/etc/nftables.d/*.nft"\ninclude "vars.nft"\ntable ip t {\n  include "/etc/chains/c.nft"\n}\n',
      "etc/nftables.d/10-a.nft": "table ip a { }\n",
      "etc/nftables.d/05-b.nft": "table ip b { }\n",
      "etc/nftables.d/readme.txt": "not included\n",
      "etc/vars.nft": "define P = 123\n",
      "etc/chains/c.nft": "chain c { udp dport $P accept }\n",
    });
    const r = loadNftConfig(root, "etc/nftables.conf");
    expect(r.diagnostics).toEqual([]);
    expect(r.files).toEqual(["etc/nftables.conf", "etc/nftables.d/05-b.nft", "etc/nftables.d/10-a.nft", "etc/vars.nft", "etc/chains/c.nft"]);
    expect(r.tables.map((t) => t.name)).toEqual(["b", "a", "t"]);
    expect(chain(r, "t", "c").rules[0]!.items[0]).toMatchObject({ right: { text: "123" }, loc: { file: "etc/chains/c.nft", line: 1, column: 11 } });
  });

  it("reports a missing file, accepts a glob that matches nothing, refuses paths and links leaving the host", () => {
    const outside = host({ "secret.nft": "table ip leaked { }\n" });
    const root = host({
      "etc/nftables.conf": 'include "/etc/missing.nft"\ninclude "/etc/none/*.nft"\ninclude "../../../../secret.nft"\ninclude "/etc/link.nft"\n',
    });
    symlinkSync(path.join(outside, "secret.nft"), path.join(root, "etc/link.nft"));
    const r = loadNftConfig(root, "etc/nftables.conf");
    expect(r.tables).toEqual([]);
    expect(r.diagnostics.map((d) => [d.kind, d.location.line])).toEqual([["include", 1], ["include", 3], ["include", 4]]);
    expect(r.diagnostics[0]!.message).toMatch(/no such file/);
    expect(r.diagnostics[1]!.message).toMatch(/leaves the host directory/);
    expect(r.diagnostics[2]!.message).toMatch(/outside the host directory/);
  });

  it("says so when a wildcard include goes through a directory link leaving the host, instead of matching nothing", () => {
    const outside = host({ "rules/leak.nft": "table ip leaked { }\n" });
    const root = host({ "etc/nftables.conf": 'include "/etc/linked/*.nft"\n' });
    symlinkSync(path.join(outside, "rules"), path.join(root, "etc/linked"));
    const r = loadNftConfig(root, "etc/nftables.conf");
    expect(r.tables).toEqual([]);
    expect(r.diagnostics).toMatchObject([{ kind: "include", location: { line: 1 }, message: expect.stringMatching(/etc\/linked is a link that leads outside the host directory/) }]);
  });

  it("stops include cycles at nft's depth limit", () => {
    const root = host({ "etc/nftables.conf": 'include "/etc/nftables.conf"\n' });
    const r = loadNftConfig(root, "etc/nftables.conf");
    expect(r.diagnostics).toMatchObject([{ kind: "include", message: expect.stringMatching(/nesting deeper than nft's limit of 16/) }]);
    expect(r.files).toHaveLength(16);
  });

  it("reports includes when no host directory is given", () => {
    expect(parse('include "/etc/x.nft"').diagnostics).toMatchObject([{ kind: "include", message: expect.stringMatching(/no host directory/) }]);
  });
});

describe("nft -j list ruleset", () => {
  it("locates each element by its JSON pointer", () => {
    const json = JSON.stringify({ nftables: [
      { metainfo: { version: "1.0.6" } },
      { table: { family: "inet", name: "t", handle: 1 } },
      { chain: { family: "inet", table: "t", name: "c", handle: 1, type: "filter", hook: "input", prio: 0, policy: "drop" } },
      { rule: { family: "inet", table: "t", chain: "c", handle: 2, expr: [
        { match: { op: "==", left: { payload: { protocol: "udp", field: "dport" } }, right: 123 } },
        { accept: null },
      ] } },
    ] });
    const r = parseNftJson(json, "nft-ruleset.json");
    expect(r.diagnostics).toEqual([]);
    const rule = chain(r, "t", "c").rules[0]!;
    expect(rule.handle).toBe(2);
    expect(rule.items[1]!.loc).toEqual({ file: "nft-ruleset.json", line: 1, column: 1, path: "/nftables/3/rule/expr/1" });
    expect(chain(r, "t", "c").base).toMatchObject({ hook: "input", priority: 0 });
  });

  it("applies JSON commands and reports what is not JSON or not an nft document", () => {
    const cmds = JSON.stringify({ nftables: [
      { add: { table: { family: "ip", name: "a" } } },
      { flush: { ruleset: null } },
      { add: { table: { family: "ip", name: "b" } } },
    ] });
    expect(parseNftJson(cmds, "x.json").tables.map((t) => t.name)).toEqual(["b"]);
    expect(parseNftJson("{", "x.json").diagnostics[0]!.message).toMatch(/^not JSON/);
    expect(parseNftJson("[]", "x.json").diagnostics[0]!.message).toMatch(/"nftables" array/);
  });
});

describe("the grammar", () => {
  it("has exactly one parse for every statement of the corpus and fixtures", () => {
    const dir = path.resolve(import.meta.dirname, "../corpus/nft");
    parseCounts.max = 0;
    for (const f of readdirSync(dir).filter((x) => /\.(nft|conf)$/.test(x))) parseNftRuleset(readFileSync(path.join(dir, f), "utf8"), f);
    parse(readFileSync(path.resolve(import.meta.dirname, "../fixtures/nft/constructs.nft"), "utf8"));
    expect(parseCounts.max).toBe(1);
  });
});
