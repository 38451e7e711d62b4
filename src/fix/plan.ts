/**
 * `ntp-policy fix`: for each failing finding, a change that makes it pass — proven before it is offered. The
 * hosts are checked; each fixer proposes edits against the files as checked; the edits accepted so far plus the
 * new ones are applied to a private copy of the host, which is checked again in-process with the same
 * configuration. A proposal is kept only when its finding is gone and no finding appears that was not there
 * before; a finding that an earlier change already made pass is recorded as fixed by that change. Nothing is
 * guessed: a fixer that needs a decision (which upstreams, which networks) says so and proposes nothing.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildPolicyInput } from "../analyze/policy-input.js";
import { runCheck } from "../check/pipeline.js";
import { readHostFile } from "../discover/host-files.js";
import { discoverHosts, type HostTarget } from "../discover/hosts.js";
import type { Config } from "../model/config.js";
import type { FindingFix, TextEdit } from "../model/edit.js";
import type { HostReport, Report, ReportFinding } from "../model/report.js";
import type { CustomPolicy } from "../policy/custom.js";
import { compareLocations } from "../model/location.js";
import { compareIds } from "../model/rule-id.js";
import { parseHost } from "../parse/host.js";
import { hostRelative } from "../report/rule-info.js";
import type { FixContext, HostFinding } from "./fixer.js";
import { fixerFor } from "./fixers/index.js";
import { applyEdits, EditConflict, linesOf } from "./text-edits.js";
import { diffLines } from "./unified-diff.js";

export interface FixOptions {
  paths: string[];
  config: Config;
  /** YYYY-MM-DD, for waiver expiry. */
  today: string;
  /** Only findings of these rules (empty or absent: every rule). */
  rules?: readonly string[];
  /** Custom policies, checked with the built-in one before and after each change (their findings count too). */
  custom?: readonly CustomPolicy[];
  /** The report of these paths, when the caller has already checked them (`check --format sarif`). */
  report?: Report;
}

export interface FixedFinding {
  finding: ReportFinding;
  /** The verified change that made it pass (another finding's, when `byOther`). */
  fix: FindingFix;
  byOther: boolean;
}

export interface UnresolvedFinding {
  finding: ReportFinding;
  reason: string;
}

export interface ChangedFile {
  /** Relative to the host directory. */
  file: string;
  before: string;
  after: string;
}

export interface HostFixPlan {
  host: HostReport;
  /** The host directory on disk. */
  root: string;
  files: ChangedFile[];
  fixed: FixedFinding[];
  unresolved: UnresolvedFinding[];
}

export interface FixPlan {
  report: Report;
  hosts: HostFixPlan[];
}

/**
 * A finding's identity across versions of its file: rule, file and line in the file as checked. File-level
 * findings all sit at line 1, column 1 (ntpd's built-in default entries, a missing family): their first line of
 * evidence tells them apart.
 */
type FindingKey = string;
const keyOf = (rule: string, file: string, line: number, f: Pick<ReportFinding, "location" | "evidence">): FindingKey =>
  `${rule}\u0000${file}\u0000${line}${isFileLevel(f) ? `\u0000${f.evidence[0]?.text ?? ""}` : ""}`;

function isFileLevel(f: Pick<ReportFinding, "location">): boolean {
  return f.location.line === 1 && f.location.column === 1;
}

export async function planFixes(options: FixOptions): Promise<FixPlan> {
  const report = options.report ?? (await runCheck({ paths: options.paths, config: options.config, failOn: "info", today: options.today, custom: options.custom ?? [] }));
  const targets = new Map(discoverHosts(options.paths).map((t) => [t.name, t]));
  const wanted = new Set(options.rules ?? []);
  const hosts: HostFixPlan[] = [];
  for (const host of report.hosts) {
    const target = targets.get(host.host);
    // Rule order: a cause (NTP001) comes before its consequences (NTP002, XL001), which its fix often repairs too.
    const failing = host.findings
      .filter((f) => f.status === "fail" && (wanted.size === 0 || wanted.has(f.rule)))
      .sort((a, b) => compareIds(a.rule, b.rule) || compareLocations(a.location, b.location));
    if (!target || failing.length === 0 || host.error !== undefined) continue;
    hosts.push(await planHost(host, target, failing, options));
  }
  return { report, hosts };
}

async function planHost(host: HostReport, target: HostTarget, failing: ReportFinding[], options: FixOptions): Promise<HostFixPlan> {
  const originals = new Map<string, string | null>();
  const original = (file: string): string | null => {
    if (!originals.has(file)) {
      const read = readHostFile(target.root, file);
      originals.set(file, read.ok ? read.text : null);
    }
    return originals.get(file)!;
  };
  const ctx: FixContext = {
    input: buildPolicyInput(parseHost(target), options.config),
    config: options.config,
    lines: (file) => {
      const text = original(file);
      return text === null ? null : linesOf(text);
    },
  };
  const local = (f: ReportFinding): HostFinding => ({
    rule: f.rule,
    message: f.message,
    location: { ...f.location, file: hostRelative(host.path, f.location.file) },
    evidence: f.evidence.map((e) => ({ ...e, location: { ...e.location, file: hostRelative(host.path, e.location.file) } })),
  });
  const keyOfFinding = (f: ReportFinding): FindingKey => keyOf(f.rule, hostRelative(host.path, f.location.file), f.location.line, f);
  const before = new Set(host.findings.map(keyOfFinding));

  let accepted: TextEdit[] = [];
  let remaining = before;
  const fixed: FixedFinding[] = [];
  const unresolved: UnresolvedFinding[] = [];
  const fixThatRemoved = new Map<FindingKey, FindingFix>();

  for (const finding of failing) {
    const key = keyOfFinding(finding);
    if (!remaining.has(key)) {
      fixed.push({ finding, fix: fixThatRemoved.get(key)!, byOther: true });
      continue;
    }
    const fixer = fixerFor(finding.rule);
    if (!fixer) {
      unresolved.push({ finding, reason: `no automatic fix for ${finding.rule}: it needs a decision (see its remediation)` });
      continue;
    }
    const proposal = fixer.propose(local(finding), ctx);
    if ("decision" in proposal) {
      unresolved.push({ finding, reason: proposal.decision });
      continue;
    }
    const candidate = [...accepted, ...proposal.edits];
    let after: Set<FindingKey>;
    try {
      after = await findingsAfter(host, target, original, candidate, options);
    } catch (e) {
      if (!(e instanceof EditConflict)) throw e;
      unresolved.push({ finding, reason: `the change (${proposal.description}) conflicts with an earlier one` });
      continue;
    }
    const added = [...after].filter((k) => !before.has(k));
    if (after.has(key) || added.length > 0) {
      const why = after.has(key)
        ? "the finding remains after it"
        : `it would bring ${added.map((k) => k.split("\u0000")).map(([rule, file, line]) => `${rule} at ${file}${Number(line) > 0 ? `:${line}` : " (on a line it adds)"}`).join(", ")}`;
      unresolved.push({ finding, reason: `the change (${proposal.description}) was checked and refused: ${why}` });
      continue;
    }
    const fix: FindingFix = { description: proposal.description, edits: proposal.edits };
    for (const k of remaining) if (!after.has(k)) fixThatRemoved.set(k, fix);
    accepted = candidate;
    remaining = after;
    fixed.push({ finding, fix, byOther: false });
  }

  const files: ChangedFile[] = [];
  for (const file of [...new Set(accepted.map((e) => e.file))].sort()) {
    const text = original(file)!;
    files.push({ file, before: text, after: applyEdits(text, accepted.filter((e) => e.file === file)) });
  }
  return { host, root: target.root, files, fixed, unresolved };
}

/**
 * The host's findings once `edits` are applied, as keys in the files as checked: the host's files are copied to a
 * private directory (under the host's own directory name, so waivers match alike), the edited ones patched, and
 * the copy checked. A finding on a line the edits added has no line as checked and counts as new.
 */
async function findingsAfter(
  host: HostReport,
  target: HostTarget,
  original: (file: string) => string | null,
  edits: readonly TextEdit[],
  options: FixOptions,
): Promise<Set<FindingKey>> {
  const patched = new Map<string, string>();
  for (const file of new Set(edits.map((e) => e.file))) {
    const text = original(file);
    if (text === null) throw new EditConflict(`${file} could not be read again`);
    patched.set(file, applyEdits(text, edits.filter((e) => e.file === file)));
  }
  const scratch = mkdtempSync(path.join(os.tmpdir(), "ntp-policy-fix-"));
  try {
    const copy = path.join(scratch, path.basename(target.root));
    for (const f of host.files) {
      const file = hostRelative(host.path, f.path);
      const text = patched.get(file) ?? original(file);
      if (text === null) continue;
      mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
      writeFileSync(path.join(copy, file), text);
    }
    const checked = await runCheck({ paths: [copy], config: options.config, failOn: "info", today: options.today, workers: 0, custom: options.custom ?? [] });
    const lineMaps = new Map<string, Array<number | null>>();
    const lineAsChecked = (file: string, line: number): number | null => {
      const after = patched.get(file);
      if (after === undefined) return line;
      if (!lineMaps.has(file)) lineMaps.set(file, newToOldLines(original(file)!, after));
      const map = lineMaps.get(file)!;
      return line - 1 < map.length ? map[line - 1]! : line - map.length + (linesOf(original(file)!).length);
    };
    const keys = new Set<FindingKey>();
    for (const f of checked.hosts[0]?.findings ?? []) {
      // A file-level finding stays at line 1, whatever was inserted before it.
      const line = isFileLevel(f) ? 1 : lineAsChecked(f.location.file, f.location.line);
      keys.add(keyOf(f.rule, f.location.file, line ?? -f.location.line, f));
    }
    return keys;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * For each line of `after` (0-based), the 1-based line of `before` it was, or null for a line the edits added. A
 * line the edits changed (removed lines followed by added ones) is still the line it was: a finding on a restrict
 * line that gained a flag is the same finding.
 */
function newToOldLines(before: string, after: string): Array<number | null> {
  const map: Array<number | null> = [];
  let old = 0;
  let removed: number[] = [];
  for (const op of diffLines(linesOf(before), linesOf(after))) {
    if (op.kind === " ") {
      removed = [];
      map.push(++old);
    } else if (op.kind === "-") {
      removed.push(++old);
    } else {
      map.push(removed.shift() ?? null);
    }
  }
  return map;
}
