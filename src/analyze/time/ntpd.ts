/** ntpd / ntpsec behind the time-daemon seam: ntp.conf facts (`input.ntp`) and their daemon-neutral view. */
import type { AddressFamily } from "../../model/ntpconf.js";
import type { AssociationFact, FamilyExposureFacts, NtpFacts, TimeSourceFact } from "../../model/input.js";
import type { NtpdParsed } from "../../parse/time-daemons.js";
import type { AddressSet } from "../address-set.js";
import { exposureFacts } from "../exposure.js";
import { analyzeNtp } from "../ntp-facts.js";
import type { TrustedNetworks } from "../trust.js";
import { accessFacts, type AccessRegion } from "./access.js";
import type { DaemonAnalysis } from "./types.js";

export function analyzeNtpd(parsed: NtpdParsed, configFile: string, trusted: TrustedNetworks): DaemonAnalysis<NtpFacts> {
  const { facts, restrict, rejected } = analyzeNtp(
    { configFile, nodes: parsed.config.nodes, template: parsed.config.template, includes: parsed.config.includes },
    trusted,
    parsed.versionText,
  );
  const served: AccessRegion[] = [];
  const queried: AccessRegion[] = [];
  for (const { view, region } of restrict.governedRegions()) {
    if (view.flags.includes("ignore")) continue;
    if (!view.flags.includes("noserve")) served.push({ family: view.family, region, lines: view.lines });
    if (!view.flags.includes("noquery")) queried.push({ family: view.family, region, lines: view.lines });
  }
  const trustedKeys = new Set(facts.trusted_keys);
  return {
    facts,
    usable: !facts.template,
    rejected,
    time: {
      daemon: { name: facts.daemon.flavor, decided_by: facts.daemon.decided_by, version: facts.daemon.version, config_file: configFile },
      serves_time: accessFacts(served, trusted),
      query_access: accessFacts(queried, trusted),
      sources: facts.associations.map((a) => timeSource(a, trustedKeys)),
    },
    firewallSources: facts.associations,
    exposure: (family: AddressFamily, firewallMayAccept: AddressSet): FamilyExposureFacts => exposureFacts(family, restrict, firewallMayAccept, trusted),
  };
}

function timeSource(a: AssociationFact, trustedKeys: ReadonlySet<number>): TimeSourceFact {
  const key = a.options["key"];
  const authenticated = (typeof key === "number" && trustedKeys.has(key)) || a.options["autokey"] === true || a.options["nts"] === true;
  const maxpoll = a.options["maxpoll"];
  return {
    mode: a.mode,
    address: a.address,
    address_kind: a.address_kind,
    family: a.family,
    options: a.options,
    authenticated,
    maxpoll: typeof maxpoll === "number" ? maxpoll : null,
    selectable: a.selectable,
    unusable_reasons: a.unusable_reasons,
    ...(a.local_clock !== undefined ? { local_clock: a.local_clock } : {}),
    location: a.location,
    text: a.text,
  };
}
