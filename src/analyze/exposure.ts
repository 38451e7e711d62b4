/**
 * The two layers together: which addresses ntpd's restrict list lets query or serve, against which
 * addresses the firewall may admit on UDP/123. Where both let a query in from outside the trusted
 * networks, nothing stops it; where ntp.conf serves a client network the firewall never admits, those
 * clients cannot synchronise.
 */
import type { FamilyExposureFacts, SourceLine } from "../model/input.js";
import type { AddressFamily } from "../model/ntpconf.js";
import { AddressSet, LOOPBACK } from "./address-set.js";
import type { RestrictList } from "./restrict.js";
import { untrustedPart, type TrustedNetworks } from "./trust.js";

export function exposureFacts(
  family: AddressFamily,
  restrict: RestrictList,
  firewallMayAccept: AddressSet,
  trusted: TrustedNetworks,
): FamilyExposureFacts {
  let queryable = AddressSet.empty(family);
  let served = AddressSet.empty(family);
  let servedButBlocked = AddressSet.empty(family);
  const blockedEntries: SourceLine[] = [];
  const admittedUntrusted = untrustedPart(trusted, family, firewallMayAccept);
  const queryableEntries: SourceLine[] = [];
  for (const { view, region } of restrict.governedRegions()) {
    if (view.family !== family) continue;
    const outside = region.subtract(LOOPBACK[family]);
    if (outside.isEmpty()) continue;
    const ignore = view.flags.includes("ignore");
    if (!ignore && !view.flags.includes("noquery")) {
      queryable = queryable.union(outside);
      if (!outside.intersect(admittedUntrusted).isEmpty()) queryableEntries.push(...view.lines);
    }
    if (!ignore && !view.flags.includes("noserve")) {
      served = served.union(outside);
      // Only networks a line deliberately opens count as "meant to be served"; the default entry is not.
      if (view.kind === "address") {
        const never = outside.subtract(firewallMayAccept);
        if (!never.isEmpty()) {
          servedButBlocked = servedButBlocked.union(never);
          blockedEntries.push(...view.lines);
        }
      }
    }
  }
  const both = queryable.intersect(admittedUntrusted);
  return {
    ntp_queryable: queryable.toCidrs(),
    ntp_served: served.toCidrs(),
    queryable_and_admitted_untrusted: both.toCidrs(),
    served_but_blocked: servedButBlocked.toCidrs(),
    served_but_blocked_entries: blockedEntries,
    queryable_untrusted_entries: queryableEntries,
    example: both.exampleAddress() ?? servedButBlocked.exampleAddress(),
  };
}
