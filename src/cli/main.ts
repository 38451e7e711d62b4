/**
 * The command line (README "Usage", docs/architecture.md "Contracts"). Exit codes: 0 nothing failing at or above --fail-on,
 * 1 failing findings, 2 usage, configuration or internal error. No stack trace ever reaches the user.
 */
import { closeSync, openSync, writeFileSync, writeSync } from "node:fs";
import path from "node:path";
import { Command, CommanderError, Option } from "commander";
import {
  catalogInEffect,
  ConfigError,
  customPolicies,
  DEFAULT_CONFIG_FILE,
  DEFAULT_HOST_BUDGET,
  fullCatalog,
  inputsFor,
  isStringLimitError,
  resolveConfig,
  runCheck,
  streamCheck,
  type CheckOptions,
  type HostBudget,
} from "../check/index.js";
import { DiscoveryError } from "../discover/hosts.js";
import { PROFILES, type Config, type Profile } from "../model/config.js";
import { isSeverity, SEVERITIES, type Severity } from "../model/finding.js";
import { TOOL_VERSION } from "../model/tool.js";
import { loadCatalog } from "../policy/catalog.js";
import { compileCustomPolicies, customPolicyFromBundle, CustomPolicyError, type CustomPolicy } from "../policy/custom.js";
import { rulesOfProfile } from "../policy/profile.js";
import { printable, printableLines } from "../report/escape.js";
import { PdfUnavailableError } from "../report/pdf.js";
import { EXTRA_FORMATS, REPORTERS, reporterFor, type RenderOptions } from "../report/reporter.js";
import { repositoryPrefix } from "./paths.js";
import { explainRule, renderRulesTable } from "./rules.js";
import { reportTime } from "../model/clock.js";
import type { FindingFix } from "../model/edit.js";
import type { Report, ReportFinding } from "../model/report.js";
import { exitCode, isUnchecked } from "../report/summary.js";
import { JsonReportStream } from "../report/json.js";
import { setWasmLoadBudget } from "../policy/wasm-instance.js";

class UsageError extends Error {}

/** Every error line the command prints starts with this, whatever failed (usage, configuration, a host, a bug). */
export const ERROR_PREFIX = "ntp-policy: error: ";

/** One error line on stderr: the prefix, then the message escaped (it quotes paths, values and dump content). */
function writeError(message: string): void {
  process.stderr.write(`${ERROR_PREFIX}${printable(message)}\n`);
}

/**
 * Commander's own errors ("error: unknown option '--x'", "(Did you mean check?)" on a second line) as one line with
 * the common prefix.
 */
export function commanderErrorLine(text: string): string {
  const message = text
    .trim()
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .join(" ")
    .replace(/^error: /i, "");
  return `${ERROR_PREFIX}${printable(message)}\n`;
}

interface CommonOptions {
  config?: string;
  trusted?: string[];
  minUpstreams?: string;
  profile?: string;
}

interface PolicyOptions {
  policy?: string[];
  bundle?: string[];
}

/** The configuration for the command line's options; warnings go to stderr. */
function configFor(opts: CommonOptions, knownRules: ReadonlySet<string>): Config {
  return resolveConfig(opts, knownRules, (w) => process.stderr.write(`ntp-policy: warning: ${w}\n`));
}

/** The custom policies named by --policy and --bundle (none: []). */
function policiesFor(opts: PolicyOptions): Promise<CustomPolicy[]> {
  return customPolicies({ policyDirs: opts.policy ?? [], bundles: opts.bundle ?? [] });
}

const FIX_HELP = `
Each change is checked before it is offered: the patched files are parsed and checked again, the finding must be
gone and no other finding may appear. A finding whose fix needs a decision (which upstreams, which networks) is
listed with the reason and left alone.

Exit codes: 0 every failing finding has a verified fix (or none fails), 1 some need a decision, 2 error.

Example:
  ntp-policy fix dumps/ --trusted 10.0.0.0/8 > ntp-policy.patch && (cd dumps && git apply ../ntp-policy.patch)
`;

const CHECK_HELP = `
Exit codes:
  0  nothing failing at or above --fail-on (always, with --fail-on never, unless a host could not be checked)
  1  failing findings at or above --fail-on
  2  usage, configuration or internal error, or a host that could not be checked

Examples:
  ntp-policy check examples/host-dump
  ntp-policy check dumps/ --trusted 10.0.0.0/8 --format text --format sarif=ntp-policy.sarif
  ntp-policy check dumps/ --format html=report.html --summary --fail-on never
`;

const MERGE_HELP = `
The reports must come from the same ntp-policy, policy (--policy/--bundle included) and configuration, and
no host may be in two of them; the result is the report one check of all the shards' paths would have made
(hosts, outcomes, summary, notices), with this command line as its run.arguments. SARIF from merge carries
no verified fixes: they need the host files, which a report does not hold.

Exit codes: as check (0, 1, 2), from the merged report; 2 also when the reports cannot be merged.

Example:
  ntp-policy merge site-a.json site-b.json site-c.json --format sarif --output ntp-policy.sarif
`;

/** One report to write: a format, and the file it goes to (undefined: standard output). */
interface PlannedOutput {
  format: string;
  file: string | undefined;
}

const ALL_FORMATS: readonly string[] = [...REPORTERS.map((r) => r.format), ...EXTRA_FORMATS];

/**
 * The reports one run writes: each --format is FORMAT or FORMAT=FILE; --output is the file of the one FORMAT
 * without =FILE. At most one report goes to standard output; pdf always goes to a file.
 */
export function plannedOutputs(formats: readonly string[], output: string | undefined): PlannedOutput[] {
  const planned = (formats.length === 0 ? ["text"] : formats).map((spec): PlannedOutput => {
    const eq = spec.indexOf("=");
    const format = eq < 0 ? spec : spec.slice(0, eq);
    const file = eq < 0 ? undefined : spec.slice(eq + 1);
    if (!ALL_FORMATS.includes(format)) throw new UsageError(`--format ${spec}: unknown format ${JSON.stringify(format)} (one of ${ALL_FORMATS.join(", ")})`);
    if (file === "") throw new UsageError(`--format ${spec}: no file after "="`);
    return { format, file };
  });
  const toStdout = planned.filter((p) => p.file === undefined);
  if (output !== undefined) {
    if (toStdout.length !== 1) throw new UsageError("--output names the file of the one --format without =FILE; write FORMAT=FILE for each format instead");
    toStdout[0]!.file = output;
  } else if (toStdout.length > 1) {
    throw new UsageError(`only one report can go to standard output (${toStdout.map((p) => p.format).join(", ")}): write FORMAT=FILE for the others`);
  }
  for (const p of planned) if (p.format === "pdf" && p.file === undefined) throw new UsageError("--format pdf writes a file: add --output report.pdf (or --format pdf=report.pdf)");
  const files = planned.flatMap((p) => (p.file === undefined ? [] : [p.file]));
  if (new Set(files).size !== files.length) throw new UsageError("two reports would be written to the same file");
  return planned;
}

/** The arguments after the program name, as given: recorded in the report so an auditor can rerun it. */
function commandLine(): string[] {
  return process.argv.slice(2);
}

interface CheckFlags {
  format?: string[];
  output?: string;
  failOn: string;
  quiet?: boolean;
  summary?: boolean;
  hostTimeout: string;
  hostMemory: string;
  failOnUnchecked?: boolean;
}

function hostBudget(opts: CheckFlags): HostBudget {
  const seconds = Number(opts.hostTimeout);
  if (!/^\d+(\.\d+)?$/.test(opts.hostTimeout) || seconds <= 0 || seconds > 86_400) {
    throw new UsageError(`--host-timeout ${opts.hostTimeout}: expected seconds, more than 0 and at most 86400`);
  }
  const mb = Number(opts.hostMemory);
  if (!/^\d+$/.test(opts.hostMemory) || mb < 64 || mb > 65_536) throw new UsageError(`--host-memory ${opts.hostMemory}: expected megabytes, from 64 to 65536`);
  return { timeoutMs: Math.round(seconds * 1000), memoryMb: mb };
}

function useColor(toFile: boolean): boolean {
  if (toFile) return false;
  if (process.env["NO_COLOR"] !== undefined && process.env["NO_COLOR"] !== "") return false;
  const force = process.env["FORCE_COLOR"];
  if (force !== undefined) return force !== "0" && force !== "false";
  return Boolean(process.stdout.isTTY);
}

function emit(text: string, output: string | undefined): void {
  if (output) writeOutput(output, text);
  else process.stdout.write(text);
}

/** --output FILE: a missing directory or a directory in the way is a usage error (exit 2), not an internal one. */
function writeOutput(output: string, data: string | Uint8Array): void {
  try {
    writeFileSync(output, data);
  } catch (e) {
    throw outputError(output, e);
  }
}

/** The file descriptor of --output FILE, opened for writing (truncated), with writeOutput's usage errors. */
function openOutput(output: string): number {
  try {
    return openSync(output, "w");
  } catch (e) {
    throw outputError(output, e);
  }
}

function outputError(output: string, e: unknown): UsageError {
  const code = (e as { code?: string }).code;
  const why =
    code === "ENOENT" ? `the directory ${path.dirname(output)} does not exist`
    : code === "EISDIR" ? "is a directory; give a file name"
    : code === "ENOTDIR" ? "a part of the path is not a directory"
    : code === "EACCES" || code === "EPERM" ? "permission denied"
    : `cannot write: ${code ?? String(e)}`;
  return new UsageError(`--output ${output}: ${why}`);
}

function profileOption(description: string): Option {
  return new Option("--profile <profile>", description).choices([...PROFILES]);
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The report's timestamp: SOURCE_DATE_EPOCH when set (reproducible builds), else now. */
function generatedAt(): string {
  return reportTime().toISOString();
}

/** NTP_POLICY_MEMO=0 checks every host on its own (docs/architecture.md "Fleets"): for comparing, never needed for correctness. */
function memoEnabled(): boolean {
  return process.env["NTP_POLICY_MEMO"] !== "0";
}

/** The check with its JSON report streamed to `file` (standard output when undefined). */
async function streamJsonReport(options: CheckOptions, file: string | undefined): Promise<RunOutcome> {
  const out = file === undefined ? null : openOutput(file);
  const buffered = new BufferedWriter((text) => (out === null ? process.stdout.write(text) : writeSync(out, text)));
  const stream = new JsonReportStream((text) => buffered.write(text));
  const errors: Array<{ host: string; error: string }> = [];
  let unchecked = false;
  try {
    const tail = await streamCheck(options, {
      begin: (head) => stream.begin(head),
      host: (h) => {
        stream.host(h.json);
        if (h.error) errors.push({ host: h.host, error: h.error });
        unchecked ||= h.unchecked;
      },
    });
    stream.end(tail);
    buffered.flush();
    if (file !== undefined) process.stderr.write(`ntp-policy: wrote json report to ${printable(file)}\n`);
    return { errors, failing: tail.summary.failing, unchecked };
  } finally {
    if (out !== null) closeSync(out);
  }
}

/** Collects small writes into blocks of about 64 KB. */
class BufferedWriter {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly sink: (text: string) => unknown) {}

  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= 64 * 1024) this.flush();
  }

  flush(): void {
    if (this.parts.length === 0) return;
    this.sink(this.parts.join(""));
    this.parts = [];
    this.size = 0;
  }
}

/** The verified fix of each finding that has one (SARIF carries them); `fix` is loaded only for this. */
async function fixesOf(options: { paths: string[]; config: Config; today: string; custom: CustomPolicy[]; report: Report }): Promise<ReadonlyMap<ReportFinding, FindingFix>> {
  const { fixesByFinding, planFixes } = await import("../fix/index.js");
  return fixesByFinding(await planFixes(options));
}

/** Every report of a run that is held whole (all but a lone JSON report), rendered and written. */
async function writeReports(
  report: Report,
  outputs: PlannedOutput[],
  context: { paths: string[]; config: Config; custom: CustomPolicy[]; quiet: boolean; summary: boolean },
): Promise<void> {
  const { paths, config, custom } = context;
  // SARIF carries each finding's verified fix (code scanning offers it): only computed when SARIF is asked for.
  const fixes = outputs.some((o) => o.format === "sarif") ? await fixesOf({ paths, config, today: today(), custom, report }) : undefined;
  await renderReports(report, outputs, {
    quiet: context.quiet,
    catalog: catalogInEffect(config, custom),
    pathPrefix: repositoryPrefix(paths),
    summary: context.summary,
    ...(fixes ? { fixes } : {}),
  });
}

/** Each planned output: the report in its format, to its file or standard output (check and merge alike). */
async function renderReports(report: Report, outputs: readonly PlannedOutput[], base: Omit<RenderOptions, "color" | "generatedAt">): Promise<void> {
  for (const out of outputs) {
    const options: RenderOptions = { ...base, color: useColor(out.file !== undefined), generatedAt: generatedAt() };
    if (out.format === "pdf") {
      const { renderPdf } = await import("../report/pdf.js");
      await renderPdf(reporterFor("html")!.render(report, { ...options, color: false }), out.file!);
    } else {
      emit(reporterFor(out.format)!.render(report, options), out.file);
    }
    if (out.file !== undefined) process.stderr.write(`ntp-policy: wrote ${out.format} report to ${printable(out.file)}\n`);
  }
}

/** What decides a run's exit code (README "Exit codes"), for check and merge alike. */
interface RunOutcome {
  errors: Array<{ host: string; error: string }>;
  failing: number;
  unchecked: boolean;
}

function outcomeOf(report: Report): RunOutcome {
  return {
    errors: report.hosts.flatMap((h) => (h.error ? [{ host: h.host, error: h.error }] : [])),
    failing: report.summary.failing,
    unchecked: report.hosts.some(isUnchecked),
  };
}

function setExitCode(outcome: RunOutcome, flags: { reportOnly: boolean; failOnUnchecked: boolean }): void {
  // Host names are directory names from the dump: escaped, so a name holding a newline and
  // `::error …::` cannot start a CI workflow command, nor `ESC]0;…BEL` retitle the terminal.
  for (const h of outcome.errors) writeError(`${h.host}: ${h.error}`);
  const code = exitCode(outcome.errors.length > 0, outcome.failing);
  process.exitCode = flags.reportOnly && code === 1 ? 0 : code;
  if (flags.failOnUnchecked && outcome.unchecked) process.exitCode = 2;
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name("ntp-policy")
    .description("Check NTP servers' ntp.conf and host firewall against security policy, offline.")
    .version(TOOL_VERSION)
    .exitOverride()
    .configureOutput({
      writeErr: (s) => process.stderr.write(printableLines(s)),
      outputError: (s) => process.stderr.write(commanderErrorLine(s)),
    });

  const withConfigOptions = (cmd: Command): Command =>
    cmd
      .option("--config <file>", `configuration file (default: ${DEFAULT_CONFIG_FILE} if present)`)
      .option("--trusted <cidr>", "a trusted network that may query ntpd (repeatable; replaces the configuration's list)", collect)
      .option("--min-upstreams <n>", "fewest usable upstream time sources a host may have")
      .addOption(profileOption("compliance profile: which rules run and the parameter defaults (overrides the configuration's profile)"));

  const withPolicyOptions = (cmd: Command): Command =>
    cmd
      .option("--policy <dir>", "a directory of custom Rego policies, compiled with OPA (repeatable; docs/custom-policies.md)", collect)
      .option("--bundle <file>", "a prebuilt custom policy bundle (ntp-policy bundle, or opa build -t wasm), no OPA needed (repeatable)", collect);

  withPolicyOptions(withConfigOptions(program.command("check").argument("<path...>", "host dump directories, host directories or files")))
    .description("check hosts and report findings")
    .option(
      "--format <format>",
      `output format: ${[...REPORTERS.map((r) => r.format), ...EXTRA_FORMATS].join(", ")}; FORMAT=FILE writes that format to FILE (repeatable: one run, several reports)`,
      collect,
    )
    .option("--output <file>", "write the report to a file instead of standard output (the one --format without =FILE)")
    .addOption(new Option("--fail-on <severity>", "lowest severity that fails the run; never: report only, exit 0 unless a host could not be checked").choices([...SEVERITIES, "never"]).default("low"))
    .option("-q, --quiet", "report failing findings only: no waived findings, none below --fail-on, no notes")
    .option("--summary", "html and pdf: the executive form (summary, matrix, waivers; no per-host detail)")
    .option("--host-timeout <seconds>", `time one host may take before it is reported as not checked (PARSE004)`, String(DEFAULT_HOST_BUDGET.timeoutMs / 1000))
    .option("--host-memory <MB>", "memory one host may use before it is reported as not checked (PARSE004)", String(DEFAULT_HOST_BUDGET.memoryMb))
    .option("--fail-on-unchecked", "exit 2 when a host was not (fully) checked (a PARSE004 finding), whatever --fail-on says")
    .addHelpText("after", CHECK_HELP)
    .action(async (paths: string[], opts: CommonOptions & PolicyOptions & CheckFlags) => {
      const outputs = plannedOutputs(opts.format ?? [], opts.output);
      const budget = hostBudget(opts);
      // A custom policy's module loads under the same budget as a host (a start function that never returns).
      setWasmLoadBudget(budget);
      const reportOnly = opts.failOn === "never";
      const failOn = (reportOnly ? "low" : opts.failOn) as Severity;
      if (!isSeverity(failOn)) throw new UsageError(`--fail-on ${opts.failOn}: expected one of ${SEVERITIES.join(", ")} or never`);
      const custom = await policiesFor(opts);
      const config = configFor(opts, new Set(fullCatalog(custom).map((r) => r.id)));
      const checkOptions = { paths, config, failOn, today: today(), progress: Boolean(process.stderr.isTTY), custom, argv: commandLine(), budget, memo: memoEnabled() };
      let outcome: RunOutcome;
      if (outputs.length === 1 && outputs[0]!.format === "json") {
        // The one report is JSON: written a host at a time, so a fleet's report is never held whole.
        outcome = await streamJsonReport(checkOptions, outputs[0]!.file);
      } else {
        const report = await runCheck(checkOptions);
        await writeReports(report, outputs, { paths, config, custom, quiet: Boolean(opts.quiet), summary: Boolean(opts.summary) });
        outcome = outcomeOf(report);
      }
      setExitCode(outcome, { reportOnly, failOnUnchecked: Boolean(opts.failOnUnchecked) });
    });

  withPolicyOptions(program.command("merge").argument("<report...>", "JSON reports of `check --format json`, one per shard (site, CI job)"))
    .description("combine the JSON reports of shards into the one report a single check of all their hosts makes, in any format")
    .option("--format <format>", `output format: ${ALL_FORMATS.join(", ")}; FORMAT=FILE writes that format to FILE (repeatable)`, collect)
    .option("--output <file>", "write the report to a file instead of standard output (the one --format without =FILE)")
    .addOption(new Option("--fail-on <severity>", "lowest severity that fails the run (default: the shards' own); never: report only").choices([...SEVERITIES, "never"]))
    .option("-q, --quiet", "report failing findings only: no waived findings, none below --fail-on, no notes")
    .option("--summary", "html and pdf: the executive form (summary, matrix, waivers; no per-host detail)")
    .option("--fail-on-unchecked", "exit 2 when a host was not (fully) checked (a PARSE004 finding), whatever --fail-on says")
    .addHelpText("after", MERGE_HELP)
    .action(async (files: string[], opts: PolicyOptions & Omit<CheckFlags, "failOn" | "hostTimeout" | "hostMemory"> & { failOn?: string }) => {
      const outputs = plannedOutputs(opts.format ?? [], opts.output);
      const reportOnly = opts.failOn === "never";
      const failOn = opts.failOn === undefined ? undefined : ((reportOnly ? "low" : opts.failOn) as Severity);
      const custom = await policiesFor(opts);
      // Loaded here, not at start-up: check and the pre-commit hook never pay for merge.
      const { mergeShardFiles } = await import("./merge.js");
      const { report, catalog } = mergeShardFiles(files, { failOn, argv: commandLine(), custom });
      // As check computes it from the checked paths: the paths the shards checked.
      await renderReports(report, outputs, { quiet: Boolean(opts.quiet), catalog, pathPrefix: repositoryPrefix(report.run?.paths ?? []), summary: Boolean(opts.summary) });
      setExitCode(outcomeOf(report), { reportOnly, failOnUnchecked: Boolean(opts.failOnUnchecked) });
    });

  withPolicyOptions(withConfigOptions(program.command("fix").argument("<path...>", "host dump directories, host directories or files")))
    .description("print a verified patch (unified diff, paths relative to the checked folder) that makes failing findings pass")
    .option("--rule <id>", "only findings of this rule (repeatable)", collect)
    .option("--write", "apply the changes in place instead of printing them")
    .option("--backup", "with --write: keep each changed file's old text as FILE.orig")
    .addHelpText("after", FIX_HELP)
    .action(async (paths: string[], opts: CommonOptions & PolicyOptions & { rule?: string[]; write?: boolean; backup?: boolean }) => {
      const custom = await policiesFor(opts);
      const known = new Set(fullCatalog(custom).map((r) => r.id));
      for (const id of opts.rule ?? []) if (!known.has(id)) throw new UsageError(`--rule ${id}: unknown rule; \`ntp-policy rules\` lists them`);
      if (opts.backup && !opts.write) throw new UsageError("--backup keeps the old text of files --write changes: add --write");
      const config = configFor(opts, known);
      const { planFixes, renderPatch, renderSummary, writeFixes } = await import("../fix/index.js");
      const plan = await planFixes({ paths, config, today: today(), rules: opts.rule ?? [], custom });
      if (opts.write) {
        const written = writeFixes(plan.hosts, { backup: Boolean(opts.backup) });
        for (const w of written.written) process.stderr.write(`ntp-policy: wrote ${printable(w)}\n`);
        for (const r of written.refused) process.stderr.write(`ntp-policy: error: not written ${printable(r.file)}: ${printable(r.reason)}\n`);
        if (written.refused.length > 0) process.exitCode = 2;
      } else {
        emit(renderPatch(plan), undefined);
      }
      for (const line of renderSummary(plan)) process.stderr.write(`ntp-policy: ${line}\n`);
      const unresolved = plan.hosts.some((h) => h.unresolved.length > 0);
      if (process.exitCode !== 2) process.exitCode = unresolved ? 1 : 0;
    });

  withConfigOptions(program.command("parse").argument("<path...>", "host dump directories, host directories or files"))
    .description("print the policy input document (JSON) that the policies judge; an array when several hosts")
    .option("--output <file>", "write to a file instead of standard output")
    .action((paths: string[], opts: CommonOptions & { output?: string }) => {
      const docs = inputsFor(paths, configFor(opts, new Set(loadCatalog().map((r) => r.id))));
      emit(`${JSON.stringify(docs.length === 1 ? docs[0] : docs, null, 2)}\n`, opts.output);
    });

  withPolicyOptions(program.command("rules"))
    .description("list the rule catalogue (with --policy/--bundle, custom rules too)")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .addOption(profileOption("only the rules of this profile"))
    .action(async (opts: PolicyOptions & { format: string; profile?: Profile }) => {
      let catalog = fullCatalog(await policiesFor(opts));
      if (opts.profile) catalog = rulesOfProfile(catalog, opts.profile);
      emit(opts.format === "json" ? `${JSON.stringify(catalog, null, 2)}\n` : printableLines(renderRulesTable(catalog)), undefined);
    });

  withPolicyOptions(program.command("explain").argument("<rule>", "a rule id, e.g. NTP001"))
    .description("explain a rule: profiles, rationale, failing and passing examples, remediation and references")
    .action(async (id: string, opts: PolicyOptions) => {
      const rule = fullCatalog(await policiesFor(opts)).find((r) => r.id.toUpperCase() === id.toUpperCase());
      if (!rule) throw new UsageError(`unknown rule ${JSON.stringify(id)}; \`ntp-policy rules\` lists them`);
      emit(printableLines(explainRule(rule)), undefined);
    });

  program
    .command("bundle")
    .description("compile custom policies with OPA into a bundle that --bundle runs on machines without OPA")
    .requiredOption("--policy <dir>", "a directory of custom Rego policies (repeatable)", collect)
    .requiredOption("--output <file>", "where to write the bundle (tar.gz)")
    .action(async (opts: { policy: string[]; output: string }) => {
      const builtinIds = new Set(loadCatalog().map((r) => r.id));
      const compiled = compileCustomPolicies(opts.policy, { builtinIds });
      // Load it as --bundle will, so a bundle that cannot run is never written.
      const policy = await customPolicyFromBundle(compiled.bundle, `--policy ${opts.policy.join(", ")}`, builtinIds, compiled.sourceOf);
      writeOutput(opts.output, compiled.bundle);
      process.stderr.write(printable(`ntp-policy: wrote ${opts.output}: rules ${policy.rules.map((r) => r.id).join(", ")}; policy.wasm sha256:${policy.digest}`) + "\n");
    });

  return program;
}

/** merge's refusals (src/report/merge.ts), known by name: the module is loaded only when merge runs. */
function isMergeError(e: unknown): boolean {
  return e instanceof Error && e.name === "MergeError";
}

export async function main(argv: string[]): Promise<number> {
  // `ntp-policy check … | head`: the reader went away. That is not an error of ours: stop writing quietly;
  // the exit code is the run's verdict as usual.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
  });
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version succeed; help shown because no command was given is a usage error.
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version") return 0;
      return 2;
    }
    const known = e instanceof ConfigError || e instanceof DiscoveryError || e instanceof UsageError || e instanceof PdfUnavailableError || e instanceof CustomPolicyError || isMergeError(e);
    if (isStringLimitError(e)) {
      // Every host fitted, but the report (or the parse output) of them all does not fit in one JavaScript string.
      writeError("the output is larger than the longest string JavaScript can hold (about 512 MB): give fewer hosts per run, or write a smaller format (--quiet, --summary)");
      return 2;
    }
    const message = e instanceof Error ? e.message : String(e);
    // Messages quote paths, configuration values and file content: escaped like every untrusted string.
    writeError(known ? message : `internal: ${message}`);
    return 2;
  }
}
