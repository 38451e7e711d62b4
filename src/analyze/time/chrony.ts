/**
 * chrony behind the time-daemon seam: the chrony facts (`input.chrony`) and their daemon-neutral view, with
 * chronyd's defaults (src/analyze/chrony/facts.ts): time served only where `allow` says, chronyc answered from
 * localhost unless `cmdallow` and a non-local `bindcmdaddress` widen it.
 */
import type { ChronyAccessNode, ChronyFacts, ChronyNode, ChronySourceNode, ChronyRefclockNode } from "../../model/chrony.js";
import type { AddressKind, AssociationFact, FamilyExposureFacts, SourceLine, TimeSourceFact } from "../../model/input.js";
import type { AddressFamily } from "../../model/ntpconf.js";
import type { ChronyParsed } from "../../parse/time-daemons.js";
import { AddressSet, LOOPBACK, parseAddress } from "../address-set.js";
import { chronyExposure, chronyFacts } from "../chrony/index.js";
import { untrustedPart, type TrustedNetworks } from "../trust.js";
import { accessFacts, type AccessRegion } from "./access.js";
import type { DaemonAnalysis } from "./types.js";

const FAMILIES: AddressFamily[] = ["ipv4", "ipv6"];

export function analyzeChrony(parsed: ChronyParsed, trusted: TrustedNetworks): DaemonAnalysis<ChronyFacts> {
  const { nodes } = parsed.host.config;
  const options = parsed.host.options;
  const facts = chronyFacts(nodes, options);
  const exposure = chronyExposure(nodes, options);
  const line = (n: ChronyNode): SourceLine => ({ location: n.location, text: n.text });
  const access = nodes.filter((n): n is ChronyAccessNode => n.kind === "access");
  const regions = (directive: "allow" | "cmdallow", sets: Record<AddressFamily, AddressSet>, extra: SourceLine[]): AccessRegion[] =>
    FAMILIES.map((family) => ({
      family,
      region: sets[family],
      // The allowing lines that reach the untrusted part of what is open, plus what opens the socket there.
      lines: [
        ...access
          .filter((n) => n.directive === directive && !subnetOf(n, family).intersect(untrustedPart(trusted, family, sets[family])).isEmpty())
          .map(line),
        ...extra,
      ],
    }));
  const bindcmd = nodes.filter((n) => n.kind === "directive" && n.directive === "bindcmdaddress").map(line);
  const sources = nodes.filter((n): n is ChronySourceNode | ChronyRefclockNode => n.kind === "source" || n.kind === "refclock").map(timeSource);
  const version = parsed.versionText === null ? null : parsed.versionText.trim().split(/\r?\n/)[0]!.slice(0, 200);
  return {
    facts,
    usable: true,
    rejected: [],
    time: {
      daemon: { name: "chrony", decided_by: version !== null ? "version-file" : "config-file", version, config_file: parsed.host.configPath },
      serves_time: accessFacts(regions("allow", exposure.servesTimeTo, []), trusted),
      query_access: accessFacts(regions("cmdallow", exposure.mayCommand, bindcmd), trusted),
      sources: sources.map((s) => s.time),
    },
    firewallSources: sources.flatMap((s) => (s.firewall ? [s.firewall] : [])),
    exposure: (family, firewallMayAccept) => crossLayer(family, access, exposure.servesTimeTo[family], firewallMayAccept),
  };
}

/** The addresses an allow/deny line names, for one family (nothing for a host name, resolved at start-up). */
function subnetOf(node: ChronyAccessNode, family: AddressFamily): AddressSet {
  const s = node.subnet;
  if (s.family === "any") return AddressSet.all(family);
  if (s.family !== family || s.address === null) return AddressSet.empty(family);
  return AddressSet.of(family, [`${s.address}/${s.bits}`]);
}

/**
 * chronyd answers no ntpq/ntpdc query (mode 6/7) on the NTP port, so nothing is "queryable" there; what
 * matters across the layers is a client network an `allow` line opens that the firewall never admits.
 * A bare `allow` (every address) is not a client network, as ntpd's default entry is not.
 */
function crossLayer(family: AddressFamily, access: readonly ChronyAccessNode[], served: AddressSet, firewallMayAccept: AddressSet): FamilyExposureFacts {
  let blocked = AddressSet.empty(family);
  const entries: SourceLine[] = [];
  for (const n of access) {
    if (n.directive !== "allow" || n.subnet.family === "any") continue;
    const never = subnetOf(n, family).intersect(served).subtract(LOOPBACK[family]).subtract(firewallMayAccept);
    if (never.isEmpty()) continue;
    blocked = blocked.union(never);
    entries.push({ location: n.location, text: n.text });
  }
  return {
    ntp_queryable: [],
    ntp_served: served.subtract(LOOPBACK[family]).toCidrs(),
    queryable_and_admitted_untrusted: [],
    served_but_blocked: blocked.toCidrs(),
    served_but_blocked_entries: entries,
    queryable_untrusted_entries: [],
    example: blocked.exampleAddress(),
  };
}

/** A chrony source as a daemon-neutral source, and (network sources) as the association the firewall's upstream walk takes. */
function timeSource(n: ChronySourceNode | ChronyRefclockNode): { time: TimeSourceFact; firewall: AssociationFact | null } {
  const o = n.options;
  const noselect = o["noselect"] === true;
  const reasons = noselect ? ["marked noselect"] : [];
  if (n.kind === "refclock") {
    const time: TimeSourceFact = {
      mode: "refclock",
      address: n.driver.text,
      address_kind: "refclock",
      family: null,
      options: o,
      authenticated: false,
      maxpoll: null,
      selectable: !noselect,
      unusable_reasons: reasons,
      local_clock: false,
      location: n.location,
      text: n.text,
    };
    return { time, firewall: null };
  }
  const literal = parseAddress(n.address.text);
  const kind: AddressKind = literal ? literal.family : "hostname";
  const maxpoll = o["maxpoll"];
  const time: TimeSourceFact = {
    mode: n.directive,
    address: n.address.text,
    address_kind: kind,
    family: literal ? literal.family : null,
    options: o,
    // A key id names a key of the keyfile, which the dump does not carry (it is secret): taken as configured.
    authenticated: o["nts"] === true || typeof o["key"] === "number",
    maxpoll: typeof maxpoll === "number" ? maxpoll : null,
    selectable: !noselect,
    unusable_reasons: reasons,
    location: n.location,
    text: n.text,
  };
  const firewall: AssociationFact = {
    mode: n.directive,
    address: time.address,
    address_kind: kind,
    family: time.family,
    options: o,
    location: n.location,
    text: n.text,
    selectable: time.selectable,
    unusable_reasons: reasons,
  };
  return { time, firewall };
}
