/** The report's title block and its verdict. */
import { plural, type Ctx } from "./parts.js";
import { t } from "./escape.js";

export function renderHead(ctx: Ctx, title: string): string {
  const { report } = ctx;
  const s = report.summary;
  const errors = report.hosts.filter((h) => h.error !== undefined).length;
  let verdict: string;
  if (errors > 0) {
    verdict = `<div class="verdict error" id="verdict">! INCOMPLETE<span class="why">${plural(errors, "host")} could not be checked; ${plural(s.failing, "failing finding")} at or above ${t(s.fail_on)}</span></div>`;
  } else if (s.failing > 0) {
    verdict = `<div class="verdict fail" id="verdict">✗ NOT COMPLIANT<span class="why">${plural(s.failing, "failing finding")} on ${plural(s.hosts_failing, "host")} at or above ${t(s.fail_on)}</span></div>`;
  } else {
    verdict = `<div class="verdict pass" id="verdict">✓ COMPLIANT<span class="why">no failing finding at or above ${t(s.fail_on)}${s.waived > 0 ? `; ${plural(s.waived, "finding")} waived` : ""}</span></div>`;
  }
  return [
    '<header class="report-head">',
    `<div><h1>${t(title)}</h1>`,
    `<div class="subtitle">${plural(report.hosts.length, "host")} · ${plural(ctx.compliance.controls.length, "control")} · generated ${t(ctx.generatedAt)} by ${t(report.tool.name)} ${t(report.tool.version)}</div></div>`,
    verdict,
    "</header>",
  ].join("\n");
}
