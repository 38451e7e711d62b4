/** Section "Scope and provenance": tool, policy, every tailoring decision, the command line and checked paths, when each host's evidence was collected, and every input file's sha256. */
import type { RuleSetting } from "../../model/config.js";
import type { Report } from "../../model/report.js";
import { hostLabel, jsonDigest, kindLabel, type Ctx } from "./parts.js";
import { t } from "./escape.js";

export function renderScope(ctx: Ctx): string {
  const { report } = ctx;
  const cfg = report.config;
  const cfgDigest = cfg.digest;
  const facts: Array<[string, string]> = [
    ["Tool", `${t(report.tool.name)} ${t(report.tool.version)}`],
    ["Report generated", t(ctx.generatedAt)],
    ["Policy bundle digest", `<span class="hash">${t(report.policy.digest)}</span>`],
    ["Report schema", t(report.schema_version)],
    ["Configuration source", cfg.source === null ? "built-in defaults (no configuration file)" : `<span class="mono break">${t(cfg.source)}</span>`],
    [
      "Configuration digest",
      cfgDigest !== null
        ? `<span class="hash">${t(cfgDigest)}</span>`
        : `<span class="muted">${cfg.source === null ? "none (no configuration file)" : "not recorded in the report"}</span>`,
    ],
    ["Profile", t(cfg.profile)],
    [
      "Trusted networks",
      cfg.trusted_networks.length === 0
        ? "none (only loopback is trusted)"
        : cfg.trusted_networks.map((n) => `<code>${t(n)}</code>`).join(", "),
    ],
    ["Minimum upstream sources", t(String(cfg.min_upstreams))],
    ["Maximum poll interval", cfg.max_poll === undefined ? '<span class="muted">not recorded in the report</span>' : cfg.max_poll === null ? "the profile's default" : `2^${t(String(cfg.max_poll))} s`],
    [
      "Authorised upstreams",
      cfg.authorized_upstreams === undefined
        ? '<span class="muted">not recorded in the report</span>'
        : cfg.authorized_upstreams.length === 0
          ? "any (not restricted)"
          : cfg.authorized_upstreams.map((n) => `<code>${t(n)}</code>`).join(", "),
    ],
    ["Rules switched off", tailoring(cfg.rules, (s) => !s.enabled, () => "off")],
    ["Severity overrides", tailoring(cfg.rules, (s) => s.enabled && s.severity !== null, (s) => `severity ${s.severity}`)],
    ["Fails at or above", t(report.summary.fail_on)],
    ["Command line", report.run ? `<code class="break">ntp-policy ${t(report.run.arguments.map(shellWord).join(" "))}</code>` : '<span class="muted">not recorded in the report</span>'],
    ["Checked paths", report.run ? report.run.paths.map((p) => `<span class="mono break">${t(p)}</span>`).join(", ") : '<span class="muted">not recorded in the report</span>'],
    ["Hosts in scope", String(report.hosts.length)],
    ["JSON report sha256", `<span class="hash">${jsonDigest(report)}</span> <span class="muted small">(of <code>--format json</code> for this run)</span>`],
  ];
  const rows = report.hosts.flatMap((h) => {
    const collected = h.collected_at ? t(h.collected_at) : '<span class="warn">not recorded</span>';
    if (h.files.length === 0) {
      return [`<tr><th scope="row" class="break">${t(hostLabel(h))}</th><td class="nowrap">${collected}</td><td colspan="3" class="muted">no input files${h.error !== undefined ? " (the host could not be checked)" : ""}</td></tr>`];
    }
    return h.files.map(
      (f, i) =>
        `<tr>${i === 0 ? `<th scope="rowgroup" rowspan="${h.files.length}" class="break">${t(hostLabel(h))}</th><td rowspan="${h.files.length}" class="nowrap">${collected}</td>` : ""}` +
        `<td class="mono break">${t(f.path)}</td><td class="nowrap">${t(kindLabel(f.kind))}</td><td class="hash">${t(f.sha256)}</td></tr>`,
    );
  });
  return [
    '<dl class="facts">',
    ...facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`),
    "</dl>",
    "<h4>Input inventory</h4>",
    '<table class="inventory"><caption>Every file evaluated, per host, with its SHA-256 (paths relative to the checked path).</caption>',
    "<thead><tr><th>Host</th><th>Evidence collected</th><th>File</th><th>Kind</th><th>SHA-256</th></tr></thead>",
    `<tbody>${rows.join("\n")}</tbody></table>`,
  ].join("\n");
}


/** The configured rule settings that `pick` selects, as "NTP003 (off), FW002 (severity low)"; "none" when there are none. */
function tailoring(rules: Report["config"]["rules"], pick: (s: RuleSetting) => boolean, show: (s: RuleSetting) => string): string {
  if (rules === undefined) return '<span class="muted">not recorded in the report</span>';
  const chosen = Object.entries(rules).filter(([, s]) => pick(s));
  return chosen.length === 0 ? "none" : chosen.map(([id, s]) => `<code>${t(id)}</code> (${t(show(s))})`).join(", ");
}

/** An argument as a shell would need it typed: quoted when it holds anything but safe characters. */
function shellWord(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}
