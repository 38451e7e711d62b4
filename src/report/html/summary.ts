/** Section "Executive summary": tiles, and the pass rate per control and per host. */
import { badge, hostLabel, plural, rateCell, status, type Ctx } from "./parts.js";
import { a, slug, t } from "./escape.js";
import { formatRate } from "./compliance.js";

export function renderSummary(ctx: Ctx): string {
  const { report, compliance: c } = ctx;
  const s = report.summary;
  const failingFindings = report.hosts.reduce((n, h) => n + h.findings.filter((f) => f.status === "fail").length, 0);
  const belowThreshold = failingFindings - s.failing;
  const tiles = [
    ["", String(c.hostsChecked), `hosts checked${c.hostsChecked < report.hosts.length ? ` of ${report.hosts.length}` : ""}`],
    ["pass", formatRate(c.total.passRate), `control checks passed (${c.total.pass} of ${c.total.evaluated})`],
    ["fail", String(s.failing), `failing findings at or above ${s.fail_on}`],
    ["waived", String(s.waived), "waived findings"],
    ["", String(report.notices.length), "configuration notices"],
  ];
  const controlRows = c.controls.map((ctl, i) => {
    const tl = c.byControl[i]!;
    return (
      `<tr data-rule="${a(ctl.id)}"><th scope="row"><a href="#control-${slug(ctl.id)}">${t(ctl.id)}</a></th><td>${t(ctl.title)}</td><td>${badge(ctl.severity)}</td>` +
      `<td class="num">${tl.pass}</td><td class="num">${tl.waived}</td><td class="num">${tl.fail}</td><td class="num">${tl.na + tl.error}</td>` +
      `<td class="num rate">${tl.pass}/${tl.evaluated}</td>${rateCell(tl.passRate)}</tr>`
    );
  });
  const hostRows = c.hosts.map((h, i) => {
    const tl = c.byHost[i]!;
    const sev = (["critical", "high", "medium", "low", "info"] as const)
      .map((sv) => [sv, h.findings.filter((f) => f.status === "fail" && f.severity === sv).length] as const)
      .filter(([, n]) => n > 0)
      .map(([sv, n]) => `<span class="sev ${sv}">${n} ${sv}</span>`)
      .join(", ");
    return (
      `<tr data-host="${a(h.host)}"><th scope="row" class="break"><a href="#host-${i + 1}">${t(hostLabel(h))}</a></th>` +
      `<td class="num">${tl.pass}</td><td class="num">${tl.waived}</td><td class="num">${tl.fail}</td><td class="num">${tl.na + tl.error}</td>` +
      `<td class="num rate">${tl.pass}/${tl.evaluated}</td>${rateCell(tl.passRate)}<td>${h.error !== undefined ? status("error") : sev || '<span class="muted">none</span>'}</td></tr>`
    );
  });
  const notes: string[] = [];
  if (belowThreshold > 0) {
    notes.push(`${plural(belowThreshold, "failing finding")} below the <em>${t(s.fail_on)}</em> threshold ${belowThreshold === 1 ? "is" : "are"} reported but ${belowThreshold === 1 ? "does" : "do"} not fail the run.`);
  }
  notes.push(
    `With the ${plural(c.total.waived, "waived check")} accepted as risk, ${formatRate(c.total.passRateWithWaivers)} of the evaluated checks are compliant.`,
  );
  return [
    '<div class="tiles">',
    ...tiles.map(([cls, num, lbl]) => `<div class="tile ${cls}"><div class="num">${t(num!)}</div><div class="lbl">${t(lbl!)}</div></div>`),
    "</div>",
    `<p class="note">A control passes on a host when the policy found no violation of it in that host's inputs. ` +
      `Pass rate = hosts passing ÷ hosts on which the control was evaluated; a waived finding counts as not passing. ` +
      `N/A: the control had nothing to evaluate (no input of the kind it reads) or the host could not be checked. ${notes.join(" ")}</p>`,
    "<h4>Pass rate per control</h4>",
    '<table class="per-control"><thead><tr><th>Control</th><th>Title</th><th>Severity</th><th class="num">Pass</th><th class="num">Waived</th><th class="num">Fail</th><th class="num">N/A</th><th class="num">Hosts passing / evaluated</th><th class="num">Pass rate</th></tr></thead>',
    `<tbody>${controlRows.join("\n")}</tbody>`,
    `<tfoot><tr><th scope="row" colspan="3">All controls</th><td class="num">${c.total.pass}</td><td class="num">${c.total.waived}</td><td class="num">${c.total.fail}</td><td class="num">${c.total.na + c.total.error}</td><td class="num rate">${c.total.pass}/${c.total.evaluated}</td>${rateCell(c.total.passRate)}</tr></tfoot></table>`,
    "<h4>Pass rate per host</h4>",
    '<table class="per-host"><thead><tr><th>Host</th><th class="num">Pass</th><th class="num">Waived</th><th class="num">Fail</th><th class="num">N/A</th><th class="num">Controls passing / evaluated</th><th class="num">Pass rate</th><th>Failing findings by severity</th></tr></thead>',
    `<tbody>${hostRows.join("\n")}</tbody></table>`,
  ].join("\n");
}
