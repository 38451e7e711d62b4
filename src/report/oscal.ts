/**
 * `--format oscal`: an OSCAL 1.1.3 `assessment-results` document (NIST SP 800-53 / FedRAMP tooling reads these).
 *
 * How the report maps onto OSCAL:
 * - scope: one inventory item per host; every file read, with its sha256, is a back-matter resource;
 * - the assessment plan (`import-ap`) is the run's own plan, a back-matter resource: the rule catalogue by its
 *   policy digest, the profile, the trusted networks and every tailoring decision, and the command line;
 * - origin: the tool, a `software` component carrying its version and the policy digest, is the actor of every
 *   observation, finding and risk;
 * - observations: one per finding (its lines as relevant evidence), one per passed rule (the lines that satisfy
 *   it), one per rule not evaluated (with why) — every rule in effect on every host is accounted for;
 * - findings: one per host and SP 800-53 control statement the rules map to (METADATA references of kind
 *   `NIST 800-53`). `satisfied` only when every rule mapped to it passed; a failing or waived rule makes it
 *   `not-satisfied` (reason `fail`); a rule that could not be evaluated makes it `not-satisfied` (reason `other`),
 *   because missing evidence is never compliance;
 * - waivers: risks with status `deviation-approved`, the justification as statement, the expiry as deadline,
 *   and the approver as a party who logged the acceptance.
 *
 * Every UUID is name-based (src/report/oscal/uuid.ts), so the document is deterministic. Text from the dump goes
 * through the same escaping as the text report, and OSCAL's string type (no leading or trailing space, one line)
 * is honoured.
 */
import { NOT_CHECKED_RULE } from "../model/finding.js";
import type { Evidence } from "../model/finding.js";
import type { HostReport, Report, ReportFinding, RuleOutcome } from "../model/report.js";
import { printable } from "./escape.js";
import { toUri } from "./sarif.js";
import { ruleControls, type ControlTarget } from "./oscal/controls.js";
import { uuidV5 } from "./oscal/uuid.js";
import { outcomesOf } from "./outcomes.js";
import type { Reporter, RuleInfo } from "./reporter.js";
import { compareIds, ruleTable } from "./rule-info.js";

export const OSCAL_VERSION = "1.1.3";
/** Namespace of the properties ntp-policy defines (OSCAL props outside NIST's own names need one). */
export const OSCAL_PROPERTY_NS = "urn:ntp-policy:oscal";

export const oscalReporter: Reporter = {
  format: "oscal",
  render(report, options) {
    return `${JSON.stringify(toOscal(report, options.catalog, options.generatedAt ?? new Date().toISOString()), null, 2)}\n`;
  },
};

type Json = Record<string, unknown>;

/** OSCAL's StringDatatype: non-empty, one line, no space at either end; untrusted text escaped. */
function text(s: string): string {
  const t = printable(s).replace(/[\u2028\u2029]/g, " ").trim();
  return t === "" ? "(empty)" : t;
}

function prop(name: string, value: string): Json {
  return { name, ns: OSCAL_PROPERTY_NS, value: text(value) };
}

/** `2026-12-03` (a waiver's last valid day) → the end of that day, UTC. */
function endOfDay(date: string): string {
  return `${date}T23:59:59Z`;
}

function evidenceLine(e: Evidence): string {
  return `${e.location.file}:${e.location.line}:${e.location.column}: ${e.text}`;
}

interface HostContext {
  host: HostReport;
  itemUuid: string;
  /** Back-matter resource of each file, by the path findings use (relative to the checked path). */
  fileResource: Map<string, string>;
  collected: string;
}

export function toOscal(report: Report, catalog: readonly RuleInfo[] | undefined, generatedAt: string): Json {
  const rules = ruleTable(report, catalog);
  const documentUuid = uuidV5(`assessment-results:${report.policy.digest}:${JSON.stringify(report)}`);
  const toolUuid = uuidV5(`component:${report.tool.name}:${report.tool.version}:${report.policy.digest}`);
  const planUuid = uuidV5(`assessment-plan:${documentUuid}`);
  const origins = [{ actors: [{ type: "tool", "actor-uuid": toolUuid }] }];

  const hosts: HostContext[] = report.hosts.map((host) => ({
    host,
    itemUuid: uuidV5(`inventory-item:${host.checked_path ?? ""}:${host.path}:${host.host}`),
    fileResource: new Map(host.files.map((f) => [f.path, uuidV5(`file:${host.host}:${f.path}:${f.sha256}`)])),
    collected: host.collected_at ?? generatedAt,
  }));

  const parties = new Map<string, string>(); // approver name → party uuid
  const observations: Json[] = [];
  const risks: Json[] = [];
  const findings: Json[] = [];
  const controls = new Map<string, ControlTarget>();

  for (const ctx of hosts) {
    const { host } = ctx;
    const subjects = [{ "subject-uuid": ctx.itemUuid, type: "inventory-item", title: text(host.host) }];
    const observe = (key: string, title: string, description: string, lines: readonly Evidence[], props: Json[]): string => {
      const uuid = uuidV5(`observation:${documentUuid}:${host.host}:${key}`);
      const evidence = lines.map((e) => {
        const resource = ctx.fileResource.get(e.location.file);
        return { ...(resource ? { href: `#${resource}` } : {}), description: text(evidenceLine(e)) };
      });
      observations.push({
        uuid,
        title: text(title),
        description: text(description),
        props,
        methods: ["TEST"],
        types: ["finding"],
        origins,
        subjects,
        ...(evidence.length > 0 ? { "relevant-evidence": evidence } : {}),
        collected: ctx.collected,
      });
      return uuid;
    };

    // Each rule's observations and risks, then the control findings that rest on them.
    const byRule = new Map<string, { outcome: RuleOutcome; observations: string[]; risks: string[] }>();
    const findingsOf = (rule: string): ReportFinding[] => host.findings.filter((f) => f.rule === rule);
    for (const outcome of outcomesOf(host, catalog)) {
      const rule = rules.get(outcome.rule);
      const name = `${outcome.rule} ${rule?.title ?? ""}`.trim();
      const entry = { outcome, observations: [] as string[], risks: [] as string[] };
      byRule.set(outcome.rule, entry);
      const baseProps = [prop("rule", outcome.rule), prop("outcome", outcome.status)];
      if (outcome.status === "fail" || outcome.status === "waived") {
        findingsOf(outcome.rule).forEach((f, i) => {
          const obs = observe(`${f.rule}:${i}`, `${name} on ${host.host}`, f.message, f.evidence.length > 0 ? f.evidence : [{ location: f.location, text: "" }], [
            ...baseProps,
            prop("severity", f.severity),
            prop("location", `${f.location.file}:${f.location.line}:${f.location.column}`),
          ]);
          entry.observations.push(obs);
          if (f.waiver) entry.risks.push(acceptedRisk(f, host, obs, i));
        });
      } else if (outcome.status === "pass") {
        const lines = outcome.evidence ?? [];
        const how = lines.length > 0 ? "the lines cited satisfy the rule" : (rule?.passes_when ?? "no violation was found");
        entry.observations.push(observe(outcome.rule, `${name} on ${host.host}: passed`, `Passed: ${how}.`, lines, baseProps));
      } else {
        const why = outcome.reason ?? (outcome.status === "error" ? "the host could not be checked" : "not applicable");
        entry.observations.push(observe(outcome.rule, `${name} on ${host.host}: not evaluated`, `Not evaluated: ${why}.`, [], baseProps));
      }
    }

    // One finding per control statement the rules map to.
    const statements = new Map<string, { target: ControlTarget; rules: string[] }>();
    for (const id of [...byRule.keys()].sort(compareIds)) {
      for (const target of ruleControls(rules.get(id)?.references ?? [])) {
        controls.set(target.statementId, target);
        const s = statements.get(target.statementId) ?? { target, rules: [] };
        s.rules.push(id);
        statements.set(target.statementId, s);
      }
    }
    for (const { target, rules: ids } of [...statements.values()].sort((a, b) => compareIds(a.target.statementId, b.target.statementId))) {
      const entries = ids.map((id) => byRule.get(id)!);
      const statuses = entries.map((e) => e.outcome.status);
      const failed = statuses.some((s) => s === "fail" || s === "waived");
      const unknown = statuses.some((s) => s === "not_applicable" || s === "error");
      const state = failed || unknown ? "not-satisfied" : "satisfied";
      const reason = failed ? "fail" : unknown ? "other" : "pass";
      const summary = entries
        .map((e) => `${e.outcome.rule} ${e.outcome.status.replace("_", " ")}${e.outcome.reason ? ` (${e.outcome.reason})` : ""}`)
        .join("; ");
      const relatedRisks = entries.flatMap((e) => e.risks);
      findings.push({
        uuid: uuidV5(`finding:${documentUuid}:${host.host}:${target.statementId}`),
        title: text(`${target.label} on ${host.host}`),
        description: text(`NIST SP 800-53 ${target.label}, judged by ${ids.join(", ")}: ${summary}.`),
        props: [prop("host", host.host)],
        origins,
        target: {
          type: "statement-id",
          "target-id": target.statementId,
          status: { state, reason, ...(reason === "other" ? { remarks: "One or more rules could not be evaluated on this host; missing evidence is not compliance." } : {}) },
        },
        "related-observations": entries.flatMap((e) => e.observations).map((u) => ({ "observation-uuid": u })),
        ...(relatedRisks.length > 0 ? { "related-risks": relatedRisks.map((u) => ({ "risk-uuid": u })) } : {}),
      });
    }
  }

  function acceptedRisk(f: ReportFinding, host: HostReport, observation: string, index: number): string {
    const waiver = f.waiver!;
    const uuid = uuidV5(`risk:${documentUuid}:${host.host}:${f.rule}:${index}`);
    let logged: Json[] = [];
    if (waiver.approved_by !== null) {
      const name = text(waiver.approved_by);
      if (!parties.has(name)) parties.set(name, uuidV5(`party:${name}`));
      logged = [{ "party-uuid": parties.get(name)! }];
    }
    risks.push({
      uuid,
      title: text(`Accepted risk: ${f.rule} on ${host.host}`),
      description: text(f.message),
      statement: text(`Waived: ${waiver.justification}`),
      props: [prop("rule", f.rule), prop("severity", f.severity)],
      status: "deviation-approved",
      origins,
      ...(waiver.expires !== null ? { deadline: endOfDay(waiver.expires) } : {}),
      "risk-log": {
        entries: [
          {
            uuid: uuidV5(`risk-log:${uuid}`),
            title: "Waiver approved",
            description: text(
              `Waived in the configuration${waiver.approved_by !== null ? ` by ${waiver.approved_by}` : " (no approver recorded)"}${waiver.expires !== null ? `, until ${waiver.expires}` : ", with no expiry"}.`,
            ),
            start: generatedAt,
            ...(logged.length > 0 ? { "logged-by": logged } : {}),
            "status-change": "deviation-approved",
          },
        ],
      },
      "related-observations": [{ "observation-uuid": observation }],
    });
    return uuid;
  }

  const reviewed = [...controls.values()].sort((a, b) => compareIds(a.statementId, b.statementId));
  const byControl = new Map<string, string[]>();
  for (const t of reviewed) byControl.set(t.controlId, [...(byControl.get(t.controlId) ?? []), t.statementId]);
  const collectedTimes = report.hosts.map((h) => h.collected_at).filter((t): t is string => typeof t === "string").sort();

  const resources: Json[] = [planResource(report, planUuid, rules)];
  for (const ctx of hosts) {
    for (const f of ctx.host.files) {
      resources.push({
        uuid: ctx.fileResource.get(f.path)!,
        title: text(f.path),
        description: text(`${f.kind} of host ${ctx.host.host}`),
        props: [prop("host", ctx.host.host), prop("file-kind", f.kind)],
        rlinks: [{ href: toUri(f.path), hashes: [{ algorithm: "SHA-256", value: f.sha256 }] }],
      });
    }
  }

  const result: Json = {
    uuid: uuidV5(`result:${documentUuid}`),
    title: "ntp-policy check",
    description: text(
      `Automated evaluation of ${report.hosts.length} host(s) — time-daemon configuration and host firewall — under the ${report.config.profile} profile.`,
    ),
    start: collectedTimes[0] ?? generatedAt,
    end: generatedAt,
    props: [prop("profile", report.config.profile), prop("policy-digest", report.policy.digest)],
    "local-definitions": {
      components: [
        {
          uuid: toolUuid,
          type: "software",
          title: report.tool.name,
          description: "Policy-as-code checker that parses the time daemon's configuration and the host firewall offline and judges them with Rego policies.",
          props: [prop("version", report.tool.version), prop("policy-digest", report.policy.digest)],
          status: { state: "operational" },
        },
      ],
      ...(hosts.length > 0
        ? {
            "inventory-items": hosts.map((ctx) => ({
              uuid: ctx.itemUuid,
              description: text(`Host ${ctx.host.host}${ctx.host.judged_as ? `, judged as ${ctx.host.judged_as.flavor}` : ""}`),
              props: [
                prop("host", ctx.host.host),
                prop("collected-at", ctx.host.collected_at ?? "not recorded"),
                ...(ctx.host.error !== undefined || ctx.host.findings.some((f) => f.rule === NOT_CHECKED_RULE) ? [prop("checked", "no")] : []),
              ],
            })),
          }
        : {}),
    },
    "reviewed-controls": {
      "control-selections": [
        reviewed.length > 0
          ? { "include-controls": [...byControl.entries()].map(([id, statements]) => ({ "control-id": id, "statement-ids": statements })) }
          : { "include-all": {} },
      ],
    },
    ...(observations.length > 0 ? { observations } : {}),
    ...(risks.length > 0 ? { risks } : {}),
    ...(findings.length > 0 ? { findings } : {}),
  };

  return {
    "assessment-results": {
      uuid: documentUuid,
      metadata: {
        title: "ntp-policy assessment results",
        "last-modified": generatedAt,
        version: report.tool.version,
        "oscal-version": OSCAL_VERSION,
        props: [prop("tool", `${report.tool.name} ${report.tool.version}`), prop("report-schema", report.schema_version)],
        ...(parties.size > 0
          ? { parties: [...parties.entries()].sort(([a], [b]) => compareIds(a, b)).map(([name, uuid]) => ({ uuid, type: "person", name })) }
          : {}),
      },
      "import-ap": {
        href: `#${planUuid}`,
        remarks: "No separate assessment plan: the plan is the rule catalogue and configuration this run applied (back-matter).",
      },
      results: [result],
      "back-matter": { resources },
    },
  };
}

/** The run's own assessment plan: what was applied, so an auditor can reproduce the run. */
function planResource(report: Report, uuid: string, rules: ReadonlyMap<string, RuleInfo>): Json {
  const c = report.config;
  const tailoring = Object.entries(c.rules ?? {})
    .sort(([a], [b]) => compareIds(a, b))
    .map(([id, s]) => `${id}: ${s.enabled ? "on" : "off"}${s.severity !== null ? `, severity ${s.severity}` : ""}`);
  const props = [
    prop("policy-digest", report.policy.digest),
    prop("profile", c.profile),
    prop("rules-in-effect", [...rules.keys()].sort(compareIds).join(" ")),
    prop("trusted-networks", c.trusted_networks.length > 0 ? c.trusted_networks.join(" ") : "none configured"),
    prop("min-upstreams", String(c.min_upstreams)),
    ...(c.max_poll !== undefined && c.max_poll !== null ? [prop("max-poll", String(c.max_poll))] : []),
    ...(c.authorized_upstreams && c.authorized_upstreams.length > 0 ? [prop("authorized-upstreams", c.authorized_upstreams.join(" "))] : []),
    ...(tailoring.length > 0 ? [prop("tailoring", tailoring.join("; "))] : []),
    ...(c.digest !== null ? [prop("config-digest", c.digest)] : []),
    ...(report.run ? [prop("command-line", ["ntp-policy", ...report.run.arguments].join(" "))] : []),
  ];
  return {
    uuid,
    title: "ntp-policy assessment plan: rule catalogue and configuration",
    description: text(`The rules in effect under the ${c.profile} profile${c.source !== null ? `, configured by ${c.source}` : ""}.`),
    props,
  };
}
