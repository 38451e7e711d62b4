/** The Rego tests' line coverage of the non-test policy sources, which must reach COVERAGE_THRESHOLD. */
import { COVERAGE_THRESHOLD, POLICY_ROOT } from "./layout.js";
import { fail, run, type Tools } from "./tools.js";

interface CoverageReport {
  files?: Record<string, { covered_lines?: number; not_covered_lines?: number }>;
}

/** Runs `opa test --coverage`; returns the percentage (two decimals). */
export function checkCoverage(tools: Tools, opa: string): number {
  const out = run(tools, opa, ["test", "--coverage", "--format", "json", POLICY_ROOT], "opa test --coverage", { capture: true });
  const report = JSON.parse(out.toString()) as CoverageReport;
  let covered = 0;
  let notCovered = 0;
  for (const [file, f] of Object.entries(report.files ?? {})) {
    if (file.endsWith("_test.rego")) continue;
    covered += f.covered_lines ?? 0;
    notCovered += f.not_covered_lines ?? 0;
  }
  const pct = covered + notCovered === 0 ? 0 : (100 * covered) / (covered + notCovered);
  tools.log(`policy line coverage (excluding tests): ${pct.toFixed(2)}% (${covered}/${covered + notCovered} lines)`);
  if (pct < COVERAGE_THRESHOLD) fail(`policy line coverage ${pct.toFixed(2)}% is below ${COVERAGE_THRESHOLD}%`);
  return Number(pct.toFixed(2));
}
