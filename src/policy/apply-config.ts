/**
 * From the policies' violations to findings: the profile and the rule settings from the configuration decide
 * which rules run (src/policy/profile.ts), settings override severities, then waivers apply. A waived finding stays in the report with status `waived` and the waiver's fields; an
 * expired waiver no longer waives and is itself reported; a waiver that matched nothing is reported as
 * unused.
 */
import type { Config, Waiver } from "../model/config.js";
import type { RuleMeta, Violation } from "../model/finding.js";
import type { ConfigNotice, ReportFinding } from "../model/report.js";
import { ruleRuns } from "./profile.js";

export interface HostViolations {
  host: string;
  /** Prefix that turns host-relative paths into paths relative to the checked path. */
  pathPrefix: string;
  violations: Violation[];
}

export function joinPath(prefix: string, file: string): string {
  return prefix === "" ? file : `${prefix.replace(/\/+$/, "")}/${file}`;
}

export function applyConfig(
  hosts: HostViolations[],
  config: Config,
  rules: ReadonlyMap<string, RuleMeta>,
  today: string,
): { findings: Map<string, ReportFinding[]>; notices: ConfigNotice[] } {
  const applied = new ConfigApplication(config, rules, today);
  const findings = new Map<string, ReportFinding[]>();
  for (const host of hosts) findings.set(host.host, applied.apply(host).findings);
  return { findings, notices: applied.notices() };
}

/**
 * The configuration applied one host at a time (a fleet's report is written while later hosts are checked, in
 * several threads); the notices about waivers come once every host has been seen. Waivers are named by their
 * index in the configuration, so that threads can say which of them matched.
 */
export class ConfigApplication {
  private readonly used = new Set<number>();

  constructor(
    private readonly config: Config,
    private readonly rules: ReadonlyMap<string, RuleMeta>,
    private readonly today: string,
  ) {}

  /** The host's findings, and the indices of the waivers that matched one of them. */
  apply(host: HostViolations): { findings: ReportFinding[]; used: number[] } {
    const { config, rules } = this;
    const out: ReportFinding[] = [];
    const used = new Set<number>();
    for (const v of host.violations) {
      const setting = config.rules[v.rule];
      if (!ruleRuns(rules.get(v.rule), config.profile, setting)) continue;
      const relocate = <T extends { location: { file: string } }>(x: T): T => ({
        ...x,
        location: { ...x.location, file: joinPath(host.pathPrefix, x.location.file) },
      });
      const finding: ReportFinding = {
        rule: v.rule,
        title: rules.get(v.rule)?.title ?? v.rule,
        severity: setting?.severity ?? v.severity,
        status: "fail",
        message: v.message,
        location: relocate(v).location,
        evidence: v.evidence.map(relocate),
        remediation: v.remediation,
      };
      const index = config.waivers.findIndex((w) => waiverMatches(w, host.host, finding, v.location.file));
      const waiver = config.waivers[index];
      if (waiver) {
        used.add(index);
        this.used.add(index);
        if (!isExpired(waiver, this.today)) {
          finding.status = "waived";
          finding.waiver = { justification: waiver.justification, approved_by: waiver.approved_by, expires: waiver.expires };
        }
      }
      out.push(finding);
    }
    return { findings: out, used: [...used].sort((a, b) => a - b) };
  }

  /** Waivers that matched findings of hosts applied elsewhere (another thread's ConfigApplication). */
  markUsed(indices: readonly number[]): void {
    for (const i of indices) this.used.add(i);
  }

  /** Does any waiver name this host (its host globs)? Then the host's findings depend on its name. */
  namesHost(host: string): boolean {
    return this.config.waivers.some((w) => w.hosts.some((glob) => globMatch(glob, host)));
  }

  /** Expired waivers, and waivers that matched no finding of the hosts seen. */
  notices(): ConfigNotice[] {
    const { config, rules, today } = this;
    const notices: ConfigNotice[] = [];
    for (const [i, w] of config.waivers.entries()) {
      if (isExpired(w, today)) {
        notices.push({ kind: "waiver-expired", message: `waiver for ${w.rule} on ${w.hosts.join(", ")} expired on ${w.expires}; it no longer applies`, location: w.location });
      } else if (!this.used.has(i) && ruleRuns(rules.get(w.rule), config.profile, config.rules[w.rule])) {
        // (A waiver for a rule that does not run under this profile or configuration is not "unused".)
        notices.push({ kind: "waiver-unused", message: `waiver for ${w.rule} on ${w.hosts.join(", ")} matched no finding; remove it or correct it`, location: w.location });
      }
    }
    return notices;
  }
}

/**
 * `hostFile`: the finding's file relative to its host directory (`etc/ntp.conf`). A waiver's `file:` is that
 * path (or `<host>/etc/ntp.conf`), so it matches however the tool was invoked: on the dump, on the host
 * directory, or on single files as pre-commit passes them.
 */
function waiverMatches(w: Waiver, host: string, f: ReportFinding, hostFile: string): boolean {
  if (w.rule !== f.rule) return false;
  if (!w.hosts.some((glob) => globMatch(glob, host))) return false;
  if (w.file !== null) {
    const want = w.file.replace(/\\/g, "/").replace(/^(\.\/)+/, "").replace(/^\/+/, "");
    if (want !== hostFile && want !== `${host}/${hostFile}`) return false;
  }
  if (w.line !== null && w.line !== f.location.line) return false;
  return true;
}

function isExpired(w: Waiver, today: string): boolean {
  return w.expires !== null && w.expires < today;
}

/**
 * Shell-style host globs: `*` any run of characters (line breaks included), `?` one character; everything
 * else literal. Matched without a regular expression, by the greedy two-pointer method: on a mismatch the
 * last `*` absorbs one more character. At most O(|glob| × |host|) steps and no backtracking blow-up, so a
 * glob like `*-*-*-*-*-prod` against a long host name stays instant.
 */
export function globMatch(glob: string, text: string): boolean {
  let g = 0;
  let t = 0;
  let star = -1; // index in glob of the last `*` seen
  let resume = 0; // where in text that `*` would take up matching again
  while (t < text.length) {
    if (g < glob.length && (glob[g] === "?" || (glob[g] !== "*" && glob[g] === text[t]))) {
      g++;
      t++;
    } else if (g < glob.length && glob[g] === "*") {
      star = g++;
      resume = t;
    } else if (star !== -1) {
      g = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (g < glob.length && glob[g] === "*") g++;
  return g === glob.length;
}
