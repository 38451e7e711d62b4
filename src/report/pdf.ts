/**
 * `--format pdf`: the HTML auditor report printed to PDF by a local Chromium, driven by playwright-core.
 *
 * Nothing is downloaded: the browser is the system's (Debian's `chromium` package, or $CHROMIUM_PATH). The page is
 * loaded with JavaScript disabled, offline, and with every request that is not `data:`/`about:` aborted, so a
 * hostile string that somehow survived escaping could neither run nor reach the network.
 */
import { existsSync, statSync } from "node:fs";
import { writeFile } from "node:fs/promises";

/** Thrown when no usable Chromium (or playwright-core) is available; the CLI reports it and exits 2. */
export class PdfUnavailableError extends Error {
  override name = "PdfUnavailableError";
}

export interface PdfOptions {
  /** The Chromium or Chrome executable; default $CHROMIUM_PATH, else the first of CHROMIUM_CANDIDATES that exists. */
  chromiumPath?: string;
  /** Printed in the page header (left); default: the HTML document's <title>. */
  headerTitle?: string;
  /** Milliseconds for launching, loading and printing (default 60 000). */
  timeoutMs?: number;
}

/** Where Chromium is looked for when neither the option nor $CHROMIUM_PATH names it. */
export const CHROMIUM_CANDIDATES: readonly string[] = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/lib/chromium/chromium",
  "/snap/bin/chromium",
  "/usr/bin/google-chrome-stable",
  "/usr/bin/google-chrome",
];

const INSTALL_HINT = "PDF output needs a local Chromium (apt-get install chromium) or CHROMIUM_PATH set to a Chromium or Chrome executable";

function isExecutableFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * The Chromium executable to use, or undefined when there is none. An explicit path (option or $CHROMIUM_PATH)
 * that does not exist is an error rather than a silent fallback.
 */
export function findChromium(explicit?: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const wanted = explicit ?? (env["CHROMIUM_PATH"] !== undefined && env["CHROMIUM_PATH"] !== "" ? env["CHROMIUM_PATH"] : undefined);
  if (wanted !== undefined) {
    if (!isExecutableFile(wanted)) {
      throw new PdfUnavailableError(`${INSTALL_HINT}; ${explicit !== undefined ? "the given path" : "CHROMIUM_PATH"} ${wanted} does not exist`);
    }
    return wanted;
  }
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p) && isExecutableFile(p));
}

const FOOTER_STYLE = "font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 8px; color: #5b6475; width: 100%; padding: 0 12mm;";

function escapeTemplateText(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function documentTitle(html: string): string {
  const m = /<title>([^<]*)<\/title>/i.exec(html);
  // The title in the HTML is already escaped; keep it that way for the template.
  return m?.[1]?.trim() ?? "";
}

/**
 * Print `html` to a PDF at `outputPath` (A4, backgrounds printed, header with the report title, footer with
 * "page N of M"). Throws PdfUnavailableError when playwright-core or Chromium is missing or will not start.
 */
export async function renderPdf(html: string, outputPath: string, options: PdfOptions = {}): Promise<void> {
  const executablePath = findChromium(options.chromiumPath);
  if (executablePath === undefined) {
    throw new PdfUnavailableError(`${INSTALL_HINT}; none found at ${CHROMIUM_CANDIDATES.join(", ")}`);
  }
  let playwright: typeof import("playwright-core");
  try {
    playwright = await import("playwright-core");
  } catch (e) {
    throw new PdfUnavailableError(`PDF output needs the playwright-core package (npm install playwright-core@1.65.1): ${(e as Error).message}`, { cause: e });
  }
  const timeout = options.timeoutMs ?? 60_000;
  let browser: import("playwright-core").Browser;
  try {
    browser = await playwright.chromium.launch({ executablePath, headless: true, timeout, args: ["--disable-gpu", "--disable-quic"] });
  } catch (e) {
    throw new PdfUnavailableError(`${INSTALL_HINT}; ${executablePath} did not start: ${firstLine((e as Error).message)}`, { cause: e });
  }
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    const page = await context.newPage();
    page.setDefaultTimeout(timeout);
    await page.route(/.*/, (route) => {
      const url = route.request().url();
      return url.startsWith("data:") || url.startsWith("about:") ? route.continue() : route.abort("blockedbyclient");
    });
    await page.setContent(html, { waitUntil: "load" });
    await page.emulateMedia({ media: "print" });
    const title = options.headerTitle !== undefined ? escapeTemplateText(options.headerTitle) : documentTitle(html);
    const pdf = await page.pdf({
      format: "A4",
      preferCSSPageSize: true, // the report's @page rules: A4 portrait, the matrix on A4 landscape
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: `<div style="${FOOTER_STYLE}">${title}</div>`,
      footerTemplate: `<div style="${FOOTER_STYLE} text-align:right;">Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>`,
      margin: { top: "16mm", bottom: "16mm", left: "12mm", right: "12mm" },
    });
    await writeFile(outputPath, pdf);
  } finally {
    await browser.close();
  }
}

function firstLine(s: string): string {
  return s.split("\n").find((l) => l.trim() !== "")?.trim() ?? s;
}
