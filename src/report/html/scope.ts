/** Section "Scope and provenance": tool, policy, every tailoring decision, the command line and checked paths, when each host's evidence was collected, and every input file's sha256. */
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
    ["Fails at or above", t(report.summary.fail_on)],
    ["Hosts in scope", String(report.hosts.length)],
    ["JSON report sha256", `<span class="hash">${jsonDigest(report)}</span> <span class="muted small">(of <code>--format json</code> for this run)</span>`],
  ];
  const rows = report.hosts.flatMap((h) => {
    if (h.files.length === 0) {
      return [`<tr><th scope="row" class="break">${t(hostLabel(h))}</th><td colspan="3" class="muted">no input files${h.error !== undefined ? " (the host could not be checked)" : ""}</td></tr>`];
    }
    return h.files.map(
      (f, i) =>
        `<tr>${i === 0 ? `<th scope="rowgroup" rowspan="${h.files.length}" class="break">${t(hostLabel(h))}</th>` : ""}` +
        `<td class="mono break">${t(f.path)}</td><td class="nowrap">${t(kindLabel(f.kind))}</td><td class="hash">${t(f.sha256)}</td></tr>`,
    );
  });
  return [
    '<dl class="facts">',
    ...facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`),
    "</dl>",
    "<h4>Input inventory</h4>",
    '<table class="inventory"><caption>Every file evaluated, per host, with its SHA-256 (paths relative to the checked path).</caption>',
    "<thead><tr><th>Host</th><th>File</th><th>Kind</th><th>SHA-256</th></tr></thead>",
    `<tbody>${rows.join("\n")}</tbody></table>`,
  ].join("\n");
}
