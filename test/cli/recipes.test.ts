/**
 * The install and CI recipes in the docs use routes that work today: the YAML snippets parse, every
 * `ntp-policy` command they run names a real subcommand with real flags and formats (checked against the CLI's
 * own commander definition), and nothing installs a registry version or a release tag that does not exist.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildProgram } from "../../src/cli/main.js";
import { EXTRA_FORMATS, REPORTERS } from "../../src/report/reporter.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const DOCS = ["README.md", "docs/integrations.md", "docs/configuration.md", "docs/custom-policies.md"];

function yamlBlocks(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), "utf8");
  return [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/** The shell commands a workflow runs: GitHub `steps[].run`, GitLab `script:` lines. */
function commandsOf(doc: unknown): string[] {
  const out: string[] = [];
  const visit = (node: unknown, key: string | null): void => {
    if (typeof node === "string") {
      if (key === "run" || key === "script") out.push(...node.split("\n"));
    } else if (Array.isArray(node)) {
      for (const item of node) visit(item, key === "script" ? "script" : null);
    } else if (node !== null && typeof node === "object") {
      for (const [k, v] of Object.entries(node)) visit(v, k);
    }
  };
  visit(doc, null);
  return out.flatMap((line) => line.split(/&&|\|\||;/)).map((c) => c.trim()).filter((c) => c !== "");
}

/** Shell words, enough for these recipes: quotes removed, no expansion. */
function words(command: string): string[] {
  return [...command.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

/** Checks an `ntp-policy …` command against the commander definition; returns the problems. */
function problemsOf(argv: string[], program: Command): string[] {
  const [sub, ...rest] = argv;
  const cmd = program.commands.find((c) => c.name() === sub);
  if (!cmd) return [`no subcommand ${sub}`];
  const problems: string[] = [];
  const formats = [...REPORTERS.map((r) => r.format), ...EXTRA_FORMATS];
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    if (!word.startsWith("-")) continue;
    const [flag, inline] = word.split("=", 2) as [string, string | undefined];
    const option = cmd.options.find((o) => o.long === flag || o.short === flag);
    if (!option) {
      problems.push(`${sub}: no option ${flag}`);
      continue;
    }
    const takesValue = option.required || option.optional;
    const value = takesValue ? (inline ?? rest[++i]) : undefined;
    if (flag === "--format" && value !== undefined && !formats.includes(value.split("=")[0]!)) problems.push(`${sub}: no format ${value}`);
    if (option.argChoices && value !== undefined && !option.argChoices.includes(value)) problems.push(`${sub}: ${flag} ${value} is not one of ${option.argChoices.join(", ")}`);
  }
  return problems;
}

describe("recipes in the docs", () => {
  const blocks = DOCS.flatMap((file) => yamlBlocks(file).map((text) => ({ file, text })));

  it("every YAML snippet parses", () => {
    expect(blocks.length).toBeGreaterThan(3);
    for (const { file, text } of blocks) expect(() => parse(text), `${file}:\n${text}`).not.toThrow();
  });

  it("the GitHub Actions and GitLab CI jobs run ntp-policy commands that exist, with flags that exist", () => {
    const program = buildProgram();
    const commands = blocks.flatMap(({ text }) => commandsOf(parse(text)));
    const ntpPolicy = commands.filter((c) => c.startsWith("ntp-policy "));
    expect(ntpPolicy.length).toBeGreaterThanOrEqual(2); // GitHub Actions and GitLab CI at least
    for (const c of ntpPolicy) expect(problemsOf(words(c).slice(1), program), c).toEqual([]);
  });

  it("the shard recipes: a GitHub Actions matrix and a GitLab parallel: job check one site each, and a job after them merges", () => {
    const docs = blocks.filter(({ file }) => file === "docs/integrations.md").map(({ text }) => parse(text) as Record<string, unknown>);
    const jobsOf = (doc: Record<string, unknown>): Array<Record<string, unknown>> =>
      Object.values((doc["jobs"] as Record<string, unknown> | undefined) ?? doc).filter((j): j is Record<string, unknown> => j !== null && typeof j === "object" && !Array.isArray(j));
    const github = docs.find((d) => jobsOf(d).some((j) => (j["strategy"] as { matrix?: unknown } | undefined)?.matrix !== undefined));
    const gitlab = docs.find((d) => jobsOf(d).some((j) => (j["parallel"] as { matrix?: unknown } | undefined)?.matrix !== undefined));
    for (const doc of [github, gitlab]) {
      expect(doc).toBeDefined();
      const commands = commandsOf(doc).filter((c) => c.startsWith("ntp-policy "));
      expect(commands.some((c) => c.startsWith("ntp-policy check ") && /--format json/.test(c))).toBe(true);
      expect(commands.some((c) => c.startsWith("ntp-policy merge "))).toBe(true);
    }
    expect(commandsOf(github).some((c) => /^ntp-policy merge .*--format sarif/.test(c))).toBe(true);
  });

  it("the checker itself rejects a made-up flag (so the test above can fail)", () => {
    expect(problemsOf(["check", "hosts/", "--formats", "sarif"], buildProgram())).toEqual(["check: no option --formats"]);
    expect(problemsOf(["check", "hosts/", "--format", "sarif2=x"], buildProgram())).toEqual(["check: no format sarif2=x"]);
    expect(problemsOf(["scan", "hosts/"], buildProgram())).toEqual(["no subcommand scan"]);
  });

  it("installs only from routes that exist today: a packed tarball or a clone, never a registry version or a release tag", () => {
    for (const file of DOCS) {
      const text = readFileSync(path.join(ROOT, file), "utf8");
      expect(text, file).not.toMatch(/(?<!> )ntp-policy@\d/); // ("> ntp-policy@0.1.0 prepack" quotes npm's output)
      expect(text, file).not.toMatch(/rev:\s*v\d/);
    }
    const installs = blocks.flatMap(({ text }) => commandsOf(parse(text))).filter((c) => /npm (install|i) -g/.test(c));
    expect(installs.length).toBeGreaterThanOrEqual(2);
    for (const c of installs) expect(c).toMatch(/npm install -g \.\/ntp-policy-0\.1\.0\.tgz$/);
    const version = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).version;
    expect(`ntp-policy-${version}.tgz`).toBe("ntp-policy-0.1.0.tgz"); // the recipes name the tarball npm pack writes
  });
});
