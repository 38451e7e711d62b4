/**
 * The one way policy fixtures are checked against the compiled wasm: the violations (rule and location,
 * in engine order) must be exactly the expected ones; each expected message fragment and exact evidence
 * must match; severity and remediation must be the rule's METADATA as the catalogue records it.
 */
import { expect } from "vitest";
import type { Violation } from "../../src/model/finding.js";
import { loadCatalog } from "../../src/policy/catalog.js";
import type { PolicyFixture } from "../fixtures/policy/hosts.js";

/** Rules whose violation carries advice derived from the host's lines instead of the catalogue's remediation. */
const TAILORED_REMEDIATION = new Set(["NTP002"]);
/** Rules for every daemon whose violation on a chrony host gives the fix in chrony.conf syntax. */
const CHRONY_REMEDIATION = new Set(["NTP001", "NTP020", "XL001"]);

export function expectFixture(violations: Violation[], fixture: PolicyFixture): void {
  expect(violations.map((v) => ({ rule: v.rule, location: v.location }))).toEqual(
    fixture.expect.map((e) => ({ rule: e.rule, location: e.location })),
  );
  const catalog = new Map(loadCatalog().map((r) => [r.id, r]));
  for (const [i, want] of fixture.expect.entries()) {
    const got = violations[i]!;
    for (const part of want.message ?? []) expect(got.message).toContain(part);
    if (want.evidence) expect(got.evidence).toEqual(want.evidence);
    expect(got.severity).toBe(catalog.get(got.rule)?.severity);
    // Rules that derive their advice from the host's own lines replace the METADATA remediation.
    if (TAILORED_REMEDIATION.has(got.rule)) expect(got.remediation.length).toBeGreaterThan(0);
    else if (fixture.input.time?.daemon.name === "chrony" && CHRONY_REMEDIATION.has(got.rule)) expect(got.remediation).toMatch(/cmdallow|cmdport|nts|allow/);
    else expect(got.remediation).toBe(catalog.get(got.rule)?.remediation);
  }
}

/** Every rule of `ids` has a fixture that fails it and one that passes it. */
export function expectFailingAndPassingFixtures(ids: readonly string[], fixtures: readonly PolicyFixture[]): void {
  for (const id of ids) {
    const about = fixtures.filter((f) => f.rules.includes(id));
    expect(about.some((f) => f.expect.some((e) => e.rule === id)), `${id} has no failing fixture`).toBe(true);
    expect(about.some((f) => !f.expect.some((e) => e.rule === id)), `${id} has no passing fixture`).toBe(true);
  }
}
