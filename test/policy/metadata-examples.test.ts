/**
 * Every rule's METADATA examples, read as "this configuration line → this finding": the `fail` line, parsed by
 * the real parsers into a host and judged by the compiled policy (policies/build/policy.wasm), produces the
 * rule's finding; the `pass` line does not. The catalogue is the list, so a new rule is covered the day it lands.
 *
 * How an example becomes a host (one temporary host directory per example):
 * - An ntp.conf line (or lines) is the host's whole ntp.conf. Rules about the firewall (FW…, XL…) judge it
 *   beside a default-deny iptables-save (SKELETON) and the time source BASE_NTP.
 * - An iptables line goes into SKELETON's filter table: a chain policy (`:INPUT ACCEPT [0:0]`) replaces that
 *   chain's policy, a rule (`-A …`) is appended, `*filter` stands for the table left open (no COMMIT) and
 *   `COMMIT` for the table closed. The host's ntp.conf is BASE_NTP.
 * - An example in parentheses describes evidence rather than a line (a missing file, a binary file): PROSE
 *   says, for exactly that text, which host it stands for.
 * - A line that only breaks (or mends) a rule beside other lines is judged with them: CONTEXT lists, per rule,
 *   the ntp.conf lines around it (EXAMPLE marks where the example goes) and the iptables rules appended after it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inputsFor } from "../../src/check/index.js";
import { defaultConfig, type Config } from "../../src/model/config.js";
import { loadCatalog, type CatalogRule } from "../../src/policy/catalog.js";
import { loadPolicyEngine, type PolicyEngine } from "../../src/policy/engine.js";

/** The settings every example is judged under: STIG (the strictest profile's parameters), a trusted LAN, three upstreams. */
const CONFIG: Config = {
  ...defaultConfig(),
  profile: "stig",
  trusted_networks: ["192.0.2.0/24"],
  authorized_upstreams: ["*.pool.ntp.org", "*.pool.ntp.mil", "time.cloudflare.com"],
};

const BASE_NTP = "server 0.pool.ntp.org iburst maxpoll 10";

const SKELETON = {
  policies: { INPUT: "DROP", FORWARD: "DROP", OUTPUT: "DROP" } as Record<string, string>,
  rules: [] as string[],
};

/** A host's files: path inside the host directory → content. */
type HostFiles = Record<string, string | Buffer>;

function iptablesSave(line: string | null, after: readonly string[] = []): string {
  const policies = { ...SKELETON.policies };
  const rules = [...SKELETON.rules];
  const declarations: string[] = [];
  let closed = true;
  if (line !== null) {
    const policy = /^:(\S+) (\S+) \[0:0\]$/.exec(line);
    if (policy) policies[policy[1]!] = policy[2]!;
    // Any other chain declaration (`:NF_PERSIST_INPUT [0:0]`) is written as is, after the policies.
    else if (line.startsWith(":")) declarations.push(line);
    else if (line.startsWith("-A ")) rules.push(line);
    else if (line === "*filter") closed = false;
    else if (line !== "COMMIT") throw new Error(`cannot place the iptables example ${JSON.stringify(line)}`);
  }
  rules.push(...after);
  return ["*filter", ...Object.entries(policies).map(([chain, p]) => `:${chain} ${p} [0:0]`), ...declarations, ...rules, ...(closed ? ["COMMIT"] : []), ""].join("\n");
}

const isIptablesLine = (line: string): boolean => /^(-A |:|\*|COMMIT$)/.test(line);

/** Hosts for the examples that describe evidence in words, keyed by that exact text. */
const PROSE: Record<string, HostFiles> = {
  "(iptables-save in the dump, no ip6tables-save, no interface ignore ipv6)": { "ntp.conf": `${BASE_NTP}\n`, "iptables-save": iptablesSave(null) },
  "(no iptables-save and no ip6tables-save in the host dump)": { "ntp.conf": `${BASE_NTP}\n` },
  "(a binary file, or one with NUL bytes, where ntp.conf should be)": { "ntp.conf": Buffer.from("server 0.pool.ntp.org\0\n") },
  "(ntp-version or iptables-save in the host directory, no ntp.conf)": { "ntp-version": "ntpd ntpsec-1.2.2\n" },
  "(an ntp.conf whose includefile lines fan out to more than 1,000 included files)": {
    "ntp.conf": `${BASE_NTP}\n${"includefile /etc/ntp/fan.conf\n".repeat(40)}`,
    "etc/ntp/fan.conf": "includefile /etc/ntp/leaf.conf\n".repeat(40),
    "etc/ntp/leaf.conf": "# empty\n",
  },
  "(ntp.conf, etc/ntp.conf, etc/ntpsec/ntp.conf or a chrony.conf in the host directory)": { "ntp.conf": `${BASE_NTP}\n`, "ntp-version": "ntpd ntpsec-1.2.2\n" },
};

const EXAMPLE = "<example>";

/** A chrony.conf every chrony example is added to. */
const BASE_CHRONY = "pool 2.debian.pool.ntp.org iburst maxpoll 10";

/** chrony rules whose examples need another base or configuration: CHRONY006 judges against `source_kind: server`. */
const CHRONY_CONTEXT: Record<string, { base: string; config: Partial<Config> }> = {
  CHRONY006: { base: "server ntp0.example.org iburst", config: { source_kind: "server" } },
};

/** The lines an example needs around it, per rule. */
const CONTEXT: Record<string, { ntp?: string[]; firewall?: string[] }> = {
  // Replies from the upstream come back through INPUT.
  FW004: { firewall: ["-A INPUT -p udp -m udp --sport 123 -m state --state ESTABLISHED -j ACCEPT"] },
  // The rule a broad ACCEPT shadows.
  FW005: { firewall: ["-A INPUT -s 198.51.100.0/24 -p udp -m udp --dport 123 -j DROP"] },
  // The second half of CIS's pair.
  FW008: { firewall: ["-A INPUT -s 127.0.0.0/8 -j DROP"] },
  // nopeer on the default refuses the pool's servers unless a restrict source template lets them in.
  NTP009: { ntp: ["restrict default kod nomodify notrap nopeer noquery", "pool pool.ntp.org iburst", EXAMPLE] },
  // Two more servers of the same provider.
  NTP016: { ntp: ["server time1.example.com iburst", "server time3.example.com iburst", EXAMPLE] },
  // The key the line names is trusted.
  NTP017: { ntp: ["trustedkey 4", EXAMPLE] },
  NTP020: { ntp: ["trustedkey 1", EXAMPLE] },
  // The IPv4 default is already explicit.
  NTP019: { ntp: ["restrict -4 default kod nomodify notrap nopeer noquery", EXAMPLE] },
  // The firewall admits NTP from anywhere.
  XL001: { firewall: ["-A INPUT -p udp -m udp --dport 123 -j ACCEPT"] },
};

/** Include targets an example's `includefile` may name (the example passes when the file is in the dump). */
const INCLUDED: HostFiles = { "etc/ntp/upstreams.conf": `${BASE_NTP}\n` };

function hostFor(rule: CatalogRule, example: string): HostFiles {
  if (example.startsWith("(")) {
    const host = PROSE[example];
    if (!host) throw new Error(`${rule.id}: the example ${JSON.stringify(example)} is prose; add the host it stands for to PROSE`);
    return host;
  }
  const context = CONTEXT[rule.id] ?? {};
  // chrony rules: the example is a line of chrony.conf, after sources that pass the source rules.
  if (rule.id.startsWith("CHRONY")) return { "etc/chrony/chrony.conf": `${CHRONY_CONTEXT[rule.id]?.base ?? BASE_CHRONY}\n${example}\n` };
  const firewallRule = /^(FW|XL)/.test(rule.id);
  const ntpConf = (line: string): string => `${(context.ntp ?? [EXAMPLE]).map((l) => (l === EXAMPLE ? line : l)).join("\n")}\n`;
  if (isIptablesLine(example)) return { "ntp.conf": ntpConf(BASE_NTP), "iptables-save": iptablesSave(example, context.firewall), ...INCLUDED };
  return { "ntp.conf": ntpConf(example), ...(firewallRule ? { "iptables-save": iptablesSave(null, context.firewall) } : {}), ...INCLUDED };
}

let engine: PolicyEngine;
const dirs: string[] = [];

beforeAll(async () => {
  engine = await loadPolicyEngine();
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function rulesReported(files: HostFiles, config: Config = CONFIG): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), "ntp-policy-example-"));
  dirs.push(dir);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  const [input] = inputsFor([dir], config);
  return [...new Set(engine.evaluate(input!).map((v) => v.rule))];
}

describe("every rule's METADATA examples, parsed and judged by policy.wasm", () => {
  const rules = loadCatalog();
  it.each(rules.map((r) => [r.id, r] as const))("%s: the fail example is reported, the pass example is not", (_id, rule) => {
    expect(rule.examples, `${rule.id} has no examples`).toBeDefined();
    const { fail, pass } = rule.examples!;
    const config = { ...CONFIG, ...CHRONY_CONTEXT[rule.id]?.config };
    expect(rulesReported(hostFor(rule, fail), config), `fail: ${fail}`).toContain(rule.id);
    expect(rulesReported(hostFor(rule, pass), config), `pass: ${pass}`).not.toContain(rule.id);
  });
});
