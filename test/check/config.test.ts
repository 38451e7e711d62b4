import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/check/config.js";

const parse = (text: string) => parseConfig(text, "cfg.yaml");

describe("configuration", () => {
  it("reads every setting", () => {
    const c = parse(`
trusted_networks: [10.0.0.0/8, "2001:db8::/32"]
min_upstreams: 4
rules:
  NTP003: off
  NTP001: critical
  PARSE001: { enabled: true, severity: low }
waivers:
  - rule: NTP001
    hosts: ["lab-*"]
    file: lab-1/ntp.conf
    line: 3
    justification: isolated lab network
    approved_by: Security team
    expires: 2027-01-31
`);
    expect(c.trusted_networks).toEqual(["10.0.0.0/8", "2001:db8::/32"]);
    expect(c.min_upstreams).toBe(4);
    expect(c.rules).toEqual({
      NTP003: { enabled: false, severity: null },
      NTP001: { enabled: true, severity: "critical" },
      PARSE001: { enabled: true, severity: "low" },
    });
    expect(c.waivers[0]).toMatchObject({ rule: "NTP001", hosts: ["lab-*"], line: 3, expires: "2027-01-31", approved_by: "Security team" });
    expect(c.waivers[0]!.location).toEqual({ file: "cfg.yaml", line: 9, column: 5 });
  });

  it("accepts an empty file as defaults", () => {
    expect(parse("").min_upstreams).toBe(3);
    expect(parse("").source_kind).toBe("any");
  });

  it("reads source_kind", () => {
    expect(parse("source_kind: server").source_kind).toBe("server");
    expect(parse("source_kind: pool").source_kind).toBe("pool");
  });

  it.each([
    ["trusted_networks: [10.0.0.0/33]", /cfg\.yaml:1:20: "10\.0\.0\.0\/33" is not an IPv4 or IPv6 network/],
    ["min_upstream: 3", /cfg\.yaml:1:1: unknown setting "min_upstream"/],
    ["min_upstreams: three", /cfg\.yaml:1:16: min_upstreams must be a whole number/],
    ["source_kind: servers", /cfg\.yaml:1:14: source_kind must be one of any, pool, server/],
    ["rules:\n  NTP001: loud", /cfg\.yaml:2:11: a rule setting is off/],
    ["waivers:\n  - rule: NTP001\n    hosts: [a]\n    justification: x\n    expires: 2027-02-30", /cfg\.yaml:5:14: expires must be a date written YYYY-MM-DD/],
    ["waivers:\n  - rule: NTP001\n    hosts: [a]", /cfg\.yaml:2:5: a waiver needs a justification/],
    ["waivers:\n  - rule: NTP001\n    hosts: [a]\n    justification: x\n    owner: me", /cfg\.yaml:5:5: unknown waiver key "owner"/],
    ["trusted_networks: [a\n", /cfg\.yaml:\d+:\d+: invalid YAML/],
    ["- 1\n- 2", /cfg\.yaml:1:1: the configuration must be a mapping/],
  ])("rejects %j with a located message", (text, message) => {
    expect(() => parse(text)).toThrow(ConfigError);
    expect(() => parse(text)).toThrow(message);
  });
});
