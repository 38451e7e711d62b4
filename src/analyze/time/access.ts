/** The daemon-neutral access facts (`input.time.serves_time`, `input.time.query_access`) from exact address sets. */
import type { FamilyTimeAccess, SourceLine, TimeAccessFacts } from "../../model/input.js";
import type { AddressFamily } from "../../model/ntpconf.js";
import { AddressSet, LOOPBACK } from "../address-set.js";
import { untrustedPart, type TrustedNetworks } from "../trust.js";

/** A set of addresses per family, and the configuration lines behind each part of it. */
export interface AccessRegion {
  family: AddressFamily;
  region: AddressSet;
  lines: readonly SourceLine[];
}

export function accessFacts(regions: readonly AccessRegion[], trusted: TrustedNetworks): TimeAccessFacts {
  return { ipv4: familyAccess("ipv4", regions, trusted), ipv6: familyAccess("ipv6", regions, trusted) };
}

function familyAccess(family: AddressFamily, regions: readonly AccessRegion[], trusted: TrustedNetworks): FamilyTimeAccess {
  let all = AddressSet.empty(family);
  const lines: SourceLine[] = [];
  const seen = new Set<string>();
  for (const r of regions) {
    if (r.family !== family) continue;
    const outside = r.region.subtract(LOOPBACK[family]);
    all = all.union(outside);
    if (untrustedPart(trusted, family, outside).isEmpty()) continue;
    for (const line of r.lines) {
      const key = `${line.location.file}:${line.location.line}:${line.location.column}`;
      if (seen.has(key)) continue;
      seen.add(key);
      lines.push(line);
    }
  }
  const untrusted = untrustedPart(trusted, family, all);
  return { addresses: all.toCidrs(), untrusted: !untrusted.isEmpty(), untrusted_example: untrusted.exampleAddress(), lines };
}
