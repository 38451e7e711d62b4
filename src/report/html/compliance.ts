/**
 * The HTML report's view of the outcomes: one cell per (host, control), tallied per control and per host. The
 * status of each cell is the report's outcome (src/report/outcomes.ts); this only arranges and counts them.
 */
import { severityRank, type Evidence, type RuleInput, type RuleReference, type Severity } from "../../model/finding.js";
import type { InputFileKind } from "../../model/input.js";
import type { HostReport, Report, ReportFinding } from "../../model/report.js";
import { hostOutcomes, outcomesOf } from "../outcomes.js";
import type { RuleInfo } from "../reporter.js";
import { compareIds } from "../rule-info.js";

export type CellStatus = "pass" | "fail" | "waived" | "na" | "error";

export interface Control {
  id: string;
  title: string;
  severity: Severity;
  description: string;
  remediation: string;
  references: readonly RuleReference[];
  related: ReadonlyArray<{ ref: string; description?: string }>;
  /** False for a rule id that appears in findings but not in the catalogue. */
  inCatalogue: boolean;
  /** The evidence the control reads (METADATA `custom.inputs`); undefined: not declared. */
  inputs: readonly RuleInput[] | undefined;
  /** What a pass rests on when no line shows it (METADATA `custom.passes_when`). */
  passesWhen: string | undefined;
}

export interface Cell {
  status: CellStatus;
  /** The worst severity among the cell's failing (else waived) findings; null for pass, na and error. */
  severity: Severity | null;
  failing: number;
  waived: number;
  /** For pass: the input files that were evaluated. */
  inputs: HostReport["files"];
  /** For pass: the lines that satisfy the control (the outcome's evidence); [] otherwise. */
  evidence: Evidence[];
  /** For na and error: why the control was not evaluated. */
  reason: string;
}

export interface Tally {
  pass: number;
  fail: number;
  waived: number;
  na: number;
  error: number;
  /** pass + fail + waived: the (host, control) pairs that were actually evaluated. */
  evaluated: number;
  /** pass ÷ evaluated, null when nothing was evaluated. */
  passRate: number | null;
  /** (pass + waived) ÷ evaluated: the rate with waived risks accepted. */
  passRateWithWaivers: number | null;
}

export interface Compliance {
  controls: Control[];
  hosts: readonly HostReport[];
  /** cells[hostIndex][controlIndex]. */
  cells: Cell[][];
  byControl: Tally[];
  byHost: Tally[];
  total: Tally;
  /** Hosts that were checked (no internal error). */
  hostsChecked: number;
}

/** The input file kinds each kind of evidence comes from. */
const FILE_KINDS: Record<RuleInput, readonly InputFileKind[]> = {
  ntp: ["ntp.conf", "ntp.include"],
  chrony: ["chrony.conf", "chrony.include", "chrony-options"],
  time: ["ntp.conf", "ntp.include", "chrony.conf", "chrony.include", "chrony-options"],
  firewall_ipv4: ["iptables", "nft", "nft.include", "nft-json"],
  firewall_ipv6: ["ip6tables", "nft", "nft.include", "nft-json"],
  firewall: ["iptables", "ip6tables", "nft", "nft.include", "nft-json"],
  daemon_version: ["ntp-version"],
};

/** The host's files a control reads: those of its declared inputs, every file when it declares none. */
function filesRead(control: Control, files: HostReport["files"]): HostReport["files"] {
  if (control.inputs === undefined || control.inputs.length === 0) return files;
  const kinds = new Set(control.inputs.flatMap((i) => FILE_KINDS[i]));
  return files.filter((f) => kinds.has(f.kind));
}

function compareControls(a: Control, b: Control): number {
  return severityRank(b.severity) - severityRank(a.severity) || compareIds(a.id, b.id);
}

function emptyTally(): Tally {
  return { pass: 0, fail: 0, waived: 0, na: 0, error: 0, evaluated: 0, passRate: null, passRateWithWaivers: null };
}

function closeTally(t: Tally): Tally {
  t.evaluated = t.pass + t.fail + t.waived;
  t.passRate = t.evaluated === 0 ? null : t.pass / t.evaluated;
  t.passRateWithWaivers = t.evaluated === 0 ? null : (t.pass + t.waived) / t.evaluated;
  return t;
}

function worst(findings: readonly ReportFinding[]): Severity | null {
  let w: Severity | null = null;
  for (const f of findings) if (w === null || severityRank(f.severity) > severityRank(w)) w = f.severity;
  return w;
}

function controlOf(r: RuleInfo, inCatalogue: boolean): Control {
  return {
    id: r.id,
    title: r.title,
    severity: r.severity,
    description: r.description,
    remediation: r.remediation,
    references: r.references,
    related: r.related_resources ?? [],
    inCatalogue,
    inputs: r.inputs,
    passesWhen: r.passes_when,
  };
}

/** The controls (every rule in effect plus any rule id found only in findings) and one cell per host and control. */
export function computeCompliance(report: Report, catalogue: readonly RuleInfo[]): Compliance {
  const controls: Control[] = catalogue.map((r) => controlOf(r, true));
  const known = new Set(controls.map((c) => c.id));
  for (const h of report.hosts) {
    for (const f of h.findings) {
      if (known.has(f.rule)) continue;
      known.add(f.rule);
      controls.push(controlOf({ id: f.rule, title: f.title, severity: f.severity, description: "", remediation: f.remediation, references: [], package: "" }, false));
    }
  }
  controls.sort(compareControls);
  const asRules: RuleInfo[] = controls.map((c) => ({
    id: c.id,
    title: c.title,
    severity: c.severity,
    description: c.description,
    remediation: c.remediation,
    references: [...c.references],
    package: "",
    ...(c.inputs ? { inputs: [...c.inputs] } : {}),
  }));

  const byControl = controls.map(emptyTally);
  const byHost = report.hosts.map(emptyTally);
  const total = emptyTally();
  const cells = report.hosts.map((host, hi) => {
    const outcomes = new Map(outcomesOf(host, asRules.filter((r) => report.config.rules?.[r.id]?.enabled !== false)).map((o) => [o.rule, o]));
    return controls.map((control, ci) => {
      const switchedOff = report.config.rules?.[control.id]?.enabled === false;
      const outcome = outcomes.get(control.id) ?? (switchedOff && host.error === undefined && !host.findings.some((f) => f.rule === control.id)
        ? { rule: control.id, status: "not_applicable" as const, reason: "switched off in the configuration" }
        : hostOutcomes(host, [asRules[ci]!])[0]!);
      const findings = host.findings.filter((f) => f.rule === control.id);
      const failing = findings.filter((f) => f.status === "fail");
      const waived = findings.filter((f) => f.status === "waived");
      let cell: Cell;
      switch (outcome.status) {
        case "error":
          cell = { status: "error", severity: null, failing: 0, waived: 0, inputs: [], evidence: [], reason: "the host could not be checked (internal error)" };
          break;
        case "fail":
          cell = { status: "fail", severity: worst(failing), failing: failing.length, waived: waived.length, inputs: filesRead(control, host.files), evidence: [], reason: "" };
          break;
        case "waived":
          cell = { status: "waived", severity: worst(waived), failing: 0, waived: waived.length, inputs: filesRead(control, host.files), evidence: [], reason: "" };
          break;
        case "not_applicable":
          cell = { status: "na", severity: null, failing: 0, waived: 0, inputs: [], evidence: [], reason: outcome.reason ?? "not applicable" };
          break;
        case "pass":
          cell = { status: "pass", severity: null, failing: 0, waived: 0, inputs: filesRead(control, host.files), evidence: outcome.evidence ?? [], reason: "" };
          break;
      }
      for (const t of [byControl[ci]!, byHost[hi]!, total]) t[cell.status]++;
      return cell;
    });
  });
  byControl.forEach(closeTally);
  byHost.forEach(closeTally);
  closeTally(total);
  return { controls, hosts: report.hosts, cells, byControl, byHost, total, hostsChecked: report.hosts.filter((h) => h.error === undefined).length };
}

/**
 * A rate as a percentage with at most one decimal. Never shows 100% unless all passed, nor 0% unless none did
 * (99.96% prints as 99.9%).
 */
export function formatRate(rate: number | null): string {
  if (rate === null) return "—";
  let tenths = Math.round(rate * 1000);
  if (tenths === 1000 && rate < 1) tenths = 999;
  if (tenths === 0 && rate > 0) tenths = 1;
  return `${tenths % 10 === 0 ? String(tenths / 10) : (tenths / 10).toFixed(1)}%`;
}
