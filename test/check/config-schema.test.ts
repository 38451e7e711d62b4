/**
 * docs/config.schema.json and the hand-written loader (src/check/config.ts) judge configurations the same way:
 * every sample below is accepted by both or rejected by both, and every rejection by the loader names
 * file:line:col. (Two things only the loader can see are tested apart: YAML syntax errors and duplicate keys.)
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { parsePrefix } from "../../src/analyze/address-set.js";
import { ConfigError, isNetwork, NETWORK_PATTERN, parseConfig } from "../../src/check/config.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const schema = JSON.parse(readFileSync(path.join(ROOT, "docs/config.schema.json"), "utf8"));
const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
addFormatsModule.default(ajv);
const validate = ajv.compile(schema);

function loaderAccepts(text: string): { ok: boolean; message: string } {
  try {
    parseConfig(text, "cfg.yaml");
    return { ok: true, message: "" };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return { ok: false, message: e.message };
  }
}

function schemaAccepts(text: string): boolean {
  // An empty document (or one with only comments) is the defaults, as an empty mapping is.
  const doc: unknown = parseYaml(text) ?? {};
  return validate(doc) as boolean;
}

const WAIVER = "waivers:\n  - rule: NTP001\n    hosts: [lab-*]\n    justification: isolated lab\n";

const VALID: string[] = [
  "",
  "# nothing but a comment\n",
  "profile: baseline",
  "profile: cis",
  "profile: stig",
  "trusted_networks: [10.0.0.0/8, 192.0.2.7, '2001:db8::/32', '::1', '::ffff:192.0.2.1/128', 0.0.0.0/0, '::/0', 'fe80::/10']",
  "trusted_networks: []",
  "trusted_networks:\n  - 172.16.0.0/12\n  - 2001:db8:1:2:3:4:5:6/128\n  - '1:2:3:4:5:6:1.2.3.4'\n",
  "min_upstreams: 0",
  "min_upstreams: 100",
  "min_upstreams: 4.0",
  "max_poll: 3",
  "max_poll: 17",
  "authorized_upstreams: ['*.pool.ntp.org', 10.0.0.0/8, 'ntp?.example.com', 192.0.2.7, 'time.example.com', '2001:db8::/48']",
  "rules:\n  NTP001: off\n  NTP002: on\n  NTP003: true\n  NTP004: false\n  FW001: critical\n  FW002: info\n  PARSE001: {}\n  PARSE002: {enabled: false}\n  PARSE003: {severity: low}\n  ORG001: {enabled: true, severity: high}\n",
  "rules: {}",
  WAIVER,
  "waivers:\n  - rule: FW001\n    hosts: ['*']\n    file: web1/iptables-save\n    line: 12\n    justification: accepted until the migration\n    approved_by: CISO\n    expires: 2027-02-28\n",
  "waivers:\n  - rule: NTP001\n    hosts: [a]\n    justification: leap day\n    expires: '2028-02-29'\n",
  "waivers: []",
  "trusted_networks: &nets [10.0.0.0/8]\nauthorized_upstreams: *nets\n",
  "profile: cis\ntrusted_networks: [10.0.0.0/8]\nmin_upstreams: 4\nmax_poll: 10\nauthorized_upstreams: ['*.example.com']\nrules:\n  NTP003: high\n" + WAIVER,
];

const INVALID: string[] = [
  "profile: pci",
  "profile: CIS",
  "profile:",
  "profile: [cis]",
  "trusted_networks: 10.0.0.0/8",
  "trusted_networks:",
  "trusted_networks: [10.0.0.0/33]",
  "trusted_networks: [10.0.0.0/08]",
  "trusted_networks: [300.1.1.1/8]",
  "trusted_networks: [01.2.3.4]",
  "trusted_networks: ['2001:db8::/129']",
  "trusted_networks: [not-a-network]",
  "trusted_networks: [10.0.0.0/255.0.0.0]",
  "trusted_networks: [10]",
  "trusted_networks: ['fe80::1%eth0']",
  "trusted_networks: ['1:2:3:4:5:6:7:8:9']",
  "trusted_networks: ['12345::1']",
  "trusted_networks: [1.2.3.4.5]",
  "trusted_networks: [[10.0.0.0/8]]",
  "min_upstreams: -1",
  "min_upstreams: 101",
  "min_upstreams: 2.5",
  "min_upstreams: three",
  "min_upstreams: '3'",
  "min_upstreams:",
  "max_poll: 2",
  "max_poll: 18",
  "max_poll: 10.5",
  "authorized_upstreams: ['pool ntp org']",
  "authorized_upstreams: ['']",
  "authorized_upstreams: [10.0.0.0/33]",
  "authorized_upstreams: [5]",
  "authorized_upstreams: '*.pool.ntp.org'",
  "rules:\n  NTP001: loud",
  "rules:\n  ntp001: off",
  "rules:\n  NTP1: off",
  "rules:\n  NTP001: {enabled: yes}",
  "rules:\n  NTP001: {severity: urgent}",
  "rules:\n  NTP001: {owner: me}",
  "rules:\n  NTP001:",
  "rules:\n  NTP001: 'yes'",
  "rules: [NTP001]",
  "rules:",
  "waivers:\n  - rule: NTP001\n    hosts: [a]",
  "waivers:\n  - rule: NTP001\n    justification: x",
  "waivers:\n  - hosts: [a]\n    justification: x",
  "waivers:\n  - rule: NTP001\n    hosts: []\n    justification: x",
  "waivers:\n  - rule: NTP001\n    hosts: ['']\n    justification: x",
  "waivers:\n  - rule: NTP001\n    hosts: [1]\n    justification: x",
  "waivers:\n  - rule: NTP001\n    hosts: a\n    justification: x",
  `${WAIVER}    line: 0`,
  `${WAIVER}    line: ten`,
  `${WAIVER}    file: ''`,
  `${WAIVER}    expires: 2027-02-30`,
  `${WAIVER}    expires: 2027-02-29`,
  `${WAIVER}    expires: 2027-1-5`,
  `${WAIVER}    expires: tomorrow`,
  `${WAIVER}    expires: 20270101`,
  `${WAIVER}    expires:`,
  `${WAIVER}    approved_by: ''`,
  `${WAIVER}    approved_by: 42`,
  `${WAIVER}    owner: me`,
  "waivers:\n  - rule: NTP001\n    hosts: [a]\n    justification: '   '",
  "waivers:\n  - rule: NTP1\n    hosts: [a]\n    justification: x",
  "waivers: {}",
  "waivers:\n  - just a string",
  "min_upstream: 3",
  "trusted: [10.0.0.0/8]",
  "- 1\n- 2",
  "just a string",
];

describe("docs/config.schema.json and the loader agree", () => {
  it.each(VALID)("both accept %j", (text) => {
    expect(loaderAccepts(text)).toEqual({ ok: true, message: "" });
    expect(schemaAccepts(text), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each(INVALID)("both reject %j, the loader with file:line:col", (text) => {
    const loader = loaderAccepts(text);
    expect(loader.ok).toBe(false);
    expect(loader.message).toMatch(/^cfg\.yaml:\d+:\d+: \S/);
    expect(schemaAccepts(text)).toBe(false);
  });

  it("the loader alone rejects invalid YAML and duplicate keys, also with file:line:col", () => {
    expect(loaderAccepts("trusted_networks: [a\n").message).toMatch(/^cfg\.yaml:\d+:\d+: invalid YAML/);
    expect(loaderAccepts("min_upstreams: 3\nmin_upstreams: 4\n").message).toMatch(/^cfg\.yaml:2:1: invalid YAML/);
  });

  it("points at the offending value, not at the top of the file", () => {
    expect(loaderAccepts("profile: cis\nwaivers:\n  - rule:\n    hosts: [a]\n    justification: x\n").message).toMatch(/^cfg\.yaml:3:\d+: rule must be a rule id/);
    expect(loaderAccepts("rules:\n  NTP001:\n").message).toMatch(/^cfg\.yaml:2:\d+: a rule setting is off/);
    expect(loaderAccepts("trusted_networks:\n  - 10.0.0.0/8\n  - 10.0.0.0/99\n").message).toBe(
      'cfg.yaml:3:5: "10.0.0.0/99" is not an IPv4 or IPv6 network (e.g. 10.0.0.0/8, 2001:db8::/32)',
    );
  });

  it("every YAML example in docs/configuration.md is valid for both", () => {
    const doc = readFileSync(path.join(ROOT, "docs/configuration.md"), "utf8");
    const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThan(5);
    for (const block of blocks) {
      expect(loaderAccepts(block), block).toEqual({ ok: true, message: "" });
      expect(schemaAccepts(block), block).toBe(true);
    }
  });

  it("the schema's network pattern is the loader's", () => {
    expect(schema.$defs.network.pattern).toBe(NETWORK_PATTERN);
    expect(schema.$defs.upstream.then.pattern).toBe(NETWORK_PATTERN);
  });

  it("every address the pattern accepts is one the analysis can use", () => {
    const re = new RegExp(NETWORK_PATTERN);
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const hex = (): string => rand(65536).toString(16);
    const v4 = (): string => [0, 0, 0, 0].map(() => rand(256)).join(".");
    for (let i = 0; i < 3000; i++) {
      let text: string;
      if (i % 3 === 0) {
        text = `${v4()}${rand(2) ? `/${rand(33)}` : ""}`;
      } else {
        const embed = rand(4) === 0;
        const groups = Array.from({ length: embed ? 6 : 8 }, hex);
        if (rand(2)) {
          const start = rand(groups.length);
          const len = 1 + rand(groups.length - start);
          const head = groups.slice(0, start).join(":");
          const tail = groups.slice(start + len).join(":");
          text = `${head}::${tail}`;
          if (embed) text = tail === "" ? `${text}${v4()}` : `${text}:${v4()}`;
        } else {
          text = groups.join(":");
          if (embed) text = `${text}:${v4()}`;
        }
        if (rand(2)) text = `${text}/${rand(129)}`;
      }
      expect(re.test(text), text).toBe(true);
      expect(parsePrefix(text), text).not.toBeNull();
      expect(isNetwork(text), text).toBe(true);
    }
  });
});
