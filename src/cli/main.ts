/**
 * The command line (DESIGN.md "Command line"). Exit codes: 0 nothing failing at or above --fail-on,
 * 1 failing findings, 2 usage, configuration or internal error. No stack trace ever reaches the user.
 */
import { existsSync, writeFileSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { parsePrefix } from "../analyze/address-set.js";
import { DiscoveryError } from "../discover/hosts.js";
import { defaultConfig, type Config } from "../model/config.js";
import { isSeverity, SEVERITIES, type Severity } from "../model/finding.js";
import { TOOL_VERSION } from "../model/tool.js";
import { loadCatalog } from "../policy/catalog.js";
import { renderPdf, PdfUnavailableError } from "../report/pdf.js";
import { EXTRA_FORMATS, REPORTERS, reporterFor } from "../report/reporter.js";
import { repositoryPrefix, rulesInEffect } from "../report/rule-info.js";
import { exitCodeFor } from "../report/summary.js";
import { inputsFor, runCheck } from "./check.js";
import { ConfigError, loadConfigFile } from "./config.js";
import { explainRule, renderRulesTable } from "./rules.js";

const DEFAULT_CONFIG_FILE = ".ntp-policy.yaml";

class UsageError extends Error {}

interface CommonOptions {
  config?: string;
  trusted?: string[];
  minUpstreams?: string;
}

function resolveConfig(opts: CommonOptions): Config {
  let config = defaultConfig();
  if (opts.config) config = loadConfigFile(opts.config);
  else if (existsSync(DEFAULT_CONFIG_FILE)) config = loadConfigFile(DEFAULT_CONFIG_FILE);
  if (opts.trusted && opts.trusted.length > 0) {
    for (const cidr of opts.trusted) {
      if (!parsePrefix(cidr)) throw new UsageError(`--trusted ${cidr}: not an IPv4 or IPv6 network (e.g. 10.0.0.0/8)`);
    }
    config.trusted_networks = opts.trusted;
  }
  if (opts.minUpstreams !== undefined) {
    const n = Number(opts.minUpstreams);
    if (!/^\d+$/.test(opts.minUpstreams) || n > 100) throw new UsageError(`--min-upstreams ${opts.minUpstreams}: expected a whole number from 0 to 100`);
    config.min_upstreams = n;
  }
  return config;
}

function useColor(toFile: boolean): boolean {
  if (toFile) return false;
  if (process.env["NO_COLOR"] !== undefined && process.env["NO_COLOR"] !== "") return false;
  const force = process.env["FORCE_COLOR"];
  if (force !== undefined) return force !== "0" && force !== "false";
  return Boolean(process.stdout.isTTY);
}

function emit(text: string, output: string | undefined): void {
  if (output) writeFileSync(output, text);
  else process.stdout.write(text);
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The report's timestamp: SOURCE_DATE_EPOCH when set (reproducible builds), else now. */
function generatedAt(): string {
  const epoch = process.env["SOURCE_DATE_EPOCH"];
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000).toISOString();
  return new Date().toISOString();
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name("ntp-policy")
    .description("Check NTP servers' ntp.conf and host firewall against security policy, offline.")
    .version(TOOL_VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  const withConfigOptions = (cmd: Command): Command =>
    cmd
      .option("--config <file>", `configuration file (default: ${DEFAULT_CONFIG_FILE} if present)`)
      .option("--trusted <cidr>", "a trusted network that may query ntpd (repeatable; replaces the configuration's list)", collect)
      .option("--min-upstreams <n>", "fewest usable upstream time sources a host may have");

  withConfigOptions(program.command("check").argument("<path...>", "host dump directories, host directories or files"))
    .description("check hosts and report findings")
    .addOption(new Option("--format <format>", "output format").choices([...REPORTERS.map((r) => r.format), ...EXTRA_FORMATS]).default("text"))
    .option("--output <file>", "write the report to a file instead of standard output")
    .addOption(new Option("--fail-on <severity>", "lowest severity that fails the run").choices([...SEVERITIES]).default("low"))
    .option("-q, --quiet", "report failing findings only: no waived findings, none below --fail-on, no notes")
    .action(async (paths: string[], opts: CommonOptions & { format: string; output?: string; failOn: string; quiet?: boolean }) => {
      const config = resolveConfig(opts);
      if (!isSeverity(opts.failOn)) throw new UsageError(`--fail-on ${opts.failOn}: expected one of ${SEVERITIES.join(", ")}`);
      if (opts.format === "pdf" && !opts.output) throw new UsageError("--format pdf writes a file: add --output report.pdf");
      const report = await runCheck({ paths, config, failOn: opts.failOn as Severity, today: today(), progress: Boolean(process.stderr.isTTY) });
      const options = {
        color: useColor(Boolean(opts.output)),
        quiet: Boolean(opts.quiet),
        catalog: rulesInEffect(loadCatalog(), config.rules),
        pathPrefix: repositoryPrefix(paths),
        generatedAt: generatedAt(),
      };
      if (opts.format === "pdf") {
        await renderPdf(reporterFor("html")!.render(report, { ...options, color: false }), opts.output!);
      } else {
        emit(reporterFor(opts.format)!.render(report, options), opts.output);
      }
      for (const h of report.hosts) if (h.error) process.stderr.write(`ntp-policy: ${h.host}: ${h.error}\n`);
      process.exitCode = exitCodeFor(report);
    });

  withConfigOptions(program.command("parse").argument("<path...>", "host dump directories, host directories or files"))
    .description("print the policy input document (JSON) that the policies judge; an array when several hosts")
    .option("--output <file>", "write to a file instead of standard output")
    .action((paths: string[], opts: CommonOptions & { output?: string }) => {
      const docs = inputsFor(paths, resolveConfig(opts)).map((d) => d.input);
      emit(`${JSON.stringify(docs.length === 1 ? docs[0] : docs, null, 2)}\n`, opts.output);
    });

  program
    .command("rules")
    .description("list the rule catalogue")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .action((opts: { format: string }) => {
      const catalog = loadCatalog();
      emit(opts.format === "json" ? `${JSON.stringify(catalog, null, 2)}\n` : renderRulesTable(catalog), undefined);
    });

  program
    .command("explain")
    .argument("<rule>", "a rule id, e.g. NTP001")
    .description("explain a rule: rationale, remediation and references")
    .action((id: string) => {
      const rule = loadCatalog().find((r) => r.id.toUpperCase() === id.toUpperCase());
      if (!rule) throw new UsageError(`unknown rule ${JSON.stringify(id)}; \`ntp-policy rules\` lists them`);
      emit(explainRule(rule), undefined);
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here too, successfully.
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return 0;
      return 2;
    }
    const known = e instanceof ConfigError || e instanceof DiscoveryError || e instanceof UsageError || e instanceof PdfUnavailableError;
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`ntp-policy: ${known ? "" : "internal error: "}${message}\n`);
    return 2;
  }
}
