/** Section "Hosts × controls matrix": one cell per host and control, the host column pinned. */
import type { HostReport } from "../../model/report.js";
import { GLYPH, hostLabel, WORD, type Ctx } from "./parts.js";
import { a, t } from "./escape.js";
import { formatRate, type Cell, type Control } from "./compliance.js";

export function cellHtml(cell: Cell, host: HostReport, control: Control): string {
  let detail = "";
  if (cell.status === "fail" || cell.status === "waived") {
    const n = cell.status === "fail" ? cell.failing : cell.waived;
    detail = `${n > 1 ? ` ×${n}` : ""}<span class="sev">${t(cell.severity ?? "")}</span>`;
  }
  const tip =
    cell.status === "pass"
      ? `no violation found in ${cell.inputs.map((f) => f.path).join(", ")}`
      : cell.status === "na" || cell.status === "error"
        ? cell.reason
        : `${cell.failing} failing, ${cell.waived} waived`;
  return (
    `<td class="cell ${cell.status}" data-host="${a(host.host)}" data-rule="${a(control.id)}" data-status="${cell.status}" title="${a(tip)}">` +
    `${GLYPH[cell.status]} ${WORD[cell.status]}${detail}</td>`
  );
}

export function renderMatrix(ctx: Ctx): string {
  const { compliance: c } = ctx;
  if (c.hosts.length === 0) return '<p class="muted">No hosts were checked.</p>';
  const head = c.controls.map((ctl) => `<th class="ctl" scope="col" title="${a(ctl.title)}">${t(ctl.id)}<span class="sev ${a(ctl.severity)}">${t(ctl.severity)}</span></th>`);
  const rows = c.hosts.map((h, hi) => {
    const tl = c.byHost[hi]!;
    return (
      `<tr><th scope="row" class="host break"><a href="#host-${hi + 1}">${t(hostLabel(h))}</a></th>` +
      c.controls.map((ctl, ci) => cellHtml(c.cells[hi]![ci]!, h, ctl)).join("") +
      `<td class="num">${tl.pass}/${tl.evaluated} · ${formatRate(tl.passRate)}</td></tr>`
    );
  });
  const foot = c.byControl.map((tl) => `<td class="num">${tl.pass}/${tl.evaluated}<br>${formatRate(tl.passRate)}</td>`);
  return [
    '<p class="small muted">Each cell: ✓ PASS (no violation found), ✗ FAIL with the worst severity, ◐ WAIVED (a violation was found and waived), ' +
      "– N/A (nothing to evaluate), ! ERROR (host not checked). ×N: number of findings. Columns sorted by severity.</p>",
    // The table scrolls inside its box (the page itself never gets wider than the window), with the host column pinned.
    '<div class="matrix-wrap">',
    '<table class="matrix">',
    `<thead><tr><th scope="col" class="host">Host</th>${head.join("")}<th class="num" scope="col">Passing</th></tr></thead>`,
    `<tbody>${rows.join("\n")}</tbody>`,
    `<tfoot><tr><th scope="row" class="host">Passing</th>${foot.join("")}<td class="num">${c.total.pass}/${c.total.evaluated} · ${formatRate(c.total.passRate)}</td></tr></tfoot>`,
    "</table>",
    "</div>",
  ].join("\n");
}
