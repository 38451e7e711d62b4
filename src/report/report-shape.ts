/**
 * Reading a JSON report back (`ntp-policy merge`): a report file is untrusted input, so it is checked against
 * the shape `check --format json` writes before any format renders it — every field the formats read, with
 * its type, and no field the contract does not have. A report that does not fit is refused with the JSON path
 * of the first field that is wrong (`hosts[3].findings[0].severity: …`), never rendered half-way.
 */
import { SEVERITIES } from "../model/finding.js";
import { OUTCOME_STATUSES, type Report } from "../model/report.js";

export class ReportShapeError extends Error {}

type Check = (value: unknown) => void;

/**
 * Where the check is in the document, as keys and indexes: only turned into text (`hosts[3].severity`) when a
 * field does not fit, so a 10,000-host report builds no path string per field.
 */
const trail: Array<string | number> = [];

function fail(what: string): never {
  const at = trail.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? k : `.${k}`)).join("");
  throw new ReportShapeError(`${at === "" ? "the document" : at}: ${what}`);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value).slice(0, 40)}`;
}

const str: Check = (v) => {
  if (typeof v !== "string") fail(`expected a string, found ${describe(v)}`);
};

const count: Check = (v) => {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) fail(`expected a whole number, found ${describe(v)}`);
};

const bool: Check = (v) => {
  if (typeof v !== "boolean") fail(`expected true or false, found ${describe(v)}`);
};

const oneOf =
  (values: readonly string[]): Check =>
  (v) => {
    if (typeof v !== "string" || !values.includes(v)) fail(`expected one of ${values.join(", ")}, found ${describe(v)}`);
  };

const nullable =
  (check: Check): Check =>
  (v) => {
    if (v !== null) check(v);
  };

const list =
  (item: Check): Check =>
  (v) => {
    if (!Array.isArray(v)) fail(`expected an array, found ${describe(v)}`);
    trail.push(0);
    for (let i = 0; i < v.length; i++) {
      trail[trail.length - 1] = i;
      item(v[i]);
    }
    trail.pop();
  };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const record =
  (value: Check): Check =>
  (v) => {
    if (!isRecord(v)) fail(`expected an object, found ${describe(v)}`);
    for (const k of Object.keys(v)) {
      trail.push(k);
      value(v[k]);
      trail.pop();
    }
  };

/** An object with these fields (`?` after a name: optional) and no other. */
function object(fields: Record<string, Check>): Check {
  const required = Object.keys(fields).filter((k) => !k.endsWith("?"));
  const known = new Map(Object.entries(fields).map(([k, c]) => [k.replace(/\?$/, ""), c]));
  return (v) => {
    if (!isRecord(v)) fail(`expected an object, found ${describe(v)}`);
    for (const k of required) if (!Object.hasOwn(v, k)) fail(`the field "${k}" is missing`);
    for (const k of Object.keys(v)) {
      const check = known.get(k);
      if (!check) fail(`unknown field ${JSON.stringify(k).slice(0, 60)}`);
      trail.push(k);
      check(v[k]);
      trail.pop();
    }
  };
}

const location = object({ file: str, line: count, column: count });
const evidence = object({ location, text: str });
const severity = oneOf(SEVERITIES);

const finding = object({
  rule: str,
  title: str,
  severity,
  status: oneOf(["fail", "waived"]),
  message: str,
  location,
  evidence: list(evidence),
  remediation: str,
  "waiver?": object({ justification: str, approved_by: nullable(str), expires: nullable(str) }),
  "related?": list(object({ rule: str, location, relation: oneOf(["cause", "consequence"]) })),
});

const host = object({
  host: str,
  path: str,
  "checked_path?": str,
  files: list(object({ path: str, kind: str, sha256: str })),
  "judged_as?": object({ flavor: oneOf(["ntpd", "ntpsec", "chrony"]), decided_by: str, version: nullable(str) }),
  findings: list(finding),
  "error?": str,
  "not_applicable?": list(object({ rule: str, reason: str })),
  "outcomes?": list(object({ rule: str, status: oneOf(OUTCOME_STATUSES), reason: nullable(str), "evidence?": list(evidence) })),
  "collected_at?": nullable(str),
});

const reportShape = object({
  schema_version: str,
  tool: object({ name: str, version: str }),
  policy: object({ digest: str }),
  config: object({
    source: nullable(str),
    digest: nullable(str),
    profile: str,
    trusted_networks: list(str),
    min_upstreams: count,
    "rules?": record(object({ enabled: bool, severity: nullable(severity) })),
    "authorized_upstreams?": list(str),
    "max_poll?": nullable(count),
    "source_kind?": oneOf(["pool", "server"]),
  }),
  "run?": object({ arguments: list(str), paths: list(str) }),
  hosts: list(host),
  notices: list(object({ kind: oneOf(["waiver-expired", "waiver-unused"]), message: str, location: nullable(location) })),
  summary: object({
    hosts: count,
    hosts_failing: count,
    findings: count,
    failing: count,
    waived: count,
    by_severity: object(Object.fromEntries(SEVERITIES.map((s) => [s, count]))),
    fail_on: severity,
  }),
});

/** `value` as a Report, or a ReportShapeError naming the first field that does not fit. */
export function asReport(value: unknown): Report {
  trail.length = 0;
  reportShape(value);
  return value as Report;
}
