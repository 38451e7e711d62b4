/**
 * The HTML auditor report in a real browser: Debian's chromium driven by playwright-core. It must render, log no
 * error, load nothing from anywhere (every request except about:/data: is aborted and recorded), keep hostile
 * strings as text, lay out for print, and print to a PDF through renderPdf. Artefacts: test-artifacts/report.png,
 * report-print.png, report.html and report.pdf (gitignored).
 *
 * Skipped, loudly, only when no Chromium is installed (apt-get install chromium, or set CHROMIUM_PATH).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { renderHtml } from "../../src/report/html.js";
import { findChromium, renderPdf } from "../../src/report/pdf.js";
import { catalogue, fixtureReport, GENERATED_AT, HOSTILE_APPROVER, HOSTILE_EVIDENCE, HOSTILE_HOST, NETWORK_BAIT } from "../fixtures/report-html/report.js";
import { requireOrSkip } from "../requirements.js";

// The functions passed to page.evaluate run in the browser. The project compiles without the DOM lib, so the
// little they use is declared here (module-scoped: nothing leaks into other files).
interface DomElement {
  attributes: Iterable<{ name: string }>;
  textContent: string | null;
  getAttribute(name: string): string | null;
}
declare const document: {
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): Iterable<DomElement> & { length: number };
  body: { innerText: string };
};
declare const window: Record<string, unknown>;
declare function getComputedStyle(el: DomElement): { display: string; breakBefore: string };

const ROOT = path.resolve(import.meta.dirname, "../..");
const ARTIFACTS = path.join(ROOT, "test-artifacts");

let whyMissing = "no Chromium found";
function chromiumOrNull(): string | null {
  try {
    return findChromium() ?? null;
  } catch (e) {
    whyMissing = (e as Error).message;
    return null;
  }
}

const CHROMIUM = chromiumOrNull();
requireOrSkip("HTML report in a real browser (test/report/html-browser.test.ts)", CHROMIUM !== null, `no Chromium: ${whyMissing}`, "NTPP_REQUIRE_BROWSER");
if (CHROMIUM === null) {
  console.warn(
    "\n" +
      "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n" +
      "!! SKIPPED: test/report/html-browser.test.ts — no Chromium (apt-get install chromium, or set\n" +
      "!! CHROMIUM_PATH). The HTML report was NOT checked in a browser and no PDF was made.\n" +
      `!! ${whyMissing}\n` +
      "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n",
  );
}

/** Pages in a PDF: pdfinfo (poppler-utils) when installed, else the /Type /Page objects in the file. */
function pdfPageCount(file: string): number {
  try {
    const info = execFileSync("pdfinfo", [file], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const m = /^Pages:\s+(\d+)/m.exec(info);
    if (m) return Number(m[1]);
  } catch {
    // no poppler-utils: count page objects below
  }
  return (readFileSync(file).toString("latin1").match(/\/Type\s*\/Page(?![a-z])/g) ?? []).length;
}

/** Each page's [width, height] in points, when pdfinfo (poppler-utils) is installed. */
function pdfPageSizes(file: string, pages: number): Array<[number, number]> | null {
  try {
    const info = execFileSync("pdfinfo", ["-f", "1", "-l", String(pages), file], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    return [...info.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gm)].map((m) => [Number(m[1]), Number(m[2])]);
  } catch {
    return null;
  }
}

function pdfText(file: string): string | null {
  try {
    return execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    return null;
  }
}

describe.skipIf(CHROMIUM === null)("HTML report in a real browser (chromium + playwright-core)", () => {
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const requests: string[] = [];
  const html = renderHtml(fixtureReport(), catalogue, { generatedAt: GENERATED_AT });

  beforeAll(async () => {
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({ executablePath: CHROMIUM!, headless: true, args: ["--disable-gpu", "--disable-quic"] });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on("pageerror", (e) => errors.push(`pageerror: ${String(e)}`));
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") errors.push(`console.${m.type()}: ${m.text()}`);
    });
    page.on("dialog", (d) => {
      errors.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    // Every request is recorded; only the document itself (about:/data:) may load.
    await page.route(/.*/, (route) => {
      const url = route.request().url();
      if (url.startsWith("about:") || url.startsWith("data:")) return route.continue();
      requests.push(url);
      return route.abort("blockedbyclient");
    });
    await page.setContent(html, { waitUntil: "load" });
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(path.join(ARTIFACTS, "report.html"), html);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("renders the sections with their headings visible", async () => {
    for (const heading of [
      "1. Scope and provenance",
      "2. Executive summary",
      "3. Hosts × controls matrix",
      "4. Findings and evidence by host",
      "5. Waivers and configuration notices",
      "6. Control catalogue",
    ]) {
      await expect.poll(() => page.getByRole("heading", { name: heading, exact: true }).isVisible()).toBe(true);
    }
    expect(await page.locator("#verdict").innerText()).toContain("NOT COMPLIANT");
    expect(await page.locator("table.per-control tfoot").innerText()).toContain("73.7%");
    expect(await page.locator("table.matrix td.cell").count()).toBe(21);
    expect(await page.locator('table.matrix td.cell[data-status="fail"]').count()).toBe(3);
    expect(await page.locator('table.matrix td.cell[data-status="waived"]').count()).toBe(2);
    expect(await page.locator('table.matrix td.cell[data-status="na"]').count()).toBe(2);
  });

  it("keeps hostile strings as text: no script ran, no element was injected", async () => {
    const state = await page.evaluate(() => ({
      pwned: window["__pwned"],
      scripts: document.querySelectorAll("script").length,
      imgs: document.querySelectorAll("img, iframe, link, object, embed").length,
      injectedH1: [...document.querySelectorAll("h1")].map((h) => h.textContent),
      onAttributes: [...document.querySelectorAll("*")].flatMap((el) => [...el.attributes].filter((at) => /^on/i.test(at.name)).map((at) => at.name)),
      hrefs: [...document.querySelectorAll("a[href]")].map((el) => el.getAttribute("href") ?? ""),
      text: document.body.innerText,
    }));
    expect(state.pwned).toBeUndefined();
    expect(state.scripts).toBe(0);
    expect(state.imgs).toBe(0);
    expect(state.injectedH1).toEqual(["NTP security compliance report"]);
    expect(state.onAttributes).toEqual([]);
    expect(state.hrefs.filter((h) => !h.startsWith("#") && !h.startsWith("https://"))).toEqual([]);
    expect(state.text).toContain(HOSTILE_EVIDENCE);
    expect(state.text).toContain(HOSTILE_HOST);
    expect(state.text).toContain(HOSTILE_APPROVER);
    expect(state.text).toContain(NETWORK_BAIT);
    expect(state.text).toContain("U+202E");
  });

  it("makes no request and logs no error", () => {
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("lays out for print: one page per host, no navigation", async () => {
    await page.screenshot({ path: path.join(ARTIFACTS, "report.png"), fullPage: true });
    await page.emulateMedia({ media: "print" });
    const layout = await page.evaluate(() => ({
      toc: getComputedStyle(document.querySelector("nav.toc")!).display,
      hostBreaks: [...document.querySelectorAll("section.host")].map((s) => getComputedStyle(s).breakBefore),
    }));
    expect(layout.toc).toBe("none");
    expect(layout.hostBreaks).toEqual(["auto", "page", "page"]);
    await page.screenshot({ path: path.join(ARTIFACTS, "report-print.png"), fullPage: true });
    await page.emulateMedia({ media: "screen" });
  });

  it("prints to PDF with renderPdf", async () => {
    const out = path.join(ARTIFACTS, "report.pdf");
    await renderPdf(html, out, { chromiumPath: CHROMIUM! });
    expect(existsSync(out)).toBe(true);
    expect(readFileSync(out).subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const pages = pdfPageCount(out);
    expect(pages).toBeGreaterThanOrEqual(4); // summary, matrix, three hosts, waivers, catalogue
    const sizes = pdfPageSizes(out, pages);
    if (sizes !== null) {
      // A4 portrait, except the matrix, which gets an A4 landscape page.
      expect(sizes[0]![0]).toBeCloseTo(595, 0);
      expect(sizes[0]![1]).toBeCloseTo(842, 0);
      expect(sizes.filter(([w, h]) => w > h).length).toBeGreaterThanOrEqual(1);
    }
    const text = pdfText(out);
    if (text !== null) {
      expect(text).toContain("Executive summary");
      expect(text).toMatch(/Page 1 of \d+/);
      expect(text).toContain("window.__pwned=1");
    }
    expect(requests).toEqual([]);
  }, 60_000);

  it("fits a 1280 px window with the real catalogue of 35 controls and long host names: the matrix scrolls in its box, the host column pinned", async () => {
    const { loadCatalog } = await import("../../src/policy/catalog.js");
    const report = fixtureReport();
    report.hosts[0]!.host = `ntp-${"a".repeat(60)}.datacenter-one.example.org`;
    const wide = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await wide.route(/.*/, (route) => (route.request().url().startsWith("about:") ? route.continue() : route.abort("blockedbyclient")));
    await wide.setContent(renderHtml(report, loadCatalog(), { generatedAt: GENERATED_AT }), { waitUntil: "load" });
    const widths = await wide.evaluate(() => {
      const root = document.querySelector("html") as unknown as { scrollWidth: number; clientWidth: number };
      const matrix = document.querySelector("table.matrix") as unknown as { scrollWidth: number };
      return { page: root.scrollWidth, window: root.clientWidth, matrix: matrix.scrollWidth };
    });
    expect(widths.matrix).toBeGreaterThan(widths.window); // 35 columns do not fit: the box scrolls…
    expect(widths.page).toBeLessThanOrEqual(widths.window); // …and the page does not
    const position = await wide.evaluate(() => getComputedStyle(document.querySelector("table.matrix tbody th.host")!) as unknown as { position: string });
    expect(position.position).toBe("sticky");
    await wide.screenshot({ path: path.join(ARTIFACTS, "report-1280.png") });
    await wide.close();
  }, 60_000);
});
