/**
 * GitHub workflow commands: every line parsed back the way the runner parses it (command, comma-separated
 * `key=value` properties, `::`, data; then unescaped), so escaping is checked by a round trip, plus the
 * escaping cases of the official docs and vitest's reporter.
 */
import { describe, expect, it } from "vitest";
import { escapeData, escapeProperty, formatCommand, githubReporter } from "../../src/report/github.js";
import { cli } from "../e2e/cli.js";
import { CATALOG, cleanReport, hostileReport, IPTABLES_EVIDENCE, SCRIPT_EVIDENCE } from "../fixtures/report/reports.js";

interface Command {
  command: string;
  properties: Record<string, string>;
  message: string;
}

const unescapeData = (s: string): string => s.replace(/%0D/gi, "\r").replace(/%0A/gi, "\n").replace(/%25/g, "%");
const unescapeProperty = (s: string): string =>
  s.replace(/%0D/gi, "\r").replace(/%0A/gi, "\n").replace(/%3A/gi, ":").replace(/%2C/gi, ",").replace(/%25/g, "%");

/** The runner's parser (actions/runner ActionCommand.TryParseV2), in short. */
function parseCommand(line: string): Command | null {
  const m = /^::([A-Za-z-]+)(?: ([^]*?))?::([^]*)$/.exec(line);
  if (!m) return null;
  const properties: Record<string, string> = {};
  for (const pair of (m[2] ?? "").split(",").filter(Boolean)) {
    const eq = pair.indexOf("=");
    expect(eq).toBeGreaterThan(0);
    properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
  }
  return { command: m[1]!, properties, message: unescapeData(m[3]!) };
}

function commands(out: string): Command[] {
  return out
    .trimEnd()
    .split("\n")
    .map(parseCommand)
    .filter((c): c is Command => c !== null);
}

const render = (report = hostileReport(), extra: { quiet?: boolean; pathPrefix?: string } = {}): string =>
  githubReporter.render(report, { color: false, catalog: CATALOG, ...extra });

describe("github", () => {
  it("escapes data and properties as the runner expects", () => {
    expect(escapeData("100% done\r\nnext")).toBe("100%25 done%0D%0Anext");
    expect(escapeData("%0A is not a newline")).toBe("%250A is not a newline");
    expect(escapeProperty("a:b,c%d\ne")).toBe("a%3Ab%2Cc%25d%0Ae");
    expect(formatCommand({ kind: "warning", properties: [["file", "a,b:c.conf"], ["line", 3]], message: "x::y\nz" })).toBe(
      "::warning file=a%2Cb%3Ac.conf,line=3::x::y%0Az",
    );
    expect(formatCommand({ kind: "notice", properties: [], message: "m" })).toBe("::notice::m");
  });

  it("writes one single-line command per failing finding and nothing for waived ones", () => {
    const out = render();
    for (const line of out.trimEnd().split("\n")) expect(line).not.toMatch(/[\r]/);
    const cmds = commands(out);
    const findings = cmds.filter((c) => c.properties["file"]?.startsWith("web-1/") || c.properties["file"]?.startsWith("dc 1/"));
    expect(findings).toHaveLength(6);
    expect(cmds.some((c) => c.message.includes("Only 2 usable"))).toBe(false);
  });

  it("round-trips messages, titles and paths through the escaping", () => {
    const cmds = commands(render());
    const ntp001 = cmds.find((c) => c.properties["line"] === "3" && c.properties["file"] === "web-1/etc/ntp.conf")!;
    expect(ntp001.command).toBe("error");
    expect(ntp001.properties).toEqual({ file: "web-1/etc/ntp.conf", line: "3", col: "1", title: "NTP001 (high): Untrusted hosts can query the daemon (mode 6/7)" });
    expect(ntp001.message.split("\n")[0]).toBe('restrict default has neither noquery nor ignore: "a,b" | <b>bold</b> %0A 50% done');
    expect(ntp001.message).toContain(`line 3: ${SCRIPT_EVIDENCE}`);
    expect(ntp001.message).toContain("Fix: Add noquery");
    const fw = cmds.find((c) => c.properties["file"] === "web-1/iptables-save")!;
    expect(fw.message.startsWith("-A INPUT accepts UDP/123 from 0.0.0.0/0:\nline two\r\nline three\n")).toBe(true);
    expect(fw.message).toContain(`line 7: ${IPTABLES_EVIDENCE}`);
    expect(fw.message).toContain("web-1/etc/ntp.conf:3: restrict default kod nomodify");
    const odd = cmds.find((c) => c.properties["file"]?.startsWith("dc 1/"))!;
    expect(odd.properties["file"]).toBe("dc 1/host#2 ü/ntp.conf");
    expect(odd.command).toBe("warning");
  });

  it("maps severity to error, warning or notice and puts errors first", () => {
    const cmds = commands(render());
    const kinds = cmds.map((c) => c.command);
    expect(kinds).toEqual([...kinds].sort((a, b) => ["error", "warning", "notice"].indexOf(a) - ["error", "warning", "notice"].indexOf(b)));
    const bySeverity = Object.fromEntries(cmds.filter((c) => c.properties["title"]?.includes("(")).map((c) => [c.properties["title"]!.split(" ")[1], c.command]));
    expect(bySeverity).toEqual({ "(high):": "error", "(medium):": "warning", "(info):": "notice" });
    expect(cmds[0]).toMatchObject({ command: "error", properties: { title: "ntp-policy: broken could not be checked" } });
  });

  it("reports configuration notices, and leaves them and sub-threshold findings out when quiet", () => {
    const all = commands(render());
    expect(all.filter((c) => c.properties["title"] === "ntp-policy configuration")).toHaveLength(2);
    expect(all.find((c) => c.properties["file"] === ".ntp-policy.yaml")).toMatchObject({ command: "warning", properties: { line: "12", col: "5" } });
    const quiet = commands(render(hostileReport(), { quiet: true }));
    expect(quiet.some((c) => c.properties["title"] === "ntp-policy configuration")).toBe(false);
    expect(quiet.some((c) => c.command === "notice")).toBe(false);
    expect(quiet).toHaveLength(all.length - 3);
  });

  it("prefixes paths with the checked directory", () => {
    const cmds = commands(render(hostileReport(), { pathPrefix: "inventory" }));
    expect(cmds.filter((c) => c.properties["file"]?.startsWith("inventory/web-1/"))).toHaveLength(5);
  });

  it("says when GitHub's cap of 10 annotations per kind is reached", () => {
    const report = hostileReport();
    const web = report.hosts[3]!;
    for (let i = 0; i < 12; i++) web.findings.push({ ...structuredClone(web.findings[0]!), location: { file: "web-1/etc/ntp.conf", line: 20 + i, column: 1 } });
    const out = render(report);
    expect(out.trimEnd().split("\n").at(-1)).toMatch(/^ntp-policy: GitHub shows only the first 10 annotations of each kind per step \(16 errors written\)/);
    expect(render().includes("GitHub shows only")).toBe(false);
  });

  it("prints only the summary line when nothing fails, and nothing at all when quiet", () => {
    expect(render(cleanReport())).toBe("ntp-policy: 1 host checked, 0 failing findings on 0 hosts; failing at or above low.\n");
    expect(render(cleanReport(), { quiet: true })).toBe("");
  });

  it("annotates the README's example dump with paths from the repository root", () => {
    const r = cli(["check", "examples/host-dump", "--format", "github"]);
    expect(r.code).toBe(1);
    const cmds = commands(r.stdout);
    expect(cmds.length).toBeGreaterThan(0);
    for (const c of cmds) expect(c.properties["file"]).toMatch(/^examples\/host-dump\/(ntp-(open|typo|few-sources|lan-server)|nft-open|chrony-open)\//);
  });
});
