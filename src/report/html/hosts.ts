/** Section "Findings and evidence by host": failing and waived findings with evidence, remediation and references; the controls passed with the lines that satisfy them; the controls not evaluated and why. */
import { severityRank, type Evidence } from "../../model/finding.js";
import type { ReportFinding } from "../../model/report.js";
import { badge, hostLabel, kindLabel, plural, renderExpiry, renderLocation, renderReferences, status, table, tableOrNone, type Ctx } from "./parts.js";
import { a, prose, t } from "./escape.js";
import { relatedLine } from "../related.js";
import { formatRate, type Control } from "./compliance.js";

export function renderWaiverBox(ctx: Ctx, f: ReportFinding): string {
  const w = f.waiver;
  if (!w) return '<div class="waiver"><strong>Waived.</strong> <span class="warn">The waiver record is missing from the report.</span></div>';
  return (
    `<div class="waiver"><strong>Waived.</strong> ` +
    `Justification: <span class="v">${t(w.justification)}</span>. ` +
    `Approved by: ${w.approved_by === null ? '<span class="warn">not recorded</span>' : t(w.approved_by)}. ` +
    `Expires: ${renderExpiry(ctx, w.expires)}.</div>`
  );
}

export function renderFinding(ctx: Ctx, f: ReportFinding, control: Control | undefined): string {
  const evidence =
    f.evidence.length === 0
      ? ""
      : `<div class="field"><div class="k">Evidence</div><ol class="evidence">${f.evidence
          .map(
            (e) =>
              `<li><span class="where">${renderLocation(e.location)}</span><span class="text">${e.text === "" ? '<span class="muted">(location only)</span>' : t(e.text)}</span></li>`,
          )
          .join("")}</ol></div>`;
  const remediation = f.remediation || control?.remediation || "";
  return [
    `<article class="finding ${f.status === "waived" ? "waived" : "fail"}" data-rule="${a(f.rule)}" data-status="${f.status}">`,
    `<header>${badge(f.severity)} ${status(f.status === "waived" ? "waived" : "fail")} <span class="rid">${t(f.rule)}</span> <span class="ftitle">${t(f.title)}</span>` +
      `<span class="loc mono break">${renderLocation(f.location)}</span></header>`,
    `<div class="field"><div class="k">Finding</div><div class="v message">${t(f.message)}</div></div>`,
    relatedField(f),
    evidence,
    f.status === "waived" ? renderWaiverBox(ctx, f) : "",
    remediation ? `<div class="field"><div class="k">Remediation</div><div class="v">${prose(remediation)}</div></div>` : "",
    renderReferences(control),
    "</article>",
  ]
    .filter((x) => x !== "")
    .join("\n");
}

/** "Related": the finding's cause or consequences on the same host (src/report/related.ts); "" without links. */
function relatedField(f: ReportFinding): string {
  const line = relatedLine(f);
  return line === null ? "" : `<div class="field"><div class="k">Related</div><div class="v related">${t(line)}</div></div>`;
}

/**
 * The lines that satisfy a passed control, as written and located; when the rule names none, what its pass rests
 * on in words (METADATA `passes_when`: "the absence of an `enable mode7` line is what passes").
 */
export function renderPassingLines(control: Control, lines: readonly Evidence[]): string {
  if (lines.length === 0) {
    const why = control.passesWhen ?? "No line of the host shows this pass: the rule found nothing to report.";
    return `<div class="small passes-when">${t(why)}</div>`;
  }
  return `<ol class="evidence passing">${lines
    .map((e) => `<li><span class="where">${renderLocation(e.location)}</span><span class="text">${e.text === "" ? '<span class="muted">(location only)</span>' : t(e.text)}</span></li>`)
    .join("")}</ol>`;
}

export function renderHosts(ctx: Ctx): string {
  const { compliance: c } = ctx;
  if (c.hosts.length === 0) return '<p class="muted">No hosts were checked.</p>';
  const controlById = new Map(c.controls.map((ctl) => [ctl.id, ctl]));
  return c.hosts
    .map((h, hi) => {
      const tl = c.byHost[hi]!;
      const failing = h.findings
        .filter((f) => f.status === "fail")
        .sort((x, y) => severityRank(y.severity) - severityRank(x.severity));
      const waived = h.findings.filter((f) => f.status === "waived");
      const passed = c.controls.map((ctl, ci) => [ctl, c.cells[hi]![ci]!] as const).filter(([, cell]) => cell.status === "pass");
      const notEvaluated = c.controls.map((ctl, ci) => [ctl, c.cells[hi]![ci]!] as const).filter(([, cell]) => cell.status === "na");
      const parts: string[] = [
        `<section class="host" id="host-${hi + 1}" data-host="${a(h.host)}">`,
        `<header><h3>Host <span class="break">${t(hostLabel(h))}</span></h3><div class="tally">` +
          `${status("pass", ` ${tl.pass}`)} ${status("fail", ` ${tl.fail}`)} ${status("waived", ` ${tl.waived}`)} ${status("na", ` ${tl.na}`)} · pass rate ${formatRate(tl.passRate)}</div></header>`,
        `<p class="small muted">Host directory: <span class="mono break">${h.path === "" ? "(the checked path itself)" : t(h.path)}</span> · ${plural(h.files.length, "input file")}</p>`,
      ];
      if (h.error !== undefined) {
        parts.push(`<p class="note"><span class="st error">! ERROR</span> This host could not be checked: <span class="break">${t(h.error)}</span>. None of its controls was evaluated.</p>`);
      }
      parts.push(`<h4>Failing findings (${failing.length})</h4>`);
      parts.push(failing.length === 0 ? '<p class="muted">None.</p>' : failing.map((f) => renderFinding(ctx, f, controlById.get(f.rule))).join("\n"));
      if (waived.length > 0) {
        parts.push(`<h4>Waived findings (${waived.length})</h4>`);
        parts.push(waived.map((f) => renderFinding(ctx, f, controlById.get(f.rule))).join("\n"));
      }
      if (h.error === undefined) {
        parts.push(`<h4>Passed controls — evidence of compliance (${passed.length})</h4>`);
        const passRows = passed.map(
          ([ctl, cell]) =>
            `<tr data-rule="${a(ctl.id)}"><th scope="row">${t(ctl.id)}</th><td>${t(ctl.title)}</td><td>${status("pass")}${renderPassingLines(ctl, cell.evidence)}</td>` +
            `<td>${cell.inputs.map((f) => `<div><span class="mono break">${t(f.path)}</span> <span class="muted small">${t(kindLabel(f.kind))}</span><br><span class="hash muted">${t(f.sha256)}</span></div>`).join("")}</td></tr>`,
        );
        parts.push(tableOrNone("passes", ["Control", "Title", "Satisfied by", "Inputs evaluated (SHA-256)"], passRows, "None."));
        if (notEvaluated.length > 0) {
          parts.push(`<h4>Not evaluated (${notEvaluated.length})</h4>`);
          const rows = notEvaluated.map(([ctl, cell]) => `<tr><th scope="row">${t(ctl.id)}</th><td>${t(ctl.title)}</td><td>${t(cell.reason)}</td></tr>`);
          parts.push(table("not-evaluated", ["Control", "Title", "Reason"], rows));
        }
      }
      parts.push("</section>");
      // A host with nothing to act on is collapsed: a one-line summary, its evidence one click away (and left out
      // of print), so a large fleet's report grows with its problems, not with its size.
      if (h.error === undefined && failing.length === 0 && waived.length === 0) {
        parts[0] = `<details class="host passing" id="host-${hi + 1}" data-host="${a(h.host)}">`;
        parts[1] =
          `<summary><strong>Host <span class="break">${t(hostLabel(h))}</span></strong> — no finding · ` +
          `${status("pass", ` ${tl.pass}`)} ${status("na", ` ${tl.na}`)}${tl.na > 0 ? " (not evaluated: see inside)" : ""}</summary>`;
        parts[parts.length - 1] = "</details>";
      }
      return parts.join("\n");
    })
    .join("\n");
}
