/**
 * The rules through the COMPILED policy (policies/build/policy.wasm, as users run it), on the hand-written
 * fixtures of test/fixtures/policy/hosts.ts. `opa test` covers the same rules with Go's evaluator; this proves the
 * wasm build behaves the same.
 */
import { expectFailingAndPassingFixtures, expectFixture } from "./fixture-check.js";
import { profiled } from "./profiled-engine.js";
import { NTP_CATALOGUE_FIXTURES } from "../fixtures/policy/ntp-catalogue-hosts.js";
import { CATALOGUE_FIXTURES } from "../fixtures/policy/firewall-catalogue-hosts.js";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/policy/catalog.js";
import { loadPolicyEngine, type PolicyEngine } from "../../src/policy/engine.js";
import { PACKAGE_ROOT } from "../../src/policy/paths.js";
import type { PolicyInput } from "../../src/model/input.js";
import { FIREWALL_FIXTURES, FIREWALL_GOLDEN } from "../fixtures/policy/firewall-hosts.js";
import { FIXTURES, GOLDEN } from "../fixtures/policy/hosts.js";
import { CHRONY_FIXTURES } from "../fixtures/policy/chrony-hosts.js";

/** Every hand-written fixture: the NTP and parse rules' (hosts.ts) and the firewall and cross-layer rules' (firewall-hosts.ts). */
const ALL_FIXTURES = [...FIXTURES, ...FIREWALL_FIXTURES, ...CHRONY_FIXTURES];
/** Every fixture, the catalogue suites' included: each rule needs a failing and a passing one somewhere. */
const EVERY_FIXTURE = [...ALL_FIXTURES, ...NTP_CATALOGUE_FIXTURES, ...CATALOGUE_FIXTURES];

let engine: PolicyEngine;

beforeAll(async () => {
  engine = profiled(await loadPolicyEngine());
});

describe("policy fixtures through policy.wasm", () => {
  it.each(FIXTURES.map((f) => [f.name, f] as const))("%s", (_name, fixture) => {
    expectFixture(engine.evaluate(fixture.input), fixture);
  });
  it.each(CHRONY_FIXTURES.map((f) => [f.name, f] as const))("%s", (_name, fixture) => {
    expectFixture(engine.evaluate(fixture.input), fixture);
  });

  it("every rule has a failing and a passing fixture", () => {
    expectFailingAndPassingFixtures(loadCatalog().map((rule) => rule.id), EVERY_FIXTURE);
  });

  it("fixtures are valid policy input documents (docs/input.schema.json)", () => {
    const schema = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "docs", "input.schema.json"), "utf8")) as object;
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    for (const f of [...ALL_FIXTURES.map((x) => x.input), GOLDEN.input, FIREWALL_GOLDEN.input]) {
      expect(validate(f) ? [] : validate.errors, JSON.stringify(f).slice(0, 80)).toEqual([]);
    }
  });

  it("builds exactly the violation the Rego unit tests expect (no sprintf, same strings in wasm)", () => {
    expect(engine.evaluate(GOLDEN.input)).toEqual(GOLDEN.violations);
  });

  it("is deterministic: same input, same output, sorted by rule and location", () => {
    const input = FIXTURES.find((f) => f.expect.length >= 2)!.input;
    const first = JSON.stringify(engine.evaluate(input));
    for (let i = 0; i < 5; i++) expect(JSON.stringify(engine.evaluate(structuredClone(input)))).toBe(first);
    const everything = {
      ...FIXTURES[0]!.input,
      diagnostics: FIXTURES.flatMap((f) => f.input.diagnostics),
      ntp: FIXTURES[2]!.input.ntp,
    };
    const violations = engine.evaluate(everything);
    const keys = violations.map((v) => `${v.rule} ${v.location.file} ${String(v.location.line).padStart(6, "0")}`);
    expect(keys).toEqual([...keys].sort());
    expect(new Set(violations.map((v) => v.rule))).toEqual(
      new Set(["NTP001", "NTP002", "NTP004", "NTP010", "PARSE001", "PARSE002", "PARSE003", "PARSE004"]),
    );
  });
});

describe("policy.wasm on inputs with missing fields (no violation may silently disappear)", () => {
  it("min_upstreams defaults to 3 when settings are missing", () => {
    const input = { ...FIXTURES[0]!.input, settings: undefined } as unknown as PolicyInput;
    const ntp = input.ntp!;
    const time = input.time!;
    const violations = engine.evaluate({
      ...input,
      ntp: { ...ntp, associations: ntp.associations.slice(0, 1) },
      time: { ...time, sources: time.sources.slice(0, 1) },
    });
    expect(violations.map((v) => v.rule)).toEqual(["NTP003"]);
    expect(violations[0]!.message).toMatch(/Only 1 usable time source .*at least 3$/);
  });

  it("a restrict entry with only family, kind, prefix and governs_untrusted still fails NTP001 at line 1", () => {
    const base = FIXTURES[0]!.input;
    const entry = { family: "ipv4", kind: "default", prefix: "0.0.0.0/0", governs_untrusted: true };
    const input = { ...base, ntp: { ...base.ntp!, restrict: { entries: [entry], source: null } } } as unknown as PolicyInput;
    expect(engine.evaluate(input)).toEqual([
      expect.objectContaining({
        rule: "NTP001",
        location: { file: "etc/ntp.conf", line: 1, column: 1 },
        evidence: [
          { location: { file: "etc/ntp.conf", line: 1, column: 1 }, text: "restrict -4 default (built-in: no line configures it)" },
        ],
      }),
    ]);
  });

  it("a diagnostic without a location is an error, not a dropped finding", () => {
    const input = { ...FIXTURES[0]!.input, diagnostics: [{ kind: "syntax", message: "bad", text: null, expected: [] }] };
    expect(() => engine.evaluate(input as unknown as PolicyInput)).toThrow(/malformed violation .*location is null/);
  });
});
