import { describe, expect, it } from "vitest";
import { parseNftRuleset } from "../../src/parse/nft/index.js";

const chain = (...rules: string[]) => `table inet t {\n  chain c {\n    type filter hook input priority 0;\n${rules.map((r) => `    ${r}\n`).join("")}  }\n}\n`;
const problems = (...rules: string[]) => parseNftRuleset(chain(...rules), "nftables.conf").diagnostics.map((d) => [d.location.line, d.message]);

describe("rules nft refuses although each statement is well formed", () => {
  it("two transport protocols in one rule", () => {
    expect(problems("tcp dport 123 udp dport 53 accept", "meta l4proto tcp udp dport 53 accept")).toEqual([
      [4, "conflicting protocols specified: tcp vs. udp"],
      [5, "conflicting protocols specified: tcp vs. udp"],
    ]);
    expect(problems("meta l4proto { tcp, udp } th dport 123 accept", "meta l4proto udp udp dport 123 accept", "tcp flags syn tcp dport 22 accept")).toEqual([]);
  });

  it("a verdict map element that is not a map verdict, and overlapping keys in an anonymous verdict map", () => {
    expect(problems("udp dport vmap { 123 : reject, 53 : accept }")).toEqual([[4, "syntax error, unexpected reject: a verdict map holds accept, drop, continue, return, jump or goto"]]);
    expect(problems("ip6 saddr vmap { 8000::/1 : drop, fd00::/8 : drop }", "udp dport vmap { 100-200 : accept, 150 : drop }")).toEqual([
      [4, "conflicting intervals specified: 8000::/1 and fd00::/8 overlap in a verdict map"],
      [5, "conflicting intervals specified: 100-200 and 150 overlap in a verdict map"],
    ]);
    expect(problems("ip saddr vmap { 10.0.0.0/8 : accept, 11.0.0.0/8 : drop }", "udp dport vmap { 123 : jump c, 53 : goto c }")).toEqual([]);
  });
});
