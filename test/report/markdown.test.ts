/**
 * Markdown: tables checked the way GFM splits them (a `|` not escaped by a backslash ends a cell, inside code
 * too), every cell with as many columns as its header; untrusted text checked to come back verbatim after
 * CommonMark's backslash unescaping, and no HTML but the few tags the format writes itself.
 */
import { describe, expect, it } from "vitest";
import { markdownReporter, MARKDOWN_BUDGET, mdCode, mdText } from "../../src/report/markdown.js";
import { cli } from "../e2e/cli.js";
import { CATALOG, cleanReport, hostileReport, IPTABLES_EVIDENCE, MULTILINE_JUSTIFICATION, SCRIPT_EVIDENCE } from "../fixtures/report/reports.js";

const render = (report = hostileReport(), quiet = false): string => markdownReporter.render(report, { color: false, catalog: CATALOG, quiet });

/** GFM's cell splitting: backslash escapes the next character; an unescaped `|` separates cells. */
function cells(row: string): string[] {
  const out: string[] = [];
  let cell = "";
  for (let i = 0; i < row.length; i++) {
    const c = row[i]!;
    if (c === "\\" && i + 1 < row.length) {
      cell += c + row[i + 1];
      i++;
    } else if (c === "|") {
      out.push(cell.trim());
      cell = "";
    } else cell += c;
  }
  out.push(cell.trim());
  return out.slice(1, -1); // leading and trailing pipes
}

/** What CommonMark shows for text written by mdText/mdCode (no other markup in it). */
function shown(md: string): string {
  return md
    .replace(/<\/?code>/g, "")
    .replace(/<br>/g, "\n")
    .replace(/\\([!-/:-@[-`{-~])/g, "$1")
    .replace(/\u2060/g, "");
}

function tables(md: string): string[][] {
  const blocks: string[][] = [];
  let current: string[] | null = null;
  for (const line of md.split("\n")) {
    if (line.startsWith("|")) (current ??= []).push(line);
    else if (current) {
      blocks.push(current);
      current = null;
    }
  }
  return blocks;
}

const ALLOWED_TAGS = /^<\/?(br|code|sub|details|summary)>/;

describe("markdown", () => {
  it("writes well-formed tables: every row as many cells as its header", () => {
    const md = render();
    const found = tables(md);
    expect(found.length).toBe(3); // the hosts table, web-1's and the odd host's findings
    for (const table of found) {
      const width = cells(table[0]!).length;
      expect(table[1]).toMatch(/^\|(-+:?\|)+$/);
      for (const row of table) expect(cells(row), row).toHaveLength(width);
    }
  });

  it("shows untrusted text verbatim and lets no HTML through but its own few tags", () => {
    const md = render();
    for (const m of md.matchAll(/(?<!\\)</g)) expect(md.slice(m.index, m.index + 12)).toMatch(ALLOWED_TAGS);
    expect(md).not.toMatch(/(?<!\\)<script/);
    expect(md).not.toMatch(/(?<!\\)<b>/);
    const web = tables(md)[1]!; // worst first: web-1 before dc 1
    const ntp001 = cells(web.find((r) => r.includes("\\<b\\>bold"))!);
    expect(shown(ntp001[3]!)).toBe('restrict default has neither noquery nor ignore: "a,b" | <b>bold</b> %0A 50% done');
    expect(shown(ntp001[4]!)).toBe(`3: ${SCRIPT_EVIDENCE}`);
    const fw = cells(web.find((r) => r.includes("FW001"))!);
    expect(shown(fw[3]!)).toBe("-A INPUT accepts UDP/123 from 0.0.0.0/0:\nline two\nline three");
    expect(shown(fw[4]!)).toBe(`7: ${IPTABLES_EVIDENCE}\nweb-1/etc/ntp.conf:3: restrict default kod nomodify`);
    // The catalogue's remediation keeps its code spans.
    expect(fw[5]).toContain("`-A INPUT -p udp --dport 123 -s 192.0.2.0/24 -j ACCEPT`");
  });

  it("summarises hosts and verdict", () => {
    const md = render();
    expect(md.startsWith("## ntp-policy: ❌ 5 failing findings on 3 of 4 hosts\n")).toBe(true);
    const hosts = tables(md)[0]!.map(cells);
    expect(hosts[0]).toEqual(["Host", "Result", "Critical", "High", "Medium", "Low", "Info", "Waived"]);
    // Worst first; clean-host has no finding but no firewall dump: not a pass.
    expect(hosts.slice(2).map((r) => [shown(r[0]!), r[1]])).toEqual([
      ["broken", "⚠️ not checked"],
      ["web-1", "❌ fail"],
      ["dc 1/host#2 ü", "❌ fail"],
      ["clean-host", "➖ not fully evaluated: no firewall evidence (iptables-save, ip6tables-save or an nft ruleset)"],
    ]);
    expect(hosts[3]!.slice(2)).toEqual(["0", "3", "1", "0", "1", "1"]);
    expect(md).not.toContain("✅");
    expect(md).not.toContain("with no findings");
    expect(md).toContain("### Configuration");
    expect(md.trimEnd().endsWith(`<sub>ntp-policy 0.1.0, policy <code>sha256:${"e".repeat(64)}</code></sub>`)).toBe(true);
  });

  it("lists waivers with their justification", () => {
    const md = render();
    const waived = md.slice(md.indexOf("<details><summary>Waived</summary>"), md.indexOf("</details>"));
    expect(shown(waived)).toContain(MULTILINE_JUSTIFICATION);
    expect(shown(waived)).toContain("(approved by Jane O'Neil <jane@example.com>), until 2099-12-31");
  });

  it("is quiet about waivers, notices and passing hosts when asked", () => {
    const md = render(hostileReport(), true);
    expect(md).not.toContain("Waived</summary>");
    expect(md).not.toContain("### Configuration");
    expect(md).not.toContain("with no findings");
    expect(md).not.toContain("NTP005");
    expect(render(cleanReport())).toContain("## ntp-policy: ➖ no failing findings on 1 host, but it was not fully evaluated");
    const clean = cleanReport();
    clean.hosts[0]!.files.push({ path: "ok-1/iptables-save", kind: "iptables", sha256: "0".repeat(64) });
    expect(render(clean)).toContain("## ntp-policy: ✅ no failing findings on 1 host");
  });

  it("escapes what would start markup, and defuses @-mentions", () => {
    expect(mdText("a|b `c` *d* _e_ [f](g) <h> &amp; ~~i~~ $x$ ![j]")).toBe(
      "a\\|b \\`c\\` \\*d\\* \\_e\\_ \\[f\\](g) \\<h\\> \\&amp; \\~\\~i\\~\\~ \\$x\\$ \\!\\[j\\]",
    );
    expect(mdText("ping @admins now, mail jane@example.com")).toBe("ping @\u2060admins now, mail jane@example.com");
    expect(mdText("line 1\nline 2\r\nline 3\u0007")).toBe("line 1<br>line 2<br>line 3\\\\x07");
    expect(mdCode("-A INPUT | x")).toBe("<code>-A INPUT \\| x</code>");
    expect(mdCode("")).toBe("");
  });

  it("stays within a pull-request comment however many findings there are", () => {
    const report = hostileReport();
    const web = report.hosts[3]!;
    for (let i = 0; i < 2000; i++) web.findings.push({ ...structuredClone(web.findings[0]!), location: { file: "web-1/etc/ntp.conf", line: 100 + i, column: 1 } });
    const md = render(report);
    expect(md.length).toBeLessThan(65_536);
    expect(md.length).toBeGreaterThan(MARKDOWN_BUDGET / 2);
    expect(md).toMatch(/_\d+ more findings left out to keep this summary short/);
  });

  it("renders the README's example dump", () => {
    const r = cli(["check", "examples/host-dump", "--format", "markdown"]);
    expect(r.code).toBe(1);
    for (const table of tables(r.stdout)) {
      const width = cells(table[0]!).length;
      for (const row of table) expect(cells(row)).toHaveLength(width);
    }
    expect(r.stdout).toContain("### ntp-open");
  });
});
