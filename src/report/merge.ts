/**
 * `ntp-policy merge`: the JSON reports of shards (one `check` per site, per CI matrix job) as the one report
 * a single `check` of all their paths would have made. Shards are only combined when their verdicts are
 * comparable — the same report schema, tool version, policy and configuration — and no host is in two of
 * them. What one run computes over the whole fleet is computed again here: the hosts' order, the summary,
 * and the configuration notices (a waiver "matched no finding" only when it matched none in any shard).
 */
import type { Severity } from "../model/finding.js";
import type { ConfigNotice, HostReport, Report } from "../model/report.js";
import { summarise } from "./summary.js";

/** A refusal to merge, with the report file it is about; the command line prints it as it is (exit 2). */
export class MergeError extends Error {
  override name = "MergeError";
}

export interface Shard {
  /** Where the report came from, as the user named it (error messages quote it). */
  name: string;
  report: Report;
}

export interface MergeOptions {
  /** The merged summary's `fail_on`, as `check --fail-on` sets it. */
  failOn: Severity;
  /** The merged report's `run.arguments`: the merge command's own arguments. */
  argv: readonly string[];
}

/** The fields whose equality makes two shards' verdicts comparable, and how a message names each. */
const MUST_AGREE: ReadonlyArray<{ field: string; what: string }> = [
  { field: "schema_version", what: "report schema version" },
  { field: "tool", what: "tool version" },
  { field: "policy", what: "policy (the built-in policy and any --policy/--bundle)" },
  { field: "config", what: "configuration (file digest, profile, trusted networks, rule settings…)" },
];

/** The first difference between two JSON values, as a path (`config.trusted_networks[1]`), or null. */
function firstDifference(a: unknown, b: unknown, at: string): string | null {
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) {
    return a === b ? null : at;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = firstDifference(a[i], b[i], `${at}[${i}]`);
      if (d !== null) return d;
    }
    return null;
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  for (const k of new Set([...Object.keys(ra), ...Object.keys(rb)])) {
    const d = firstDifference(ra[k], rb[k], `${at}.${k}`);
    if (d !== null) return d;
  }
  return null;
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? "absent";
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

function valueAt(root: unknown, pathText: string): unknown {
  let node = root;
  for (const part of pathText.match(/[^.[\]]+/g) ?? []) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function assertComparable(first: Shard, other: Shard): void {
  for (const { field, what } of MUST_AGREE) {
    const at = firstDifference(valueAt(first.report, field), valueAt(other.report, field), field);
    if (at === null) continue;
    throw new MergeError(
      `${other.name}: its ${what} differs from ${first.name}'s at ${at} (${shown(valueAt(other.report, at))} here, ${shown(valueAt(first.report, at))} there): ` +
        "only reports of the same ntp-policy, policy and configuration can be merged; check every shard with the same command",
    );
  }
}

function noticeKey(n: ConfigNotice): string {
  return JSON.stringify([n.kind, n.message, n.location]);
}

/**
 * The notices one run would have made. A waiver's expiry depends only on the configuration and the day, so
 * every shard reports it alike (else the shards were checked on different days and their waivers judged
 * differently: refused). A waiver is unused in the whole fleet only when it is unused in every shard. One run
 * lists the notices in the configuration's order of waivers, which every shard keeps.
 */
function mergedNotices(shards: readonly Shard[]): ConfigNotice[] {
  const first = shards[0]!;
  const inEvery = new Map<string, number>();
  for (const shard of shards) {
    const seen = new Set(shard.report.notices.map(noticeKey));
    for (const key of seen) inEvery.set(key, (inEvery.get(key) ?? 0) + 1);
  }
  for (const shard of shards) {
    for (const n of shard.report.notices) {
      if (n.kind === "waiver-expired" && inEvery.get(noticeKey(n)) !== shards.length) {
        const other = shards.find((s) => !s.report.notices.some((m) => noticeKey(m) === noticeKey(n)))!;
        throw new MergeError(
          `${shard.name}: ${JSON.stringify(n.message)} is not in ${other.name}: the shards judged waiver expiry on different days; check every shard on the same day (or re-run the older ones)`,
        );
      }
    }
  }
  return first.report.notices.filter((n) => inEvery.get(noticeKey(n)) === shards.length);
}

function compareHosts(a: HostReport, b: HostReport): number {
  return a.host < b.host ? -1 : a.host > b.host ? 1 : 0;
}

/** The shards' reports as one report; a MergeError (naming the shard) when they cannot be combined. */
export function mergeReports(shards: readonly Shard[], options: MergeOptions): Report {
  if (shards.length === 0) throw new MergeError("no report given");
  const first = shards[0]!;
  for (const other of shards.slice(1)) assertComparable(first, other);

  const ownerOf = new Map<string, number>();
  shards.forEach((shard, index) => {
    for (const h of shard.report.hosts) {
      const owner = ownerOf.get(h.host);
      if (owner !== undefined) {
        const where = owner === index ? "this report twice" : shards[owner]!.name === shard.name ? "an earlier argument naming the same file" : shards[owner]!.name;
        throw new MergeError(`${shard.name}: host ${JSON.stringify(h.host)} is also in ${where}: each host must be checked in one shard only`);
      }
      ownerOf.set(h.host, index);
    }
  });

  const hosts = shards.flatMap((s) => s.report.hosts).sort(compareHosts);
  const { schema_version, tool, policy, config } = first.report;
  return {
    schema_version,
    tool,
    policy,
    config,
    run: { arguments: [...options.argv], paths: shards.flatMap((s) => s.report.run?.paths ?? []) },
    hosts,
    notices: mergedNotices(shards),
    summary: summarise(hosts, options.failOn),
  };
}
