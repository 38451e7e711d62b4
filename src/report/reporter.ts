/** One output format per file behind this interface (like conftest's output/). */
import type { Report } from "../model/report.js";
import { jsonReporter } from "./json.js";
import { textReporter } from "./text.js";

export interface RenderOptions {
  /** Colour escapes allowed (a TTY, NO_COLOR unset, or FORCE_COLOR). */
  color: boolean;
}

export interface Reporter {
  format: string;
  render(report: Report, options: RenderOptions): string;
}

export const REPORTERS: readonly Reporter[] = [textReporter, jsonReporter];

export function reporterFor(format: string): Reporter | undefined {
  return REPORTERS.find((r) => r.format === format);
}
