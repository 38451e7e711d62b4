/**
 * `ntp-policy merge REPORT.json…`: the shards' JSON reports read back (untrusted, size-capped, checked
 * against the report's shape), checked against this installation — the same ntp-policy and policy that made
 * them, so every format renders them as `check` would — and combined (src/report/merge.ts). Loaded only when
 * the command runs: `check` pays nothing for it.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from "node:fs";
import { fullCatalog } from "../check/index.js";
import { PROFILES, type Profile } from "../model/config.js";
import type { Severity } from "../model/finding.js";
import { REPORT_SCHEMA_VERSION, type Report } from "../model/report.js";
import { TOOL_NAME, TOOL_VERSION } from "../model/tool.js";
import { combinedDigest, type CustomPolicy } from "../policy/custom.js";
import { sha256 } from "../policy/digest.js";
import { DEFAULT_WASM_PATH } from "../policy/paths.js";
import { rulesThatRun } from "../policy/profile.js";
import { mergeReports, MergeError, type Shard } from "../report/merge.js";
import { asReport, ReportShapeError } from "../report/report-shape.js";
import type { RuleInfo } from "../report/reporter.js";
import { rulesInEffect } from "../report/rule-info.js";

export { MergeError } from "../report/merge.js";

/** The largest report file read (bytes): past it the text would not fit in one JavaScript string anyway. */
export const MAX_REPORT_BYTES = 256 * 1024 * 1024;

export interface MergedReport {
  report: Report;
  /** The rules in effect under the shards' configuration, as `check` passes them to the formats. */
  catalog: RuleInfo[];
}

/** The file's bytes, at most `cap`: a larger file (or a FIFO that never ends) is refused, not read whole. */
function readCapped(file: string, cap: number): Buffer {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new MergeError(`${file}: ${code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : `cannot open (${code ?? String(e)})`}`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new MergeError(`${file}: is a directory; give the JSON report files (check --format json)`);
    if (st.isFile() && st.size > cap) throw new MergeError(`${file}: ${st.size} bytes, more than the ${cap}-byte limit of a report`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(1 << 20, cap + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > cap) throw new MergeError(`${file}: more than the ${cap}-byte limit of a report`);
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/** One shard's report: JSON, shaped as `check --format json` writes it, by ntp-policy. */
export function readShard(file: string, cap: number = MAX_REPORT_BYTES): Shard {
  const text = readCapped(file, cap).toString("utf8");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new MergeError(`${file}: not a JSON document (${(e as Error).message}); merge reads the reports of \`ntp-policy check --format json\``);
  }
  const tool = (value as { tool?: { name?: unknown } } | null)?.tool?.name;
  if (tool !== TOOL_NAME) throw new MergeError(`${file}: not an ntp-policy JSON report (no tool.name "${TOOL_NAME}"); merge reads the reports of \`ntp-policy check --format json\``);
  try {
    return { name: file, report: asReport(value) };
  } catch (e) {
    if (e instanceof ReportShapeError) throw new MergeError(`${file}: not a JSON report as ntp-policy ${TOOL_VERSION} writes it: ${e.message}`);
    throw e;
  }
}

/**
 * The report's own identity against this installation's: a report of another version or policy would be
 * rendered with this version's rule descriptions and formats, and so differ from what one `check` writes.
 */
function assertMadeHere(shard: Shard, custom: readonly CustomPolicy[]): void {
  const { report, name } = shard;
  if (report.schema_version !== REPORT_SCHEMA_VERSION || report.tool.version !== TOOL_VERSION) {
    throw new MergeError(
      `${name}: made by ntp-policy ${report.tool.version} (report schema ${report.schema_version}); this is ntp-policy ${TOOL_VERSION} (schema ${REPORT_SCHEMA_VERSION}): merge with the version that checked the shards`,
    );
  }
  const here = `sha256:${combinedDigest(sha256(readFileSync(DEFAULT_WASM_PATH)), custom)}`;
  if (report.policy.digest !== here) {
    throw new MergeError(
      `${name}: checked with the policy ${report.policy.digest}, but this installation's ${custom.length > 0 ? "policy with the given --policy/--bundle" : "built-in policy"} is ${here}: give merge the same --policy/--bundle options as check had`,
    );
  }
  if (!(PROFILES as readonly string[]).includes(report.config.profile)) throw new MergeError(`${name}: config.profile ${JSON.stringify(report.config.profile)} is not one of ${PROFILES.join(", ")}`);
}

/**
 * The shards' reports as the one report of a single `check` over all their paths. `failOn` undefined: the
 * shards' own (their summaries' fail_on), which must then be the same in all.
 */
export function mergeShardFiles(
  files: readonly string[],
  options: { failOn: Severity | undefined; argv: readonly string[]; custom: readonly CustomPolicy[] },
): MergedReport {
  const shards = files.map((f) => readShard(f));
  for (const shard of shards) assertMadeHere(shard, options.custom);
  let failOn = options.failOn;
  if (failOn === undefined) {
    failOn = shards[0]!.report.summary.fail_on;
    const other = shards.find((s) => s.report.summary.fail_on !== failOn);
    if (other) throw new MergeError(`${other.name}: checked with --fail-on ${other.report.summary.fail_on}, ${shards[0]!.name} with --fail-on ${failOn}: give merge the --fail-on the merged report should have`);
  }
  const report = mergeReports(shards, { failOn, argv: options.argv });
  const profile = report.config.profile as Profile;
  const settings = report.config.rules ?? {};
  // What check's catalogInEffect computes from the configuration, from the configuration the report records.
  return { report, catalog: rulesInEffect(rulesThatRun(fullCatalog(options.custom), profile, settings), settings) };
}
