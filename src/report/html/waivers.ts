/** Section "Waivers and configuration notices", and the list of hosts that could not be checked. */
import type { HostReport } from "../../model/report.js";
import { badge, hostLabel, renderExpiry, renderLocation, table, tableOrNone, type Ctx } from "./parts.js";
import { t } from "./escape.js";

export function renderWaivers(ctx: Ctx): string {
  const { report } = ctx;
  const waived = report.hosts.flatMap((h) => h.findings.filter((f) => f.status === "waived").map((f) => [h, f] as const));
  const parts: string[] = ["<h4>Waivers applied in this run</h4>"];
  const waiverRows = waived.map(
    ([h, f]) =>
      `<tr><td class="break">${t(hostLabel(h))}</td><td class="nowrap">${t(f.rule)} ${badge(f.severity)}</td><td class="mono break">${renderLocation(f.location)}</td>` +
      `<td class="break">${f.waiver ? t(f.waiver.justification) : '<span class="warn">missing</span>'}</td>` +
      `<td class="break">${f.waiver?.approved_by ? t(f.waiver.approved_by) : '<span class="warn">not recorded</span>'}</td>` +
      `<td class="nowrap">${renderExpiry(ctx, f.waiver?.expires ?? null)}</td></tr>`,
  );
  parts.push(tableOrNone("waivers", ["Host", "Control", "Finding location", "Justification", "Approved by", "Expires"], waiverRows, "No finding was waived."));
  parts.push("<h4>Configuration notices (expired and unused waivers)</h4>");
  const label = (k: string): string => (k === "waiver-expired" ? "Expired waiver" : k === "waiver-unused" ? "Unused waiver" : k);
  const noticeRows = report.notices.map(
    (n) =>
      `<tr><td class="nowrap">${t(label(n.kind))}</td><td class="mono break">${n.location ? renderLocation(n.location) : '<span class="muted">—</span>'}</td><td class="break">${t(n.message)}</td></tr>`,
  );
  parts.push(tableOrNone("notices", ["Notice", "Where in the configuration", "Message"], noticeRows, "None: every waiver in the configuration is current and matched a finding."));
  if (report.notices.some((n) => n.kind === "waiver-expired")) {
    parts.push('<p class="small muted">An expired waiver no longer applies: the findings it covered are reported as failing again.</p>');
  }
  return parts.join("\n");
}

export function renderErrors(hosts: readonly HostReport[]): string {
  return table("errors", ["Host", "Error"], hosts.map((h) => `<tr><td class="break">${t(hostLabel(h))}</td><td class="break">${t(h.error ?? "")}</td></tr>`));
}
