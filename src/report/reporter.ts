/** One output format per file behind this interface (like conftest's output/). */
import type { RuleMeta } from "../model/finding.js";
import type { FindingFix } from "../model/edit.js";
import type { Report, ReportFinding } from "../model/report.js";
import { csvReporter } from "./csv.js";
import { githubReporter } from "./github.js";
import { htmlReporter } from "./html.js";
import { jsonReporter } from "./json.js";
import { junitReporter } from "./junit.js";
import { markdownReporter } from "./markdown.js";
import { oscalReporter } from "./oscal.js";
import { sarifReporter } from "./sarif.js";
import { textReporter } from "./text.js";

/** A rule as every format describes it (the HTML report included): the catalogue's metadata (policy/catalog's CatalogRule fits). */
export interface RuleInfo extends RuleMeta {
  /** Documentation links (Rego METADATA `related_resources`). */
  related_resources?: ReadonlyArray<{ ref: string; description?: string }>;
}

export interface RenderOptions {
  /** Colour escapes allowed (a TTY, NO_COLOR unset, or FORCE_COLOR). Only the text format uses colour. */
  color: boolean;
  /** Failures only: no waived findings, no findings below --fail-on, no notes about passing or the configuration. */
  quiet?: boolean;
  /**
   * The rules that were in effect (the catalogue less the rules switched off, severities as configured).
   * sarif describes them, junit reports a passing test case for each rule a host did not break. Without it,
   * the formats fall back to what the findings themselves say.
   */
  catalog?: readonly RuleInfo[];
  /**
   * Prefix (`/`-separated, no trailing slash) that turns the report's paths (relative to the checked path)
   * into paths relative to the repository root, for the formats GitHub resolves against the checkout (sarif,
   * github). Empty or absent: the report's paths are used as they are.
   */
  pathPrefix?: string;
  /** When the report was made (ISO 8601), for the formats that print it (html); absent: now. */
  generatedAt?: string;
  /** The executive form where a format has one (html, pdf: no per-host detail); `--summary`. */
  summary?: boolean;
  /** Verified `ntp-policy fix` changes of the findings that have one (sarif `fixes`); paths relative to the checked path. */
  fixes?: ReadonlyMap<ReportFinding, FindingFix>;
}

export interface Reporter {
  format: string;
  render(report: Report, options: RenderOptions): string;
}

export const REPORTERS: readonly Reporter[] = [
  textReporter,
  jsonReporter,
  sarifReporter,
  junitReporter,
  githubReporter,
  markdownReporter,
  csvReporter,
  htmlReporter,
  oscalReporter,
];

/** Formats that are not a Reporter: `pdf` prints the html report through a local Chromium. */
export const EXTRA_FORMATS = ["pdf"] as const;

export function reporterFor(format: string): Reporter | undefined {
  return REPORTERS.find((r) => r.format === format);
}
