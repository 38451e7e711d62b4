/** The analyze stage for one host: parsed files → the policy input document (src/model/input.ts). */
import { profileDefaults, type Config } from "../model/config.js";
import { compareLocations } from "../model/location.js";
import { INPUT_SCHEMA_VERSION, type InputDiagnostic, type PolicyInput } from "../model/input.js";
import type { ParsedHost } from "../parse/host.js";
import { addressSummaries } from "./address-summary.js";
import { analyzeHostRuleset } from "./firewall/analysis.js";
import { hostRuleset } from "./firewall/host-ruleset.js";
import { FAMILIES } from "./restrict.js";
import { analyzeTimeDaemons } from "./time-daemons.js";
import { trustedAddresses, trustedNetworks } from "./trust.js";
import type { ExposureFacts, FirewallFacts, NtpFacts } from "../model/input.js";

export function buildPolicyInput(host: ParsedHost, config: Config): PolicyInput {
  const trusted = trustedNetworks(config.trusted_networks);
  const daemons = analyzeTimeDaemons(host, trusted);
  const ntp = daemons.ntpd;
  const primary = daemons.primary;
  // Lines the daemon that runs rejects (ntpsec) join the parser's diagnostics.
  const diagnostics: InputDiagnostic[] = [...host.diagnostics, ...(ntp?.rejected ?? []), ...(daemons.chrony?.rejected ?? [])]
    .sort((a, b) => compareLocations(a.location, b.location) || a.message.localeCompare(b.message))
    .map((d) => ({ kind: d.kind, message: d.message, location: d.location, text: d.text ?? null, expected: d.expected ?? [] }));
  const firewall: FirewallFacts = { ipv4: null, ipv6: null };
  const exposure: ExposureFacts = { ipv4: null, ipv6: null };
  for (const family of FAMILIES) {
    // The iptables dump and the nft ruleset together, in hook-priority order.
    const ruleset = hostRuleset(family, host.firewall[family], host.nft);
    if (!ruleset) continue;
    // The firewall walk separates what it accepts from trusted and from untrusted sources (src/analyze/trust.ts).
    const analysis = analyzeHostRuleset(ruleset, trustedAddresses(trusted, family), primary?.firewallSources ?? []);
    firewall[family] = analysis.facts;
    // An empty dump is no evidence: nothing is known to reach the daemon through it.
    if (primary && !analysis.facts.empty) exposure[family] = primary.exposure(family, analysis.mayAccept);
  }
  if (ntp) linkRejectedDefaults(ntp.facts, diagnostics);
  return {
    schema_version: INPUT_SCHEMA_VERSION,
    host: host.target.name,
    settings: {
      profile: config.profile,
      trusted_networks: [...config.trusted_networks],
      min_upstreams: config.min_upstreams,
      max_poll: config.max_poll ?? profileDefaults(config.profile).max_poll,
      require_maxpoll: profileDefaults(config.profile).require_maxpoll,
      authorized_upstreams: [...config.authorized_upstreams],
      source_kind: config.source_kind,
    },
    files: [...host.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    diagnostics,
    time: primary ? { ...primary.time, also_configured: daemons.alsoConfigured } : null,
    ntp: ntp?.facts ?? null,
    chrony: daemons.chrony?.facts ?? null,
    firewall,
    exposure,
    address_summaries: addressSummaries({ firewall, exposure }, trusted),
  };
}

/** `restrict [-4|-6] default …` as written at the start of a line. */
const RESTRICT_DEFAULT = /^\s*restrict\s+(?:(-4|-6)\s+)?default\b/;

/**
 * A rejected `restrict default` line is why ntpd's built-in default entry stays in place: the entry
 * records it, so that NTP001 points at the line to fix rather than at line 1.
 */
function linkRejectedDefaults(facts: NtpFacts, diagnostics: readonly InputDiagnostic[]): void {
  for (const d of diagnostics) {
    if (d.kind !== "syntax" || d.text === null) continue;
    const m = RESTRICT_DEFAULT.exec(d.text);
    if (!m) continue;
    const family = m[1] === "-4" ? "ipv4" : m[1] === "-6" ? "ipv6" : null;
    for (const entry of facts.restrict.entries) {
      if (entry.kind !== "default" || !entry.implicit || (family !== null && entry.family !== family)) continue;
      (entry.rejected_lines ??= []).push({ location: { ...d.location, column: 1 }, text: d.text });
    }
  }
}
