/** What several formats need about rules and paths beyond the report itself. */
import { statSync } from "node:fs";
import path from "node:path";
import type { RuleSetting } from "../model/config.js";
import { SEVERITIES, type Severity } from "../model/finding.js";
import type { Report, ReportFinding } from "../model/report.js";
import type { RuleInfo } from "./reporter.js";
import { compareIds } from "../model/rule-id.js";

export { compareIds } from "../model/rule-id.js";

/** The catalogue as configured: rules switched off left out, severities overridden. Sorted by id. */
export function rulesInEffect(catalog: readonly RuleInfo[], settings: Readonly<Record<string, RuleSetting>>): RuleInfo[] {
  return catalog
    .filter((r) => settings[r.id]?.enabled !== false)
    .map((r) => {
      const severity = settings[r.id]?.severity;
      return severity ? { ...r, severity } : r;
    })
    .sort((a, b) => compareIds(a.id, b.id));
}

/**
 * Every rule the formats may need to describe: the catalogue's, plus a description made from the findings
 * of any rule the catalogue does not list (a custom policy, or no catalogue passed). Sorted by id.
 */
export function ruleTable(report: Report, catalog: readonly RuleInfo[] | undefined): Map<string, RuleInfo> {
  const rules = new Map<string, RuleInfo>((catalog ?? []).map((r) => [r.id, r]));
  for (const host of report.hosts) {
    for (const f of host.findings) if (!rules.has(f.rule)) rules.set(f.rule, fallbackRule(f));
  }
  return new Map([...rules.entries()].sort(([a], [b]) => compareIds(a, b)));
}

function fallbackRule(f: ReportFinding): RuleInfo {
  return { id: f.rule, title: f.title, severity: f.severity, description: f.title, remediation: f.remediation, references: [], package: "" };
}


/** Worst first. */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b);
}

/**
 * RenderOptions.pathPrefix for a `check` of these paths: the report's paths are relative to the checked
 * directory, and GitHub resolves sarif and github paths against the repository root (the working
 * directory in CI). Known only when one directory inside the working directory is checked (files given one
 * by one already have paths relative to the working directory); "" otherwise.
 */
export function repositoryPrefix(paths: readonly string[], cwd: string = process.cwd()): string {
  if (paths.length !== 1 || !statSync(path.resolve(cwd, paths[0]!), { throwIfNoEntry: false })?.isDirectory()) return "";
  const relative = path.relative(cwd, path.resolve(cwd, paths[0]!));
  if (relative.startsWith("..") || path.isAbsolute(relative)) return "";
  return relative.split(path.sep).join("/");
}

/** `prefix/file`, for paths that must be relative to the repository root (RenderOptions.pathPrefix). */
export function withPrefix(prefix: string | undefined, file: string): string {
  const p = (prefix ?? "").replace(/\\/g, "/").replace(/^\.\/?/, "").replace(/\/+$/, "");
  return p === "" ? file : `${p}/${file}`;
}

/** The file's path below its host directory (`etc/ntp.conf`), for headings inside a host's section. */
export function hostRelative(hostPath: string, file: string): string {
  if (hostPath === "") return file;
  const prefix = `${hostPath.replace(/\/+$/, "")}/`;
  return file.startsWith(prefix) ? file.slice(prefix.length) : file;
}
