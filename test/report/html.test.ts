/** The HTML auditor report: structure, escaping, determinism, pass-rate math, matrix cells, waivers, PDF errors. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Report } from "../../src/model/report.js";
import { loadCatalog } from "../../src/policy/catalog.js";
import {
  computeCompliance,
  escapeAttr,
  escapeHtml,
  formatRate,
  htmlReporter,
  renderHtml,
  type CellStatus,
} from "../../src/report/html.js";
import { hostOutcomes } from "../../src/report/outcomes.js";
import { findChromium, PdfUnavailableError, renderPdf } from "../../src/report/pdf.js";
import { summarise } from "../../src/report/summary.js";
import {
  BIDI_TEXT,
  catalogue,
  fixtureReport,
  GENERATED_AT,
  HOSTILE_APPROVER,
  HOSTILE_EVIDENCE,
  HOSTILE_HOST,
  HOSTILE_JUSTIFICATION,
  NETWORK_BAIT,
  PWN_IMG,
  PWN_SCRIPT,
} from "../fixtures/report-html/report.js";

const render = (report: Report = fixtureReport(), generatedAt = GENERATED_AT): string => renderHtml(report, catalogue, { generatedAt });

/** The part of the document from `<section id="id"` to its closing tag (sections do not nest). */
function section(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}"`);
  expect(start, `section #${id}`).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf("\n</section>", start));
}

function hostSection(html: string, index: number): string {
  const start = html.indexOf(`<section class="host" id="host-${index}"`);
  expect(start, `host section ${index}`).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf("</section>", start));
}

/**
 * Every attribute of every tag. Data is escaped (no raw `<` or `"` can come from it), so the real tags are exactly
 * the `<name …>` runs and every attribute value is double-quoted without a `"` inside.
 */
function attributes(html: string): Array<{ tag: string; name: string; value: string }> {
  const out: Array<{ tag: string; name: string; value: string }> = [];
  for (const tag of html.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s=>"']+(?:="[^"]*")?)*)\s*>/g)) {
    for (const at of tag[2]!.matchAll(/\s+([^\s=>"']+)(?:="([^"]*)")?/g)) out.push({ tag: tag[1]!.toLowerCase(), name: at[1]!.toLowerCase(), value: at[2] ?? "" });
  }
  return out;
}

/** Matrix cells as "host|rule" → status. */
function matrixCells(html: string): Map<string, CellStatus> {
  const cells = new Map<string, CellStatus>();
  for (const m of html.matchAll(/<td class="cell \w+" data-host="([^"]*)" data-rule="([^"]*)" data-status="(\w+)"/g)) {
    cells.set(`${m[1]}|${m[2]}`, m[3] as CellStatus);
  }
  return cells;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("HTML report structure", () => {
  const html = render();

  it("is one self-contained document with a CSP that forbids every load", () => {
    expect(html.startsWith("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")).toBe(true);
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`,
    );
    expect(html.match(/<style>/g)).toHaveLength(1);
    // No script at all, nothing that loads: no src attribute, no <link>, every href is an anchor or an https link.
    expect(html).not.toMatch(/<(script|img|iframe|link|object|embed|base|form|meta http-equiv="refresh")\b/i);
    const attrs = attributes(html);
    expect(attrs.length).toBeGreaterThan(100);
    expect(attrs.filter((x) => /^(src|srcset|action|formaction|background|poster|data)$/.test(x.name) || x.name.startsWith("on"))).toEqual([]);
    expect(html).not.toMatch(/url\(/i);
    expect(html).not.toMatch(/@import/i);
    const hrefs = attrs.filter((x) => x.name === "href").map((x) => x.value);
    expect(hrefs.length).toBeGreaterThan(0);
    expect(hrefs.filter((h) => !h.startsWith("#") && !h.startsWith("https://"))).toEqual([]);
    expect(html).not.toMatch(/undefined|NaN|\[object Object\]/);
  });

  it("has the sections in order, each with a numbered heading", () => {
    const ids = [...html.matchAll(/<section id="([a-z]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(["scope", "summary", "matrix", "hosts", "waivers", "catalogue"]);
    const headings = [...html.matchAll(/<h2>([^<]*)<\/h2>/g)].map((m) => m[1]);
    expect(headings).toEqual([
      "1. Scope and provenance",
      "2. Executive summary",
      "3. Hosts × controls matrix",
      "4. Findings and evidence by host",
      "5. Waivers and configuration notices",
      "6. Control catalogue",
    ]);
    expect(html).toContain("<title>NTP security compliance report</title>");
    expect(renderHtml(fixtureReport(), catalogue, { generatedAt: GENERATED_AT, title: "Q4 <audit>" })).toContain("<title>Q4 &lt;audit&gt;</title>");
  });

  it("states scope and provenance: tool, policy digest, configuration, every input's sha256", () => {
    const scope = section(html, "scope");
    expect(scope).toContain("ntp-policy 0.1.0");
    expect(scope).toContain(`sha256:${"9".repeat(64)}`);
    expect(scope).toContain(GENERATED_AT);
    expect(scope).toContain("not recorded in the report"); // the fixture report names a file but carries no digest
    expect(scope).toContain("<code>10.0.0.0/8</code>, <code>2001:db8::/32</code>");
    expect(scope).toMatch(/Minimum upstream sources<\/dt><dd>3</);
    expect(scope).toMatch(/Fails at or above<\/dt><dd>medium</);
    for (const h of fixtureReport().hosts) {
      for (const f of h.files) {
        expect(scope).toContain(`<td class="mono break">${escapeHtml(f.path)}</td>`);
        expect(scope).toContain(f.sha256);
      }
    }
    // The JSON report's sha256 ties the HTML to the machine data.
    expect(scope).toMatch(/JSON report sha256<\/dt><dd><span class="hash">[0-9a-f]{64}<\/span>/);
  });

  it("shows defaults when there is no configuration file, and a configuration digest when the report has one", () => {
    const report = fixtureReport();
    report.config = { source: null, digest: null, profile: "baseline", trusted_networks: [], min_upstreams: 3 };
    const scope = section(render(report), "scope");
    expect(scope).toContain("built-in defaults (no configuration file)");
    expect(scope).toContain("none (only loopback is trusted)");
    report.config.digest = "sha256:cafe";
    expect(section(render(report), "scope")).toContain('<span class="hash">sha256:cafe</span>');
  });
});

describe("escaping what comes from inputs and configuration", () => {
  const html = render();

  it("keeps hostile strings as text everywhere", () => {
    for (const raw of [PWN_SCRIPT, PWN_IMG, HOSTILE_HOST, HOSTILE_EVIDENCE, HOSTILE_APPROVER, HOSTILE_JUSTIFICATION, NETWORK_BAIT, "<b>extra</b>", "<iframe", "<h1>pwned"]) {
      expect(html, raw).not.toContain(raw);
    }
    expect(html).toContain(escapeHtml(HOSTILE_EVIDENCE)); // the evidence line
    expect(html).toContain("restrict default kod nomodify notrap # &lt;script&gt;window.__pwned=1&lt;/script&gt;");
    expect(html).toContain(`data-host="${escapeAttr(HOSTILE_HOST)}"`); // attributes
    expect(html).toContain("ntp-b&quot;&gt;&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;");
    expect(html).toContain("ntp-b/etc/ntp/&lt;b&gt;extra&lt;/b&gt;.conf:3:1");
    expect(html).toContain("&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;h1&gt;pwned&lt;/h1&gt;");
    expect(html).toContain(".ntp-policy.yaml&lt;script&gt;");
    expect(html).toContain("&lt;iframe src=&quot;https://evil.example/&quot;&gt;");
    // Only the report's own h1, no tag opened by the data.
    expect(html.match(/<h1>/g)).toHaveLength(1);
    expect(attributes(html).filter((x) => x.name.startsWith("on"))).toEqual([]);
    expect(new Set(attributes(html).map((x) => x.tag))).not.toContain("img");
  });

  it("never turns a non-http reference URL into a link", () => {
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain("javascript:window.__pwned=3"); // shown as text
    expect(html).toContain('<a class="ext break" href="https://nvd.nist.gov/vuln/detail/CVE-2013-5211" rel="noopener noreferrer">');
  });

  it("shows bidi overrides and control characters instead of obeying them", () => {
    expect(html).not.toContain("\u202E");
    expect(html).toContain('<span class="cc" title="invisible or control character">U+202E</span>');
    expect(escapeHtml("a\u0000b\u001b[31mc\td\ne")).toBe(
      'a<span class="cc" title="invisible or control character">U+0000</span>b<span class="cc" title="invisible or control character">U+001B</span>[31mc\td\ne',
    );
    expect(escapeAttr(`"'<>&\u200B`)).toBe("&quot;&#39;&lt;&gt;&amp;U+200B");
    expect(BIDI_TEXT).toContain("\u202E");
  });
});

describe("determinism", () => {
  it("renders the same bytes for the same report, catalogue and generatedAt", () => {
    expect(render()).toBe(render());
  });

  it("differs only in the generation time when generatedAt changes", () => {
    const a = render(fixtureReport(), "2026-11-27T12:00:00Z");
    const b = render(fixtureReport(), "2026-11-27T18:30:00Z");
    expect(a).not.toBe(b);
    expect(b.replaceAll("2026-11-27T18:30:00Z", "2026-11-27T12:00:00Z")).toBe(a);
  });

  it("takes SOURCE_DATE_EPOCH when no generatedAt is given", () => {
    vi.stubEnv("SOURCE_DATE_EPOCH", "1795953600");
    const html = renderHtml(fixtureReport(), catalogue);
    expect(html).toContain("generated 2026-11-29T12:00:00Z");
    expect(renderHtml(fixtureReport(), catalogue)).toBe(html);
  });
});

describe("pass-rate math", () => {
  const c = computeCompliance(fixtureReport(), catalogue);
  const byId = (id: string) => c.byControl[c.controls.findIndex((x) => x.id === id)]!;

  it("orders controls by severity, then id", () => {
    expect(c.controls.map((x) => x.id)).toEqual(["FW001", "NTP001", "NTP002", "NTP003", "PARSE001", "XL001", "PARSE002"]);
  });

  it("counts per control: hosts passing ÷ hosts on which the control was evaluated", () => {
    expect(byId("FW001")).toMatchObject({ pass: 1, fail: 1, waived: 0, na: 1, evaluated: 2, passRate: 0.5 });
    expect(byId("NTP001")).toMatchObject({ pass: 2, fail: 1, evaluated: 3 });
    expect(byId("NTP001").passRate).toBeCloseTo(2 / 3);
    expect(byId("NTP002")).toMatchObject({ pass: 2, waived: 1, evaluated: 3, passRateWithWaivers: 1 });
    expect(byId("PARSE001")).toMatchObject({ pass: 3, evaluated: 3, passRate: 1 });
    expect(byId("PARSE002")).toMatchObject({ pass: 2, fail: 1 }); // below --fail-on, still a failed control
  });

  it("counts per host and in total", () => {
    expect(c.byHost.map((t) => [t.pass, t.evaluated])).toEqual([
      [6, 7],
      [4, 7],
      [4, 5], // ntp-c has no firewall dump: FW001 and XL001 are not applicable there
    ]);
    expect(c.total).toMatchObject({ pass: 14, fail: 3, waived: 2, na: 2, error: 0, evaluated: 19, passRate: 14 / 19, passRateWithWaivers: 16 / 19 });
    expect(c.hostsChecked).toBe(3);
  });

  it("prints the rates in the summary tables", () => {
    const summary = section(render(), "summary");
    expect(summary).toContain('<div class="num">73.7%</div><div class="lbl">control checks passed (14 of 19)</div>');
    expect(summary).toMatch(/data-rule="FW001">.*<td class="num rate">1\/2<\/td><td class="num">50%/);
    expect(summary).toMatch(/data-rule="NTP001">.*<td class="num rate">2\/3<\/td><td class="num">66\.7%/);
    expect(summary).toMatch(/data-host="ntp-a">.*<td class="num rate">6\/7<\/td><td class="num">85\.7%/);
    expect(summary).toMatch(/data-host="ntp-c">.*<td class="num rate">4\/5<\/td><td class="num">80%/);
    expect(summary).toContain("1 failing finding below the <em>medium</em> threshold is reported but does not fail the run.");
    expect(summary).toContain("84.2% of the evaluated checks are compliant");
  });

  it("formats rates without overstating them", () => {
    expect(formatRate(null)).toBe("—");
    expect(formatRate(0)).toBe("0%");
    expect(formatRate(1)).toBe("100%");
    expect(formatRate(0.5)).toBe("50%");
    expect(formatRate(2 / 3)).toBe("66.7%");
    expect(formatRate(6 / 7)).toBe("85.7%");
    expect(formatRate(0.9996)).toBe("99.9%");
    expect(formatRate(0.0001)).toBe("0.1%");
  });
});

describe("hosts × controls matrix", () => {
  it("has one cell per host and control with pass / fail / waived / n/a and the severity", () => {
    const html = render();
    const cells = matrixCells(section(html, "matrix"));
    const b = escapeAttr(HOSTILE_HOST);
    expect(Object.fromEntries(cells)).toEqual({
      "ntp-a|FW001": "pass", "ntp-a|NTP001": "pass", "ntp-a|NTP002": "pass", "ntp-a|NTP003": "waived",
      "ntp-a|PARSE001": "pass", "ntp-a|XL001": "pass", "ntp-a|PARSE002": "pass",
      [`${b}|FW001`]: "fail", [`${b}|NTP001`]: "fail", [`${b}|NTP002`]: "pass", [`${b}|NTP003`]: "pass",
      [`${b}|PARSE001`]: "pass", [`${b}|XL001`]: "pass", [`${b}|PARSE002`]: "fail",
      "ntp-c|FW001": "na", "ntp-c|NTP001": "pass", "ntp-c|NTP002": "waived", "ntp-c|NTP003": "pass",
      "ntp-c|PARSE001": "pass", "ntp-c|XL001": "na", "ntp-c|PARSE002": "pass",
    });
    const matrix = section(html, "matrix");
    expect(matrix).toMatch(new RegExp(`data-host="${b.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}" data-rule="NTP001" data-status="fail"[^>]*>✗ FAIL ×2<span class="sev">high</span></td>`));
    expect(matrix).toMatch(/data-host="ntp-a" data-rule="NTP003" data-status="waived"[^>]*>◐ WAIVED<span class="sev">medium<\/span><\/td>/);
    expect(matrix).toMatch(/data-host="ntp-c" data-rule="FW001" data-status="na" title="no firewall evidence \(iptables-save, ip6tables-save or an nft ruleset\)">– N\/A<\/td>/);
    expect(matrix).toMatch(/data-host="ntp-a" data-rule="FW001" data-status="pass" title="no violation found in ntp-a\/iptables-save, ntp-a\/ip6tables-save">✓ PASS<\/td>/);
    expect(matrix).toContain("14/19 · 73.7%");
  });

  it("marks a host that could not be checked as ERROR and leaves it out of the rates", () => {
    const report = fixtureReport();
    report.hosts.push({ host: "ntp-d", path: "ntp-d", files: [], findings: [], error: "internal error while checking this host: boom <x>" });
    report.summary = summarise(report.hosts, "medium");
    const c = computeCompliance(report, catalogue);
    expect(c.cells[3]!.every((cell) => cell.status === "error")).toBe(true);
    expect(c.total).toMatchObject({ pass: 14, evaluated: 19, error: 7 });
    expect(c.hostsChecked).toBe(3);
    const html = render(report);
    expect(html).toContain('<div class="verdict error" id="verdict">! INCOMPLETE');
    expect(section(html, "errors")).toContain("boom &lt;x&gt;");
    expect(matrixCells(html).get("ntp-d|NTP001")).toBe("error");
    expect(section(html, "summary")).toContain("hosts checked of 4");
  });

  it("shows a rule switched off in the configuration as not evaluated", () => {
    const report = fixtureReport();
    (report.config as Record<string, unknown>)["rules"] = { PARSE001: { enabled: false, severity: null } };
    const cells = matrixCells(render(report));
    expect(cells.get("ntp-a|PARSE001")).toBe("na");
    expect(render(report)).toContain("switched off in the configuration");
  });

  it("adds a rule that is only in the findings as a control", () => {
    const report = fixtureReport();
    report.hosts[0]!.findings.push({
      rule: "FW099", title: "Something new", severity: "critical", status: "fail", message: "new",
      location: { file: "ntp-a/iptables-save", line: 1, column: 1 }, evidence: [], remediation: "",
    });
    const c = computeCompliance(report, catalogue);
    expect(c.controls[0]).toMatchObject({ id: "FW099", inCatalogue: false, severity: "critical" });
    expect(render(report)).toContain("not in the rule catalogue");
  });

  it("renders an empty report without NaN", () => {
    const report = fixtureReport();
    report.hosts = [];
    report.notices = [];
    report.summary = summarise([], "low");
    const html = render(report);
    expect(html).toContain("No hosts were checked.");
    expect(html).toContain('<div class="verdict pass" id="verdict">✓ COMPLIANT');
    expect(html).not.toMatch(/NaN|undefined/);
  });
});

describe("findings, evidence of passes, waivers", () => {
  const html = render();

  it("shows each failing finding with message, evidence lines, remediation and references", () => {
    const b = hostSection(html, 2);
    expect(b).toContain("<h4>Failing findings (4)</h4>");
    expect(b).toContain('<span class="where">ntp-b/etc/ntp.conf:12:1</span>');
    expect(b).toContain('<span class="where">ntp-b/iptables-save:7:1</span><span class="text">-A INPUT -p udp -m udp --dport 123 -j ACCEPT</span>');
    expect(b).toContain("(location only)");
    expect(b).toContain("Add <code>noquery</code> to <code>restrict default</code>.");
    expect(b).toContain("CVE-2013-5211 — ntpd monlist amplification — <a");
    expect(b).toContain("NIST 800-53 CM-7 — Least Functionality");
    expect(b).toContain("ntpd access control options — <a class=\"ext break\" href=\"https://www.ntp.org/documentation/4.2.8-series/accopt/\"");
    // Worst first: the high findings before the low one.
    expect(b.indexOf('data-rule="PARSE002" data-status="fail"')).toBeGreaterThan(b.indexOf('data-rule="FW001" data-status="fail"'));
  });

  it("proves each pass: the lines that satisfy it (escaped, located), else what it rests on, and the input files", () => {
    const report = fixtureReport();
    const host = report.hosts[0]!;
    const at = (line: number): { file: string; line: number; column: number } => ({ file: "ntp-a/etc/ntp.conf", line, column: 1 });
    host.outcomes = hostOutcomes(host, catalogue, [
      { rule: "NTP001", location: at(7), text: "restrict -4 default kod nomodify notrap nopeer noquery" },
      { rule: "NTP001", location: at(8), text: `restrict -6 default noquery ${PWN_SCRIPT}` },
    ]);
    // A rule that names no line says in words what its pass rests on (METADATA passes_when).
    const passesWhen = `No line shows this: the absence of an \`enable mode7\` line is what passes ${PWN_IMG}`;
    const rules = catalogue.map((r) => (r.id === "XL001" ? { ...r, passes_when: passesWhen } : r));
    const a = hostSection(renderHtml(report, rules, { generatedAt: GENERATED_AT }), 1);
    const row = (rule: string): string => a.slice(a.indexOf(`<tr data-rule="${rule}">`), a.indexOf("</tr>", a.indexOf(`<tr data-rule="${rule}">`)));
    expect(row("NTP001")).toContain(
      '<li><span class="where">ntp-a/etc/ntp.conf:7:1</span><span class="text">restrict -4 default kod nomodify notrap nopeer noquery</span></li>',
    );
    expect(row("NTP001")).toContain('<span class="where">ntp-a/etc/ntp.conf:8:1</span>');
    expect(row("NTP001")).toContain(escapeHtml(PWN_SCRIPT));
    expect(row("NTP001")).not.toContain(PWN_SCRIPT);
    expect(row("NTP001")).not.toContain("No violation found");
    expect(row("XL001")).toContain(`<div class="small passes-when">${escapeHtml(passesWhen)}</div>`);
    expect(row("XL001")).not.toContain(PWN_IMG);
    // Without passes_when, the row says that no line shows the pass rather than inventing one.
    expect(row("FW001")).toContain("No line of the host shows this pass");
  });

  it("lists the input files each passed control evaluated", () => {
    const a = hostSection(html, 1);
    expect(a).toContain("<h4>Passed controls — evidence of compliance (6)</h4>");
    const row = (rule: string): string => a.slice(a.indexOf(`<tr data-rule="${rule}">`), a.indexOf("</tr>", a.indexOf(`<tr data-rule="${rule}">`)));
    expect(row("NTP001")).toContain("ntp-a/etc/ntp.conf");
    expect(row("NTP001")).toContain("a".repeat(64));
    expect(row("NTP001")).not.toContain("iptables");
    expect(row("FW001")).toContain("ntp-a/iptables-save");
    expect(row("FW001")).toContain("ntp-a/ip6tables-save");
    expect(row("FW001")).not.toContain("ntp.conf</span>");
    expect(row("XL001")).toContain("ntp-a/etc/ntp.conf");
    expect(row("XL001")).toContain("ntp-a/ip6tables-save");
    expect(a).not.toContain('<tr data-rule="NTP003">'); // waived, not passed
    const b = hostSection(html, 2);
    const ntp002 = b.slice(b.indexOf('<tr data-rule="NTP002">'));
    expect(ntp002.slice(0, ntp002.indexOf("</tr>"))).toContain("ntp-b/etc/ntp/&lt;b&gt;extra&lt;/b&gt;.conf"); // includes count as ntp.conf
    const c = hostSection(html, 3);
    expect(c).toContain("<h4>Not evaluated (2)</h4>");
    expect(c).toContain("no firewall evidence (iptables-save, ip6tables-save or an nft ruleset)");
  });

  it("lists waivers with justification, approver and expiry, and flags gaps", () => {
    const w = section(html, "waivers");
    expect(w).toContain(escapeHtml(HOSTILE_JUSTIFICATION));
    expect(w).toContain(escapeHtml(HOSTILE_APPROVER));
    expect(w).toContain('2026-12-15 <span class="warn">(in 18 days)</span>');
    expect(w).toContain("decommissioned next quarter");
    expect(w).toContain('<span class="warn">not recorded</span>');
    expect(w).toContain('<span class="warn">no expiry date</span>');
    expect(hostSection(html, 1)).toContain("<strong>Waived.</strong> Justification:");
  });

  it("lists the configuration notices: expired and unused waivers", () => {
    const w = section(html, "waivers");
    expect(w).toContain('<td class="nowrap">Expired waiver</td><td class="mono break">.ntp-policy.yaml:14:5</td>');
    expect(w).toContain('<td class="nowrap">Unused waiver</td>');
    expect(w).toContain("waiver for FW001 on old-* matched no finding");
    expect(w).toContain("the findings it covered are reported as failing again");
  });

  it("says NOT COMPLIANT with the count at or above --fail-on, and COMPLIANT when nothing fails", () => {
    expect(html).toContain('<div class="verdict fail" id="verdict">✗ NOT COMPLIANT<span class="why">3 failing findings on 1 host at or above medium</span></div>');
    const report = fixtureReport();
    report.hosts[1]!.findings = [];
    report.summary = summarise(report.hosts, "medium");
    expect(render(report)).toContain("✓ COMPLIANT<span class=\"why\">no failing finding at or above medium; 2 findings waived</span>");
  });
});

describe("htmlReporter", () => {
  it("is the html format and renders with the committed rule catalogue", () => {
    expect(htmlReporter.format).toBe("html");
    const catalog = loadCatalog();
    const html = htmlReporter.render(fixtureReport(), { color: false, generatedAt: GENERATED_AT, catalog } as Parameters<typeof htmlReporter.render>[1]);
    for (const rule of catalog) expect(html).toContain(`id="control-${rule.id}"`);
    expect(html).toContain(GENERATED_AT);
  });

  it("uses the rules in effect passed as options.catalog", () => {
    const html = htmlReporter.render(fixtureReport(), { color: false, generatedAt: GENERATED_AT, catalog: catalogue } as Parameters<typeof htmlReporter.render>[1]);
    expect(html).toBe(render());
  });
});

describe("PDF without a usable Chromium", () => {
  it("says how to get one when CHROMIUM_PATH points nowhere", async () => {
    expect(() => findChromium(undefined, { CHROMIUM_PATH: "/nonexistent/chromium" })).toThrow(PdfUnavailableError);
    expect(() => findChromium(undefined, { CHROMIUM_PATH: "/nonexistent/chromium" })).toThrow(
      /^PDF output needs a local Chromium \(apt-get install chromium\).*CHROMIUM_PATH \/nonexistent\/chromium does not exist$/,
    );
    const out = path.join(mkdtempSync(path.join(tmpdir(), "ntpp-pdf-")), "r.pdf");
    await expect(renderPdf("<!DOCTYPE html><title>x</title>", out, { chromiumPath: "/nonexistent/chromium" })).rejects.toThrow(PdfUnavailableError);
  });

  it("reports a Chromium that will not start as unavailable, not as an internal error", async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), "ntpp-pdf-")), "r.pdf");
    await expect(renderPdf("<!DOCTYPE html><title>x</title>", out, { chromiumPath: "/bin/false", timeoutMs: 10_000 })).rejects.toThrow(
      /PDF output needs a local Chromium \(apt-get install chromium\).*\/bin\/false did not start/,
    );
  });
});

describe("for auditors: tailoring, provenance and scale", () => {
  it("states every tailoring decision, the command line, the checked paths and when each host's evidence was collected", () => {
    const report = fixtureReport();
    report.config.rules = { NTP003: { enabled: false, severity: null }, FW002: { enabled: true, severity: "low" } };
    report.config.authorized_upstreams = ["*.pool.ntp.org", "198.51.100.0/24"];
    report.config.max_poll = 10;
    report.run = { arguments: ["check", "dumps/", "--trusted", "192.0.2.0/24", "--format", "html=report of it.html"], paths: ["dumps/"] };
    report.hosts[0]!.collected_at = "2026-12-03T12:00:00Z";
    const scope = section(render(report), "scope");
    expect(scope).toContain("<dt>Rules switched off</dt><dd><code>NTP003</code> (off)</dd>");
    expect(scope).toContain("<dt>Severity overrides</dt><dd><code>FW002</code> (severity low)</dd>");
    expect(scope).toContain("<code>*.pool.ntp.org</code>, <code>198.51.100.0/24</code>");
    expect(scope).toContain("<dt>Maximum poll interval</dt><dd>2^10 s</dd>");
    expect(scope).toContain("ntp-policy check dumps/ --trusted 192.0.2.0/24 --format &#39;html=report of it.html&#39;");
    expect(scope).toContain('<dt>Checked paths</dt><dd><span class="mono break">dumps/</span></dd>');
    expect(scope).toContain("2026-12-03T12:00:00Z");
    expect(scope).toContain("not recorded"); // ntp-b and ntp-c have no collected-at
  });

  it("has an executive form: summary, matrix and waivers, no per-host detail or catalogue", () => {
    const full = render();
    const summary = renderHtml(fixtureReport(), catalogue, { generatedAt: GENERATED_AT, detail: "summary" });
    expect(summary).toContain('<section id="matrix"');
    expect(summary).toContain('<section id="waivers"');
    expect(summary).not.toContain('<section id="hosts"');
    expect(summary).not.toContain('<section id="catalogue"');
    expect(summary).not.toContain('<article class="finding');
    expect(summary.length).toBeLessThan(full.length * 0.75);
    expect(htmlReporter.render(fixtureReport(), { color: false, catalog: catalogue, generatedAt: GENERATED_AT, summary: true })).toBe(summary);
  });

  it("collapses a host with nothing to act on into one line", () => {
    const report = fixtureReport();
    report.hosts[0]!.findings = [];
    const html = render(report);
    expect(html).toMatch(/<details class="host passing" id="host-1" data-host="ntp-a">\n<summary><strong>Host <span class="break">ntp-a<\/span><\/strong> — no finding/);
    expect(html).toContain('<section class="host" id="host-2"');
  });

  it("lists each reference once, and other links under See also", () => {
    const cat = section(render(), "catalogue");
    const ntp001 = cat.slice(cat.indexOf('id="control-NTP001"'), cat.indexOf("</div>", cat.indexOf('id="control-NTP001"') + 1000));
    expect(ntp001.match(/CVE-2013-5211<\/a>/g)?.length).toBe(1);
    expect(ntp001).not.toContain("CVE CVE-");
    expect(ntp001).toContain('<div class="k">See also</div>');
  });
});
