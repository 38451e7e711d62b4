/**
 * The near-linear restrict-list analysis against the quadratic one it replaced (test/hostile/oracles/),
 * on random lists with nested, equal and disjoint ranges, non-contiguous masks, ntpport, unrestrict and
 * delrestrict: the facts must be identical.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RestrictList, trustedNetworks } from "../../src/analyze/restrict.js";
import type { RestrictNode, Word } from "../../src/model/ntpconf.js";
import { RestrictList as QuadraticRestrictList } from "./oracles/restrict-quadratic.js";

const loc = { file: "ntp.conf", line: 1, column: 1 };
const word = (text: string): Word => ({ text, location: loc });

const v4Address = fc.constantFrom("10.0.0.0", "10.1.0.0", "10.1.2.0", "10.1.2.3", "192.0.2.0", "192.0.2.128", "0.0.0.0", "127.0.0.1");
const v6Address = fc.constantFrom("2001:db8::", "2001:db8:1::", "2001:db8:1::1", "::1", "::");
const v4Mask = fc.constantFrom("255.0.0.0", "255.255.0.0", "255.255.255.0", "255.255.255.255", "0.0.0.0", "255.0.255.0", "255.255.0.255", "255.128.0.0");
const flags = fc.subarray(["noquery", "nomodify", "ignore", "limited", "kod", "ntpport", "notrap", "nopeer"]);

const node: fc.Arbitrary<RestrictNode> = fc
  .record({
    command: fc.constantFrom("restrict", "restrict", "restrict", "unrestrict", "delrestrict"),
    target: fc.constantFrom("address", "address", "address", "default", "source"),
    v6: fc.boolean(),
    v4: v4Address,
    v6addr: v6Address,
    mask: fc.option(v4Mask),
    prefix: fc.option(fc.integer({ min: 0, max: 128 })),
    family: fc.constantFrom(null, "ipv4", "ipv6"),
    flags,
  })
  .map((r) => {
    const address = r.target === "address" ? word(r.v6 ? r.v6addr : r.v4) : null;
    const prefixLength = r.target === "address" && r.prefix !== null ? Math.min(r.prefix, r.v6 ? 128 : 32) : null;
    return {
      kind: "restrict",
      location: loc,
      text: "restrict …",
      command: r.command as RestrictNode["command"],
      family: r.target === "default" ? (r.family as RestrictNode["family"]) : null,
      target: r.target as RestrictNode["target"],
      address,
      mask: r.target === "address" && !r.v6 && prefixLength === null && r.mask !== null ? word(r.mask) : null,
      prefixLength,
      flags: r.flags.map(word),
      ippeerlimit: null,
    } as RestrictNode;
  });

describe("restrict list: near-linear regions equal the quadratic ones", () => {
  it("on random lists", () => {
    const trusted = trustedNetworks(["10.1.0.0/16", "2001:db8:1::/48"]);
    fc.assert(
      fc.property(fc.array(node, { maxLength: 40 }), fc.constantFrom("ntpd", "ntpsec"), (nodes, flavor) => {
        const fast = new RestrictList(flavor as "ntpd" | "ntpsec");
        const slow = new QuadraticRestrictList(flavor as "ntpd" | "ntpsec");
        for (const n of nodes) {
          fast.apply(n);
          slow.apply(n);
        }
        expect(fast.facts(trusted)).toEqual(slow.facts(trusted));
        const regions = (l: { governedRegions(): Array<{ region: { toCidrs(): string[] } }> }): string[][] => l.governedRegions().map((r) => r.region.toCidrs());
        expect(regions(fast)).toEqual(regions(slow));
      }),
      { numRuns: 3000, seed: 4 },
    );
  });
});
