/** Lexical rules of ntpd's scanner (formats.md §1.1) and the file-level behaviour around the grammar. */
import { describe, expect, it } from "vitest";
import { MAX_PARSED_LINE_CHARS, parseNtpConf } from "../../src/parse/ntp/index.js";
import { FILE, accept, at, one, w } from "./ntp-helpers.js";

describe("blanks, line ends, comments", () => {
  it("CRLF, tabs, blank and whitespace-only lines, no final newline", () => {
    const text = "# head\r\n\r\n \t \r\nserver\ta.example\t iburst\r\n\trestrict  default\tnoquery\r\n   \ndriftfile /d";
    const r = parseNtpConf(text, FILE);
    expect(r.diagnostics).toEqual([]);
    expect(r.lines).toBe(7);
    expect(r.nodes.map((n) => [n.keyword, n.location, n.text])).toEqual([
      ["server", at(4, 1), "server\ta.example\t iburst"],
      ["restrict", at(5, 2), "restrict  default\tnoquery"],
      ["driftfile", at(7, 1), "driftfile /d"],
    ]);
    const s = r.nodes[0]!;
    expect(s.kind === "association" && s.address).toEqual(w("a.example", 4, 8));
  });

  it("the same file with LF and with CRLF gives the same tree", () => {
    const lf = "server a iburst\nrestrict default kod limited\n";
    expect(parseNtpConf(lf.replace(/\n/g, "\r\n"), FILE)).toEqual(parseNtpConf(lf, FILE));
  });

  it("a comment may follow a word with no blank, and ends at the end of the line", () => {
    const n = one("server a.example iburst#prefer key 5");
    expect(n.kind === "association" && n.options).toEqual({ iburst: true });
    expect(n.text).toBe("server a.example iburst");
    expect(one("restrict default noquery # nomodify").text).toBe("restrict default noquery");
  });

  it("comment-only and indented comment lines produce nothing", () => {
    expect(accept("#\n   # x\n\t#server a\n")).toEqual([]);
  });

  it("empty file", () => {
    expect(parseNtpConf("", FILE)).toEqual({ nodes: [], diagnostics: [], template: null, lines: 0 });
  });
});

describe("quoted strings", () => {
  it("keep blanks and '#', have no escapes, and run to the end of the line when unterminated", () => {
    const nodes = accept('setvar Owner = "The # Boss" default\nkeys "/etc/my keys"\nlogfile "/var/log/ntp # x\ndriftfile "a\\"');
    expect(nodes.map((n) => n.kind === "directive" && n.args.map((a) => a.text))).toEqual([
      ["Owner", "=", "The # Boss", "default"],
      ["/etc/my keys"],
      ["/var/log/ntp # x"],
      ["a\\"],
    ]);
  });

  it("a quoted keyword is a string, not the keyword", () => {
    const n = one('restrict "default" noquery');
    expect(n.kind === "restrict" && [n.target, n.address]).toEqual(["address", w("default", 1, 10)]);
  });
});

describe("bytes ntpd skips, lines it cannot take", () => {
  it("non-ASCII characters are skipped as ntpd skips bytes above 127; columns stay those of the file", () => {
    const nodes = accept("\uFEFFserver a.example\u00a0iburst\nrestrict de\u00adfault noquery # caf\u00e9");
    expect(nodes[0]!.location).toEqual(at(1, 2));
    // a no-break space is not a blank to ntpd: its bytes vanish and the words join
    expect(nodes[0]!.kind === "association" && [nodes[0]!.address, nodes[0]!.options]).toEqual([w("a.exampleiburst", 1, 9), {}]);
    // ntpd reads `de<soft hyphen>fault` as `default`
    expect(nodes[1]!.kind === "restrict" && nodes[1]!.target).toBe("default");
    expect(nodes[1]!.kind === "restrict" && nodes[1]!.flags).toEqual([w("noquery", 2, 19)]);
  });

  it("a line of nothing but non-ASCII characters is blank to ntpd", () => {
    expect(accept("\u00e9\u00e9\u2028\n\uFEFF\nserver a")).toHaveLength(1);
  });

  it("an error after skipped bytes is located in the file's columns", () => {
    const r = parseNtpConf("restrict \u00e9\u00e9 default bogus", FILE);
    expect(r.diagnostics.map((d) => d.location)).toEqual([at(1, 21)]);
  });

  it("a word longer than ntpd's 1024 characters is rejected cheaply, even in a 10 MB line", () => {
    const big = "x".repeat(10 * 1024 * 1024);
    const started = Date.now();
    const r = parseNtpConf(`server a.example\nserver ${big} iburst\nserver b.example\n`, FILE);
    expect(r.nodes.map((n) => n.location.line)).toEqual([1, 3]);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]!.location).toEqual(at(2, 8));
    expect(r.diagnostics[0]!.message).toBe(`word of ${big.length} characters is longer than ntpd's limit of 1024 (ntpd refuses to start)`);
    expect(r.diagnostics[0]!.text!.length).toBeLessThan(500);
    expect(Date.now() - started).toBeLessThan(20_000); // generous: "does not hang", not a benchmark
  });

  it("a word of exactly 1024 characters is fine; quotes do not count", () => {
    accept(`server ${"a".repeat(1024)}\nkeys "${"b".repeat(1024)}"`);
    expect(parseNtpConf(`server ${"a".repeat(1025)}`, FILE).diagnostics[0]!.location).toEqual(at(1, 8));
  });

  it("a megabyte line of short words is reported, not parsed", () => {
    const r = parseNtpConf(`ttl ${"1 ".repeat(500_000)}\nserver a\n`, FILE);
    expect(r.nodes).toHaveLength(1);
    expect(r.diagnostics.map((d) => [d.location, d.message])).toEqual([
      [at(1, 1), `line of ${4 + 1_000_000} characters is too long to check (limit ${MAX_PARSED_LINE_CHARS}); ntpd would read it`],
    ]);
  });

  it("a long comment is just a comment", () => {
    accept(`server a # ${"c".repeat(2_000_000)}`);
  });

  it.each([
    ["{{", "{".repeat(4_000_000)],
    ["<%", "<%".repeat(2_000_000)],
    ["${", "${a".repeat(1_000_000)],
    ["%a", " %aaaa".repeat(800_000)],
    ['"', '"'.repeat(4_000_000)],
  ])("hostile line full of %j stays linear", (_, line) => {
    const started = Date.now();
    const r = parseNtpConf(`${line}\nserver a\n`, FILE);
    expect(r.diagnostics.length + (r.template ? 0 : r.nodes.length)).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("control characters never crash the parser", () => {
    const r = parseNtpConf("server \u0001\u0002 iburst\nrestrict \u0000 noquery\n\u0007", FILE);
    expect(r.nodes.map((n) => n.keyword)).toEqual(["server", "restrict"]);
    expect(r.diagnostics).toHaveLength(1);
  });
});

describe("end", () => {
  it("stops reading: later lines, good or bad, are not parsed", () => {
    const r = parseNtpConf("server a\nend\nserver b\nthis is not ntp.conf\n", FILE);
    expect(r.nodes.map((n) => n.keyword)).toEqual(["server", "end"]);
    expect(r.diagnostics).toEqual([]);
    expect(r.lines).toBe(4);
  });
});
